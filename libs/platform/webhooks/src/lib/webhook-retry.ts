/** How long a delivery keeps being retried after its first attempt: the contract's 24 hours. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface RetryDelayOptions {
  /** Delay after the first failed attempt, before jitter. Default 10 s. */
  baseMs?: number;
  /** Largest delay. Default 1 h. */
  maxMs?: number;
  /** Fraction of the delay taken off at random, spreading receivers' retries. Default 0.2. */
  jitter?: number;
  /** Uniform in [0, 1). Default `Math.random`; inject for deterministic tests. */
  random?: () => number;
}

/**
 * Delay before the next attempt, after attempt number `attempt` (1 = the first attempt) failed:
 * exponential, `baseMs × 2^(attempt-1)` capped at `maxMs`, minus up to 20 % jitter, so it lies
 * in `[0.8 × nominal, nominal]` and never exceeds `maxMs`. With the defaults: about 10 s, 20 s,
 * 40 s, ... 42 min, then 1 h apart (in every case at least 8 s, at most 1 h).
 */
export function retryDelayMs(attempt: number, options: RetryDelayOptions = {}): number {
  const { baseMs = 10_000, maxMs = 3_600_000, jitter = 0.2, random = Math.random } = options;
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer >= 1, got ${attempt}`);
  if (!(baseMs > 0) || !(maxMs >= baseMs)) throw new RangeError('retryDelayMs: need 0 < baseMs <= maxMs');
  if (!(jitter >= 0 && jitter < 1)) throw new RangeError('retryDelayMs: jitter must be in [0, 1)');
  // 2 ** 1100 is Infinity, which the cap turns into maxMs.
  const nominal = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.max(1, Math.round(nominal * (1 - jitter * r)));
}

/**
 * True once a delivery first attempted at `firstAttemptAt` has been retried for the whole
 * window: call it after an attempt fails; when true, mark the delivery `failed` instead of
 * scheduling another attempt.
 */
export function shouldGiveUp(firstAttemptAt: Date, now: Date, windowMs: number = RETRY_WINDOW_MS): boolean {
  return now.getTime() - firstAttemptAt.getTime() >= windowMs;
}
