/**
 * npm run bench:batch — a batch of 10,000 shipments on the mock provider (zero latency),
 * embedded and scale-out. Prints: the RSS of each process once /health answers (first start:
 * an empty data directory), time for POST /batches to answer, time to VALID, time to
 * PURCHASED, labels per second, and the peak RSS of each process; and for the merged label
 * files (100 labels a file): the time from the last label bought to PURCHASED (the merge
 * tail: merging overlaps purchasing) and a standalone merge of 100 of the batch's own label
 * files. A script that prints figures, never a test. Needs PostgreSQL and Redis on 127.0.0.1
 * for the scale-out run. `BENCH_STORAGE=s3` runs scale-out with FILE_STORAGE=s3 on an
 * S3-compatible server of its own (s3rver, a process beside the others, objects on local disk).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { mergePdfStream } from '@shipbatch/shipping/label-merger';
import { ADMIN_TOKEN, freePort, http, shipments, start, startS3Server, stop, throwawayStores, waitFor } from './bench-support';

const SHIPMENTS = Number(process.env['BENCH_SHIPMENTS'] ?? 10_000);
const WARM_UP_SHIPMENTS = 200;
const STORAGE = process.env['BENCH_STORAGE'] === 's3' ? 's3' : 'local';
const BUCKET = 'shipbatch-bench';

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

/** Resident set size now (VmRSS) and peak so far (VmHWM) of a live process, in MB. */
function rssMb(pid: number | undefined): { rss: number; peak: number } {
  if (!pid) return { rss: NaN, peak: NaN };
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(status.match(new RegExp(`${field}:\\s+(\\d+) kB`))?.[1] ?? NaN);
    return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

/**
 * CPU seconds a live process has used (user + system, with its finished child processes such
 * as the embedded database's initdb): a cost figure that, unlike elapsed times, does not depend
 * much on what else the machine runs.
 */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime, stime, cutime, cstime: fields 14-17 of /proc/<pid>/stat, in clock ticks (100 a second).
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return Math.round(ticks) / 100;
  } catch {
    return NaN;
  }
}

/** Extra node flags for a process, e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
function nodeArgs(name: 'API' | 'WORKER'): string[] {
  return (process.env[`BENCH_${name}_NODE_ARGS`] ?? '').split(' ').filter(Boolean);
}


/** Merges 100 of the batch's own label files (PDF) as the merge job does; median of 5 runs, in ms. */
async function merge100(labelsRoot: string): Promise<{ ms: number; bytes: number }> {
  const root = labelsRoot;
  const files = readdirSync(root).flatMap((tenant) => readdirSync(join(root, tenant)).map((f) => join(root, tenant, f)));
  const labels = files.filter((f) => f.endsWith('.pdf') || f.endsWith('.pdf._S3rver_object')).slice(0, 100).map((f) => readFileSync(f));
  const runs: Array<{ ms: number; bytes: number }> = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    let bytes = 0;
    for await (const chunk of mergePdfStream(labels)) bytes += chunk.length;
    runs.push({ ms: Number(process.hrtime.bigint() - t) / 1e6, bytes });
  }
  return runs.sort((a, b) => a.ms - b.ms)[2];
}

