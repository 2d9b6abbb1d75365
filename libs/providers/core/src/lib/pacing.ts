import { createHash } from 'node:crypto';

/**
 * A provider's rate limit and the key it is shared by. ShipStation limits per API key, so two
 * carrier accounts with the same key share one budget: the key is made from a hash of the
 * credential (`budgetKey`), never the credential itself.
 */
export interface RateBudget {
  key: string;
  perMinute: number;
}

export interface PaceOptions {
  /**
   * The longest this call may wait for its slot. When the slot is further away the call is not
   * made and `acquire` rejects with a ProviderRateLimitedError (details.paced = true,
   * retryAfterMs = the wait), so a purchase job can give its shipments back instead of
   * holding a worker slot idle. Default: 60 s.
   */
  maxWaitMs?: number;
}

/**
 * Paces provider calls before the provider's 429, across every worker (Redis in scale-out,
 * memory in embedded mode). Requests are spread evenly: one slot every `paceIntervalMs(N)`,
 * so at most N in any 60 s and at most N/6 in any 10 s. Adapters call it before every request
 * (purchases, lookups, balance checks, top-ups, validation alike).
 */
export interface ProviderPacer {
  /** Waits for this call's slot in the budget, or rejects as described in PaceOptions. */
  acquire(budget: RateBudget, options?: PaceOptions): Promise<void>;
  /** After a 429 with Retry-After: every worker holds the budget off for `ms` (a longer pause wins). */
  pause(budget: RateBudget, ms: number): Promise<void>;
}

/** A pacer that never waits: for tests and for providers without a published limit. */
export const UNPACED: ProviderPacer = {
  acquire: async () => undefined,
  pause: async () => undefined,
};

/** The default longest wait for a slot. */
export const DEFAULT_MAX_PACE_WAIT_MS = 60_000;

/**
 * How much slower than the published limit calls are spaced. Calls leave on schedule but reach
 * the provider after varying delays (network, event loop), so a schedule at exactly N a minute
 * puts N + 1 in some of the provider's 60 s windows now and then: bench:providers at 1,200 a
 * minute saw 0.45 % of its requests answered 429 without headroom.
 */
export const PACE_HEADROOM = 1.02;

/**
 * Milliseconds between two calls of a budget of `perMinute` calls: evenly spread, never more
 * than floor(N/6) in any 10 s, and PACE_HEADROOM slower than the limit (so for N = 200 one
 * call every 309 ms, at most 194 a minute).
 */
export function paceIntervalMs(perMinute: number): number {
  if (!(perMinute > 0)) return 0;
  const perTenSeconds = Math.floor(perMinute / 6);
  return Math.max(60_000 / perMinute, perTenSeconds > 0 ? 10_000 / perTenSeconds : 0) * PACE_HEADROOM;
}

/**
 * The budget key for a provider's credential(s): `<provider>:<first 32 hex of sha256>`. The same
 * credential always gives the same key, in every process; the credential cannot be read back.
 */
export function budgetKey(provider: string, ...credentials: string[]): string {
  const hash = createHash('sha256');
  for (const c of credentials) hash.update(c).update('\u0000');
  return `${provider}:${hash.digest('hex').slice(0, 32)}`;
}
