import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createApiApp } from '@shipbatch/app/composition';
import { loadConfig } from '@shipbatch/platform/config';
import { freeTcpPort, type PrivatePostgres, type PrivateRedis, startPrivatePostgres, startPrivateRedis, tempDir } from '@shipbatch/platform/testing';
import { type ChildApp, startChildApp } from '../child-process';
import { ADMIN_TOKEN } from '../harness';

/**
 * Scale-out on a PostgreSQL cluster and a redis-server of the test's own (never the machine's
 * shared ones), which the test stops, restarts and flushes: the API in this process, the workers
 * as child processes with the service's default reconcile interval and purchase lease (so a
 * recovery cannot come from a 1 s reconcile tick).
 */
export interface FaultHarness {
  baseUrl: string;
  api: INestApplication;
  pg: PrivatePostgres;
  redis: PrivateRedis;
  databaseUrl: string;
  workers: FaultWorker[];
  close(): Promise<void>;
}

/** A worker process (apps/worker from its sources). */
export type FaultWorker = ChildApp;

export async function startFaultHarness(workers = 2): Promise<FaultHarness> {
  const pg = await startPrivatePostgres();
  const redis = await startPrivateRedis();
  const databaseUrl = await pg.createDatabase('shipbatch_faults');
  const port = await freeTcpPort();
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'shipbatch-faults',
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ADMIN_TOKEN,
    PORT: String(port),
    DATA_DIR: tempDir('shipbatch-faults-'),
  };
  const api = await createApiApp(loadConfig(env, { runWorkers: false, reconcileIntervalSeconds: 0 }), { logger: false });
  await api.listen(port, '127.0.0.1');
  const started: FaultWorker[] = [];
  for (let i = 0; i < workers; i++) started.push(await startChildApp('worker', env, /Shipbatch worker started/));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    api,
    pg,
    redis,
    databaseUrl,
    workers: started,
    async close() {
      await Promise.all(started.map((w) => w.kill()));
      await api.close();
      await redis.close();
      await pg.close();
    },
  };
}
