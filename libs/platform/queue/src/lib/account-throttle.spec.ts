import { deleteRedisPrefix, TEST_REDIS_URL, uniqueRedisPrefix } from '@shipbatch/platform/testing';
import { MemoryAccountThrottle, RedisAccountThrottle } from './account-throttle';

describe('MemoryAccountThrottle', () => {
  it('lets calls through under the limit and asks to wait above it', async () => {
    const t = new MemoryAccountThrottle();
    expect(await t.reserve('a', 2)).toBe(0);
    expect(await t.reserve('a', 2)).toBe(0);
    expect(await t.reserve('a', 2)).toBeGreaterThan(0);
    expect(await t.reserve('b', 2)).toBe(0);
  });

  it('holds a paused key off', async () => {
    const t = new MemoryAccountThrottle();
    await t.pause('a', 5000);
    expect(await t.reserve('a')).toBeGreaterThan(0);
    expect(await t.reserve('b')).toBe(0);
  });
});

describe('RedisAccountThrottle', () => {
  const prefix = uniqueRedisPrefix('shipbatch-test-throttle');
  afterAll(() => deleteRedisPrefix(prefix));

  it('shares limits and pauses between workers', async () => {
    const one = new RedisAccountThrottle(TEST_REDIS_URL, prefix);
    const two = new RedisAccountThrottle(TEST_REDIS_URL, prefix);
    expect(await one.reserve('acct', 1)).toBe(0);
    expect(await two.reserve('acct', 1)).toBeGreaterThan(0);
    await one.pause('other', 5000);
    expect(await two.reserve('other')).toBeGreaterThan(0);
    await one.onApplicationShutdown();
    await two.onApplicationShutdown();
  });
});
