import type { INestApplication } from '@nestjs/common';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createApiApp } from '@shipbatch/app/composition';
import { loadConfig } from '@shipbatch/platform/config';
import { freeTcpPort, type PrivatePostgres, type PrivateRedis, startPrivatePostgres, startPrivateRedis, tempDir } from '@shipbatch/platform/testing';
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

export interface FaultWorker {
  process: ChildProcess;
  output(): string;
}

const ROOT = join(__dirname, '../../../..');

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
  for (let i = 0; i < workers; i++) started.push(await startWorker(env));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    api,
    pg,
    redis,
    databaseUrl,
    workers: started,
    async close() {
      await Promise.all(started.map((w) => stopWorker(w.process)));
      await api.close();
      await redis.close();
      await pg.close();
    },
  };
}

/** apps/worker from its sources (@swc-node/register), waiting until it says it started. */
async function startWorker(env: Record<string, string>): Promise<FaultWorker> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, SWC_NODE_PROJECT: 'apps/api-e2e/tsconfig.child.json', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  for (;;) {
    if (output.includes('Shipbatch worker started')) break;
    if (child.exitCode !== null) throw new Error(`worker process exited (${child.exitCode}) before it started:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { process: child, output: () => output };
}

function stopWorker(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
