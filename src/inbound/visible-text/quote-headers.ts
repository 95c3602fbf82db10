// Quote headers email-reply-parser misses: Outlook's header block and separator lines, and
// "wrote:" lines in more languages. The reply is cut before the first one found.
const QUOTE_HEADERS: RegExp[] = [
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|原始邮件|原始郵件)\s*-{2,}\s*$/im,
  /^_{10,}\s*$/m, // Outlook's rule above the header block
  // Outlook's header block: "From: ..." followed within two lines by "Sent:" / "Date:" (en, de, fr, es, zh)
  /^\*?(From|Von|De|发件人|寄件者)\s*[:：].*\n(.*\n){0,2}?\*?(Sent|Date|Gesendet|Envoyé|Enviado|发送时间|日期|寄件日期)\s*[:：]/im,
  /^(在|於)\s*.{4,80}(写道|寫道)\s*[:：]?\s*$/m,
  /^.{0,120}\s(wrote|schrieb|a écrit|escribió|ha scritto|schreef|skrev|napisał|escreveu)\s*:\s*$/im,
];

export function cutAtQuoteHeader(text: string): string {
  let cut = text.length;
  for (const rule of QUOTE_HEADERS) {
    const m = rule.exec(text);
    if (m && m.index > 0 && m.index < cut) cut = m.index;
  }
  return text.slice(0, cut);
}
