/**
 * Provider rate limits per carrier account, shared by every worker (Redis in scale-out,
 * memory in embedded mode). Callers ask before each provider call and honour the answer.
 */
export interface AccountThrottle {
  /**
   * Takes one call from `key`'s budget of `perMinute` calls and answers how many milliseconds
   * to wait before calling: 0 means go now (the call was counted); more than 0 means the
   * budget is spent or the key is paused (nothing was counted: ask again after waiting).
   * Without `perMinute` only pauses apply.
   */
  reserve(key: string, perMinute?: number): Promise<number>;
  /** After a 429 with Retry-After: every worker holds `key` off for `ms` (a longer pause wins). */
  pause(key: string, ms: number): Promise<void>;
}

/** Injection token for the AccountThrottle that QueueModule.forRoot provides. */
export const ACCOUNT_THROTTLE = Symbol('ACCOUNT_THROTTLE');
