import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Consumes one point; answers 0 when granted, else the milliseconds until the window frees up. */
export async function consumePoint(limiter: RateLimiterAbstract, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, rejection.msBeforeNext);
    throw rejection;
  }
}
