// Lines that open quoted history ("splitters"), after talon's rules (mailgun/talon quotations.py),
// widened to more languages and to Chinese/Japanese/Korean clients. Each rule is tried on a block of
// up to four lines starting at the candidate line; it returns how many lines the splitter spans.

/** Words that end an "On <date>, <person> wrote:" line, in the languages mail clients localise. */
const WROTE = [
  'wrote', 'sent', 'a écrit', 'écrit', 'napisał', 'napisała', 'pisze', 'schreef', 'verzond', 'geschreven', 'schrieb', 'skrev',
  'escribió', 'ha scritto', 'scritto', 'escreveu', 'napsal', 'написал', 'написала', 'написав', 'đã viết', 'kirjoitti', 'yazdı', 'menulis',
].join('|');
const ON = ['On', 'Le', 'W dniu', 'Dnia', 'Op', 'Am', 'På', 'Den', 'El', 'Il', 'Em', 'Dne', 'В', 'Vào', 'Pada', 'Στις'].join('|');

const FROM_OR_DATE = [
  'From', 'Von', 'De', 'Van', 'Fra', 'Från', 'Da', 'Od', 'От', 'Kimden', 'Lähettäjä', '发件人', '寄件人', '寄件者', '送信者', '差出人', '보낸 사람',
  'Date', 'Sent', 'Datum', 'Gesendet', 'Envoyé', 'Enviado', 'Inviato', 'Verzonden', 'Sendt', 'Skickat', 'Отправлено', 'Дата', '发送时间', '发送日期', '日期', '寄件日期', '送信日時', '보낸 날짜',
].join('|');
const OTHER_HEADER = ['To', 'An', 'À', 'Para', 'A', 'Aan', 'Til', 'Till', 'Кому', '收件人', '收件者', '宛先', '받는 사람', 'Subject', 'Betreff', 'Objet', 'Asunto', 'Oggetto', 'Onderwerp', 'Emne', 'Ämne', 'Тема', '主题', '主旨', '件名', '제목', 'Cc'].join('|');

const header = (names: string) => new RegExp(`^\\s*\\*{0,2}(${names})\\*{0,2}\\s?[:：]`, 'i');
const FROM_OR_DATE_LINE = header(FROM_OR_DATE);
const ANY_HEADER_LINE = header(`${FROM_OR_DATE}|${OTHER_HEADER}`);
const SECOND_HEADER_ON_LINE = /\s\*{0,2}(Date|Sent|To|Subject|Datum|Gesendet|Envoyé|Enviado)\*{0,2}\s?:\s/;

type Rule = (block: string[]) => number;

/** A rule that matches the block's text from its first line; spans as many lines as the match. */
const pattern =
  (re: RegExp, maxLines = 4): Rule =>
  (block) => {
    const m = re.exec(block.slice(0, maxLines).join('\n'));
    return m && m.index === 0 ? m[0].replace(/\n$/, '').split('\n').length : 0;
  };

const RULES: Rule[] = [
  // -----Original Message----- and its translations
  pattern(
    /^\s*-+\s*(Original Message|Reply Message|Ursprüngliche Nachricht|Antwort Nachricht|Oprindelig meddelelse|Oprindelig besked|Message d'origine|Mensaje original|Messaggio originale|Mensagem original|Originalmeddelande|Alkuperäinen viesti|Исходное сообщение|原始邮件|原始郵件|邮件原件)\s*-+/i,
  ),
  // On <date>, <person> wrote:  (the person's address may wrap onto the next lines)
  pattern(new RegExp(`^-*>?\\s?(${ON})\\s[^\\n]*(,|użytkownik|\\d)([^\\n]*\\n){0,2}[^\\n]*(${WROTE})\\s*:?-*`)),
  pattern(/^-*>?\s?(Op|Am)\s[^\n]*(\n[^\n]*){0,2}(schreef|verzond|geschreven|schrieb)\s*[^\n]*:/),
  // <date> <person> wrote:  (a date or an address on the line: "Something wrote:" in a sentence is text)
  pattern(new RegExp(`^[^\\n]{0,200}(\\d|@)[^\\n]{0,200}\\s(${WROTE})\\s*:\\s*$`, 'im'), 1),
  // <date> skrev <person> <address>:  (the verb before the person)
  pattern(new RegExp(`^[^\\n]{0,120}\\d[^\\n]{0,120}\\s(${WROTE})\\s[^\\n]{0,120}<[^<>\\s]+@[^<>\\s]+>\\s*:\\s*$`, 'im'), 1),
  // 在 <date>，<person> 写道： / <date> <person> のメッセージ: / ... 작성:
  pattern(/^[^\n]{0,200}(写道|寫道|のメッセージ|작성)\s*[:：]\s*$/m, 1),
  pattern(/^\s*(在|於)[^\n]{2,150}(\n[^\n]*){0,2}(写道|寫道)\s*[:：]?/),
  // 02.04.2012 14:20 пользователь "bob@example.com" <bob@example.com> написал:   /   2011/4/7 Bob <bob@example.com>
  pattern(/^\s*(\d+\/\d+\/\d+|\d+\.\d+\.\d+)[^\n]*(\n[^\n]*){0,2}(<[^<>\s]+@[^<>\s]+>|@[^\n]*:\s*$)/m),
  // 2014-10-17 11:28 GMT+03:00 Bob <bob@example.com>:
  pattern(/^\s*\d{4}-\d{2}-\d{2}\s+\d{1,2}:\d{2}\s+GMT[^\n]*(\n[^\n]*){0,2}@/),
  // Thu, 26 Jun 2014 14:00:51 +0400 Bob <bob@example.com>:
  pattern(/^\S{3,10}, \d\d? \S{3,10} 20\d\d,? \d\d?:\d\d(:\d\d)?( \S+){3,6}@\S+:/),
  // An Outlook-style header block: From/Date line (optionally under a rule line) and more headers below.
  (block) => {
    const start = /^\s*[_-]{10,}\s*$/.test(block[0]) ? 1 : 0;
    const first = block.slice(start).findIndex((l) => l.trim() !== '');
    if (first < 0 || !FROM_OR_DATE_LINE.test(block[start + first])) return 0;
    const line = block[start + first];
    // "From: bob@example.com Date: ..." on one line (HTML with inline tags), or more header lines below.
    const more = SECOND_HEADER_ON_LINE.test(line.slice(6)) || block.slice(start + first + 1).some((l) => ANY_HEADER_LINE.test(l));
    return more ? start + first + 1 : 0;
  },
];

export const FORWARD = /^\s*(-+\s*(Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|转发的邮件|轉寄的郵件)\s*-+|Begin forwarded message:)\s*$/i;

/** How many lines the splitter starting at `lines[i]` spans (0: none starts here). */
export function splitterAt(lines: string[], i: number): number {
  // Splitters are short: looking at the first 300 characters keeps hostile long lines cheap.
  const block = lines.slice(i, i + 4).map((l) => l.slice(0, 300));
  for (const rule of RULES) {
    const span = rule(block);
    if (span) return span;
  }
  return 0;
}

/** "On <date> <person> wrote:" glued to the end of the reply's last line: put it on its own line. */
export const SPLITTER_SHARING_A_LINE = new RegExp(`(?<=\\S)(-*[^\\S\\n]?(${ON})\\s[^\\n]{0,200}(${WROTE})\\s*:)`, 'g');
