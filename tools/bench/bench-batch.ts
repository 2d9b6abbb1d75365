/**
 * npm run bench:batch — a batch of 10,000 shipments on the mock provider (zero latency),
 * embedded and scale-out. Prints: time for POST /batches to answer, time to VALID, time to
 * PURCHASED, labels per second, and the peak RSS of each process. A script that prints
 * figures, never a test. Needs PostgreSQL and Redis on 127.0.0.1 for the scale-out run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';

const SHIPMENTS = Number(process.env['BENCH_SHIPMENTS'] ?? 10_000);
const PG_ADMIN = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ADMIN_TOKEN = 'bench-admin';
// Compiled to dist/out-tsc/tools/bench: the workspace root is four levels up.
const root = resolve(__dirname, '../../../..');
const run = join(root, 'tools/scripts/run.js');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** Peak resident set size (VmHWM) of a live process, in MB. */
function peakRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/** Extra node flags for a process, e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
function nodeArgs(name: 'API' | 'WORKER'): string[] {
  return (process.env[`BENCH_${name}_NODE_ARGS`] ?? '').split(' ').filter(Boolean);
}

function start(entry: string, env: Record<string, string>, args: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...args, run, entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') {
      console.error(`${entry} exited with ${code ?? signal}`);
      process.exit(1);
    }
  });
  return child;
}

async function http(base: string, method: string, path: string, key?: string, body?: unknown) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (key) headers['Authorization'] = key.startsWith('Bearer ') ? key : `ShippoToken ${key}`;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean, everyMs = 100, limitMs = 600_000): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    try {
      const v = await probe();
      if (done(v)) return v;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) throw new Error('gave up waiting');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function shipments(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    shipment: {
      address_from: { name: 'Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' },
      address_to: { name: `Customer ${i}`, street1: `${i} Mission St`, city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' },
      parcels: [{ length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' }],
      metadata: `order ${i}`,
    },
  }));
}

async function flow(base: string, processes: Array<[string, ChildProcess]>) {
  await waitFor(() => http(base, 'GET', '/health'), () => true);
  const { api_key: key } = await http(base, 'POST', '/admin/tenants', `Bearer ${ADMIN_TOKEN}`, { name: 'bench' });
  const account = await http(base, 'POST', '/carrier_accounts', key, {
    provider: 'mock',
    carrier: 'usps',
    account_id: 'bench',
    parameters: { latency_ms: 0, initial_balance: 100_000_000 },
  });
  const body = { default_carrier_account: account.object_id, default_servicelevel_token: 'usps_priority', batch_shipments: shipments(SHIPMENTS) };

  const t0 = Date.now();
  const created = await http(base, 'POST', '/batches', key, body);
  const tAnswer = Date.now() - t0;
  const valid = await waitFor(() => http(base, 'GET', `/batches/${created.object_id}`, key), (b) => b.object_status !== 'VALIDATING');
  const tValid = Date.now() - t0;
  if (valid.object_status !== 'VALID') throw new Error(`batch is ${valid.object_status}`);
  const t1 = Date.now();
  await http(base, 'POST', `/batches/${created.object_id}/purchase`, key);
  const done = await waitFor(() => http(base, 'GET', `/batches/${created.object_id}`, key), (b) => b.object_status === 'PURCHASED', 250);
  const tPurchase = Date.now() - t1;
  return {
    answer_ms: tAnswer,
    valid_ms: tValid,
    purchased_ms: tPurchase,
    labels_per_second: Math.round((done.object_results.purchase_succeeded / tPurchase) * 1000),
    purchase_succeeded: done.object_results.purchase_succeeded,
    peak_rss_mb: Object.fromEntries(processes.map(([name, p]) => [name, peakRssMb(p.pid)])),
  };
}

function stop(p: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (p.exitCode !== null) return ok();
    p.once('exit', () => ok());
    p.kill('SIGTERM');
  });
}

async function embedded() {
  const port = await freePort();
  const api = start('apps/api/src/main.js', { PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), 'shipbatch-bench-')), ADMIN_TOKEN, DATABASE_URL: '', REDIS_URL: '' });
  try {
    return await flow(`http://127.0.0.1:${port}`, [['api+workers', api]]);
  } finally {
    await stop(api);
  }
}

async function scaleOut() {
  const name = `shipbatch_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  const prefix = `shipbatch-bench-${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const env = {
    DATABASE_URL: url.toString(),
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ADMIN_TOKEN,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'shipbatch-bench-')),
  };
  const api = start('apps/api/src/main.js', { ...env, PORT: String(port) }, nodeArgs('API'));
  // Start the worker once the API has migrated the database.
  await waitFor(() => http(`http://127.0.0.1:${port}`, 'GET', '/health'), () => true);
  const worker = start('apps/worker/src/main.js', env, nodeArgs('WORKER'));
  try {
    return await flow(`http://127.0.0.1:${port}`, [['api', api], ['worker', worker]]);
  } finally {
    await stop(worker);
    await stop(api);
    const c = new Client({ connectionString: PG_ADMIN });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

async function main() {
  const modes = (process.env['BENCH_MODES'] ?? 'scale-out,embedded').split(',');
  console.log(`bench:batch — ${SHIPMENTS} shipments, mock provider, latency 0`);
  for (const mode of modes) {
    const result = mode === 'embedded' ? await embedded() : await scaleOut();
    console.log(`\n${mode}`);
    console.log(`  POST /batches answered  ${result.answer_ms} ms`);
    console.log(`  VALID after             ${result.valid_ms} ms`);
    console.log(`  PURCHASED after         ${result.purchased_ms} ms (from purchase request)`);
    console.log(`  labels per second       ${result.labels_per_second} (${result.purchase_succeeded} bought)`);
    for (const [name, mb] of Object.entries(result.peak_rss_mb)) console.log(`  peak RSS ${name.padEnd(14)} ${mb} MB`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
