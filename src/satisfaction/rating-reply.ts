// Reads a customer's answer to "How did we do?": the subject of a survey link (`[#1042] rating 4`,
// `[#1042] 评分 4`), or a short reply whose first line is only a number or a rating word in English
// or Chinese ("5", "great", "很好", "不满意"). Deliberately conservative: anything else ("great, but
// it still crashes", a long mail) is a normal reply, which reopens the ticket.

export interface RatingReply {
  /** 1 (very dissatisfied) to 5 (very satisfied). */
  score: number;
  /** What the customer wrote besides the rating; null when nothing. */
  comment: string | null;
  /** How the rating came: the survey link's subject, or words in the reply. */
  via: 'link' | 'text';
}

/** The words of a survey link's subject, in every language the survey is sent in. */
export const RATING_SUBJECT_WORDS = { en: 'rating', zh: '评分' } as const;

/** A free-text rating is a short reply; a longer mail is about something else. */
const MAX_FREE_TEXT_CHARS = 280;

// Whole first lines only, after lower-casing and dropping punctuation and "thanks".
const LEXICON: Record<number, string[]> = {
  5: ['excellent', 'great', 'perfect', 'awesome', 'amazing', 'outstanding', 'very good', 'very satisfied', 'very happy', '非常满意', '很满意', '非常好', '很好', '太好了', '很棒', '非常棒', '完美', '好极了', '五星好评'],
  4: ['good', 'satisfied', 'happy', 'pretty good', '满意', '不错', '挺好', '比较满意', '好评'],
  3: ['average', 'so-so', 'so so', 'neutral', 'mediocre', '一般', '还行', '还可以', '马马虎虎', '凑合'],
  2: ['bad', 'poor', 'not good', 'unsatisfied', 'dissatisfied', 'disappointed', 'not satisfied', '不满意', '不好', '差', '较差', '不太满意', '失望', '差评'],
  1: ['terrible', 'awful', 'horrible', 'very bad', 'very poor', 'very dissatisfied', 'very disappointed', '非常不满意', '很不满意', '很差', '非常差', '太差了', '太差', '极差', '糟糕', '太糟糕了'],
};
const WORDS = new Map(Object.entries(LEXICON).flatMap(([score, words]) => words.map((w) => [w, Number(score)] as const)));
const THANKS = / (?:many thanks|thanks a lot|thank you|thanks|thx|cheers|谢谢您|谢谢你|谢谢|多谢|感谢)(?= )/gu;
const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5 };

// "5", "5/5", "5 stars", "5分", "5星", "五星", "五分"; a Chinese numeral only with its unit.
const SCORE = /^(?:([1-5])(?:\s*(?:\/\s*5|stars?|分|星|颗星))?|([一二三四五])\s*(?:分|星|颗星))$/u;
const SUBJECT = new RegExp(`^(?:${Object.values(RATING_SUBJECT_WORDS).join('|')})\\s*[:：]?\\s*([1-5])$`, 'iu');
const REPLY_PREFIX = /^(?:(?:re|aw|sv|fw|fwd|回复|答复|转发)\s*[:：]\s*)+/iu;
// Separators between "great" and "thanks"; a hyphen belongs to words like "so-so".
const SEPARATORS = /[\s,，.。!！;；~～、]+/u;

/**
 * The rating in a mail on a resolved ticket, or undefined when it is not one. `subject` is the
 * subject with the ticket's tag already removed; `text` the visible text of the reply.
 */
export function readRatingReply(subject: string, text: string): RatingReply | undefined {
  const body = text.normalize('NFKC').trim();
  const bySubject = SUBJECT.exec(subject.normalize('NFKC').trim().replace(REPLY_PREFIX, '').trim());
  if (bySubject) return { score: Number(bySubject[1]), comment: body || null, via: 'link' };
  if (!body || body.length > MAX_FREE_TEXT_CHARS) return undefined;
  const [first, ...rest] = body.split('\n');
  const score = scoreOf(first);
  if (score === undefined) return undefined;
  return { score, comment: rest.join('\n').trim() || null, via: 'text' };
}

/** The score a whole line says: one number or one lexicon entry, optionally with thanks around it. */
function scoreOf(line: string): number | undefined {
  // "Very good, thank you!" → "very good"
  const words = ` ${line.toLowerCase().split(SEPARATORS).filter(Boolean).join(' ')} `.replace(THANKS, '').trim();
  const word = WORDS.get(words);
  if (word !== undefined) return word;
  const number = SCORE.exec(words);
  if (!number) return undefined;
  return number[1] ? Number(number[1]) : CHINESE_DIGITS[number[2]];
}
