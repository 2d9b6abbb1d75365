/**
 * npm run bench:rolling-restart — scale-out, one API and 3 workers, a batch of 2,000 shipments
 * on the mock provider (latency 100 ms a call, PURCHASE_CONCURRENCY 4, so the purchase lasts long
 * enough to restart every worker during it). Runs, each on a database of its own:
 * - `none`: no restart (the reference);
 * - `sigterm`: a rolling restart: each worker in turn gets a replacement, and once that answers
 *   /health/ready, SIGTERM; the next waits until it has exited;
 * - `sigkill`: the same with SIGKILL (a machine lost): its claims wait for PURCHASE_LEASE_SECONDS.
 * Prints the time from the purchase request to PURCHASED, the exit codes, and from the rows:
 * labels recorded, labels the mock sold (its ledger, `mock_provider.labels`, by our reference),
 * references sold twice, shipments left without a label. BENCH_RUNS (default 1) repeats each
 * mode and prints medians; BENCH_ROLLING_MODES picks modes (default none,sigterm,sigkill).
 * A script that prints figures, never a test. Needs PostgreSQL and Redis on 127.0.0.1.
 */
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { ADMIN_TOKEN, freePort, http, shipments, start, stop, throwawayStores, waitFor } from './bench-support';

const SHIPMENTS = Number(process.env['BENCH_SHIPMENTS'] ?? 2_000);
const WORKERS = 3;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 1);
type Mode = 'none' | 'sigterm' | 'sigkill';
const WORKER_ENV = { PURCHASE_CONCURRENCY: '4', SHUTDOWN_GRACE_SECONDS: '30' };

interface RunResult {
  purchasedMs: number;
  restartsMs: number;
  exitCodes: string[];
  recorded: number;
  sold: number;
  soldTwice: number;
  lost: number;
  failed: number;
}

interface Worker {
  process: ChildProcess;
  url: string;
}

/** A worker with its health port, once `/health/ready` says so. */
async function startWorker(env: Record<string, string>): Promise<Worker> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const process = start('apps/worker/src/main.js', { ...env, ...WORKER_ENV, METRICS_PORT: String(port) });
  await waitFor(
    () => fetch(`${url}/health/ready`).then((r) => r.status, () => 0),
    (status) => status === 200,
    100,
  );
  return { process, url };
}

function exited(p: ChildProcess): Promise<string> {
  return new Promise((ok) => {
    if (p.exitCode !== null || p.signalCode !== null) return ok(String(p.exitCode ?? p.signalCode));
    p.once('exit', (code, signal) => ok(String(code ?? signal)));
  });
}

async function once(mode: Mode): Promise<RunResult> {
  const stores = await throwawayStores('rolling');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const api = start('apps/api/src/main.js', { ...stores.env, PORT: String(port) });
  await waitFor(() => http(base, 'GET', '/health'), () => true);
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorker(stores.env)));
  const replacements: Worker[] = [];
  try {
    const { api_key: key } = await http(base, 'POST', '/admin/tenants', `Bearer ${ADMIN_TOKEN}`, { name: 'bench' });
    const account = await http(base, 'POST', '/carrier_accounts', key, {
      provider: 'mock',
      carrier: 'usps',
      account_id: 'bench',
      // Validated without latency (validation calls the provider one shipment at a time), bought with it.
      parameters: { latency_ms: 0, initial_balance: 100_000_000 },
    });
    const created = await http(base, 'POST', '/batches', key, {
      default_carrier_account: account.object_id,
      default_servicelevel_token: 'usps_priority',
      batch_shipments: shipments(SHIPMENTS),
    });
    const valid = await waitFor(() => http(base, 'GET', `/batches/${created.object_id}`, key), (b) => b.object_status !== 'VALIDATING');
    if (valid.object_status !== 'VALID') throw new Error(`batch is ${valid.object_status}`);
    await http(base, 'PUT', `/carrier_accounts/${account.object_id}`, key, { parameters: { latency_ms: 100 } });

    const t0 = Date.now();
    await http(base, 'POST', `/batches/${created.object_id}/purchase`, key);
    const purchased = waitFor(() => http(base, 'GET', `/batches/${created.object_id}`, key), (b) => b.object_status === 'PURCHASED', 100).then((b) => ({ b, ms: Date.now() - t0 }));
    const exitCodes: string[] = [];
    let restartsMs = 0;
    if (mode !== 'none') {
      // Let the purchase get going, then replace every worker, one after another.
      await waitFor(() => http(base, 'GET', `/batches/${created.object_id}`, key), (b) => b.object_results.purchase_succeeded >= SHIPMENTS / 10, 50);
      const r0 = Date.now();
      for (const old of workers) {
        // As an orchestrator rolls: the replacement is ready before the old one gets its signal.
        replacements.push(await startWorker(stores.env));
        old.process.kill(mode === 'sigterm' ? 'SIGTERM' : 'SIGKILL');
        exitCodes.push(await exited(old.process));
      }
      restartsMs = Date.now() - r0;
    }
    const { b: done, ms } = await purchased;
    const rows = await ledger(stores.url, created.object_id);
    return { purchasedMs: ms, restartsMs, exitCodes, ...rows, failed: done.object_results.purchase_failed };
  } finally {
    for (const w of [...workers, ...replacements]) await stop(w.process);
    await stop(api);
    await stores.drop();
  }
}

