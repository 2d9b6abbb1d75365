import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createApiApp, createWorkerContext } from '@shipbatch/app/composition';
import { loadConfig } from '@shipbatch/platform/config';
import { createTestDatabase, deleteRedisPrefix, TEST_REDIS_URL, uniqueRedisPrefix } from '@shipbatch/platform/testing';

export const ADMIN_TOKEN = 'e2e-admin-token';

/** A running service, reached over HTTP as a client would. */
export interface Harness {
  mode: 'embedded' | 'scale-out';
  baseUrl: string;
  api: INestApplication;
  /** Where the queue processors run: the API app itself in embedded mode. */
  worker: INestApplicationContext;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startEmbedded(): Promise<Harness> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'shipbatch-e2e-'));
  const config = loadConfig(
    { DATA_DIR: dataDir, ADMIN_TOKEN, PORT: String(port) },
    { runWorkers: true, reconcileIntervalSeconds: 0 },
  );
  const api = await createApiApp(config, { logger: false });
  await api.listen(port, '127.0.0.1');
  return {
    mode: 'embedded',
    baseUrl: `http://127.0.0.1:${port}`,
    api,
    worker: api,
    close: () => api.close(),
  };
}

export async function startScaleOut(): Promise<Harness> {
  const port = await freePort();
  const db = await createTestDatabase('shipbatch_e2e');
  const prefix = uniqueRedisPrefix('shipbatch-e2e');
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ADMIN_TOKEN,
    PORT: String(port),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'shipbatch-e2e-')),
  };
  const api = await createApiApp(loadConfig(env, { runWorkers: false, reconcileIntervalSeconds: 0 }), { logger: false });
  await api.listen(port, '127.0.0.1');
  const worker = await createWorkerContext(loadConfig(env, { runWorkers: true, reconcileIntervalSeconds: 0 }), {
    logger: false,
  });
  return {
    mode: 'scale-out',
    baseUrl: `http://127.0.0.1:${port}`,
    api,
    worker,
    async close() {
      await api.close();
      await worker.close();
      await db.drop();
      await deleteRedisPrefix(prefix);
    },
  };
}
