/**
 * npm run bench:webhook-retries — when a receiver that answers 500 to the first attempts of every
 * delivery (a receiver restarting, or overloaded) gets each event, in embedded mode (`npm start`)
 * with the default retry settings (WEBHOOK_RETRY_BASE_MS 10 s unless the environment says
 * otherwise): one `all` webhook, a batch of BENCH_SHIPMENTS (3) validated and bought, so
 * batch_created, a transaction_created a label and batch_purchased. For each delivery it prints
 * the times of its attempts from its first (as the receiver saw them), the gaps, and each gap
 * against the schedule's nominal delay (base x 2^(n-1); jitter takes up to 20 % off, so -20 % to
 * 0 % is on time). BENCH_FAILURES (3) failed attempts a delivery before a 200,
 * BENCH_LIMIT_SECONDS (300). A script that prints figures, never a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, freePort, http, shipments, start, stop, waitFor } from './bench-support';

const SHIPMENTS = Number(process.env['BENCH_SHIPMENTS'] ?? 3);
const FAILURES = Number(process.env['BENCH_FAILURES'] ?? 3);
const LIMIT_MS = Number(process.env['BENCH_LIMIT_SECONDS'] ?? 300) * 1000;
const BASE_MS = Number(process.env['WEBHOOK_RETRY_BASE_MS'] ?? 10_000);
const EXPECTED = SHIPMENTS + 2;

const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Answers 500 to the first FAILURES requests of each `webhook-id`, then 200; keeps the arrival times of each. */
class RestartingReceiver {
  readonly arrivals = new Map<string, { event: string; at: number[] }>();
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = String(req.headers['webhook-id'] ?? '');
        let event = '?';
        try {
          event = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event?: string }).event);
        } catch {
          /* not JSON */
        }
        const seen = this.arrivals.get(id) ?? { event, at: [] };
        seen.at.push(Date.now());
        this.arrivals.set(id, seen);
        res.writeHead(seen.at.length <= FAILURES ? 500 : 200).end();
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

async function main() {
  console.log(
    `bench:webhook-retries — embedded mode, a receiver answering 500 to the first ${FAILURES} attempts of every delivery, ` +
      `WEBHOOK_RETRY_BASE_MS=${BASE_MS}, a ${SHIPMENTS}-shipment batch (${EXPECTED} deliveries)`,
  );
  console.log(`start ${new Date().toISOString()}, load average ${load()} (1 / 5 / 15 min)`);
  const receiver = await new RestartingReceiver().start();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'shipbatch-bench-retries-'));
  const api = start('apps/api/src/main.js', { DATA_DIR: dataDir, ADMIN_TOKEN, PORT: String(port), WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', LOG_LEVEL: 'error' });
  try {
    await waitFor(() => http(base, 'GET', '/health'), () => true);
    const { api_key: key } = await http(base, 'POST', '/admin/tenants', `Bearer ${ADMIN_TOKEN}`, { name: 'bench' });
    const account = await http(base, 'POST', '/carrier_accounts', key, { provider: 'mock', carrier: 'usps', account_id: 'bench', parameters: {} });
    const webhook = await http(base, 'POST', '/webhooks', key, { url: receiver.url, event: 'all', is_test: true });
    const batch = await http(base, 'POST', '/batches', key, {
      default_carrier_account: account.object_id,
      default_servicelevel_token: 'usps_priority',
      batch_shipments: shipments(SHIPMENTS),
    });
    await waitFor(() => http(base, 'GET', `/batches/${batch.object_id}`, key), (b) => b.object_status !== 'VALIDATING');
    await http(base, 'POST', `/batches/${batch.object_id}/purchase`, key);
    await waitFor(() => http(base, 'GET', `/batches/${batch.object_id}`, key), (b) => b.object_status === 'PURCHASED', 250);
    const t0 = Date.now();
    let log: Array<{ object_id: string; event: string; status: string; attempts: number }> = [];
    try {
      log = (
        await waitFor(
          () => http(base, 'GET', `/webhooks/${webhook.object_id}/deliveries?results=100`, key),
          (r: { results: typeof log }) => r.results.length === EXPECTED && r.results.every((d) => d.status !== 'pending'),
          1_000,
          LIMIT_MS,
        )
      ).results;
    } catch {
      log = (await http(base, 'GET', `/webhooks/${webhook.object_id}/deliveries?results=100`, key)).results;
      console.log(`(not all settled ${s(Date.now() - t0)} after PURCHASED)`);
    }
    console.log(`\nper delivery: attempt times from its first (at the receiver); each gap against base x 2^(n-1)`);
    let worst = -Infinity;
    for (const d of [...log].sort((a, b) => a.event.localeCompare(b.event))) {
      const at = receiver.arrivals.get(d.object_id)?.at ?? [];
      const gaps = at.slice(1).map((t, i) => t - at[i]);
      const vs = gaps.map((g, i) => {
        const nominal = BASE_MS * 2 ** i;
        worst = Math.max(worst, (g - nominal) / nominal);
        return `${s(g)} (${g >= nominal ? '+' : ''}${(((g - nominal) / nominal) * 100).toFixed(0)} %)`;
      });
      console.log(
        `  ${d.event.padEnd(20)} ${d.status} after ${d.attempts} attempts; at ${at.map((t) => s(t - at[0])).join(', ')}; gaps ${vs.join(', ') || '-'}`,
      );
    }
    const delivered = log.filter((d) => d.status === 'succeeded' && d.attempts === FAILURES + 1).length;
    console.log(`\n${delivered} of ${EXPECTED} delivered on attempt ${FAILURES + 1}; largest gap against its nominal delay ${Number.isFinite(worst) ? `${worst >= 0 ? '+' : ''}${(worst * 100).toFixed(0)} %` : 'n/a'}`);
    console.log(`end ${new Date().toISOString()}, load average ${load()}`);
  } finally {
    await stop(api);
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
