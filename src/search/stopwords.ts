// Words too common to tell one answer from another. Kept short on purpose: question words such
// as "how" or "why" stay out of the list only if they carry meaning, and they do not here.

export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are as at be because been before being below
  between both but by can could did do does doing down during each few for from further had has have
  having he her here hers herself him himself his how i if in into is it its itself just me more most
  my myself no nor not of off on once only or other our ours ourselves out over own same she should so
  some such than that the their theirs them themselves then there these they this those through to too
  under until up very was we were what when where which while who whom why will with would you your
  yours yourself yourselves get got want need way there's it's i'm can't don't doesn't isn't`
    .split(/\s+/)
    .map((w) => w.replace(/'/g, '')),
);

// Single Chinese characters that are grammar rather than content. Bigrams that contain them
// (怎么, 什么) are still indexed, so only the lone character is dropped.
export const CHINESE_STOP_CHARACTERS: ReadonlySet<string> = new Set(
  '的了吗呢吧啊呀么是在我你他她它们这那个有和与就都也还要会能可以请怎如何什'.split(''),
);
