// The name a mail to a customer greets them by, as a person would write it: in English the given name
// ("Hello Maria,", as Help Scout and Zendesk greet), in Chinese the full name ("王小明，您好："). A
// display name is often not written as a person would: "GONZALEZ, MARIA", "maria gonzalez", or the
// address itself; those are read as meant, and what is no name greets without one.
import type { Language } from './templates.ts';

const HAN = /\p{Script=Han}/u;
/** Words before a name that the greeting keeps with the whole name ("Hello Dr. Maria Gonzalez,"). */
const HONORIFIC = /^(mr|mrs|ms|miss|mx|dr|prof|sir|dame)\.?$/i;

export function greetingName(displayName: string | null | undefined, language: Language): string {
  let name = (displayName ?? '').trim().replace(/^["']+|["']+$/g, '').trim();
  if (!name || name.includes('@') || !/\p{L}/u.test(name)) return '';
  if (HAN.test(name)) return name;
  // "Gonzalez, Maria": the given name after the comma.
  const parts = name.split(',').map((s) => s.trim());
  if (parts.length === 2 && parts[0] && parts[1]) name = `${parts[1]} ${parts[0]}`;
  const words = name.split(/\s+/).map(personCase);
  if (language === 'zh' || HONORIFIC.test(words[0])) return words.join(' ');
  return words[0];
}

/** MARIA and maria become Maria (also each part of Jean-Paul, O'Brien); McDonald stays as written. */
function personCase(word: string): string {
  if (word !== word.toUpperCase() && word !== word.toLowerCase()) return word;
  return word.toLowerCase().replace(/(^|[-'’])(\p{L})/gu, (_m, before: string, letter: string) => before + letter.toUpperCase());
}