/** `labelsRoot`: where the label files land (DATA_DIR/files/labels, or the bucket's labels/ in s3rver's folder). */
async function flow(base: string, processes: Array<[string, ChildProcess]>, labelsRoot: string) {
  await waitFor(() => http(base, 'GET', '/health'), () => true);
  // First start (an empty data directory in embedded mode): memory once /health answers.
  const startRss = Object.fromEntries(processes.map(([name, p]) => [name, rssMb(p.pid)]));
  const { api_key: key } = await http(base, 'POST', '/admin/tenants', `Bearer ${ADMIN_TOKEN}`, { name: 'bench' });
  const account = await http(base, 'POST', '/carrier_accounts', key, {
    provider: 'mock',
    carrier: 'usps',
    account_id: 'bench',
    parameters: { latency_ms: 0, initial_balance: 100_000_000 },
  });
  const body = { default_carrier_account: account.object_id, default_servicelevel_token: 'usps_priority', batch_shipments: shipments(SHIPMENTS) };
  // A running service has answered requests before: one small batch (other addresses, so it
  // pre-validates nothing of the measured one) warms the code paths up, as after any deploy.
  const warmUp = await http(base, 'POST', '/batches', key, { ...body, batch_shipments: shipments(WARM_UP_SHIPMENTS, 'Warm-up') });
  await waitFor(() => http(base, 'GET', `/batches/${warmUp.object_id}`, key), (b) => b.object_status !== 'VALIDATING');

  const t0 = Date.now();
  const created = await http(base, 'POST', '/batches', key, body);
  const tAnswer = Date.now() - t0;
  const valid = await waitFor(() => http(base, 'GET', `/batches/${created.object_id}`, key), (b) => b.object_status !== 'VALIDATING');
  const tValid = Date.now() - t0;
  if (valid.object_status !== 'VALID') throw new Error(`batch is ${valid.object_status}`);
  const t1 = Date.now();
  await http(base, 'POST', `/batches/${created.object_id}/purchase`, key);
  // Every label bought (purchase_succeeded reaches the count) comes before PURCHASED, which
  // also waits for the last merged files: the difference is the merge tail.
  let tAllBought = NaN;
  const done = await waitFor(
    () => http(base, 'GET', `/batches/${created.object_id}`, key),
    (b) => {
      if (Number.isNaN(tAllBought) && b.object_results.purchase_succeeded + b.object_results.purchase_failed >= SHIPMENTS) {
        tAllBought = Date.now() - t1;
      }
      return b.object_status === 'PURCHASED';
    },
    250,
  );
  const tPurchase = Date.now() - t1;
  if (Number.isNaN(tAllBought)) tAllBought = tPurchase;
  const merge = await merge100(labelsRoot);
  return {
    answer_ms: tAnswer,
    valid_ms: tValid,
    purchased_ms: tPurchase,
    labels_per_second: Math.round((done.object_results.purchase_succeeded / tPurchase) * 1000),
    purchase_succeeded: done.object_results.purchase_succeeded,
    all_bought_ms: tAllBought,
    merged_files: done.label_url.length,
    merge_100_ms: Math.round(merge.ms),
    merge_100_kb: Math.round(merge.bytes / 1024),
    batch_id: created.object_id as string,
    start_rss_mb: startRss,
    cpu_seconds: Object.fromEntries(processes.map(([name, p]) => [name, cpuSeconds(p.pid)])),
    peak_rss_mb: Object.fromEntries(processes.map(([name, p]) => [name, peakRssMb(p.pid)])),
  };
}

/**
 * Scale-out only (the embedded database is inside the api process): from the rows, the exact
 * time from the last label bought to PURCHASED, and when the first and last chunk files were
 * recorded relative to the first label bought (merging overlaps purchasing).
 */
async function mergeTimeline(databaseUrl: string, batchId: string) {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query(
      `SELECT extract(epoch FROM b.updated_at - l.last) * 1000 AS tail_ms,
              extract(epoch FROM f.first - l.first) * 1000 AS first_file_ms,
              extract(epoch FROM f.last - l.first) * 1000 AS last_file_ms,
              extract(epoch FROM l.last - l.first) * 1000 AS buying_ms
       FROM batches b,
            (SELECT min(created_at) AS first, max(created_at) AS last FROM labels WHERE batch_id = $1) l,
            (SELECT min(updated_at) AS first, max(updated_at) AS last FROM batch_label_files WHERE batch_id = $1) f
       WHERE b.id = $1`,
      [batchId],
    );
    const r = rows[0];
    return {
      exact_tail_ms: Math.round(Number(r.tail_ms)),
      first_file_ms: Math.round(Number(r.first_file_ms)),
      last_file_ms: Math.round(Number(r.last_file_ms)),
      buying_ms: Math.round(Number(r.buying_ms)),
    };
  } finally {
    await c.end();
  }
}

