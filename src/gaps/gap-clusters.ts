// Groups of similar gap questions, per language (a group becomes one FAQ entry of that language),
// largest first, each described for an editor: a proposed question, the stage most of its
// customers were in, the category of the FAQ answers nearest to it, and a few words for tags.
import type { Locale, Stage } from '../search/faq-schema.ts';
import { STAGES } from '../search/faq-schema.ts';
import { TEXT_RUN, normalizeText, wordTerms } from '../search/tokenizer.ts';
import { averageLinkageClusters } from './cluster.ts';
import type { GapQuestion } from './gap-questions.ts';
import { proposedQuestion } from './proposed-question.ts';
import { cosine, tfidfVectors } from './text-vectors.ts';

/**
 * Questions join a group while their mean cosine similarity to its members is at least this.
 * Chosen on generated tickets (scripts/gap-tickets.ts, seeds 1–6, 0.10–0.30 tried); measured on
 * other seeds by `npm run eval:gaps`. Higher splits a topic asked in different words, lower merges
 * topics that share only the product's name.
 */
export const GAP_SIMILARITY = 0.12;
/** The subject counts twice: it is the customer's own summary, and the body carries greetings and context. */
const SUBJECT_WEIGHT = 2;
const TAG_COUNT = 5;
/** A category for a group no FAQ answer came near. */
export const UNKNOWN_CATEGORY = 'uncategorized';

export interface GapCluster {
  language: Locale;
  question: string;
  stage: Stage;
  category: string;
  tags: string[];
  /** Ticket numbers, the most typical question first. */
  tickets: number[];
}

/** The text a question is compared by. */
export function comparedText(q: Pick<GapQuestion, 'subject' | 'text'>): string {
  return `${`${q.subject}\n`.repeat(SUBJECT_WEIGHT)}${q.text}`;
}

/** Groups of indexes into `questions`, never mixing languages; largest first. */
export function groupSimilar(questions: readonly Pick<GapQuestion, 'subject' | 'text' | 'language'>[], minSimilarity = GAP_SIMILARITY): number[][] {
  const groups: number[][] = [];
  for (const language of new Set(questions.map((q) => q.language))) {
    const members = questions.flatMap((q, i) => (q.language === language ? [i] : []));
    const { vectors } = tfidfVectors(members.map((i) => comparedText(questions[i])));
    for (const group of averageLinkageClusters(vectors, minSimilarity)) groups.push(group.map((g) => members[g]));
  }
  return groups.sort((a, b) => b.length - a.length || a[0] - b[0]);
}

export function gapClusters(questions: readonly GapQuestion[]): GapCluster[] {
  return groupSimilar(questions).map((group) => describe(group.map((i) => questions[i])));
}

function describe(members: GapQuestion[]): GapCluster {
  const { vectors, terms } = tfidfVectors(members.map(comparedText));
  // The most typical question: the one most similar to all the others.
  const centrality = vectors.map((v) => vectors.reduce((sum, w) => sum + cosine(v, w), 0));
  const order = members.map((_, i) => i).sort((a, b) => centrality[b] - centrality[a] || members[a].number - members[b].number);
  const central = members[order[0]];
  return {
    language: central.language,
    question: proposedQuestion(central.subject, central.text),
    stage: mostCommon(STAGES, members.map((m) => m.stage)),
    category: nearestCategory(members),
    tags: tags(members, vectors, terms),
    tickets: order.map((i) => members[i].number),
  };
}

/** The most common value; a tie goes to the earlier one in `order`. */
function mostCommon<T extends string>(order: readonly T[], values: readonly T[]): T {
  return order.reduce((best, v) => (values.filter((x) => x === v).length > values.filter((x) => x === best).length ? v : best), order[0]);
}

/** A vote of the nearest answers' categories, the nearest of each question counting most (1, 1/2, 1/3). */
function nearestCategory(members: readonly GapQuestion[]): string {
  const votes = new Map<string, number>();
  for (const m of members) m.nearest.forEach((hit, rank) => votes.set(hit.category, (votes.get(hit.category) ?? 0) + 1 / (rank + 1)));
  return [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? UNKNOWN_CATEGORY;
}

/**
 * The heaviest terms of the group, as its customers wrote them: Chinese character pairs as they
 * are, English stems back to the word they came from most often.
 */
function tags(members: readonly GapQuestion[], vectors: ReturnType<typeof tfidfVectors>['vectors'], terms: readonly string[]): string[] {
  const weight = new Map<number, number>();
  for (const v of vectors) v.ids.forEach((id, k) => weight.set(id, (weight.get(id) ?? 0) + v.weights[k]));
  const texts = members.map((m) => normalizeText(`${m.subject}\n${m.text}`));
  const words = surfaceWords(texts);
  const tags: string[] = [];
  for (const [id] of [...weight].sort((a, b) => b[1] - a[1] || a[0] - b[0])) {
    const term = terms[id];
    if (!/\p{Script=Han}/u.test(term)) {
      const word = words.get(term);
      if (word && !tags.includes(word)) tags.push(word);
    } else if (Array.from(term).length === 2 && !joinPair(tags, term, texts)) tags.push(term);
    if (tags.length === TAG_COUNT) break;
  }
  return tags;
}

/**
 * A character pair next to a tag already taken: 控器 makes 遥控 遥控器 when most texts with 遥控
 * say 遥控器; otherwise it is a piece of that tag's word and is dropped (器电 of 遥控器电池). False
 * when the pair touches no tag.
 */
function joinPair(tags: string[], pair: string, texts: readonly string[]): boolean {
  const [first, second] = Array.from(pair);
  const containing = (s: string) => texts.filter((t) => t.includes(s)).length;
  const i = tags.findIndex((t) => t.endsWith(first) || t.startsWith(second) || t.includes(pair));
  if (i < 0) return false;
  const tag = tags[i];
  const joined = tag.includes(pair) ? tag : tag.endsWith(first) ? tag + second : first + tag;
  if (containing(joined) * 2 >= containing(tag)) tags[i] = joined;
  return true;
}

/** For each English term of the texts, the word it came from most often. */
function surfaceWords(normalizedTexts: readonly string[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const text of normalizedTexts) {
    for (const match of text.matchAll(TEXT_RUN)) {
      const word = match[2];
      if (!word) continue;
      for (const term of wordTerms(word)) {
        const byWord = counts.get(term) ?? new Map<string, number>();
        byWord.set(word, (byWord.get(word) ?? 0) + 1);
        counts.set(term, byWord);
      }
    }
  }
  return new Map([...counts].map(([term, byWord]) => [term, [...byWord].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]]));
}
