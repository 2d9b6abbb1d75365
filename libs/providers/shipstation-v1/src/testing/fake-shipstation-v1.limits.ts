/**
 * ShipStation v1's rate limit: at most `limit` requests per API key and secret in a fixed window
 * of `windowMs` (60 s by default; a test may scale it down), windows aligned on multiples of
 * `windowMs` since the epoch. Refused requests take no slot. Every answer says where the caller
 * stands: `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (whole seconds
 * until the window resets).
 */
export class FixedWindowRateLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();
  /** Requests another client of the key makes at the start of every window. */
  private readonly others = new Map<string, number>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {
    if (!(limit > 0)) throw new Error(`rate limit must be positive, got ${limit}`);
  }

  private window(key: string, now: number): { start: number; used: number } {
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    let w = this.windows.get(key);
    if (!w || w.start !== start) {
      w = { start, used: Math.min(this.limit, this.others.get(key) ?? 0) };
      this.windows.set(key, w);
    }
    return w;
  }

  /** Takes a slot when one is left; answers the headers either way. */
  admit(key: string, now: number): { admitted: boolean; headers: Record<string, string> } {
    const w = this.window(key, now);
    const admitted = w.used < this.limit;
    if (admitted) w.used += 1;
    return { admitted, headers: this.headersOf(w, now) };
  }

  /** Uses up `count` slots of the current window (another client of the same key). */
  consume(key: string, count: number, now: number): void {
    const w = this.window(key, now);
    w.used = Math.min(this.limit, w.used + count);
  }

  /** From now on another client of the key uses `count` slots at the start of every window (this one included). */
  shareWith(key: string, count: number, now: number): void {
    const w = this.window(key, now);
    w.used = Math.min(this.limit, w.used + count);
    this.others.set(key, count);
  }

  headers(key: string, now: number): Record<string, string> {
    return this.headersOf(this.window(key, now), now);
  }

  private headersOf(w: { start: number; used: number }, now: number): Record<string, string> {
    return {
      'X-Rate-Limit-Limit': String(this.limit),
      'X-Rate-Limit-Remaining': String(Math.max(0, this.limit - w.used)),
      'X-Rate-Limit-Reset': String(Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000))),
    };
  }
}
