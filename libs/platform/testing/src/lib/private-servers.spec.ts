import Redis from 'ioredis';
import { Client } from 'pg';
import { startPrivatePostgres } from './private-postgres';
import { startPrivateRedis } from './private-redis';

describe('private servers for fault tests', () => {
  it('startPrivatePostgres: a cluster of its own that stops, starts again with its data, and closes', async () => {
    const pg = await startPrivatePostgres();
    try {
      expect(pg.port).not.toBe(5432);
      const url = await pg.createDatabase('faults_check');
      const query = async (sql: string) => {
        const c = new Client({ connectionString: url });
        c.on('error', () => undefined);
        await c.connect().catch(async (error: unknown) => {
          await c.end().catch(() => undefined);
          throw error;
        });
        try {
          return (await c.query(sql)).rows;
        } finally {
          await c.end();
        }
      };
      await query('CREATE TABLE t (v int); INSERT INTO t VALUES (7)');
      await pg.stop();
      await expect(query('SELECT 1')).rejects.toThrow();
      await pg.start();
      expect(await query('SELECT v FROM t')).toEqual([{ v: 7 }]);
    } finally {
      await pg.close();
    }
  });

  it('startPrivateRedis: a server of its own that loses its keys when restarted or flushed', async () => {
    const redis = await startPrivateRedis();
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    try {
      expect(redis.port).not.toBe(6379);
      await client.set('k', 'v');
      await redis.stop();
      await redis.start();
      expect(await client.get('k')).toBeNull();
      await client.set('k', 'v');
      await redis.flush();
      expect(await client.get('k')).toBeNull();
    } finally {
      await client.quit();
      await redis.close();
    }
  });
});
