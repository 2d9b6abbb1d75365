import { PACE_HEADROOM, paceIntervalMs } from '@shipbatch/providers/core';
import { MemoryAccountThrottle, RedisAccountThrottle } from '@shipbatch/platform/queue';
import { deleteRedisPrefix, mostInWindow, TEST_REDIS_URL, uniqueRedisPrefix } from '@shipbatch/platform/testing';

/**
 * The providers' pacing interval (`paceIntervalMs`, providers/core) on the queue's throttles
 * (platform/queue): what ThrottlePacer asks of them keeps a provider's published limit, in both
 * modes.
 */
describe('MemoryAccountThrottle at paceIntervalMs', () => {
  const start = 1_700_000_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => start));
  afterEach(() => jest.restoreAllMocks());

  it('puts at most N calls in any 60 s and at most N/6 in any 10 s (N = 200, 2N calls)', async () => {
    const throttle = new MemoryAccountThrottle();
    const perMinute = 200;
    const interval = paceIntervalMs(perMinute);
    const slots: number[] = [];
    for (let i = 0; i < 2 * perMinute; i++) {
      const wait = await throttle.schedule('a', interval, Infinity);
      expect(wait).toBeGreaterThanOrEqual(0);
      slots.push(Date.now() + wait);
    }
    expect(mostInWindow(slots, 60_000)).toBeLessThanOrEqual(perMinute);
    expect(mostInWindow(slots, 10_000)).toBeLessThanOrEqual(Math.floor(perMinute / 6));
    // ...and does not waste the budget: 2N calls take about 2N intervals.
    expect(slots[slots.length - 1] - slots[0]).toBeLessThanOrEqual(Math.ceil((2 * perMinute - 1) * interval));
    expect(mostInWindow(slots, 60_000)).toBeGreaterThanOrEqual(Math.floor(perMinute / PACE_HEADROOM) - 5);
  });
});

/** Redis's clock moves on between two calls: the assertions take ranges [expected - SLACK, expected]. */
const SLACK = 50;

describe('RedisAccountThrottle at paceIntervalMs (Redis on 127.0.0.1)', () => {
  const prefix = uniqueRedisPrefix('shipbatch-test-pacing');
  const throttles: RedisAccountThrottle[] = [];
  const worker = () => {
    const throttle = new RedisAccountThrottle(TEST_REDIS_URL, prefix);
    throttles.push(throttle);
    return throttle;
  };

  afterAll(async () => {
    await Promise.all(throttles.map((t) => t.onApplicationShutdown()));
    await deleteRedisPrefix(prefix);
  });

  const expectBetween = (value: number, [low, high]: readonly [number, number]) => {
    expect(value).toBeGreaterThanOrEqual(low);
    expect(value).toBeLessThanOrEqual(high);
  };

  it('puts at most N calls in any 60 s and at most N/6 in any 10 s (N = 200, 2N calls, two workers)', async () => {
    const workers = [worker(), worker()];
    const perMinute = 200;
    const interval = paceIntervalMs(perMinute);
    // Issued together, so Redis runs them back to back; offsets are taken as of one instant
    // (the clock moving on between them only makes slots look closer together, never further).
    const issued = Date.now();
    const waits = await Promise.all(
      Array.from({ length: 2 * perMinute }, (_, i) => workers[i % 2].schedule('acct-7', interval, Infinity)),
    );
    // The last call's wait is its slot minus the time Redis's clock moved on since the first.
    const spread = Date.now() - issued;
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(0);
    expect(mostInWindow(waits, 60_000)).toBeLessThanOrEqual(perMinute);
    expect(mostInWindow(waits, 10_000)).toBeLessThanOrEqual(Math.floor(perMinute / 6));
    const last = Math.ceil((2 * perMinute - 1) * interval);
    expectBetween(Math.max(...waits), [last - spread - SLACK, last]);
  });
});
