/**
 * A sliding window over admitted requests' arrival times, per key: at most `limit` in any
 * `windowMs`. A request over the limit is not admitted (and does not take a slot); it is told
 * how many whole seconds remain until the oldest admitted request leaves the window.
 */
export class SlidingWindowRateLimiter {
  private readonly admitted = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {
    if (!(limit > 0)) throw new Error(`rate limit must be positive, got ${limit}`);
  }

  admit(key: string, now: number): { admitted: true } | { admitted: false; retryAfterSeconds: number } {
    const times = this.admitted.get(key) ?? [];
    while (times.length && times[0] <= now - this.windowMs) times.shift();
    if (times.length < this.limit) {
      times.push(now);
      this.admitted.set(key, times);
      return { admitted: true };
    }
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((times[0] + this.windowMs - now) / 1000)) };
  }
}
