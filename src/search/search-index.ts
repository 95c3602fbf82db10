// The search index shared by the help-center build, the browser and the CLI: FlexSearch holds the
// postings (term -> documents, in BM25F weight slots); this module adds tokenization and ranking.
import { Index } from 'flexsearch';
import { tokenize } from './tokenizer.ts';
import { compactTermMap, expandTermMap } from './index-codec.ts';
import { countTerms, DEFAULT_RANKING, idf, slotToWeight, termWeight, weightToSlot, type FieldLengths, type RankingParams } from './ranking.ts';

export interface IndexableDoc<M> {
  title: string;
  body: string;
  meta: M;
}

export interface SearchHit<M> {
  meta: M;
  score: number;
}

/** Hits, and the score a document would get that matched every known query term at full weight. */
export interface RankedHits<M> {
  hits: SearchHit<M>[];
  /** Scores divided by this are comparable across queries (0..1); 0 when no query term is indexed. */
  ceiling: number;
}

export interface SearchOptions<M> {
  limit?: number;
  filter?: (meta: M) => boolean;
}

/** What is shipped to the browser as a static JSON file. */
export interface SerializedIndex<M> {
  format: typeof FORMAT;
  ranking: RankingParams;
  docs: M[];
  flexsearch: Record<string, unknown>;
}

const FORMAT = 'postdesk-search/2';
const isTermMap = (key: string) => key.endsWith('map');

// Tokens never contain spaces, so FlexSearch only has to split what tokenize() already produced.
const splitTokens = (text: string): string[] => (text ? text.split(' ') : []);

function newFlexIndex(ranking: RankingParams, score?: (content: string[], term: string) => number): Index {
  return new Index({ encode: splitTokens, resolution: ranking.resolution, tokenize: 'strict', score });
}

export class SearchIndex<M> {
  private readonly scores: Float64Array;

  private constructor(
    private readonly flex: Index,
    readonly docs: readonly M[],
    readonly ranking: RankingParams,
  ) {
    this.scores = new Float64Array(docs.length);
  }

  static build<M>(docs: readonly IndexableDoc<M>[], ranking: RankingParams = DEFAULT_RANKING): SearchIndex<M> {
    const tokenized = docs.map((d) => ({ title: tokenize(d.title), body: tokenize(d.body) }));
    const avg: FieldLengths = {
      title: tokenized.reduce((s, d) => s + d.title.length, 0) / (docs.length || 1),
      body: tokenized.reduce((s, d) => s + d.body.length, 0) / (docs.length || 1),
    };
    // FlexSearch asks for a slot once per distinct term while adding one document; this map holds
    // the answers for the document being added.
    let slots = new Map<string, number>();
    const flex = newFlexIndex(ranking, (_content, term) => slots.get(term) ?? ranking.resolution - 1);
    tokenized.forEach((d, id) => {
      const len = { title: d.title.length, body: d.body.length };
      slots = new Map();
      for (const [term, tf] of countTerms(d.title, d.body)) {
        slots.set(term, weightToSlot(termWeight(tf, len, avg, ranking), ranking.resolution));
      }
      flex.add(id, [...slots.keys()].join(' '));
    });
    return new SearchIndex(flex, docs.map((d) => d.meta), ranking);
  }

  static fromJSON<M>(data: SerializedIndex<M>): SearchIndex<M> {
    if (data.format !== FORMAT) throw new Error(`search index: unknown format ${String(data.format)}`);
    const flex = newFlexIndex(data.ranking);
    for (const [key, chunk] of Object.entries(data.flexsearch)) {
      flex.import(key, (isTermMap(key) ? expandTermMap(chunk as Parameters<typeof expandTermMap>[0]) : chunk) as unknown as string);
    }
    return new SearchIndex(flex, data.docs, data.ranking);
  }

  toJSON(): SerializedIndex<M> {
    const flexsearch: Record<string, unknown> = {};
    this.flex.export((key, data) => {
      flexsearch[key] = isTermMap(key) ? compactTermMap(JSON.parse(data)) : JSON.parse(data);
    });
    return { format: FORMAT, ranking: this.ranking, docs: [...this.docs], flexsearch };
  }

  search(query: string, options: SearchOptions<M> = {}): SearchHit<M>[] {
    return this.rank(query, options).hits;
  }

  rank(query: string, options: SearchOptions<M> = {}): RankedHits<M> {
    const { limit = 10, filter } = options;
    const scores = this.scores;
    const touched: number[] = [];
    const resolution = this.ranking.resolution;
    let ceiling = 0;
    for (const term of new Set(tokenize(query))) {
      const slotLists = (this.flex.search(term, { resolve: false }) as unknown as { result: number[][] }).result;
      let docFreq = 0;
      for (const ids of slotLists) docFreq += ids?.length ?? 0;
      if (!docFreq) continue;
      const termIdf = idf(docFreq, this.docs.length);
      ceiling += termIdf * slotToWeight(0, resolution);
      slotLists.forEach((ids, slot) => {
        if (!ids) return;
        const add = termIdf * slotToWeight(slot, resolution);
        for (const id of ids) {
          if (scores[id] === 0) touched.push(id);
          scores[id] += add;
        }
      });
    }
    const ranked: { id: number; score: number }[] = [];
    for (const id of touched) {
      if (!filter || filter(this.docs[id])) ranked.push({ id, score: scores[id] });
      scores[id] = 0;
    }
    ranked.sort((a, b) => b.score - a.score || a.id - b.id);
    return { hits: ranked.slice(0, limit).map(({ id, score }) => ({ meta: this.docs[id], score })), ceiling };
  }
}
