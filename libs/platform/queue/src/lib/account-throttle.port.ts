/**
 * Provider rate limits per budget key (a carrier account's credential), shared by every worker
 * (Redis in scale-out, memory in embedded mode). An even-spacing scheduler (virtual scheduling,
 * as in GCRA): each key has one "next free slot" time; a call takes the slot and moves it on by
 * the interval, so calls are spread evenly and at most one falls in any interval.
 */
export interface AccountThrottle {
  /**
   * Reserves the next slot of `key`, spaced exactly `intervalMs` apart (fractions of a ms kept,
   * so N slots take N intervals), and answers how long to wait for it, rounded up to whole ms:
   *
   * - `>= 0`: the slot is reserved; sleep that many ms, then send.
   * - `< 0`: the slot is more than `maxWaitMs` away; nothing was reserved and the slot is
   *   `-answer` ms away (at least 1).
   *
   * `intervalMs` 0 means unpaced: only pauses apply (their wait is answered, nothing is
   * reserved; a pause longer than `maxWaitMs` is answered negative as well).
   */
  schedule(key: string, intervalMs: number, maxWaitMs: number): Promise<number>;
  /**
   * After a 429 with Retry-After: no slot of `key` is given out before `ms` from now, to any
   * worker. A longer pause (or a schedule already further out) wins; a pause never shortens.
   */
  pause(key: string, ms: number): Promise<void>;
}