/** From the rows: labels we recorded, labels the mock sold for the batch's shipments, references sold twice, shipments without a label. */
async function ledger(url: string, batchId: string) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(
      `SELECT (SELECT count(*) FROM labels WHERE batch_id = $1)::int AS recorded,
              (SELECT count(*) FROM mock_provider.labels m JOIN batch_shipments b ON b.id = m.reference WHERE b.batch_id = $1)::int AS sold,
              (SELECT count(*) FROM (SELECT m.reference FROM mock_provider.labels m JOIN batch_shipments b ON b.id = m.reference
                 WHERE b.batch_id = $1 GROUP BY m.reference HAVING count(*) > 1) t)::int AS sold_twice,
              (SELECT count(*) FROM batch_shipments b WHERE b.batch_id = $1
                 AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.batch_shipment_id = b.id))::int AS lost`,
      [batchId],
    );
    return { recorded: rows[0].recorded, sold: rows[0].sold, soldTwice: rows[0].sold_twice, lost: rows[0].lost };
  } finally {
    await c.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const modes = (process.env['BENCH_ROLLING_MODES'] ?? 'none,sigterm,sigkill').split(',') as Mode[];
  console.log(
    `bench:rolling-restart — ${SHIPMENTS} shipments, mock provider (latency 100 ms), ${WORKERS} workers ` +
      `(PURCHASE_CONCURRENCY ${WORKER_ENV.PURCHASE_CONCURRENCY}, PURCHASE_LEASE_SECONDS default), ${RUNS} run(s) a mode`,
  );
  const medians: Partial<Record<Mode, number>> = {};
  for (const mode of modes) {
    const results: RunResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await once(mode);
      results.push(r);
      console.log(
        `  ${mode.padEnd(8)} PURCHASED after ${(r.purchasedMs / 1000).toFixed(1)} s` +
          (mode === 'none' ? '' : ` (3 restarts over ${(r.restartsMs / 1000).toFixed(1)} s, exit codes ${r.exitCodes.join(',')})`) +
          `; labels recorded ${r.recorded}, sold by the mock ${r.sold}, sold twice ${r.soldTwice}, without a label ${r.lost}, failed ${r.failed}`,
      );
    }
    medians[mode] = median(results.map((r) => r.purchasedMs));
  }
  console.log('\nmedian time to PURCHASED (from the purchase request)');
  for (const [mode, ms] of Object.entries(medians)) {
    const vs = medians.none && mode !== 'none' ? ` (+${((ms - medians.none) / 1000).toFixed(1)} s vs no restart)` : '';
    console.log(`  ${mode.padEnd(8)} ${(ms / 1000).toFixed(1)} s${vs}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
