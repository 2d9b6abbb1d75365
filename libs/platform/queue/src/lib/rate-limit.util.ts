/** The longest interval, pause or wait a throttle works with (about 31 years): keeps sums exact. */
const LONGEST_MS = 1e12;

/** An interval or a pause in whole milliseconds, rounded up; not positive (or NaN): 0. */
export function wholeMs(ms: number): number {
  return ms > 0 ? Math.ceil(Math.min(ms, LONGEST_MS)) : 0;
}

/** An interval to the microsecond (slots keep fractional intervals exact); not positive (or NaN): 0. */
export function exactMs(ms: number): number {
  return ms > 0 ? Math.ceil(Math.min(ms, LONGEST_MS) * 1000) / 1000 : 0;
}

/** A longest wait in whole milliseconds, rounded down; negative or NaN: -1 (refuse every wait). */
export function maxWaitMs(ms: number): number {
  return ms >= 0 ? Math.floor(Math.min(ms, LONGEST_MS)) : -1;
}
