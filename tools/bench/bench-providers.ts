/**
 * npm run bench:providers — 2,000 shipments bought through a provider adapter from an in-process
 * fake of the provider (real HTTP, every request checked against the OpenAPI file) with a
 * scaled rate limit and latency, in scale-out with two worker processes:
 * - shipstation: one label per call, paced under the limit per API key (native_batch_min_size above the share);
 * - shipstation-batch: through ShipStation's batch API (shipments in bulk, one batch, processed once,
 *   labels read by batch), every call paced under the same limit;
 * - shippo-native: through one Shippo batch (create, validate, purchase once, read each label);
 * - shippo-single: the same share through instant transactions (native_batch_min_size above it);
 * - shipstation-v1: ShipStation's legacy API v1, one order and one label per shipment (500 by
 *   default, BENCH_V1_SHIPMENTS) at a scaled limit (BENCH_V1_RATE_PER_MINUTE, default 600: 15 x the
 *   real 40) in the fake's fixed 60 s window, paced per API key and secret.
 * Prints the elapsed purchase time against its floor (for each limit, the requests it covers / its
 * rate; the slowest of them), the share of requests answered 429, the calls made and, per limit,
 * the peak requests in any 10 s and 60 s.
 * A script that prints figures, never a test. Runs from its TypeScript source (it uses the fakes
 * from the adapters' testing entry points); the api and workers are the compiled apps. Needs
 * PostgreSQL and Redis on 127.0.0.1.
 */
import { PACE_HEADROOM, paceIntervalMs } from '@shipbatch/providers/core';
import { FAKE_SHIPPO_LIMITS, type FakeShippoLimitKind, startFakeShippo } from '@shipbatch/providers/shippo/testing';
import { startFakeShipStation } from '@shipbatch/providers/shipstation/testing';
import { startFakeShipStationV1 } from '@shipbatch/providers/shipstation-v1/testing';
import { peakRequests } from '@shipbatch/providers/testing';
import { ADMIN_TOKEN, freePort, http, start, stop, throwawayStores, waitFor } from './bench-support';

const SHIPMENTS = Number(process.env['BENCH_SHIPMENTS'] ?? 2_000);
const RATE = Number(process.env['BENCH_RATE_PER_MINUTE'] ?? 1_200);
const LATENCY_MS = Number(process.env['BENCH_LATENCY_MS'] ?? 150);
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? 2);
const RUNS = (process.env['BENCH_PROVIDERS'] ?? 'shipstation,shipstation-batch,shippo-native,shippo-single,shipstation-v1').split(',');
const V1_SHIPMENTS = Number(process.env['BENCH_V1_SHIPMENTS'] ?? 500);
const V1_RATE = Number(process.env['BENCH_V1_RATE_PER_MINUTE'] ?? 600);
/** Shippo's published limits (per endpoint and verb: purchases 500 a minute, reads 4,000, batch creation 50, ...) times this. */
const SHIPPO_SCALE = Number(process.env['BENCH_SHIPPO_SCALE'] ?? 4);

interface Recorded {
  at: number;
  path: string;
  operationId?: string;
  /** Absent when no answer was sent (a fault). */
  status?: number;
}

interface Setup {
  label: string;
  /** Shipments in the batch (default BENCH_SHIPMENTS) and its label file type (default the service's). */
  shipments?: number;
  labelFileType?: string;
  env: Record<string, string>;
  account: Record<string, unknown>;
  /** The paced requests the run made (label file downloads aside), from the fake's log. */
  requests(since: number): Recorded[];
  /** The limit a request counts against: its name and calls a minute. */
  limitOf(r: Recorded): { kind: string; perMinute: number };
  extra(): string[];
  close(): Promise<void>;
}


async function shipstation(batch: boolean): Promise<Setup> {
  const fake = await startFakeShipStation({ rateLimitPerMinute: RATE, latencyMs: LATENCY_MS });
  const apiKey = 'TEST_bench_key';
  fake.addAccount({ apiKey, carriers: [{ carrierId: 'se-1000', carrierCode: 'stamps_com', balance: 1_000_000 }] });
  return {
    label: `fake ShipStation at ${RATE}/min (at most ${Math.floor(RATE / 6)} in 10 s), ${LATENCY_MS} ms latency, ${batch ? "ShipStation's batch API" : 'single purchases'}`,
    env: { SHIPSTATION_BASE_URL: fake.url },
    account: {
      provider: 'shipstation',
      carrier: 'usps',
      account_id: 'se-1000',
      parameters: { api_key: apiKey, carrier_id: 'se-1000', rate_limit_per_minute: RATE, native_batch_min_size: batch ? 50 : SHIPMENTS + 1 },
    },
    requests: (since) => fake.requests().filter((r) => r.at >= since && !r.path.startsWith('/v2/downloads')),
    limitOf: () => ({ kind: 'per API key', perMinute: RATE }),
    extra: () => {
      const batches = fake.batches();
      return [
        `labels sold            ${fake.sales().length} (${fake.sales().filter((s) => s.batch).length} through ShipStation batches)`,
        `ShipStation batches    ${batches.length}${batches.length ? `, process calls ${batches.map((b) => b.processCalls).join(', ')}, errors ${batches.map((b) => b.errors.length).join(', ')}` : ''}`,
        `OpenAPI violations     ${fake.violations().length}`,
      ];
    },
    close: () => fake.close(),
  };
}

