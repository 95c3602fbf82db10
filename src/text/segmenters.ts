// Intl.Segmenter made on first use: the first one of a process loads ICU's break rules, about 12 ms,
// which `|postdesk ingest -` (one process per mail) should pay only for a text that needs cutting.
let graphemeSegmenter: Intl.Segmenter | undefined;
let wordSegmenter: Intl.Segmenter | undefined;

/** The text in graphemes: an emoji, a flag, a letter with its accents each stay whole. */
export function graphemes(text: string): Intl.Segments {
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return graphemeSegmenter.segment(text);
}

/** The text in words and the spaces and punctuation between them (any script, Chinese too). */
export function words(text: string): Intl.Segments {
  wordSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  return wordSegmenter.segment(text);
}
