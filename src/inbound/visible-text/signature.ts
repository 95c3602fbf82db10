// The sender's own mail signature at the end of a reply, the way GitHub's email_reply_parser sees
// it: a "-- " / "__" delimiter or a software-drawn rule of underscores, a "-Name" line after an empty
// line (unless the sender's own delimiter follows it), a lone "Regards," line near the end, and the
// "Sent from my iPhone" family of client footers. Everything from its first line is dropped.
/** The delimiter a sender puts above their signature: "-- " (RFC 3676) or the "--" / "__" people type. */
const SENDER_DELIMITER = /^(--|__)\s*$/;
/** A longer rule of underscores is drawn by software: a mailing-list footer, Outlook's quote header. */
const RULE = /^_{3,}\s*$/;
const DASH_NAME = /^-\w/;
const CLOSING = /^((best|kind|warm)\s+)?regards,?!?$/i;
const CLIENT_FOOTER =
  /^(Sent from my |Sent from (Mail|Outlook|Yahoo Mail|Samsung)|Sent with |Get Outlook for |Von meinem .* gesendet|Gesendet von |Envoyé de mon |Envoyé depuis |Enviado desde |Inviato da |Verzonden (met|vanaf) |Verstuurd vanaf |Sendt fra |Skickat från |Отправлено с |发自我的|从我的.{1,30}发送|來自我的|iPhoneから送信)/i;
const FOOTER_WORDS = 8;
/** A "-Name" line is a signature only near the end and short; a list of "-item" lines is text. */
const DASH_NAME_MAX_WORDS = 4;
const TAIL_LINES = 6;

function isSignatureStart(lines: string[], i: number): boolean {
  const line = lines[i].trimEnd();
  const words = line.split(/\s+/).length;
  if (CLIENT_FOOTER.test(line) && words <= FOOTER_WORDS && !/[.!?,]\s*\S/.test(line.slice(12))) return true;
  if (SENDER_DELIMITER.test(line) || RULE.test(line)) return true;
  const nearTheEnd = lines.slice(i + 1).filter((l) => l.trim()).length <= TAIL_LINES;
  if (CLOSING.test(line.trim())) return nearTheEnd;
  const afterBlank = i > 0 && lines[i - 1].trim() === '';
  // Above the sender's own delimiter, "-Name" signs the message: the signature is what the delimiter marks.
  const signedAboveDelimiter = lines.slice(i + 1).some((l) => SENDER_DELIMITER.test(l));
  return afterBlank && DASH_NAME.test(line) && words <= DASH_NAME_MAX_WORDS && nearTheEnd && !signedAboveDelimiter;
}

export function withoutSignature(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((_l, i) => isSignatureStart(lines, i));
  return start < 0 ? text : lines.slice(0, start).join('\n');
}
