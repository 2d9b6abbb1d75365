import { Client } from 'pg';
import { createTestDatabase } from './test-database';
import { deleteRedisPrefix, uniqueRedisPrefix } from './test-redis';
import Redis from 'ioredis';

describe('test infrastructure', () => {
  it('creates and drops a uniquely named PostgreSQL database', async () => {
    const db = await createTestDatabase('shipbatch_test_infra');
    const c = new Client({ connectionString: db.url });
    await c.connect();
    const [row] = (await c.query('SELECT current_database() AS name')).rows;
    await c.end();
    await db.drop();
    expect(row.name).toBe(db.name);
  });

  it('deletes only the keys under its own Redis prefix', async () => {
    const mine = uniqueRedisPrefix();
    const other = uniqueRedisPrefix();
    const redis = new Redis('redis://127.0.0.1:6379');
    await redis.set(`${mine}:a`, '1');
    await redis.set(`${other}:b`, '1');
    expect(await deleteRedisPrefix(mine)).toBe(1);
    expect(await redis.exists(`${other}:b`)).toBe(1);
    await redis.del(`${other}:b`);
    redis.disconnect();
  });
});
