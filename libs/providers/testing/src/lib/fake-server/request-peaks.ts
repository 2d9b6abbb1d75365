/**
 * The most requests whose arrival times (ms) fall in any window of `windowMs`: what a fake
 * reports, and a bench prints, against a provider's "N requests per window" limit.
 */
export function peakRequests(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
