/**
 * npm run bench:fairness — the noisy neighbour. Tenant B's small batch (5 shipments) is bought
 * on an idle service, then while tenant A's large batch (5,000) is purchasing, in embedded and
 * scale-out mode (one api and one worker process), mock provider with latency 0, one carrier
 * account per tenant. Prints, for each mode: B's time from its purchase request to PURCHASED
 * idle and loaded (medians), the ratio, B's time to its last label bought (the rest is the merge
 * of its one label file), B's time from POST /batches to VALID idle and loaded, and how far A's
 * batch had got (labels bought) when B's batch was PURCHASED. A script that prints figures,
 * never a test. Needs PostgreSQL and Redis on 127.0.0.1 for the scale-out run.
 *
 * BENCH_MODES (scale-out,embedded), BENCH_BIG (5000), BENCH_SMALL (5), BENCH_ROUNDS (3: idle
 * runs, and loaded runs: one large batch each), BENCH_START_AT (0.1: A's share bought before B
 * asks to purchase), BENCH_WORKER_NODE_ARGS (node options of the scale-out worker, e.g. `--cpu-prof`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ADMIN_TOKEN, freePort, http, shipments, start, stop, throwawayStores, waitFor } from './bench-support';

const BIG = Number(process.env['BENCH_BIG'] ?? 5_000);
const SMALL = Number(process.env['BENCH_SMALL'] ?? 5);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const START_AT = Number(process.env['BENCH_START_AT'] ?? 0.1);
const POLL_MS = 20;

interface Tenant {
  key: string;
  account: string;
}

interface SmallRun {
  id: string;
  /** POST /batches/{id}/purchase answered. */
  answerMs: number;
  validMs: number;
  boughtMs: number;
  purchasedMs: number;
  /** A's labels bought when B was PURCHASED (loaded runs). */
  bigDone?: number;
}

type Batch = { object_id: string; object_status: string; object_results: { purchase_succeeded: number; purchase_failed: number } };

async function tenant(base: string, name: string): Promise<Tenant> {
  const { api_key: key } = await http(base, 'POST', '/admin/tenants', `Bearer ${ADMIN_TOKEN}`, { name });
  const account = await http(base, 'POST', '/carrier_accounts', key, {
    provider: 'mock',
    carrier: 'usps',
    account_id: name,
    parameters: { latency_ms: 0, initial_balance: 100_000_000 },
  });
  return { key, account: account.object_id };
}

function get(base: string, t: Tenant, id: string): Promise<Batch> {
  return http(base, 'GET', `/batches/${id}`, t.key);
}

async function createValid(base: string, t: Tenant, n: number, customer: string): Promise<{ id: string; validMs: number }> {
  const t0 = Date.now();
  const body = { default_carrier_account: t.account, default_servicelevel_token: 'usps_priority', batch_shipments: shipments(n, customer) };
  const created = await http(base, 'POST', '/batches', t.key, body);
  const valid = await waitFor(() => get(base, t, created.object_id), (b) => b.object_status !== 'VALIDATING', POLL_MS);
  if (valid.object_status !== 'VALID') throw new Error(`batch is ${valid.object_status}`);
  return { id: created.object_id, validMs: Date.now() - t0 };
}

/** B's small batch: created and validated, then bought; times from the POST and from the purchase request. */
async function smallRun(base: string, b: Tenant, customer: string, big?: { t: Tenant; id: string }): Promise<SmallRun> {
  const { id, validMs } = await createValid(base, b, SMALL, customer);
  const t1 = Date.now();
  await http(base, 'POST', `/batches/${id}/purchase`, b.key);
  const answerMs = Date.now() - t1;
  let boughtMs = NaN;
  await waitFor(
    () => get(base, b, id),
    (batch) => {
      if (Number.isNaN(boughtMs) && batch.object_results.purchase_succeeded + batch.object_results.purchase_failed >= SMALL) boughtMs = Date.now() - t1;
      return batch.object_status === 'PURCHASED';
    },
    POLL_MS,
  );
  const purchasedMs = Date.now() - t1;
  if (!big) return { id, answerMs, validMs, boughtMs, purchasedMs };
  const a = await get(base, big.t, big.id);
  return { id, answerMs, validMs, boughtMs, purchasedMs, bigDone: a.object_results.purchase_succeeded + a.object_results.purchase_failed };
}

async function flow(base: string) {
  await waitFor(() => http(base, 'GET', '/health'), () => true);
  const a = await tenant(base, 'bench-a');
  const b = await tenant(base, 'bench-b');
  // Warm-up (a running service has answered requests before): one small batch each.
  await smallRun(base, b, 'Warm-up B');
  const warm = await createValid(base, a, 200, 'Warm-up A');
  await http(base, 'POST', `/batches/${warm.id}/purchase`, a.key);
  await waitFor(() => get(base, a, warm.id), (batch) => batch.object_status === 'PURCHASED', 100);

  const idle: SmallRun[] = [];
  for (let i = 0; i < ROUNDS; i++) idle.push(await smallRun(base, b, `Idle ${i}`));
  const loaded: Array<SmallRun & { bigMs: number }> = [];
  for (let i = 0; i < ROUNDS; i++) {
    const big = await createValid(base, a, BIG, `Big ${i}`);
    const tBig = Date.now();
    await http(base, 'POST', `/batches/${big.id}/purchase`, a.key);
    await waitFor(
      () => get(base, a, big.id),
      (batch) => batch.object_results.purchase_succeeded + batch.object_results.purchase_failed >= BIG * START_AT,
      POLL_MS,
    );
    const run = await smallRun(base, b, `Loaded ${i}`, { t: a, id: big.id });
    await waitFor(() => get(base, a, big.id), (batch) => batch.object_status === 'PURCHASED', 100);
    loaded.push({ ...run, bigMs: Date.now() - tBig });
  }
  return { idle, loaded };
}

