/**
 * npm run bench:webhooks — what outgoing webhooks cost a 10,000-shipment batch on the mock
 * provider (default parameters), in scale-out with two worker processes, each scenario on a
 * fresh api, workers, database and Redis prefix:
 * - baseline: no webhook; the time from the purchase request to PURCHASED;
 * - fast: one `all` webhook to a local receiver answering 200 at once; the same purchase time,
 *   the time until the receiver has every delivery (one transaction_created a label, plus
 *   batch_created and batch_purchased; distinct `webhook-id`), deliveries per second, the lag
 *   from each outbox event to its receipt, duplicates, and how many verified with the
 *   `standardwebhooks` package;
 * - down: one `all` webhook to a receiver that is down (a closed port; `down-503`: a server
 *   answering 503) with WEBHOOK_RETRY_BASE_MS=1000; the purchase time, each worker's RSS every
 *   second during the purchase and BENCH_DOWN_AFTER_SECONDS (60) after it (first, max, last),
 *   the deliveries by status, the attempts recorded and how many of them were sent (the others
 *   were recorded as not sent: the round's probe could not reach the receiver), and the
 *   delivery queue's jobs at the end.
 * A script that prints figures, never a test. Needs PostgreSQL and Redis on 127.0.0.1.
 * BENCH_SHIPMENTS (10000), BENCH_WORKERS (2), BENCH_RUNS (1: each scenario that many times,
 * medians printed), BENCH_SCENARIOS (baseline,fast,down; also down-503),
 * BENCH_DOWN_AFTER_SECONDS (60), BENCH_DELIVERY_LIMIT_SECONDS (900) and BENCH_WORKER_NODE_ARGS
 * (node flags for the workers, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) tune it.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { ADMIN_TOKEN, freePort, http, PG_ADMIN, REDIS_URL, shipments, start, stop, throwawayStores, waitFor } from './bench-support';

const SHIPMENTS = Number(process.env['BENCH_SHIPMENTS'] ?? 10_000);
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? 2);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 1);
const SCENARIOS = (process.env['BENCH_SCENARIOS'] ?? 'baseline,fast,down').split(',') as Scenario[];
const DOWN_AFTER_MS = Number(process.env['BENCH_DOWN_AFTER_SECONDS'] ?? 60) * 1000;
const DELIVERY_LIMIT_MS = Number(process.env['BENCH_DELIVERY_LIMIT_SECONDS'] ?? 900) * 1000;
const WARM_UP_SHIPMENTS = 200;
/** Every delivery of the measured batch: a transaction_created per label, batch_created, batch_purchased. */
const EXPECTED = SHIPMENTS + 2;
const DELIVERY_QUEUE = 'webhook-delivery';
const CLOCK_TICKS = 100;
/** Extra node flags for the workers, e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const WORKER_NODE_ARGS = (process.env['BENCH_WORKER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);

type Scenario = 'baseline' | 'fast' | 'down' | 'down-503';

const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'n/a');
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}
function percentile(values: number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)] : NaN;
}

/** A field of /proc/<pid>/status (VmRSS, VmHWM), in MB; NaN once the process is gone. */
function procMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  if (!pid) return NaN;
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}


interface Receipt {
  at: number;
  event: string;
  verified: boolean;
}

/**
 * A webhook receiver on 127.0.0.1 answering `status` to everything; records, per `webhook-id`,
 * the first receipt and whether it verified with the secret (checked on receipt, as a receiver
 * does: the signature and the 5-minute timestamp tolerance).
 */
class Receiver {
  readonly first = new Map<string, Receipt>();
  requests = 0;
  verified = 0;
  secret = '';
  private server?: Server;
  url = '';

  constructor(private readonly status: number) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = Date.now();
        this.requests++;
        const raw = Buffer.concat(chunks).toString('utf8');
        const id = String(req.headers['webhook-id'] ?? '');
        let verified = false;
        let event = '?';
        try {
          const body = new Webhook(this.secret).verify(raw, req.headers as Record<string, string>) as { event?: string };
          verified = true;
          event = String(body.event);
        } catch {
          try {
            event = String((JSON.parse(raw) as { event?: string }).event);
          } catch {
            /* not JSON */
          }
        }
        if (!this.first.has(id)) {
          this.first.set(id, { at, event, verified });
          if (verified) this.verified++;
        }
        res.writeHead(this.status, { 'content-type': 'text/plain' });
        res.end(this.status === 200 ? 'ok' : 'down');
      });
    });
    await new Promise<void>((ok) => this.server?.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}

