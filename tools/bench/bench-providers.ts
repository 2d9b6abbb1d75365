/**
 * npm run bench:providers — 2,000 shipments bought through the ShipStation adapter from an
 * in-process fake ShipStation (real HTTP, every request checked against the OpenAPI file) with
 * a scaled rate limit and latency, in scale-out with two worker processes. Prints the elapsed
 * purchase time against its floor (paced requests made / rate), the share of requests ShipStation
 * answered 429, and the peak requests in any 10 s and 60 s. A script that prints figures, never a
 * test. Runs from its TypeScript source (it uses the fake from @shipbatch/providers/testing); the
 * api and workers are the compiled apps. Needs PostgreSQL and Redis on 127.0.0.1.
 */
import { PACE_HEADROOM, paceIntervalMs } from '@shipbatch/providers/core';
import { startFakeShipStation } from '@shipbatch/providers/testing';
import { ADMIN_TOKEN, freePort, http, start, stop, throwawayStores, waitFor } from './bench-support';

const SHIPMENTS = Number(process.env['BENCH_SHIPMENTS'] ?? 2_000);
const RATE = Number(process.env['BENCH_RATE_PER_MINUTE'] ?? 1_200);
const LATENCY_MS = Number(process.env['BENCH_LATENCY_MS'] ?? 150);
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? 2);

/** The most requests whose arrival times fall in any window of `ms`. */
function peak(times: number[], ms: number): number {
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j] - times[i] >= ms) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

async function main() {
  const fake = await startFakeShipStation({ rateLimitPerMinute: RATE, latencyMs: LATENCY_MS });
  const apiKey = 'TEST_bench_key';
  fake.addAccount({ apiKey, carriers: [{ carrierId: 'se-1000', carrierCode: 'stamps_com', balance: 1_000_000 }] });
  const stores = await throwawayStores('providers');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...stores.env, SHIPSTATION_BASE_URL: fake.url };
  const api = start('apps/api/src/main.js', { ...env, PORT: String(port) });
  const workers = [];
  try {
    await waitFor(() => http(base, 'GET', '/health'), () => true);
    for (let i = 0; i < WORKERS; i++) workers.push(start('apps/worker/src/main.js', env));
    const { api_key: key } = await http(base, 'POST', '/admin/tenants', `Bearer ${ADMIN_TOKEN}`, { name: 'bench' });
    const account = await http(base, 'POST', '/carrier_accounts', key, {
      provider: 'shipstation',
      carrier: 'usps',
      account_id: 'se-1000',
      parameters: { api_key: apiKey, carrier_id: 'se-1000', rate_limit_per_minute: RATE },
    });
    const created = await http(base, 'POST', '/batches', key, {
      default_carrier_account: account.object_id,
      default_servicelevel_token: 'usps_priority',
      batch_shipments: Array.from({ length: SHIPMENTS }, (_, i) => ({
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
    const done = await waitFor(() => http(base, 'GET', `/batches/${created.object_id}`, key), (b) => b.object_status === 'PURCHASED', 500);
    const elapsedMs = Date.now() - t0;

    // Paced requests: everything to the API after the purchase request, label file downloads aside.
    const paced = fake
      .requests()
      .filter((r) => r.at >= t0 && !r.path.startsWith('/v2/downloads'))
      .map((r) => ({ at: r.at, status: r.status }))
      .sort((a, b) => a.at - b.at);
    const times = paced.map((r) => r.at);
    const answered429 = paced.filter((r) => r.status === 429).length;
    // The floor is the provider's own limit: requests made / rate.
    const floorMs = (paced.length * 60_000) / RATE;
    const sales = fake.sales().length;
    console.log(
      `bench:providers — ${SHIPMENTS} shipments, fake ShipStation at ${RATE}/min (at most ${Math.floor(RATE / 6)} in 10 s), ` +
        `${LATENCY_MS} ms latency, scale-out with ${WORKERS} workers`,
    );
    console.log(`  PURCHASED after         ${(elapsedMs / 1000).toFixed(1)} s (${done.object_results.purchase_succeeded} bought, ${done.object_results.purchase_failed} failed)`);
    console.log(`  paced requests made     ${paced.length} (labels sold: ${sales}; label file downloads not counted)`);
    console.log(`  floor                   ${(floorMs / 1000).toFixed(1)} s (${paced.length} requests / ${RATE} a minute)`);
    console.log(`  pacing interval         ${paceIntervalMs(RATE).toFixed(1)} ms (the limit's spacing x ${PACE_HEADROOM} headroom)`);
    console.log(`  elapsed / floor         ${(elapsedMs / floorMs).toFixed(3)} (target <= 1.05)`);
    console.log(`  answered 429            ${answered429} (${((answered429 / Math.max(1, paced.length)) * 100).toFixed(2)} %, target < 1 %)`);
    console.log(`  peak in any 10 s        ${peak(times, 10_000)} (limit ${Math.floor(RATE / 6)})`);
    console.log(`  peak in any 60 s        ${peak(times, 60_000)} (limit ${RATE})`);
    console.log(`  OpenAPI violations      ${fake.violations().length}`);
  } finally {
    for (const w of workers) await stop(w);
    await stop(api);
    await stores.drop();
    await fake.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
