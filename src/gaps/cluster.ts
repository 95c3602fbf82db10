// Average-linkage agglomerative clustering: two groups merge while the mean similarity between
// their members is at least the threshold. Unlike a one-pass "leader" clustering it does not
// depend on the order of the tickets, and unlike single linkage it does not chain unrelated
// questions through one that mentions both. Run with the nearest-neighbour chain, which for
// average linkage makes the same merges as the textbook algorithm in O(n²) time instead of O(n³)
// (Müllner, "Modern hierarchical, agglomerative clustering algorithms", 2011); memory is the n×n
// distance matrix.
import { cosine, type TermVector } from './text-vectors.ts';

/** Groups of indexes into `vectors`, each listed ascending; the groups largest first (ties: earliest member first). */
export function averageLinkageClusters(vectors: readonly TermVector[], minSimilarity: number): number[][] {
  const n = vectors.length;
  const distance = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) distance[i * n + j] = distance[j * n + i] = 1 - cosine(vectors[i], vectors[j]);
  }
  const maxDistance = 1 - minSimilarity;
  // Union-find over the merges within the threshold: average linkage never merges below an
  // earlier merge's height, so these are exactly the groups of the tree cut at that height.
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  for (const [a, b, height] of nearestNeighbourChain(distance, n)) if (height <= maxDistance) parent[root(a)] = root(b);

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const group = groups.get(root(i));
    if (group) group.push(i);
    else groups.set(root(i), [i]);
  }
  return [...groups.values()].sort((a, b) => b.length - a.length || a[0] - b[0]);
}

/** The merges [a, b, height] of the whole tree; slot b stands for the merged group afterwards. Overwrites `distance`. */
function nearestNeighbourChain(distance: Float32Array, n: number): [number, number, number][] {
  const active = new Uint8Array(n).fill(1);
  const size = new Int32Array(n).fill(1);
  const merges: [number, number, number][] = [];
  const chain: number[] = [];
  for (let remaining = n; remaining > 1; ) {
    if (!chain.length) chain.push(active.indexOf(1));
    const a = chain[chain.length - 1];
    const previous = chain.length > 1 ? chain[chain.length - 2] : -1;
    // On a tie the previous link of the chain wins, so the chain cannot cycle.
    let nearest = previous;
    let best = previous >= 0 ? distance[a * n + previous] : Infinity;
    for (let k = 0; k < n; k++) {
      if (k !== a && active[k] && distance[a * n + k] < best) {
        best = distance[a * n + k];
        nearest = k;
      }
    }
    if (nearest !== previous) {
      chain.push(nearest);
      continue;
    }
    chain.length -= 2;
    merges.push([a, previous, best]);
    // Lance–Williams update for average linkage: the size-weighted mean of the two distances.
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === a || k === previous) continue;
      const merged = (size[a] * distance[a * n + k] + size[previous] * distance[previous * n + k]) / (size[a] + size[previous]);
      distance[previous * n + k] = distance[k * n + previous] = merged;
    }
    active[a] = 0;
    size[previous] += size[a];
    remaining--;
  }
  return merges;
}
