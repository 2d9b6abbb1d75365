import { type PrivateRedis, startPrivateRedis } from '@shipbatch/platform/testing';
import { RedisQueueStateWatch } from './redis-queue-state.watch';

/** Once every watch is connected, each looks once; answers what each found. */
async function looked(watches: RedisQueueStateWatch[]): Promise<boolean[]> {
  for (;;) {
    const found = await Promise.all(watches.map((w) => w.check()));
    if (watches.every((w) => (w as unknown as { redis?: { status: string } }).redis?.status === 'ready')) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('RedisQueueStateWatch (a private redis-server)', () => {
  let redis: PrivateRedis;
  const watches: RedisQueueStateWatch[] = [];
  const watch = (lost: string[], name: string, prefix = 'watch-test', url = redis.url) => {
    const w = new RedisQueueStateWatch({ redisUrl: url, prefix, queues: [] });
    w.onLost(() => lost.push(name));
    watches.push(w);
    return w;
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(async () => {
    await Promise.all(watches.map((w) => w.onApplicationShutdown()));
    await redis.close();
  });

  it('tells one of the processes watching a prefix, once, when Redis is flushed or restarted empty; never at the first look', async () => {
    const lost: string[] = [];
    const a = watch(lost, 'a');
    const b = watch(lost, 'b');
    await looked([a, b]);
    await looked([a, b]);
    expect(lost).toEqual([]);

    await redis.flush();
    await looked([a, b]);
    expect(lost).toHaveLength(1);
    await looked([a, b]);
    expect(lost).toHaveLength(1);

    await redis.stop();
    await redis.start();
    // Each reconnects on its own (`ready` looks at once); the interval looks too.
    for (let i = 0; i < 200 && lost.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    await looked([a, b]);
    expect(lost).toHaveLength(2);
  });

  it('answers at the first look whether the state was kept: not on a new or flushed prefix, yes for a process joining others', async () => {
    const lost: string[] = [];
    const first = watch(lost, 'first', 'kept-test');
    expect(await first.keptAtStart(10_000)).toBe(false);
    const joining = watch(lost, 'joining', 'kept-test');
    expect(await joining.keptAtStart(10_000)).toBe(true);
    await redis.flush();
    const afterFlush = watch(lost, 'after-flush', 'kept-test');
    expect(await afterFlush.keptAtStart(10_000)).toBe(false);
    // Asked again, the same answer: it is the first look's.
    expect(await joining.keptAtStart(10_000)).toBe(true);
  });

  it('answers not kept when Redis cannot be reached in time (everything is rung again: the safe side)', async () => {
    const down = watch([], 'down', 'kept-test', 'redis://127.0.0.1:1');
    expect(await down.keptAtStart(300)).toBe(false);
  });
});
