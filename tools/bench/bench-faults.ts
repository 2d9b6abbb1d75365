/**
 * npm run bench:faults — scale-out on a private PostgreSQL and a private Redis (started here,
 * never the machine's own): an api and two workers buy a batch on the mock provider, and a fault
 * is injected once a share of the labels is bought. Scenarios (BENCH_SCENARIOS):
 * - redis-restart: Redis killed and started again empty (BENCH_DOWN_MS later);
 * - redis-flush: FLUSHALL, Redis never goes away;
 * - pg-restart: PostgreSQL stopped (`pg_ctl stop -m fast`) and started again BENCH_DOWN_MS later.
 * Prints, from the service's own rows: seconds from the store back to the first label bought
 * after it (work resumed), the longest gap between two labels bought (stall), seconds from the
 * store back to PURCHASED; for PostgreSQL also to an authenticated route answering 200, and
 * what /health/ready answered while it was down. Checks that every label was bought exactly once
 * (the mock's ledger). A script that prints figures, never a test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startPrivatePostgres, startPrivateRedis } from '@shipbatch/platform/testing';
import { ADMIN_TOKEN, freePort, http, shipments, waitFor } from './bench-support';

const SHIPMENTS = Number(process.env['BENCH_SHIPMENTS'] ?? 2_000);
const LATENCY_MS = Number(process.env['BENCH_LATENCY_MS'] ?? 20);
const FAULT_AT = Number(process.env['BENCH_FAULT_AT'] ?? 0.3);
const DOWN_MS = Number(process.env['BENCH_DOWN_MS'] ?? 3_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 1);
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? 2);
const SCENARIOS = (process.env['BENCH_SCENARIOS'] ?? 'none,redis-restart,redis-flush,pg-restart').split(',');
const ROOT = join(__dirname, '../..');

type Scenario = 'none' | 'redis-restart' | 'redis-flush' | 'pg-restart';

interface Result {
  /** From the fault's start (stop, or flush) to the store answering again. */
  down_s: number;
  /** From the purchase request to PURCHASED. */
  total_s: number;
  resumed_s: number;
  stall_s: number;
  purchased_s: number;
  api_s?: number;
  ready_while_down?: string;
  ready_after_s?: number;
  duplicates: number;
  labels: number;
  exits: string[];
}

/** A compiled entry point with its log in `log`; its exits are collected (a crash loop shows there). */
function startApp(entry: string, env: Record<string, string>, log: string, exits: string[]): ChildProcess {
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, [join(ROOT, 'tools/scripts/run.js'), entry], { env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  child.on('exit', (code, signal) => {
    if (signal !== 'SIGTERM') exits.push(`${entry} exited ${code ?? signal} (log ${log})`);
  });
  return child;
}

function stopApp(p: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (p.exitCode !== null || p.signalCode !== null) return ok();
    p.once('exit', () => ok());
    p.kill('SIGTERM');
  });
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

