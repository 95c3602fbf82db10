// The Porter (1980) stemmer, so "resetting", "resets" and "reset" meet in one index term.
// Written from the published algorithm; steps are named as in the paper.

const STEP2: Record<string, string> = {
  ational: 'ate', tional: 'tion', enci: 'ence', anci: 'ance', izer: 'ize', bli: 'ble', alli: 'al',
  entli: 'ent', eli: 'e', ousli: 'ous', ization: 'ize', ation: 'ate', ator: 'ate', alism: 'al',
  iveness: 'ive', fulness: 'ful', ousness: 'ous', aliti: 'al', iviti: 'ive', biliti: 'ble', logi: 'log',
};
const STEP3: Record<string, string> = {
  icate: 'ic', ative: '', alize: 'al', iciti: 'ic', ical: 'ic', ful: '', ness: '',
};
const STEP4 = [
  'al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou', 'ism',
  'ate', 'iti', 'ous', 'ive', 'ize',
];

const C = '[^aeiou]';
const V = '[aeiouy]';
const CS = `${C}[^aeiouy]*`;
const VS = `${V}[aeiou]*`;
const MGR0 = new RegExp(`^(${CS})?${VS}${CS}`);
const MEQ1 = new RegExp(`^(${CS})?${VS}${CS}(${VS})?$`);
const MGR1 = new RegExp(`^(${CS})?${VS}${CS}${VS}${CS}`);
const HAS_VOWEL = new RegExp(`^(${CS})?${V}`);
const CVC = new RegExp(`^${CS}${V}[^aeiouwxy]$`);

export function porterStem(word: string): string {
  if (word.length < 3) return word;
  let w = word;
  const firstY = w[0] === 'y';
  if (firstY) w = 'Y' + w.slice(1);

  // Step 1a: plurals.
  if (/sses$|ies$/.test(w)) w = w.slice(0, -2);
  else if (/[^s]s$/.test(w)) w = w.slice(0, -1);

  // Step 1b: -eed, -ed, -ing.
  let m: RegExpMatchArray | null;
  if ((m = w.match(/^(.+?)eed$/))) {
    if (MGR0.test(m[1])) w = w.slice(0, -1);
  } else if ((m = w.match(/^(.+?)(ed|ing)$/)) && HAS_VOWEL.test(m[1])) {
    w = m[1];
    if (/(at|bl|iz)$/.test(w)) w += 'e';
    else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
    else if (CVC.test(w)) w += 'e';
  }

  // Step 1c: y -> i after a vowel-containing stem.
  if ((m = w.match(/^(.+?)y$/)) && HAS_VOWEL.test(m[1])) w = m[1] + 'i';

  // Step 2 and 3: map double suffixes to single ones.
  for (const table of [STEP2, STEP3]) {
    const suffix = Object.keys(table).find((s) => w.endsWith(s));
    if (suffix && MGR0.test(w.slice(0, -suffix.length))) w = w.slice(0, -suffix.length) + table[suffix];
  }

  // Step 4: drop a suffix when the stem is long enough.
  const suffix4 = STEP4.filter((s) => w.endsWith(s)).sort((a, b) => b.length - a.length)[0];
  if (suffix4) {
    const stem = w.slice(0, -suffix4.length);
    if (MGR1.test(stem) && (suffix4 !== 'ion' || /[st]$/.test(stem))) w = stem;
  }

  // Step 5: tidy a final -e and -ll.
  if ((m = w.match(/^(.+?)e$/))) {
    const stem = m[1];
    if (MGR1.test(stem) || (MEQ1.test(stem) && !CVC.test(stem))) w = stem;
  }
  if (/ll$/.test(w) && MGR1.test(w)) w = w.slice(0, -1);

  return firstY ? 'y' + w.slice(1) : w;
}
