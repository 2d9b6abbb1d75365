import Redis from 'ioredis';
import { deleteRedisPrefix, TEST_REDIS_URL, uniqueRedisPrefix } from '@shipbatch/platform/testing';
import { RedisAccountThrottle } from './redis-account.throttle';


/**
 * Redis's clock moves on between two calls, so a wait is "its slot minus the time gone by":
 * the assertions take ranges [expected - (ms since the test began) - SLACK, expected], which
 * hold however slowly a loaded machine runs the calls.
 */
const SLACK = 5;
let testStarted = Date.now();
const around = (expected: number) => [expected - (Date.now() - testStarted) - SLACK, expected] as const;

describe('RedisAccountThrottle (Redis on 127.0.0.1)', () => {
  const prefix = uniqueRedisPrefix('shipbatch-test-throttle');
  const throttles: RedisAccountThrottle[] = [];
  const worker = () => {
    const throttle = new RedisAccountThrottle(TEST_REDIS_URL, prefix);
    throttles.push(throttle);
    return throttle;
  };
  const redis = new Redis(TEST_REDIS_URL);
  beforeEach(() => {
    testStarted = Date.now();
  });

  afterAll(async () => {
    await Promise.all(throttles.map((t) => t.onApplicationShutdown()));
    redis.disconnect();
    await deleteRedisPrefix(prefix);
  });

  const expectBetween = (value: number, [low, high]: readonly [number, number]) => {
    expect(value).toBeGreaterThanOrEqual(low);
    expect(value).toBeLessThanOrEqual(high);
  };

  it('spaces consecutive slots one interval apart: 0, I, 2I', async () => {
    const one = worker();
    expect(await one.schedule('acct-1', 1000, 60_000)).toBe(0);
    expectBetween(await one.schedule('acct-1', 1000, 60_000), around(1000));
    expectBetween(await one.schedule('acct-1', 1000, 60_000), around(2000));
    expect(await one.schedule('acct-1b', 1000, 60_000)).toBe(0);
  });

  it('keeps a fractional interval exact: each wait is rounded up to its slot, the schedule is not', async () => {
    const one = worker();
    const issued = Date.now();
    const waits = await Promise.all(Array.from({ length: 101 }, () => one.schedule('acct-9', 303.03, 60_000)));
    const spread = Date.now() - issued;
    expect(waits[0]).toBe(0);
    expectBetween(Math.max(...waits), [30_303 - spread - SLACK, 30_303]);
  });

  it('shares one schedule between two instances on one prefix', async () => {
    const one = worker();
    const two = worker();
    expect(await one.schedule('acct-2', 1000, 60_000)).toBe(0);
    expectBetween(await two.schedule('acct-2', 1000, 60_000), around(1000));
    expectBetween(await one.schedule('acct-2', 1000, 60_000), around(2000));
    expectBetween(await two.schedule('acct-2', 1000, 60_000), around(3000));
  });

  it('reserves nothing when the slot is further than maxWait: the next call gets the same slot', async () => {
    const one = worker();
    const two = worker();
    expect(await one.schedule('acct-3', 10_000, 15_000)).toBe(0);
    expectBetween(await one.schedule('acct-3', 10_000, 15_000), around(10_000));
    expectBetween(-(await one.schedule('acct-3', 10_000, 15_000)), around(20_000));
    expectBetween(-(await two.schedule('acct-3', 10_000, 15_000)), around(20_000));
    expectBetween(await two.schedule('acct-3', 10_000, 60_000), around(20_000));
    expectBetween(-(await one.schedule('acct-3', 10_000, 0)), around(30_000));
  });

  it('applies only pauses with interval 0, and reserves nothing', async () => {
    const one = worker();
    for (let i = 0; i < 20; i++) expect(await one.schedule('acct-4', 0, 60_000)).toBe(0);
    await one.pause('acct-4', 5000);
    expectBetween(await one.schedule('acct-4', 0, 60_000), around(5000));
    expectBetween(await one.schedule('acct-4', 0, 60_000), around(5000));
    expectBetween(-(await one.schedule('acct-4', 0, 1000)), around(5000));
  });

  it('makes every worker hold a paused key off; a shorter pause never shortens the schedule', async () => {
    const one = worker();
    const two = worker();
    await one.pause('acct-5', 5000);
    await two.pause('acct-5', 1);
    expectBetween(await two.schedule('acct-5', 1000, 60_000), around(5000));
    expectBetween(await one.schedule('acct-5', 1000, 60_000), around(6000));
    await two.pause('acct-5', 2000);
    expectBetween(await one.schedule('acct-5', 1000, 60_000), around(7000));
    await one.pause('acct-5', 30_000);
    expectBetween(await two.schedule('acct-5', 1000, 60_000), around(30_000));
    expect(await two.schedule('acct-6', 1000, 60_000)).toBe(0);
  });

  it('keeps one key per budget under the prefix, expiring a little after its next slot', async () => {
    const one = worker();
    await one.schedule('acct-8', 1000, 60_000);
    await one.schedule('acct-8', 1000, 60_000);
    const ttl = await redis.pttl(`${prefix}:throttle:acct-8`);
    expect(ttl).toBeGreaterThan(2000 - (Date.now() - testStarted) - SLACK);
    expect(ttl).toBeLessThanOrEqual(2000 + 1000);
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:throttle:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    expect(keys).toEqual(expect.arrayContaining([`${prefix}:throttle:acct-1`, `${prefix}:throttle:acct-5`]));
    expect(keys.every((key) => /:throttle:acct-\d+b?$/.test(key))).toBe(true);
  });
});
