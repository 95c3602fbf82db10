// The sender's own mail signature at the end of a reply, the way GitHub's email_reply_parser sees
// it: a "-- " / "__" delimiter or a software-drawn rule of underscores, a "-Name" line after an empty
// line (unless the sender's own delimiter follows it), a lone "Regards," line near the end, and the
// "Sent from my iPhone" family of client footers. Everything from its first line is dropped, so a
// signature is short: a delimiter with more text below it is part of the text (the "--" between
// grep -C groups in a pasted log), as talon looks for signatures in a mail's last lines only.
/** The most lines with text a signature has: a delimiter, name, title, address, a legal notice. */
const SIGNATURE_MAX_TEXT_LINES = 20;
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

/** What lies below each line, gathered in one pass from the end: looking ahead from every line was quadratic. */
interface Below {
  textLines: number[];
  delimiter: boolean[];
}

function below(lines: string[]): Below {
  const textLines = new Array<number>(lines.length + 1).fill(0);
  const delimiter = new Array<boolean>(lines.length + 1).fill(false);
  for (let i = lines.length - 1; i >= 0; i--) {
    textLines[i] = textLines[i + 1] + (lines[i].trim() ? 1 : 0);
    delimiter[i] = delimiter[i + 1] || SENDER_DELIMITER.test(lines[i]);
  }
  return { textLines, delimiter };
}

function isSignatureStart(lines: string[], i: number, after: Below): boolean {
  if (after.textLines[i + 1] > SIGNATURE_MAX_TEXT_LINES) return false;
  const line = lines[i].trimEnd();
  const words = line.split(/\s+/).length;
  if (CLIENT_FOOTER.test(line) && words <= FOOTER_WORDS && !/[.!?,]\s*\S/.test(line.slice(12))) return true;
  if (SENDER_DELIMITER.test(line) || RULE.test(line)) return true;
  const nearTheEnd = after.textLines[i + 1] <= TAIL_LINES;
  if (CLOSING.test(line.trim())) return nearTheEnd;
  const afterBlank = i > 0 && lines[i - 1].trim() === '';
  // Above the sender's own delimiter, "-Name" signs the message: the signature is what the delimiter marks.
  return afterBlank && DASH_NAME.test(line) && words <= DASH_NAME_MAX_WORDS && nearTheEnd && !after.delimiter[i + 1];
}

export function withoutSignature(text: string): string {
  const lines = text.split('\n');
  const after = below(lines);
  const start = lines.findIndex((_l, i) => isSignatureStart(lines, i, after));
  return start < 0 ? text : lines.slice(0, start).join('\n');
}