/** Samples the RSS of processes every second. */
class RssSampler {
  readonly samples: Array<{ at: number; mb: number[] }> = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly processes: ChildProcess[]) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }

  summary(i: number): { first: number; max: number; last: number } {
    const v = this.samples.map((x) => x.mb[i]).filter(Number.isFinite);
    return { first: v[0] ?? NaN, max: v.length ? Math.max(...v) : NaN, last: v[v.length - 1] ?? NaN };
  }

  /** Process i's RSS in the sample nearest to `at`. */
  near(i: number, at: number): number {
    let best = this.samples[0];
    for (const x of this.samples) if (Math.abs(x.at - at) < Math.abs(best.at - at)) best = x;
    return best?.mb[i] ?? NaN;
  }

  private sample(): void {
    this.samples.push({ at: Date.now(), mb: this.processes.map((p) => procMb(p.pid, 'VmRSS')) });
  }
}

/** CPU time (user + system, all threads) a process has used, in seconds; NaN once it is gone. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/**
 * CPU used between two snapshots by the api, each worker, the PostgreSQL backends serving the
 * run's database and this process (the receiver, the polling): a measure of what the work cost
 * that other load on the machine changes less than elapsed time.
 */
class CpuMeter {
  constructor(
    private readonly databaseUrl: string,
    private readonly processes: Array<[string, ChildProcess]>,
  ) {}

  async snapshot(): Promise<Map<string, number>> {
    const at = new Map<string, number>();
    for (const [name, p] of this.processes) at.set(name, cpuSeconds(p.pid));
    const name = new URL(this.databaseUrl).pathname.slice(1);
    const backends = await query<{ pid: number }>(PG_ADMIN, 'SELECT pid FROM pg_stat_activity WHERE datname = $1', [name]);
    for (const b of backends) at.set(`pg:${b.pid}`, cpuSeconds(b.pid));
    const own = process.cpuUsage();
    at.set('bench', (own.user + own.system) / 1e6);
    return at;
  }