/**
 * Scale-out only: where B's time went, from the rows (ms after its shipments were queued):
 * labels sold by the mock provider (its first purchase call follows the job's claim), labels recorded, merged file recorded, PURCHASED.
 */
async function timeline(databaseUrl: string, batchId: string): Promise<string> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query(
      `SELECT extract(epoch FROM (SELECT min(m.created_at) FROM mock_provider.labels m
                                  WHERE m.reference IN (SELECT id FROM batch_shipments WHERE batch_id = $1)) - min(s.queued_at)) * 1000 AS sold,
              extract(epoch FROM (SELECT max(m.created_at) FROM mock_provider.labels m
                                  WHERE m.reference IN (SELECT id FROM batch_shipments WHERE batch_id = $1)) - min(s.queued_at)) * 1000 AS sold_last,
              extract(epoch FROM (SELECT min(created_at) FROM labels WHERE batch_id = $1) - min(s.queued_at)) * 1000 AS first_label,
              extract(epoch FROM (SELECT max(created_at) FROM labels WHERE batch_id = $1) - min(s.queued_at)) * 1000 AS last_label,
              extract(epoch FROM (SELECT max(updated_at) FROM batch_label_files WHERE batch_id = $1) - min(s.queued_at)) * 1000 AS file,
              extract(epoch FROM (SELECT updated_at FROM batches WHERE id = $1) - min(s.queued_at)) * 1000 AS purchased
       FROM batch_shipments s WHERE s.batch_id = $1`,
      [batchId],
    );
    const r = rows[0] as Record<string, string>;
    const ms = (k: string) => Math.round(Number(r[k]));
    return `sold by the mock ${ms('sold')}..${ms('sold_last')}, labels ${ms('first_label')}..${ms('last_label')}, merged file ${ms('file')}, PURCHASED ${ms('purchased')}`;
  } finally {
    await c.end();
  }
}

async function embedded() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'shipbatch-bench-fair-'));
  const api = start('apps/api/src/main.js', { PORT: String(port), DATA_DIR: dataDir, ADMIN_TOKEN, DATABASE_URL: '', REDIS_URL: '' });
  try {
    return await flow(`http://127.0.0.1:${port}`);
  } finally {
    await stop(api);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function scaleOut() {
  const stores = await throwawayStores('fair');
  const port = await freePort();
  const api = start('apps/api/src/main.js', { ...stores.env, PORT: String(port) });
  await waitFor(() => http(`http://127.0.0.1:${port}`, 'GET', '/health'), () => true);
  const worker = start('apps/worker/src/main.js', stores.env, (process.env['BENCH_WORKER_NODE_ARGS'] ?? '').split(' ').filter(Boolean));
  try {
    const result = await flow(`http://127.0.0.1:${port}`);
    const timelines = { idle: [] as string[], loaded: [] as string[] };
    for (const r of result.idle) timelines.idle.push(await timeline(stores.url, r.id));
    for (const r of result.loaded) timelines.loaded.push(await timeline(stores.url, r.id));
    return { ...result, timelines };
  } finally {
    await stop(worker);
    await stop(api);
    await stores.drop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

async function main() {
  const modes = (process.env['BENCH_MODES'] ?? 'scale-out,embedded').split(',');
  console.log(
    `bench:fairness — tenant B's ${SMALL}-shipment batch, idle and while tenant A's ${BIG}-shipment batch is purchasing ` +
      `(B asks once ${Math.round(START_AT * 100)} % of A is bought); mock provider, latency 0; ${ROUNDS} runs each`,
  );
  for (const mode of modes) {
    const result: Awaited<ReturnType<typeof flow>> & { timelines?: { idle: string[]; loaded: string[] } } =
      mode === 'embedded' ? await embedded() : await scaleOut();
    const { idle, loaded } = result;
    const list = (runs: SmallRun[], f: (r: SmallRun) => number) => runs.map(f).join(', ');
    const idleMs = median(idle.map((r) => r.purchasedMs));
    const loadedMs = median(loaded.map((r) => r.purchasedMs));
    console.log(`\n${mode}`);
    console.log(`  B purchase -> PURCHASED, idle     ${idleMs} ms (median; runs ${list(idle, (r) => r.purchasedMs)})`);
    console.log(`  B purchase -> PURCHASED, loaded   ${loadedMs} ms (median; runs ${list(loaded, (r) => r.purchasedMs)})`);
    console.log(`  ratio loaded / idle               ${(loadedMs / idleMs).toFixed(1)} x`);
    console.log(`  B purchase -> last label bought   idle ${median(idle.map((r) => r.boughtMs))} ms, loaded ${median(loaded.map((r) => r.boughtMs))} ms (medians)`);
    console.log(`  B purchase request answered      idle ${median(idle.map((r) => r.answerMs))} ms, loaded ${median(loaded.map((r) => r.answerMs))} ms (medians)`);
    console.log(`  B POST /batches -> VALID          idle ${median(idle.map((r) => r.validMs))} ms, loaded ${median(loaded.map((r) => r.validMs))} ms (medians)`);
    console.log(`  A bought when B was PURCHASED     ${loaded.map((r) => `${(((r.bigDone ?? 0) / BIG) * 100).toFixed(0)} %`).join(', ')} of ${BIG}`);
    console.log(`  A purchase -> PURCHASED           ${list(loaded as SmallRun[], (r) => (r as SmallRun & { bigMs: number }).bigMs)} ms`);
    for (const [kind, lines] of Object.entries(result.timelines ?? {})) {
      for (const line of lines) console.log(`  B ${kind.padEnd(6)} (rows, ms after queued) ${line}`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
