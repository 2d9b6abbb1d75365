/**
 * npm run bench:unreachable — how long a batch on a ShipStation account whose API cannot be
 * reached takes to end INVALID, for each way of not being reached:
 * - refused: the base URL points at a closed port (connection refused);
 * - 503: a server that answers every request 503;
 * - reset: a server that drops every connection before answering;
 * - black hole: a server that accepts connections and never answers (each try times out).
 * For each, BENCH_RUNS batches (BENCH_SHIPMENTS shipments each, a new carrier account each) are
 * created one after the other; the time from `POST /batches` to `INVALID` is printed, with the
 * median and the message the shipments got. Scale-out with one api and one worker process
 * (restarted per cause: the base URL is the operator's setting). A script that prints figures,
 * never a test; compiled with the apps (npm run build).
 * Needs PostgreSQL and Redis on 127.0.0.1.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { ADMIN_TOKEN, freePort, http, shipments, start, stop, throwawayStores, waitFor } from './bench-support';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
/** The black hole costs the transport's tries times its 30 s timeout a run. */
const TIMEOUT_RUNS = Number(process.env['BENCH_TIMEOUT_RUNS'] ?? 3);
const SHIPMENTS = Number(process.env['BENCH_SHIPMENTS'] ?? 10);
const CAUSES = (process.env['BENCH_CAUSES'] ?? 'refused,503,reset,blackhole').split(',');

interface Target {
  baseUrl: string;
  close(): Promise<void>;
}

async function listen(server: Server | ReturnType<typeof createHttpServer>, sockets: Set<Socket>): Promise<Target> {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

async function target(cause: string): Promise<Target> {
  const sockets = new Set<Socket>();
  switch (cause) {
    case 'refused': {
      const port = await freePort();
      return { baseUrl: `http://127.0.0.1:${port}`, close: async () => undefined };
    }
    case '503':
      return listen(
        createHttpServer((_req, res) => {
          res.writeHead(503, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: 'Service Unavailable' }] }));
        }),
        sockets,
      );
    case 'reset':
      return listen(createTcpServer((s) => s.destroy()), sockets);
    case 'blackhole':
      return listen(createTcpServer(() => undefined), sockets);
    default:
      throw new Error(`unknown cause ${cause} (refused, 503, reset, blackhole)`);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function measure(cause: string): Promise<void> {
  const runs = cause === 'blackhole' ? TIMEOUT_RUNS : RUNS;
  const down = await target(cause);
  const stores = await throwawayStores(`unreachable_${cause}`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...stores.env, SHIPSTATION_BASE_URL: down.baseUrl, LOG_LEVEL: 'warn' };
  const api = start('apps/api/src/main.js', { ...env, PORT: String(port) });
  let worker: ReturnType<typeof start> | undefined;
  try {
    await waitFor(() => http(base, 'GET', '/health'), () => true);
    worker = start('apps/worker/src/main.js', env);
    const tenant = await http(base, 'POST', '/admin/tenants', `Bearer ${ADMIN_TOKEN}`, { name: `unreachable-${cause}` });
    const key = tenant.api_key as string;
    // The worker is up once a batch on the mock validates: runs are timed from then on.
    const mock = await http(base, 'POST', '/carrier_accounts', key, { provider: 'mock', carrier: 'usps', account_id: 'warm-up', parameters: {} });
    const warmUp = await http(base, 'POST', '/batches', key, { default_carrier_account: mock.object_id, default_servicelevel_token: 'usps_priority', batch_shipments: shipments(1) });
    await waitFor(() => http(base, 'GET', `/batches/${warmUp.object_id}`, key), (b) => b.object_status === 'VALID', 50);
    const seconds: number[] = [];
    let message = '';
    for (let i = 0; i < runs; i++) {
      const account = await http(base, 'POST', '/carrier_accounts', key, {
        provider: 'shipstation',
        carrier: 'usps',
        account_id: `se-${1000 + i}`,
        parameters: { api_key: `TEST_bench_${cause}_${i}`, carrier_id: `se-${1000 + i}` },
      });
      const started = Date.now();
      const created = await http(base, 'POST', '/batches', key, {
        default_carrier_account: account.object_id,
        default_servicelevel_token: 'usps_priority',
        batch_shipments: shipments(SHIPMENTS),
      });
      const done = await waitFor(() => http(base, 'GET', `/batches/${created.object_id}`, key), (b) => b.object_status !== 'VALIDATING', 50);
      seconds.push((Date.now() - started) / 1000);
      if (done.object_status !== 'INVALID') throw new Error(`batch ${created.object_id} ended ${done.object_status}, not INVALID`);
      message = `${done.batch_shipments.results[0].messages[0].code}: ${done.batch_shipments.results[0].messages[0].text}`;
    }
    console.log(`${cause.padEnd(10)} runs ${seconds.map((s) => s.toFixed(2)).join(', ')} s; median ${median(seconds).toFixed(2)} s`);
    console.log(`${''.padEnd(10)} ${message}`);
  } finally {
    if (worker) await stop(worker);
    await stop(api);
    await down.close();
    await stores.drop();
  }
}

async function main(): Promise<void> {
  console.log(`batches of ${SHIPMENTS} shipments on an unreachable ShipStation account: POST /batches -> INVALID`);
  for (const cause of CAUSES) await measure(cause);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
