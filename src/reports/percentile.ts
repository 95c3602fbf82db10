/** Nearest-rank percentile (p in 0..1) of sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  return sorted.length ? sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] : null;
}