async function shippo(native: boolean): Promise<Setup> {
  const transactions = 500 * SHIPPO_SCALE;
  const fake = await startFakeShippo({ limitScale: SHIPPO_SCALE, latencyMs: LATENCY_MS });
  const token = 'shippo_test_bench';
  fake.addAccount({ token, carrierAccounts: [{ objectId: 'bench0000000000000000000000000001', carrier: 'usps' }] });
  return {
    label:
      `fake Shippo at Shippo's limits x ${SHIPPO_SCALE} (transactions ${transactions}/min, batch creation ${50 * SHIPPO_SCALE}/min), ` +
      `${LATENCY_MS} ms latency, ${native ? 'native batch path' : 'single purchases'}`,
    env: { SHIPPO_BASE_URL: fake.url },
    account: {
      provider: 'shippo',
      carrier: 'usps',
      account_id: 'bench',
      parameters: {
        api_token: token,
        carrier_account: 'bench0000000000000000000000000001',
        rate_limit_per_minute: transactions,
        native_batch_min_size: native ? 50 : SHIPMENTS + 1,
      },
    },
    requests: (since) => fake.requests().filter((r) => r.at >= since && !r.path.startsWith('/labels/')),
    limitOf: (r) => {
      const kind = (r.operationId && r.operationId in FAKE_SHIPPO_LIMITS ? r.operationId : 'other') as FakeShippoLimitKind;
      return { kind, perMinute: FAKE_SHIPPO_LIMITS[kind] * SHIPPO_SCALE };
    },
    extra: () => {
      const batches = fake.batches();
      return [
        `labels sold            ${fake.sales().length} (${fake.sales().filter((s) => s.via === 'batch').length} through Shippo batches)`,
        `Shippo batches         ${batches.length}${batches.length ? `, purchase calls ${batches.map((b) => fake.batchPurchaseCalls(b.objectId)).join(', ')}` : ''}`,
        `OpenAPI violations     ${fake.violations().length}`,
      ];
    },
    close: () => fake.close(),
  };
}

async function shipstationV1(): Promise<Setup> {
  const fake = await startFakeShipStationV1({ rateLimit: V1_RATE, latencyMs: LATENCY_MS });
  const apiKey = 'bench_v1_key';
  fake.addAccount({ apiKey, apiSecret: 'bench_v1_secret', carriers: [{ code: 'stamps_com', balance: 1_000_000 }] });
  return {
    label: `fake ShipStation v1 at ${V1_RATE} per fixed 60 s window (at most ${Math.floor(V1_RATE / 6)} in 10 s), ${LATENCY_MS} ms latency, an order and its label per shipment`,
    shipments: V1_SHIPMENTS,
    labelFileType: 'PDF_4x6',
    env: { SHIPSTATION_V1_BASE_URL: fake.url },
    account: {
      provider: 'shipstation_v1',
      carrier: 'usps',
      account_id: 'v1-bench',
      parameters: { api_key: apiKey, api_secret: 'bench_v1_secret', carrier_code: 'stamps_com', rate_limit_per_minute: V1_RATE },
    },
    requests: (since) => fake.requests().filter((r) => r.at >= since),
    limitOf: () => ({ kind: 'per key and secret', perMinute: V1_RATE }),
    extra: () => [
      `labels sold            ${fake.sales().length}, top sales of one reference ${Math.max(0, ...[...new Set(fake.sales().map((s) => s.orderNumber))].map((n) => fake.salesFor(n)))}`,
      `OpenAPI violations     ${fake.violations().length}`,
    ],
    close: () => fake.close(),
  };
}

