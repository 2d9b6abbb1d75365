/** What the limiter says about one request. */
export interface RequestLimitVerdict {
  /** Whether the request is within its key's budget (false: answer 429). */
  allowed: boolean;
  /** Requests a window allows (`X-RateLimit-Limit`). */
  limit: number;
  /** Requests left in the current window after this one (`X-RateLimit-Remaining`, never below 0). */
  remaining: number;
  /** Whole seconds until the window resets, at least 1 (`X-RateLimit-Reset`, and `Retry-After` on a 429). */
  resetSeconds: number;
}

/**
 * Counts requests by key (a tenant, or a client address) in fixed one-minute windows shared by
 * every API process. `take` counts one request; it answers null when the shared store cannot be
 * reached, and the caller then serves the request unlimited (fail open).
 */
export interface RequestLimiter {
  readonly limit: number;
  take(key: string): Promise<RequestLimitVerdict | null>;
}