async function status(base: string, path: string): Promise<number> {
  try {
    const res = await fetch(base + path, { signal: AbortSignal.timeout(3_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function run(scenario: Scenario): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'shipbatch-bench-faults-'));
  const pg = await startPrivatePostgres(dir);
  const redis = await startPrivateRedis();
  const exits: string[] = [];
  const apps: ChildProcess[] = [];
  try {
    const db = await pg.createDatabase('shipbatch_faults');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: db,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'shipbatch',
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      ADMIN_TOKEN,
      DATA_DIR: join(dir, 'files'),
      LOG_LEVEL: 'info',
    };
    apps.push(startApp('apps/api/src/main.js', { ...env, PORT: String(port) }, join(dir, 'api.log'), exits));
    await waitFor(() => http(base, 'GET', '/health'), () => true);
    for (let i = 0; i < WORKERS; i++) apps.push(startApp('apps/worker/src/main.js', env, join(dir, `worker-${i}.log`), exits));
    const { api_key: key } = await http(base, 'POST', '/admin/tenants', `Bearer ${ADMIN_TOKEN}`, { name: 'faults' });
    const account = await http(base, 'POST', '/carrier_accounts', key, {
      provider: 'mock',
      carrier: 'usps',
      account_id: 'faults',
      parameters: { latency_ms: LATENCY_MS, initial_balance: 100_000_000 },
    });
    const body = { default_carrier_account: account.object_id, default_servicelevel_token: 'usps_priority', batch_shipments: shipments(SHIPMENTS) };
    const batch = await http(base, 'POST', '/batches', key, body);
    const id = batch.object_id as string;
    const valid = await waitFor(() => http(base, 'GET', `/batches/${id}`, key), (b) => b.object_status !== 'VALIDATING', 250);
    if (valid.object_status !== 'VALID') throw new Error(`batch is ${valid.object_status}`);
    const purchaseAt = Date.now();
    await http(base, 'POST', `/batches/${id}/purchase`, key);
    await waitFor(
      () => query<{ n: string }>(db, 'SELECT count(*) AS n FROM labels WHERE batch_id = $1', [id]),
      (r) => Number(r[0].n) >= SHIPMENTS * FAULT_AT,
      100,
    );

    let readyWhileDown: string | undefined;
    const faultAt = Date.now();
    if (scenario === 'none') {
      // the baseline: no fault
    } else if (scenario === 'redis-flush') {
      await redis.flush();
    } else if (scenario === 'redis-restart') {
      await redis.stop();
      await new Promise((r) => setTimeout(r, DOWN_MS));
      await redis.start();
    } else {
      await pg.stop();
      await new Promise((r) => setTimeout(r, DOWN_MS / 2));
      readyWhileDown = String(await status(base, '/health/ready'));
      await new Promise((r) => setTimeout(r, DOWN_MS / 2));
      await pg.start();
    }
    const back = Date.now();
    const since = (t: number) => Math.round((t - back) / 100) / 10;
    let apiS: number | undefined;
    let readyS: number | undefined;
    if (scenario === 'pg-restart') {
      // The authenticated route (the batch, with the tenant's key) and readiness, polled side by side.
      const firstOk = (probe: () => Promise<number>) =>
        waitFor(() => probe().then((s) => (s === 200 ? Date.now() : 0)), (t) => t > 0, 100, 300_000).catch(() => NaN);
      const [authed, ready] = await Promise.all([
        firstOk(() => fetch(`${base}/batches/${id}`, { headers: { Authorization: `ShippoToken ${key}` }, signal: AbortSignal.timeout(3_000) }).then((r) => r.status)),
        firstOk(() => status(base, '/health/ready')),
      ]);
      apiS = since(authed);
      readyS = since(ready);
    }
    await waitFor(() => http(base, 'GET', `/batches/${id}`, key), (b) => b.object_status === 'PURCHASED', 250, 900_000);
    const purchasedAt = Date.now();
    const purchasedS = since(purchasedAt);
    const [resumed] = await query<{ t: string | null }>(
      db,
      'SELECT extract(epoch FROM min(created_at)) * 1000 AS t FROM labels WHERE batch_id = $1 AND created_at > to_timestamp($2 / 1000.0)',
      [id, back],
    );
    const [stall] = await query<{ gap: string | null }>(
      db,
      `SELECT extract(epoch FROM max(gap)) AS gap FROM (
         SELECT created_at - lag(created_at) OVER (ORDER BY created_at) AS gap FROM labels WHERE batch_id = $1) g`,
      [id],
    );
    const [ledger] = await query<{ labels: string; duplicates: string }>(
      db,
      `SELECT count(*) AS labels, count(*) - count(DISTINCT reference) AS duplicates FROM mock_provider.labels WHERE voided_at IS NULL`,
    );
    return {
      down_s: since(faultAt) * -1,
      total_s: Math.round((purchasedAt - purchaseAt) / 100) / 10,
      resumed_s: resumed.t === null ? NaN : since(Number(resumed.t)),
      stall_s: Math.round(Number(stall.gap) * 10) / 10,
      purchased_s: purchasedS,
      api_s: apiS,
      ready_while_down: readyWhileDown,
      ready_after_s: readyS,
      duplicates: Number(ledger.duplicates),
      labels: Number(ledger.labels),
      exits,
    };
  } finally {
    await Promise.all(apps.map(stopApp));
    await redis.close();
    await pg.close();
    if (!process.env['BENCH_KEEP']) rmSync(dir, { recursive: true, force: true });
    else console.log(`  kept ${dir}`);
  }
}

function median(xs: number[]): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)];
}

async function main() {
  console.log(
    `bench:faults — ${SHIPMENTS} shipments, mock provider (latency ${LATENCY_MS} ms), api + ${WORKERS} workers, ` +
      `fault after ${FAULT_AT * 100} % of the labels, down ${DOWN_MS} ms, ${RUNS} run(s) a scenario`,
  );
  for (const scenario of SCENARIOS as Scenario[]) {
    const results: Result[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await run(scenario);
      results.push(r);
      console.log(`  ${scenario} run ${i + 1}: ${JSON.stringify(r)}`);
    }
    const m = (k: keyof Result) => median(results.map((r) => Number(r[k])));
    console.log(`\n${scenario} (median of ${RUNS})`);
    console.log(`  purchase request to PURCHASED      ${m('total_s')} s (the store down ${m('down_s')} s)`);
    console.log(`  work resumed (first label bought)  ${m('resumed_s')} s after the store was back`);
    console.log(`  longest stall between two labels   ${m('stall_s')} s`);
    console.log(`  batch PURCHASED                    ${m('purchased_s')} s after the store was back`);
    if (scenario === 'pg-restart') {
      console.log(`  API answering (authenticated 200)  ${m('api_s')} s after PostgreSQL was back`);
      console.log(`  /health/ready                      ${results.map((r) => r.ready_while_down).join(', ')} while down; 200 ${m('ready_after_s')} s after`);
    }
    console.log(`  labels bought / bought twice       ${results.map((r) => `${r.labels}/${r.duplicates}`).join(', ')}`);
    console.log(`  processes that exited              ${results.flatMap((r) => r.exits).join('; ') || 'none'}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
