import { ProviderRateLimitedError, type RateBudget } from '@shipbatch/providers/core';
import { MemoryAccountThrottle } from './memory-account.throttle';
import { ThrottlePacer } from './throttle.pacer';

describe('ThrottlePacer', () => {
  let now = 1_700_000_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  const setup = () => {
    const slept: number[] = [];
    const pacer = new ThrottlePacer(new MemoryAccountThrottle(), async (ms) => void slept.push(ms));
    return { pacer, slept };
  };
  const budget: RateBudget = { key: 'shipstation:abc', perMinute: 60 };

  it('sleeps the wait for its slot (one per paceIntervalMs) and not at all when the slot is now', async () => {
    const { pacer, slept } = setup();
    await pacer.acquire(budget);
    expect(slept).toEqual([]);
    await pacer.acquire(budget);
    await pacer.acquire(budget);
    expect(slept).toEqual([1000, 2000]);
    await pacer.acquire({ key: 'other', perMinute: 60 });
    expect(slept).toEqual([1000, 2000]);
  });

  it('rejects with a paced ProviderRateLimitedError when the slot is further than maxWaitMs, reserving nothing', async () => {
    const { pacer, slept } = setup();
    await pacer.acquire(budget);
    await pacer.acquire(budget);
    const error = await pacer.acquire(budget, { maxWaitMs: 1500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    expect(error).toMatchObject({
      retryAfterMs: 2000,
      details: { paced: true },
      message: 'rate budget shipstation:abc: the next of 60 calls a minute is 2000 ms away',
    });
    expect(slept).toEqual([1000]);
    await pacer.acquire(budget, { maxWaitMs: 2000 });
    expect(slept).toEqual([1000, 2000]);
  });

  it('waits at most DEFAULT_MAX_PACE_WAIT_MS (60 s) by default', async () => {
    const { pacer, slept } = setup();
    const slow: RateBudget = { key: 'slow', perMinute: 1 };
    await pacer.acquire(slow);
    await pacer.acquire(slow);
    expect(slept).toEqual([60_000]);
    await expect(pacer.acquire(slow)).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 120_000 });
  });

  it('forwards pause to the throttle: the budget holds off, even an unpaced one', async () => {
    const { pacer, slept } = setup();
    const unpaced: RateBudget = { key: 'free', perMinute: 0 };
    await pacer.acquire(unpaced);
    await pacer.acquire(unpaced);
    expect(slept).toEqual([]);
    await pacer.pause(unpaced, 5000);
    await pacer.pause(budget, 7000);
    await pacer.acquire(unpaced);
    await pacer.acquire(budget);
    expect(slept).toEqual([5000, 7000]);
    now += 5000;
    await pacer.acquire(unpaced);
    expect(slept).toEqual([5000, 7000]);
  });
});
