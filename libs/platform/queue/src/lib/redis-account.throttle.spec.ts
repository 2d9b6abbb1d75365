import Redis from 'ioredis';
import { deleteRedisPrefix, TEST_REDIS_URL, uniqueRedisPrefix } from '@shipbatch/platform/testing';
import { RedisAccountThrottle } from './redis-account.throttle';

describe('RedisAccountThrottle (Redis on 127.0.0.1)', () => {
  const prefix = uniqueRedisPrefix('shipbatch-test-throttle');
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

  it('shares one per-minute budget between workers', async () => {
    const one = worker();
    const two = worker();
    expect(await one.reserve('acct-1', 2)).toBe(0);
    expect(await two.reserve('acct-1', 2)).toBe(0);
    expect(await one.reserve('acct-1', 2)).toBeGreaterThan(0);
    expect(await two.reserve('acct-1', 2)).toBeGreaterThan(0);
    expect(await two.reserve('acct-2', 2)).toBe(0);
  });

  it('applies only pauses when no limit is given', async () => {
    const one = worker();
    for (let i = 0; i < 20; i++) expect(await one.reserve('acct-3')).toBe(0);
  });

  it('makes every worker hold a paused key off, and keeps the longer pause', async () => {
    const one = worker();
    const two = worker();
    await one.pause('acct-4', 60_000);
    await two.pause('acct-4', 1);
    expect(await one.reserve('acct-4')).toBeGreaterThan(1000);
    expect(await two.reserve('acct-4')).toBeGreaterThan(1000);
    expect(await two.reserve('acct-4', 100)).toBeGreaterThan(0);
    expect(await two.reserve('acct-5')).toBe(0);
  });

  it('keeps its keys under the prefix', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:throttle:*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      expect(keys).toEqual(expect.arrayContaining([`${prefix}:throttle:2:acct-1`, `${prefix}:throttle:pause:acct-4`]));
    } finally {
      redis.disconnect();
    }
  });
});
