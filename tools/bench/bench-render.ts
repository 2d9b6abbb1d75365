/**
 * npm run bench:render — how long the mock provider takes to render one label document, for each
 * of the ten label file types, in this process (as the worker renders them). Prints ms per label
 * (p50, p95, mean), the first call (fonts and modules loading), bytes per label and labels per
 * second on one core. A script that prints figures, never a test.
 *
 * BENCH_RENDER_LABELS (default 2000; PNG types a quarter of it) sets the labels per type.
 */
import { loadavg } from 'node:os';
import { LABEL_FILE_TYPES, type LabelFileType } from '@shipbatch/providers/core';
import { type MockLabelContent, mockTrackingNumber, renderMockLabel } from '@shipbatch/providers/mock';

const LABELS = Number(process.env['BENCH_RENDER_LABELS'] ?? 2000);
const WARM_UP = 50;
const CARRIERS = [
  ['usps', 'usps_priority'],
  ['ups', 'ups_ground'],
  ['fedex', 'fedex_2_day'],
] as const;

function content(i: number): MockLabelContent {
  const [carrier, service] = CARRIERS[i % CARRIERS.length];
  return {
    trackingNumber: mockTrackingNumber(carrier, 1_000_000 + i, service),
    carrier,
    serviceLevelToken: service,
    reference: `bench-${i.toString(36)}-b6f0c2d4-8a1e-4f7b-9c3d`,
    from: { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' },
    to: { name: `Customer ${i}`, company: 'Hippo & Co', street1: `${100 + (i % 900)} Mission St`, street2: 'Suite 480', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' },
    weight: { value: 1 + (i % 40) / 8, unit: 'lb' },
  };
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

async function bench(type: LabelFileType) {
  const n = type.startsWith('PNG') ? Math.max(1, Math.round(LABELS / 4)) : LABELS;
  let t = performance.now();
  await renderMockLabel(type, content(0));
  const first = performance.now() - t;
  for (let i = 1; i <= WARM_UP; i++) await renderMockLabel(type, content(i));
  const ms: number[] = [];
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    t = performance.now();
    const doc = await renderMockLabel(type, content(WARM_UP + 1 + i));
    ms.push(performance.now() - t);
    bytes += doc.content.length;
  }
  const wall = performance.now() - started;
  ms.sort((a, b) => a - b);
  return { type, n, first, p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), mean: wall / n, bytes: Math.round(bytes / n), perSecond: Math.round((n / wall) * 1000) };
}

async function main() {
  // Other processes on the machine skew the tails: the load average is printed with the figures.
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`bench:render — mock label documents, ${LABELS} per type (PNG ${Math.round(LABELS / 4)}), node ${process.version}, load ${load()}\n`);
  const head = ['file type', 'labels', 'first ms', 'p50 ms', 'p95 ms', 'mean ms', 'bytes/label', 'labels/s'];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const type of LABEL_FILE_TYPES) {
    const r = await bench(type);
    const cells = [r.type, r.n, r.first.toFixed(1), r.p50.toFixed(2), r.p95.toFixed(2), r.mean.toFixed(2), r.bytes, r.perSecond];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log(`\nload average at the end: ${load()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
