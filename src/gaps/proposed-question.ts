// A question for the FAQ in the customer's words: the question the most typical mail of a group
// asks (its first sentence ending in a question mark, without the greeting), else its subject
// without "Re:" and [tags].
const REPLY_PREFIX = /^\s*(?:(?:re|fwd?|aw|wg|sv|vs|antw|回复|答复|转发)\s*[:：]\s*)+/i;
const TAG = /\[[^\]]*\]|【[^】]*】/g;
/** A sentence: up to and including its end mark, or a line. */
const SENTENCE = /[^.!?。！？\n]+[.!?。！？]*/g;
const QUESTION_END = /[?？]\s*$/;
/** A leading greeting up to its comma: "Hi there," "Dear Nimbus team," "你好客服，". */
const GREETING = /^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|你好|您好|客服|嗨|哈喽)[^,，:：]{0,20}[,，:：]\s*/i;
const MAX_LENGTH = 150;

export function cleanSubject(subject: string): string {
  return subject.replace(TAG, ' ').replace(REPLY_PREFIX, '').replace(/\s+/g, ' ').trim();
}

export function proposedQuestion(subject: string, text: string): string {
  const sentences = (text.match(SENTENCE) ?? []).map((s) => s.replace(GREETING, '').trim()).filter(Boolean);
  return shorten(sentences.find((s) => QUESTION_END.test(s)) || cleanSubject(subject) || sentences[0] || '');
}

function shorten(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MAX_LENGTH ? text : `${chars.slice(0, MAX_LENGTH - 1).join('').trimEnd()}…`;
}
