import { SlidingWindowRateLimiter } from './sliding-window.rate-limiter';

describe('SlidingWindowRateLimiter', () => {
  it('admits `limit` requests in any window per key and says when a slot frees', () => {
    const limiter = new SlidingWindowRateLimiter(2, 60_000);
    expect(limiter.admit('a', 1_000)).toEqual({ admitted: true });
    expect(limiter.admit('a', 30_000)).toEqual({ admitted: true });
    expect(limiter.admit('b', 30_000)).toEqual({ admitted: true });
    expect(limiter.admit('a', 40_500)).toEqual({ admitted: false, retryAfterSeconds: 21 });
    // A refused request takes no slot: the first one leaves the window at 61 000.
    expect(limiter.admit('a', 60_999)).toEqual({ admitted: false, retryAfterSeconds: 1 });
    expect(limiter.admit('a', 61_000)).toEqual({ admitted: true });
    expect(limiter.admit('a', 61_001)).toEqual({ admitted: false, retryAfterSeconds: 29 });
  });

  it('refuses a limit that is not positive', () => {
    expect(() => new SlidingWindowRateLimiter(0)).toThrow(/positive/);
  });
});