async function run(setup: Setup): Promise<void> {
  const shipments = setup.shipments ?? SHIPMENTS;
  const stores = await throwawayStores('providers');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...stores.env, ...setup.env };
  const api = start('apps/api/src/main.js', { ...env, PORT: String(port) });
  const workers = [];
  try {
    await waitFor(() => http(base, 'GET', '/health'), () => true);
    for (let i = 0; i < WORKERS; i++) workers.push(start('apps/worker/src/main.js', env));
    const { api_key: key } = await http(base, 'POST', '/admin/tenants', `Bearer ${ADMIN_TOKEN}`, { name: 'bench' });
    const account = await http(base, 'POST', '/carrier_accounts', key, setup.account);
    const created = await http(base, 'POST', '/batches', key, {
      default_carrier_account: account.object_id,
      default_servicelevel_token: 'usps_priority',
      ...(setup.labelFileType ? { label_filetype: setup.labelFileType } : {}),
      batch_shipments: Array.from({ length: shipments }, (_, i) => ({
        shipment: {
          address_from: { name: 'Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US', phone: '4151234567' },
          address_to: { name: `Customer ${i}`, street1: `${i} Mission St`, city: 'San Francisco', state: 'CA', zip: '94103', country: 'US', phone: '4155550100' },
          parcels: [{ length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' }],
        },
      })),
    });
    const valid = await waitFor(() => http(base, 'GET', `/batches/${created.object_id}`, key), (b) => b.object_status !== 'VALIDATING');
    if (valid.object_status !== 'VALID') throw new Error(`batch is ${valid.object_status}`);

    const t0 = Date.now();
    await http(base, 'POST', `/batches/${created.object_id}/purchase`, key);
    const done = await waitFor(() => http(base, 'GET', `/batches/${created.object_id}`, key), (b) => b.object_status === 'PURCHASED', 200);
    const elapsedMs = Date.now() - t0;

    const paced = setup.requests(t0).sort((a, b) => a.at - b.at);
    const answered429 = paced.filter((r) => r.status === 429).length;
    // The floor is the provider's own limits: for each, the requests it covers / its rate; the
    // slowest of them bounds the run (limits of different kinds are spent at the same time).
    const perLimit = new Map<string, { perMinute: number; times: number[] }>();
    for (const r of paced) {
      const { kind, perMinute } = setup.limitOf(r);
      const entry = perLimit.get(kind) ?? { perMinute, times: [] };
      entry.times.push(r.at);
      perLimit.set(kind, entry);
    }
    const floors = [...perLimit].map(([kind, l]) => ({ kind, ms: (l.times.length * 60_000) / l.perMinute, ...l }));
    const bound = floors.reduce((a, b) => (b.ms > a.ms ? b : a));
    const floorMs = bound.ms;
    const byPath = new Map<string, number>();
    for (const r of paced) {
      const kind = r.path.replace(/\/[0-9a-f]{32}|\/se-[a-z0-9-]+|\/[0-9a-z]{20,}/gi, '/{id}');
      byPath.set(kind, (byPath.get(kind) ?? 0) + 1);
    }
    console.log(`\n${setup.label}; ${shipments} shipments, scale-out with ${WORKERS} workers`);
    console.log(
      `  PURCHASED after         ${(elapsedMs / 1000).toFixed(1)} s (${done.object_results.purchase_succeeded} bought, ${done.object_results.purchase_failed} failed; ${(done.label_url ?? []).length} merged label files)`,
    );
    console.log(`  paced requests made     ${paced.length} (label file downloads not counted): ${[...byPath].map(([p, n]) => `${p} ${n}`).join(', ')}`);
    console.log(`  floor                   ${(floorMs / 1000).toFixed(1)} s (${bound.times.length} requests / ${bound.perMinute} a minute, ${bound.kind})`);
    console.log(`  pacing interval         ${paceIntervalMs(bound.perMinute).toFixed(1)} ms (that limit's spacing x ${PACE_HEADROOM} headroom)`);
    console.log(`  elapsed / floor         ${(elapsedMs / floorMs).toFixed(3)}`);
    console.log(`  answered 429            ${answered429} (${((answered429 / Math.max(1, paced.length)) * 100).toFixed(2)} %)`);
    for (const f of floors) {
      console.log(
        `  ${f.kind.padEnd(22)}  ${f.times.length} requests, floor ${(f.ms / 1000).toFixed(1)} s, peak ${peakRequests(f.times, 10_000)} in 10 s (limit ${Math.floor(f.perMinute / 6)}), ${peakRequests(f.times, 60_000)} in 60 s (limit ${f.perMinute}); ` +
          `from ${((f.times[0] - t0) / 1000).toFixed(1)} s to ${((f.times[f.times.length - 1] - t0) / 1000).toFixed(1)} s`,
      );
    }
    for (const line of setup.extra()) console.log(`  ${line}`);
  } finally {
    for (const w of workers) await stop(w);
    await stop(api);
    await stores.drop();
    await setup.close();
  }
}

async function main() {
  console.log(`bench:providers — ${RUNS.join(', ')}`);
  for (const name of RUNS) {
    if (name === 'shipstation') await run(await shipstation(false));
    else if (name === 'shipstation-batch') await run(await shipstation(true));
    else if (name === 'shippo-native') await run(await shippo(true));
    else if (name === 'shippo-single') await run(await shippo(false));
    else if (name === 'shipstation-v1') await run(await shipstationV1());
    else throw new Error(`unknown bench run '${name}' (shipstation, shipstation-batch, shippo-native, shippo-single, shipstation-v1)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
