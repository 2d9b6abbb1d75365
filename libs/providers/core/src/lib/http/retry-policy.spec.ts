import { DEFAULT_RETRY_POLICY, retryDelayMs, retryPolicy } from './retry-policy';

describe('retry policy', () => {
  const policy = retryPolicy({ attempts: 4, baseDelayMs: 100, maxDelayMs: 300 });

  it('doubles the wait from the base, caps it, and jitters its upper half', () => {
    expect([1, 2, 3].map((n) => retryDelayMs(policy, n, undefined, () => 1))).toEqual([100, 200, 300]);
    expect([1, 2, 3].map((n) => retryDelayMs(policy, n, undefined, () => 0))).toEqual([50, 100, 150]);
  });

  it('stops when the tries are used up', () => {
    expect(retryDelayMs(policy, 4, undefined, () => 1)).toBeUndefined();
    expect(retryDelayMs(retryPolicy({ attempts: 1 }), 1)).toBeUndefined();
  });

  it("waits at least the provider's Retry-After, and not at all past the longest wait", () => {
    expect(retryDelayMs(policy, 1, 250, () => 0)).toBe(250);
    expect(retryDelayMs(policy, 1, 301, () => 0)).toBeUndefined();
  });

  it('defaults to 3 tries and keeps nonsense out', () => {
    expect(retryPolicy()).toEqual(DEFAULT_RETRY_POLICY);
    expect(retryPolicy({ attempts: 0, baseDelayMs: -1, maxDelayMs: -5 })).toEqual({ attempts: 1, baseDelayMs: 0, maxDelayMs: 0 });
  });
});