async function embedded() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'shipbatch-bench-'));
  const api = start('apps/api/src/main.js', { PORT: String(port), DATA_DIR: dataDir, ADMIN_TOKEN, DATABASE_URL: '', REDIS_URL: '' }, nodeArgs('API'));
  try {
    return await flow(`http://127.0.0.1:${port}`, [['api+workers', api]], join(dataDir, 'files', 'labels'));
  } finally {
    await stop(api);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function scaleOut() {
  const stores = await throwawayStores('batch');
  const url = stores.url;
  const port = await freePort();
  const s3 = STORAGE === 's3' ? await startS3Server(BUCKET) : undefined;
  const env = { ...stores.env, ...s3?.env };

  const api = start('apps/api/src/main.js', { ...env, PORT: String(port) }, nodeArgs('API'));
  // Start the worker once the API has migrated the database.
  await waitFor(() => http(`http://127.0.0.1:${port}`, 'GET', '/health'), () => true);
  const worker = start('apps/worker/src/main.js', env, nodeArgs('WORKER'));
  try {
    const processes: Array<[string, ChildProcess]> = [['api', api], ['worker', worker], ...(s3 ? [['s3rver', s3.process] as [string, ChildProcess]] : [])];
    const labelsRoot = s3 ? join(s3.directory, BUCKET, 'labels') : join(env.DATA_DIR, 'files', 'labels');
    const result = await flow(`http://127.0.0.1:${port}`, processes, labelsRoot);
    return { ...result, ...(await mergeTimeline(url, result.batch_id)) };
  } finally {
    await stop(worker);
    await stop(api);
    if (s3) await stop(s3.process);
    await stores.drop();
  }
}

async function main() {
  const modes = (process.env['BENCH_MODES'] ?? 'scale-out,embedded').split(',');
  console.log(`bench:batch — ${SHIPMENTS} shipments, mock provider, latency 0 (after a ${WARM_UP_SHIPMENTS}-shipment warm-up batch); label files: ${STORAGE === 's3' ? 'FILE_STORAGE=s3 (s3rver, scale-out)' : 'local disk'}`);
  for (const mode of modes) {
    const result = mode === 'embedded' ? await embedded() : await scaleOut();
    console.log(`\n${mode}`);
    console.log(`  POST /batches answered  ${result.answer_ms} ms`);
    console.log(`  VALID after             ${result.valid_ms} ms`);
    console.log(`  PURCHASED after         ${result.purchased_ms} ms (from purchase request)`);
    console.log(`  labels per second       ${result.labels_per_second} (${result.purchase_succeeded} bought)`);
    console.log(`  last label bought after ${result.all_bought_ms} ms (from purchase request; polled every 250 ms)`);
    console.log(`  merge tail              ${result.purchased_ms - result.all_bought_ms} ms (last label bought -> PURCHASED, ${result.merged_files} merged files)`);
    const timeline = result as Partial<Awaited<ReturnType<typeof mergeTimeline>>>;
    if (timeline.exact_tail_ms !== undefined) {
      console.log(`  merge tail (rows)       ${timeline.exact_tail_ms} ms (last label recorded -> PURCHASED)`);
      console.log(
        `  merged files recorded   ${timeline.first_file_ms} ms .. ${timeline.last_file_ms} ms after the first label ` +
          `(labels bought over ${timeline.buying_ms} ms)`,
      );
    }
    console.log(`  merge of 100 labels     ${result.merge_100_ms} ms (standalone, median of 5; ${result.merge_100_kb} KB PDF)`);
    for (const [name, mb] of Object.entries(result.start_rss_mb)) {
      console.log(`  RSS at start ${name.padEnd(10)} ${mb.rss} MB (peak ${mb.peak} MB by then; /health answered)`);
    }
    for (const [name, mb] of Object.entries(result.peak_rss_mb)) console.log(`  peak RSS ${name.padEnd(14)} ${mb} MB`);
    for (const [name, s] of Object.entries(result.cpu_seconds)) console.log(`  CPU time ${name.padEnd(14)} ${s} s (start to PURCHASED)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
