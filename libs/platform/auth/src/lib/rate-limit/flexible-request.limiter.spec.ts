import Redis from 'ioredis';
import { deleteRedisPrefix, eventually, freeTcpPort, type PrivateRedis, startPrivateRedis, TEST_REDIS_URL, uniqueRedisPrefix } from '@shipbatch/platform/testing';
import { FlexibleRequestLimiter, type FlexibleRequestLimiterOptions } from './flexible-request.limiter';
import { isExemptFromRequestLimits } from './rate-limit.middleware';

/** Nest's Logger stand-in: what the limiter said. */
function recorder() {
  const lines: Array<{ level: 'warn' | 'log'; message: string }> = [];
  return { lines, logger: { warn: (message: string) => lines.push({ level: 'warn', message }), log: (message: string) => lines.push({ level: 'log', message }) } };
}

const limiters: FlexibleRequestLimiter[] = [];
function limiter(options: FlexibleRequestLimiterOptions): FlexibleRequestLimiter {
  const l = new FlexibleRequestLimiter(options);
  limiters.push(l);
  return l;
}
afterEach(async () => {
  await Promise.all(limiters.splice(0).map((l) => l.onApplicationShutdown()));
});

describe('FlexibleRequestLimiter in memory (embedded mode)', () => {
  it('lets a key make its limit of requests a minute, then refuses it until the window resets, other keys apart', async () => {
    const l = limiter({ limitPerMinute: 3, keyPrefix: 'test' });
    expect(l.store).toBe('memory');
    const answers = [await l.take('tenant:a'), await l.take('tenant:a'), await l.take('tenant:a'), await l.take('tenant:a')];
    expect(answers.map((a) => [a?.allowed, a?.limit, a?.remaining])).toEqual([
      [true, 3, 2],
      [true, 3, 1],
      [true, 3, 0],
      [false, 3, 0],
    ]);
    for (const a of answers) {
      expect(a?.resetSeconds).toBeGreaterThanOrEqual(1);
      expect(a?.resetSeconds).toBeLessThanOrEqual(60);
    }
    expect(await l.take('tenant:b')).toMatchObject({ allowed: true, remaining: 2 });
    expect(await l.take('ip:127.0.0.1')).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => new FlexibleRequestLimiter({ limitPerMinute: 0, keyPrefix: 'x' })).toThrow(/positive whole number/);
    expect(() => new FlexibleRequestLimiter({ limitPerMinute: 1.5, keyPrefix: 'x' })).toThrow(/positive whole number/);
  });
});

describe('FlexibleRequestLimiter on Redis (scale-out)', () => {
  const prefix = uniqueRedisPrefix('shipbatch-test-ratelimit');
  afterAll(() => deleteRedisPrefix(prefix));

  it('shares one budget between limiters on the same Redis and prefix (two API processes), keyed under the prefix', async () => {
    const one = limiter({ limitPerMinute: 4, redisUrl: TEST_REDIS_URL, keyPrefix: `${prefix}:ratelimit` });
    const two = limiter({ limitPerMinute: 4, redisUrl: TEST_REDIS_URL, keyPrefix: `${prefix}:ratelimit` });
    expect(await one.connected(5_000)).toBe(true);
    expect(await two.connected(5_000)).toBe(true);
    expect(one.store).toBe('redis');
    const seen = [await one.take('tenant:t1'), await two.take('tenant:t1'), await one.take('tenant:t1'), await two.take('tenant:t1'), await one.take('tenant:t1')];
    expect(seen.map((a) => [a?.allowed, a?.remaining])).toEqual([
      [true, 3],
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(seen[4]?.resetSeconds).toBeGreaterThanOrEqual(1);
    expect(seen[4]?.resetSeconds).toBeLessThanOrEqual(60);
    expect(await two.take('tenant:t2')).toMatchObject({ allowed: true, remaining: 3 });

    const redis = new Redis(TEST_REDIS_URL);
    try {
      expect(await redis.get(`${prefix}:ratelimit:tenant:t1`)).toBe('5');
      const ttl = await redis.pttl(`${prefix}:ratelimit:tenant:t1`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      redis.disconnect();
    }
  });

  it('fails open when Redis cannot be reached: every request served (null), one warning a period', async () => {
    const { lines, logger } = recorder();
    const port = await freeTcpPort(); // nothing listens there
    const l = limiter({ limitPerMinute: 1, redisUrl: `redis://127.0.0.1:${port}`, keyPrefix: 'x', logger, warnEveryMs: 60_000 });
    expect(await l.connected(200)).toBe(false);
    const answers = await Promise.all(Array.from({ length: 20 }, () => l.take('tenant:a')));
    expect(answers).toEqual(Array(20).fill(null));
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/request limits are not enforced while Redis cannot be reached/);
  });
});

describe('FlexibleRequestLimiter when Redis restarts (a private redis-server)', () => {
  let redis: PrivateRedis | undefined;
  afterAll(() => redis?.close());

  it('serves requests unlimited while Redis is down and counts again once it is back, saying so', async () => {
    redis = await startPrivateRedis();
    const { lines, logger } = recorder();
    const l = limiter({ limitPerMinute: 2, redisUrl: redis.url, keyPrefix: 'x', logger, warnEveryMs: 60_000 });
    expect(await l.connected(5_000)).toBe(true);
    expect(await l.take('tenant:a')).toMatchObject({ allowed: true, remaining: 1 });

    await redis.stop();
    await eventually(() => l.take('tenant:a'), (answer) => answer === null, { attempts: 100, intervalMs: 50 });
    expect(lines.filter((line) => line.level === 'warn')).toHaveLength(1);

    await redis.start(); // its data is gone: a new window
    const back = await eventually(() => l.take('tenant:a'), (answer) => answer !== null, { attempts: 200, intervalMs: 50 });
    expect(back).toMatchObject({ allowed: true, remaining: 1 });
    expect(await l.take('tenant:a')).toMatchObject({ allowed: true, remaining: 0 });
    expect(await l.take('tenant:a')).toMatchObject({ allowed: false, remaining: 0 });
    expect(lines.filter((line) => line.level === 'log').map((line) => line.message)).toEqual([expect.stringMatching(/request limits count again: Redis answers/)]);
  });
});

describe('isExemptFromRequestLimits', () => {
  it('exempts /health, /health/*, /metrics and the local routes, as the router matches them', () => {
    for (const path of ['/health', '/health/', '/HEALTH', '/health/live', '/health/ready', '/metrics', '/metrics/', '/local/api_keys']) {
      expect([path, isExemptFromRequestLimits(path)]).toEqual([path, true]);
    }
    for (const path of ['/', '/batches', '/healthz', '/metricsx', '/admin/tenants', '/files/labels/x.pdf', '/docs-json', '/v2/labels']) {
      expect([path, isExemptFromRequestLimits(path)]).toEqual([path, false]);
    }
  });
});
