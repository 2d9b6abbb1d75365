import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createApiApp, createWorkerContext } from '@shipbatch/app/composition';
import { loadConfig } from '@shipbatch/platform/config';
import { createTestDatabase, deleteRedisPrefix, tempDir, TEST_REDIS_URL, uniqueRedisPrefix } from '@shipbatch/platform/testing';
import { type ChildApp, startChildApp } from './child-process';
import { freePort } from './free-port';

export const ADMIN_TOKEN = 'e2e-admin-token';

/** A running service, reached over HTTP as a client would. */
export interface Harness {
  mode: 'embedded' | 'scale-out';
  baseUrl: string;
  api: INestApplication;
  /** Where the queue processors run: the API app itself in embedded mode (and, running none, with `inProcessWorker: false`). */
  worker: INestApplicationContext;
  /** Worker processes started with `childWorkers` (scale-out only): real processes that can be killed. */
  children: ChildWorker[];
  /** Starts one more worker process on the same database, Redis prefix and environment, `env` added (its own DATA_DIR, say). */
  spawnWorker(env?: Record<string, string>): Promise<ChildWorker>;
  /** Scale-out: starts one more API process (apps/api, no workers) on the same database, Redis prefix and environment, on a port of its own, `env` added. */
  spawnApi(env?: Record<string, string>): Promise<ChildApi>;
  /** Stops everything it started and removes what it made: its DATA_DIR, and in scale-out its database and Redis keys. */
  close(): Promise<void>;
}

/** Extra environment (provider base URLs and the like) and, in scale-out, worker processes. */
export interface HarnessOptions {
  env?: Record<string, string>;
  /** Scale-out: run this many workers as child processes (killable with SIGKILL) besides the in-process one. */
  childWorkers?: number;
  /**
   * Scale-out: `false` starts no worker in this process, so only the `childWorkers` (and the ones
   * `spawnWorker()` adds) take jobs, and a test knows which process does the work. `worker` is
   * then the API app (it runs no processors). Default true.
   */
  inProcessWorker?: boolean;
}

/** A worker process running apps/worker from its TypeScript sources (through @swc-node/register). */
export type ChildWorker = ChildApp;

/** An API process running apps/api from its TypeScript sources, at `baseUrl`. */
export interface ChildApi extends ChildApp {
  baseUrl: string;
}


export async function startEmbedded(options: HarnessOptions = {}): Promise<Harness> {
  const port = await freePort();
  const dataDir = tempDir('shipbatch-e2e-');
  const config = loadConfig(
    { ...options.env, DATA_DIR: dataDir, ADMIN_TOKEN, PORT: String(port) },
    { runWorkers: true, reconcileIntervalSeconds: 0 },
  );
  const api = await createApiApp(config, { logger: false });
  await api.listen(port, '127.0.0.1');
  return {
    mode: 'embedded',
    baseUrl: `http://127.0.0.1:${port}`,
    api,
    worker: api,
    children: [],
    spawnWorker: () => Promise.reject(new Error('embedded mode runs its workers in the API process')),
    spawnApi: () => Promise.reject(new Error('embedded mode runs one API process per DATA_DIR')),
    async close() {
      await api.close(); // closes the embedded database first
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startScaleOut(options: HarnessOptions = {}): Promise<Harness> {
  const port = await freePort();
  const db = await createTestDatabase('shipbatch_e2e');
  const prefix = uniqueRedisPrefix('shipbatch-e2e');
  const env = {
    ...options.env,
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ADMIN_TOKEN,
    PORT: String(port),
    DATA_DIR: tempDir('shipbatch-e2e-'),
  };
  const api = await createApiApp(loadConfig(env, { runWorkers: false, reconcileIntervalSeconds: 0 }), { logger: false });
  await api.listen(port, '127.0.0.1');
  const inProcess =
    options.inProcessWorker === false
      ? undefined
      : await createWorkerContext(loadConfig(env, { runWorkers: true, reconcileIntervalSeconds: 0 }), { logger: false });
  const worker = inProcess ?? api;
  const children: ChildWorker[] = [];
  const spawnWorker = async (extra: Record<string, string> = {}) => {
    const child = await startChildWorker({ ...env, ...extra });
    children.push(child);
    return child;
  };
  for (let i = 0; i < (options.childWorkers ?? 0); i++) await spawnWorker();
  const apis: ChildApi[] = [];
  const spawnApi = async (extra: Record<string, string> = {}) => {
    const apiPort = await freePort();
    const child = await startChildApp('api', { ...env, ...extra, PORT: String(apiPort) }, /Shipbatch API \(scale-out\) listening on/);
    const childApi = { ...child, baseUrl: `http://127.0.0.1:${apiPort}` };
    apis.push(childApi);
    return childApi;
  };
  return {
    mode: 'scale-out',
    baseUrl: `http://127.0.0.1:${port}`,
    api,
    worker,
    children,
    spawnWorker,
    spawnApi,
    async close() {
      await Promise.all([...children, ...apis].map((c) => c.kill()));
      await api.close();
      await inProcess?.close();
      await db.drop();
      await deleteRedisPrefix(prefix);
      rmSync(env.DATA_DIR, { recursive: true, force: true });
    },
  };
}

/** Starts apps/worker as its own process and waits until it says it started; `env` may override the short leases below. */
function startChildWorker(env: Record<string, string>): Promise<ChildWorker> {
  return startChildApp(
    'worker',
    { RECONCILE_INTERVAL_SECONDS: '1', PURCHASE_LEASE_SECONDS: '10', NATIVE_BATCH_LEASE_SECONDS: '10', ...env },
    /Shipbatch worker started/,
  );
}
