// How well a clustering recovers known groups: purity and the adjusted Rand index (Hubert & Arabie 1985).

/** Share of items that belong to their cluster's most common true group: 1 is perfect, but one item per cluster also scores 1. */
export function purity(clusters: readonly (readonly string[])[]): number {
  const total = clusters.reduce((sum, c) => sum + c.length, 0);
  const majority = clusters.reduce((sum, c) => sum + Math.max(0, ...counts(c).values()), 0);
  return total ? majority / total : 1;
}

/** Agreement of the pairs of items (same group or not) beyond chance: 1 is perfect, about 0 is random. */
export function adjustedRandIndex(clusters: readonly (readonly string[])[]): number {
  const pairs = (n: number) => (n * (n - 1)) / 2;
  const sumPairs = (xs: Iterable<number>) => [...xs].reduce((sum, n) => sum + pairs(n), 0);
  const total = clusters.reduce((sum, c) => sum + c.length, 0);
  const index = clusters.reduce((sum, c) => sum + sumPairs(counts(c).values()), 0);
  const clusterPairs = sumPairs(clusters.map((c) => c.length));
  const truePairs = sumPairs(counts(clusters.flat()).values());
  const expected = (clusterPairs * truePairs) / pairs(total);
  const max = (clusterPairs + truePairs) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

function counts(labels: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of labels) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}
