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
  const watch = (lost: string[], name: string) => {
    const w = new RedisQueueStateWatch({ redisUrl: redis.url, prefix: 'watch-test', queues: [] });
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
});
