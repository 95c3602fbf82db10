// A body of many megabytes (an exported report, a pasted log) is kept whole in the raw store, but
// only its head becomes the shown HTML and the text: html-to-text builds a DOM of the whole input,
// and a 21 MB HTML table took 0.9 GB to convert. What no one reads in a help desk need not cost that.

/** Characters of a body (HTML or text) that are converted and kept as the message's HTML and text. */
export const BODY_HEAD_CHARS = 1_000_000;

/** Whether a body has a visible character: trim() would copy a huge body to tell. */
export function isBlank(body: string | null | undefined): boolean {
  return !body || !/\S/.test(body);
}

/** The HTML up to the last tag end within the head, or all of it when it is short. */
export function htmlHead(html: string): string {
  if (html.length <= BODY_HEAD_CHARS) return html;
  const end = html.lastIndexOf('>', BODY_HEAD_CHARS - 1);
  return html.slice(0, end > 0 ? end + 1 : BODY_HEAD_CHARS);
}

/** The text up to the last line end within the head, or all of it when it is short. */
export function textHead(text: string): string {
  if (text.length <= BODY_HEAD_CHARS) return text;
  const end = text.lastIndexOf('\n', BODY_HEAD_CHARS - 1);
  return text.slice(0, end > 0 ? end : BODY_HEAD_CHARS);
}

/** The line that ends a cut body: how much is left out, and where the whole mail is. */
export function cutNotice(bodyChars: number, rawSha256: string): string {
  const mb = (chars: number) => `${(chars / 1e6).toFixed(1)} MB`;
  return `[Postdesk: this body is ${mb(bodyChars)}; only its first ${mb(BODY_HEAD_CHARS)} is shown. The whole mail is kept: postdesk raw ${rawSha256}]`;
}
