import { paceIntervalMs, ProviderRateLimitedError, type RateBudget } from '@shipbatch/providers/core';
import { MemoryAccountThrottle } from '@shipbatch/platform/queue';
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
  /** One slot of `budget`: a second, with the pacing headroom. */
  const I = Math.ceil(paceIntervalMs(60));

  it('sleeps the wait for its slot (one per paceIntervalMs) and not at all when the slot is now', async () => {
    const { pacer, slept } = setup();
    await pacer.acquire(budget);
    expect(slept).toEqual([]);
    await pacer.acquire(budget);
    await pacer.acquire(budget);
    expect(slept).toEqual([I, 2 * I]);
    await pacer.acquire({ key: 'other', perMinute: 60 });
    expect(slept).toEqual([I, 2 * I]);
  });

  it('rejects with a paced ProviderRateLimitedError when the slot is further than maxWaitMs, reserving nothing', async () => {
    const { pacer, slept } = setup();
    await pacer.acquire(budget);
    await pacer.acquire(budget);
    const error = await pacer.acquire(budget, { maxWaitMs: 1500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    expect(error).toMatchObject({
      retryAfterMs: 2 * I,
      details: { paced: true },
      message: `rate budget shipstation:abc: the next of 60 calls a minute is ${2 * I} ms away`,
    });
    expect(slept).toEqual([I]);
    await pacer.acquire(budget, { maxWaitMs: 2 * I });
    expect(slept).toEqual([I, 2 * I]);
  });

  it('waits at most DEFAULT_MAX_PACE_WAIT_MS (60 s) by default', async () => {
    const { pacer, slept } = setup();
    const slow: RateBudget = { key: 'slow', perMinute: 2 };
    const slot = Math.ceil(paceIntervalMs(2));
    await pacer.acquire(slow);
    await pacer.acquire(slow);
    expect(slept).toEqual([slot]);
    await expect(pacer.acquire(slow)).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 2 * slot });
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
