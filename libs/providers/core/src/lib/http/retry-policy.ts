/**
 * How the transport repeats a request that failed for a passing reason (a refused or reset
 * connection, a timeout, a 5xx or 408), when repeating it is safe: the request is idempotent,
 * or it never reached the provider.
 */
export interface RetryPolicy {
  /** Tries in all, the first included; 1 never repeats. */
  attempts: number;
  /** The wait before the second try, doubled before each next one (with jitter). */
  baseDelayMs: number;
  /** The longest wait between two tries; a `Retry-After` longer than this ends the tries. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { attempts: 3, baseDelayMs: 250, maxDelayMs: 5_000 };

/** The policy with `overrides` over the defaults; attempts at least 1, delays at least 0. */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const p = { ...DEFAULT_RETRY_POLICY, ...overrides };
  return {
    attempts: Math.max(1, Math.floor(p.attempts)),
    baseDelayMs: Math.max(0, p.baseDelayMs),
    maxDelayMs: Math.max(0, p.maxDelayMs),
  };
}

/**
 * The wait before try `attempt + 1` after try `attempt` failed, or undefined when there is to
 * be none: the tries are used up, or the provider asked for a longer wait than `maxDelayMs`.
 * Exponential from `baseDelayMs`, the upper half jittered, and never shorter than the
 * provider's `Retry-After`.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs?: number, random: () => number = Math.random): number | undefined {
  if (attempt >= policy.attempts) return undefined;
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxDelayMs) return undefined;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = backoff / 2 + (random() * backoff) / 2;
  return Math.ceil(Math.max(jittered, retryAfterMs ?? 0));
}