  /** "workers 12.3 s (...), api 1.0 s, postgres 8.1 s, bench 0.4 s" between two snapshots. */
  static describe(from: Map<string, number>, to: Map<string, number>): string {
    const used = (key: string) => {
      const v = (to.get(key) ?? NaN) - (from.get(key) ?? 0);
      return Number.isFinite(v) ? v : 0;
    };
    const workers = [...to.keys()].filter((k) => k.startsWith('worker'));
    const pg = [...to.keys()].filter((k) => k.startsWith('pg:')).reduce((sum, k) => sum + used(k), 0);
    const w = workers.map(used);
    return (
      `workers ${w.reduce((a, b) => a + b, 0).toFixed(1)} s (${w.map((x) => x.toFixed(1)).join(' + ')}), api ${used('api').toFixed(1)} s, ` +
      `postgres backends ${pg.toFixed(1)} s, bench process ${used('bench').toFixed(1)} s`
    );
  }
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

async function deliveryStatus(url: string): Promise<{ byStatus: string; attempts: number; sent: number; outcomes: string }> {
  const rows = await query<{ status: string; n: string }>(url, 'SELECT status, count(*) AS n FROM webhook_deliveries GROUP BY status ORDER BY status');
  // Attempts recorded without being sent (the receiver could not be reached by the round's probe) say so in their error.
  const [{ n, sent }] = await query<{ n: string; sent: string }>(
    url,
    `SELECT count(*) AS n, count(*) FILTER (WHERE error IS NULL OR error NOT LIKE 'not sent:%') AS sent FROM webhook_attempts`,
  );
  const outcomes = await query<{ outcome: string; error: string | null; n: string }>(
    url,
    `SELECT outcome, CASE WHEN error LIKE 'not sent:%' THEN 'not sent' ELSE error END AS error, count(*) AS n
     FROM webhook_attempts GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 4`,
  );
  return {
    byStatus: rows.map((r) => `${r.status} ${r.n}`).join(', ') || 'none',
    attempts: Number(n),
    sent: Number(sent),
    outcomes: outcomes.map((o) => `${o.outcome}${o.error ? ` (${o.error})` : ''} ${o.n}`).join(', ') || 'none',
  };
}

/** The run database's committed transactions (pg_stat_database; backends report within about a second of going idle). */
async function dbTransactions(url: string): Promise<number> {
  const [r] = await query<{ xacts: string }>(url, 'SELECT xact_commit AS xacts FROM pg_stat_database WHERE datname = current_database()');
  return Number(r.xacts);
}

function describeDb(from: number, to: number, until: string): string {
  return `${to - from} transactions committed (${((to - from) / SHIPMENTS).toFixed(1)} a shipment), purchase request -> ${until}`;
}

interface RunResult {
  scenario: Scenario;
  purchasedMs: number;
  lines: string[];
}

async function runScenario(scenario: Scenario): Promise<RunResult> {
  const down = scenario === 'down' || scenario === 'down-503';
  const stores = await throwawayStores('webhooks');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = { ...stores.env, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', ...(down ? { WEBHOOK_RETRY_BASE_MS: '1000' } : {}) };
  const receiver = scenario === 'fast' ? await new Receiver(200).start() : scenario === 'down-503' ? await new Receiver(503).start() : undefined;
  const closedPort = scenario === 'down' ? await freePort() : undefined;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const deliveryQueue = new Queue(DELIVERY_QUEUE, { connection: redis, prefix: env['QUEUE_PREFIX'] });
  const api = start('apps/api/src/main.js', { ...env, PORT: String(port) });
  const workers: ChildProcess[] = [];
  const lines: string[] = [];
  const out = (line: string) => lines.push(`  ${line}`);
  try {
    await waitFor(() => http(base, 'GET', '/health'), () => true);
    for (let i = 0; i < WORKERS; i++) workers.push(start('apps/worker/src/main.js', env, WORKER_NODE_ARGS));
    try {
      await waitFor(() => deliveryQueue.getWorkersCount(), (n) => n >= WORKERS, 250, 60_000);
    } catch {
      out(`(only ${await deliveryQueue.getWorkersCount()} of ${WORKERS} workers had joined the delivery queue after 60 s)`);
    }
    const { api_key: key } = await http(base, 'POST', '/admin/tenants', `Bearer ${ADMIN_TOKEN}`, { name: 'bench' });
    const account = await http(base, 'POST', '/carrier_accounts', key, { provider: 'mock', carrier: 'usps', account_id: 'bench', parameters: {} });
    const defaults = { default_carrier_account: account.object_id, default_servicelevel_token: 'usps_priority' };

    // A warm-up batch (other addresses), validated and bought, before any webhook exists: both
    // workers have run validation and purchase code once, as in a service that has been up.
    const warmUp = await http(base, 'POST', '/batches', key, { ...defaults, batch_shipments: shipments(WARM_UP_SHIPMENTS, 'Warm-up') });
    await waitFor(() => http(base, 'GET', `/batches/${warmUp.object_id}`, key), (b) => b.object_status !== 'VALIDATING');
    await http(base, 'POST', `/batches/${warmUp.object_id}/purchase`, key);
    await waitFor(() => http(base, 'GET', `/batches/${warmUp.object_id}`, key), (b) => b.object_status === 'PURCHASED', 250);
    // Its events are relayed (to no webhook) within a pass.
    await new Promise((r) => setTimeout(r, 2_000));

    let webhookId: string | undefined;
    if (receiver || closedPort) {
      const url = receiver ? receiver.url : `http://127.0.0.1:${closedPort}/hooks`;
      const created = await http(base, 'POST', '/webhooks', key, { url, event: 'all', is_test: true });
      webhookId = created.object_id;
      if (receiver) receiver.secret = created.secret;
    }

    const created = await http(base, 'POST', '/batches', key, { ...defaults, batch_shipments: shipments(SHIPMENTS, 'Customer') });
    const valid = await waitFor(() => http(base, 'GET', `/batches/${created.object_id}`, key), (b) => b.object_status !== 'VALIDATING');
    if (valid.object_status !== 'VALID') out(`(the batch is ${valid.object_status}, not VALID)`);

    const sampler = new RssSampler(workers);
    const cpu = new CpuMeter(stores.url, [['api', api], ...workers.map((w, i): [string, ChildProcess] => [`worker ${i + 1}`, w])]);
    const cpuAtPurchase = await cpu.snapshot();
    const dbAtPurchase = await dbTransactions(stores.url);
    const t1 = Date.now();
    sampler.start();
    await http(base, 'POST', `/batches/${created.object_id}/purchase`, key);
    const done = await waitFor(() => http(base, 'GET', `/batches/${created.object_id}`, key), (b) => b.object_status === 'PURCHASED', 250);
    const purchasedMs = Date.now() - t1;
    const purchasedAt = Date.now();
    const cpuAtPurchased = await cpu.snapshot();
    out(`PURCHASED after          ${s(purchasedMs)} (${done.object_results.purchase_succeeded} bought, ${done.object_results.purchase_failed} failed; polled every 250 ms)`);
    out(`CPU during the purchase  ${CpuMeter.describe(cpuAtPurchase, cpuAtPurchased)}`);

    if (scenario === 'fast' && receiver) {
      const deliveredAtPurchased = receiver.first.size;
      const until = Date.now() + DELIVERY_LIMIT_MS;
      while (receiver.first.size < EXPECTED && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      const receipts = [...receiver.first.values()];
      const lastAt = Math.max(...receipts.map((r) => r.at));
      const firstTx = Math.min(...receipts.filter((r) => r.event === 'transaction_created').map((r) => r.at));
      const cpuAtDelivered = await cpu.snapshot();
      // Anything sent twice would arrive within a few seconds of the rest.
      await new Promise((r) => setTimeout(r, 5_000));
      const byEvent = new Map<string, number>();
      for (const r of receiver.first.values()) byEvent.set(r.event, (byEvent.get(r.event) ?? 0) + 1);
      const lag = await query<{ id: string; ms: number }>(
        stores.url,
        `SELECT d.id, extract(epoch FROM o.created_at) * 1000 AS ms FROM webhook_deliveries d JOIN outbox_events o ON o.id = d.event_id WHERE d.webhook_id = $1`,
        [webhookId],
      );
      const lags = lag.flatMap((l) => {
        const r = receiver.first.get(l.id);
        return r ? [r.at - Number(l.ms)] : [];
      });
      const [{ n: events }] = await query<{ n: string }>(
        stores.url,
        `SELECT count(*) AS n FROM outbox_events o JOIN webhooks w ON w.id = $1 WHERE o.created_at >= w.created_at`,
        [webhookId],
      );
      const status = await deliveryStatus(stores.url);
      const tx = receipts.filter((r) => r.event === 'transaction_created').length;
      out(
        `all ${EXPECTED} received    ${receiver.first.size >= EXPECTED ? `${s(lastAt - t1)} after the purchase request (${s(lastAt - t1 - purchasedMs)} after PURCHASED)` : `NO: ${receiver.first.size} after ${s(DELIVERY_LIMIT_MS)}`}`,
      );
      out(`received by PURCHASED    ${deliveredAtPurchased}`);
      out(`deliveries per second    ${Math.round((tx / Math.max(1, lastAt - firstTx)) * 1000)} (transaction_created, first to last receipt), ${Math.round((receiver.first.size / Math.max(1, lastAt - t1)) * 1000)} from the purchase request`);
      out(`event -> receipt lag     p50 ${s(percentile(lags, 50))}, p95 ${s(percentile(lags, 95))}, max ${s(Math.max(...lags))} (outbox_events.created_at to receipt)`);
      out(`distinct webhook-id      ${receiver.first.size} (${[...byEvent].map(([e, n]) => `${e} ${n}`).join(', ')}); requests ${receiver.requests} (${receiver.requests - receiver.first.size} repeats)`);
      out(`verified (standardwebhooks) ${receiver.verified} of ${receiver.first.size}`);
      out(`CPU PURCHASED -> all received ${CpuMeter.describe(cpuAtPurchased, cpuAtDelivered)}`);
      out(`outbox events since the webhook ${events}; deliveries ${status.byStatus}; attempts ${status.attempts}`);
      out(`PostgreSQL               ${describeDb(dbAtPurchase, await dbTransactions(stores.url), 'all received + 5 s')}`);
    }

    if (down) {
      const atPurchased = await deliveryStatus(stores.url);
      await new Promise((r) => setTimeout(r, DOWN_AFTER_MS));
      sampler.stop();
      const cpuAtEnd = await cpu.snapshot();
      const end = await deliveryStatus(stores.url);
      const jobs = await deliveryQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed');
      const what = scenario === 'down' ? `closed port ${closedPort}` : `server answering 503 (${receiver?.requests ?? 0} requests reached it)`;
      out(`receiver                 ${what}; WEBHOOK_RETRY_BASE_MS=1000`);
      workers.forEach((w, i) => {
        const r = sampler.summary(i);
        out(`worker ${i + 1} (pid ${w.pid}) RSS  first ${r.first} MB, max ${r.max} MB, last ${r.last} MB (${sampler.samples.length} samples, 1 s apart, to ${s(DOWN_AFTER_MS)} after PURCHASED)`);
        const marks = [0, 0.25, 0.5, 0.75, 1].map((f) => `${f ? `+${s(f * DOWN_AFTER_MS)}` : 'PURCHASED'} ${sampler.near(i, purchasedAt + f * DOWN_AFTER_MS)}`);
        out(`worker ${i + 1} RSS after         ${marks.join(', ')} MB`);
      });
      out(`at PURCHASED             deliveries ${atPurchased.byStatus}; attempts ${atPurchased.attempts} (${atPurchased.sent} sent)`);
      out(`${s(DOWN_AFTER_MS)} later             deliveries ${end.byStatus}; attempts ${end.attempts} (${end.sent} sent)`);
      out(`attempt outcomes         ${end.outcomes}`);
      out(`CPU in the ${s(DOWN_AFTER_MS)} after  ${CpuMeter.describe(cpuAtPurchased, cpuAtEnd)}`);
      out(`delivery queue jobs      ${Object.entries(jobs).map(([k, n]) => `${k} ${n}`).join(', ')}`);
      out(`PostgreSQL               ${describeDb(dbAtPurchase, await dbTransactions(stores.url), `PURCHASED + ${s(DOWN_AFTER_MS)}`)}`);
    } else {
      sampler.stop();
    }
    if (scenario === 'baseline') {
      // Let the backends report their counters (and the last webhook pass run).
      await new Promise((r) => setTimeout(r, 3_000));
      out(`PostgreSQL               ${describeDb(dbAtPurchase, await dbTransactions(stores.url), 'PURCHASED + 3 s')}`);
    }
    out(`peak RSS (VmHWM)         api ${procMb(api.pid, 'VmHWM')} MB, ${workers.map((w, i) => `worker ${i + 1} ${procMb(w.pid, 'VmHWM')} MB`).join(', ')}`);
    return { scenario, purchasedMs, lines };
  } finally {
    for (const w of workers) await stop(w);
    await stop(api);
    await deliveryQueue.close();
    redis.disconnect();
    await receiver?.close();
    await stores.drop();
  }
}

async function main() {
  console.log(
    `bench:webhooks — ${SHIPMENTS} shipments, mock provider (default parameters), scale-out with ${WORKERS} workers; ` +
      `scenarios ${SCENARIOS.join(', ')}, ${RUNS} run(s) each (after a ${WARM_UP_SHIPMENTS}-shipment warm-up batch bought)`,
  );
  console.log(`start ${new Date().toISOString()}, load average ${load()} (1 / 5 / 15 min)`);
  const results: RunResult[] = [];
  for (let run = 1; run <= RUNS; run++) {
    for (const scenario of SCENARIOS) {
      const started = Date.now();
      const result = await runScenario(scenario);
      results.push(result);
      console.log(`\n${scenario}${RUNS > 1 ? ` (run ${run})` : ''}: ${s(Date.now() - started)} in all, load average now ${load()}`);
      for (const line of result.lines) console.log(line);
    }
  }
  console.log('\npurchase request -> PURCHASED' + (RUNS > 1 ? ` (median of ${RUNS})` : ''));
  const baseline = median(results.filter((r) => r.scenario === 'baseline').map((r) => r.purchasedMs));
  for (const scenario of SCENARIOS) {
    const m = median(results.filter((r) => r.scenario === scenario).map((r) => r.purchasedMs));
    const vs = scenario !== 'baseline' && Number.isFinite(baseline) ? ` (${m >= baseline ? '+' : ''}${(((m - baseline) / baseline) * 100).toFixed(1)} % against baseline)` : '';
    const all = RUNS > 1 ? ` [${results.filter((r) => r.scenario === scenario).map((r) => s(r.purchasedMs)).join(', ')}]` : '';
    console.log(`  ${scenario.padEnd(10)} ${s(m)}${vs}${all}`);
  }
  console.log(`end ${new Date().toISOString()}, load average ${load()}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
