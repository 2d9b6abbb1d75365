/**
 * npm run bench:merge-memory — the memory a merge job uses to write merged PDF files of 100
 * labels, with local storage and with S3 (an s3rver process of its own), for three ways of
 * merging:
 *
 * - `buffered`: main's merger before streaming, reproduced here: read the 100 labels into
 *   memory, build the merged PDF whole with pdf-lib, `save()` it, put the buffer;
 * - `streamed`: what the merge job does now (`PdfMergeThread` in process): labels read one at
 *   a time from storage, the file's bytes streamed into `FileStorage.put`;
 * - `streamed-thread`: the same with `MERGE_THREAD=1` (pdf-lib on a worker thread).
 *
 * Label sets: `mock-pdf` (the mock provider's PDF_4x6 labels, about 2 KB each), `mock-png`
 * (its PNG labels, 812 x 1218 px), `large-pdf` (a mock label carrying a 200 KB image: a 20 MB
 * merged file). Each combination runs in a fresh process that does one warm-up merge, then
 * BENCH_MERGE_ROUNDS (default 3) rounds of BENCH_MERGE_CONCURRENCY (default 4, as
 * MERGE_CONCURRENCY) merges at once, sampling process.memoryUsage() every 5 ms; the peak RSS is
 * the process's own high-water mark (getrusage maxRSS). A script that prints figures, never a test.
 *
 * BENCH_MERGE_SETS and BENCH_MERGE_VARIANTS (comma-separated) and BENCH_MERGE_STORAGE
 * (`local,s3`) choose what runs.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { UrlSigner } from '@shipbatch/platform/config';
import { type MockLabelContent, mockTrackingNumber, renderMockLabel } from '@shipbatch/providers/mock';
import type { FileStorage } from '@shipbatch/shipping/application';
import { LocalFileStorage } from '@shipbatch/shipping/data-access';
import { sniffLabelDocument } from '@shipbatch/shipping/domain';
import { PdfMergeThread, pngDpi } from '@shipbatch/shipping/label-merger';
import { createS3Client, S3FileStorage } from '@shipbatch/shipping/object-storage';
import { RUN_JS, startS3Server, stop } from './bench-support';

const LABELS = 100;
const ROUNDS = Number(process.env['BENCH_MERGE_ROUNDS'] ?? 3);
const CONCURRENCY = Number(process.env['BENCH_MERGE_CONCURRENCY'] ?? 4);
const BUCKET = 'shipbatch-bench';
const SETS = (process.env['BENCH_MERGE_SETS'] ?? 'mock-pdf,mock-png,large-pdf').split(',');
const VARIANTS = (process.env['BENCH_MERGE_VARIANTS'] ?? 'buffered,streamed,streamed-thread').split(',');
const STORAGES = (process.env['BENCH_MERGE_STORAGE'] ?? 'local,s3').split(',');

type Where = { storage: 'local'; dataDir: string } | { storage: 's3'; endpoint: string };

function storageFor(where: Where): FileStorage {
  const signer = new UrlSigner(randomBytes(32));
  if (where.storage === 'local') return new LocalFileStorage({ dataDir: where.dataDir, publicBaseUrl: 'http://bench' }, signer);
  const client = createS3Client(
    { endpoint: where.endpoint, region: 'us-east-1', forcePathStyle: true },
    { credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
  );
  return new S3FileStorage(client, { bucket: BUCKET, prefix: '' }, { signer, publicBaseUrl: 'http://bench' });
}

function content(i: number): MockLabelContent {
  return {
    trackingNumber: mockTrackingNumber('usps', 2_000_000 + i, 'usps_priority'),
    carrier: 'usps',
    serviceLevelToken: 'usps_priority',
    reference: `bench-${i.toString(36)}`,
    from: { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' },
    to: { name: `Customer ${i}`, street1: `${100 + i} Mission St`, city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' },
    weight: { value: 2, unit: 'lb' },
  };
}

/** A mock label carrying a 200 KB image (random grey pixels, incompressible) in its page's resources. */
async function largeLabel(i: number): Promise<Buffer> {
  const doc = await PDFDocument.load((await renderMockLabel('PDF_4x6', content(i))).content);
  const image = doc.context.stream(randomBytes(512 * 400), { Type: 'XObject', Subtype: 'Image', Width: 512, Height: 400, ColorSpace: 'DeviceGray', BitsPerComponent: 8 });
  doc.getPage(0).node.newXObject('Photo', doc.context.register(image));
  return Buffer.from(await doc.save());
}

async function makeLabels(set: string): Promise<Buffer[]> {
  const labels: Buffer[] = [];
  for (let i = 0; i < LABELS; i++) {
    if (set === 'mock-pdf') labels.push((await renderMockLabel('PDF_4x6', content(i))).content);
    else if (set === 'mock-png') labels.push((await renderMockLabel('PNG', content(i))).content);
    else labels.push(await largeLabel(i));
  }
  return labels;
}

const labelKey = (set: string, i: number) => `labels/bench/${set}/${String(i).padStart(3, '0')}.${set === 'mock-png' ? 'png' : 'pdf'}`;

/** Main's merge before streaming: every label in memory, the document whole, then one buffer. */
async function bufferedMerge(files: FileStorage, keys: string[], key: string): Promise<void> {
  const docs: Buffer[] = [];
  for (const k of keys) docs.push(await files.read(k));
  const out = await PDFDocument.create({ updateMetadata: false });
  for (const doc of docs) {
    if (sniffLabelDocument(doc) === 'pdf') {
      const src = await PDFDocument.load(doc, { updateMetadata: false });
      for (const page of await out.copyPages(src, src.getPageIndices())) out.addPage(page);
    } else {
      const image = await out.embedPng(doc);
      const dpi = pngDpi(doc);
      const [width, height] = [(image.width * 72) / dpi.x, (image.height * 72) / dpi.y];
      out.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height });
    }
  }
  await files.put(key, Buffer.from(await out.save({ useObjectStreams: false })), 'application/pdf');
}

async function* lazily(files: FileStorage, keys: string[]): AsyncGenerator<Buffer> {
  for (const k of keys) yield await files.read(k);
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One combination, in this (fresh) process; prints one JSON line. */
async function child(where: Where, set: string, variant: string): Promise<void> {
  const files = storageFor(where);
  const merger = new PdfMergeThread({ enabled: variant === 'streamed-thread' });
  const keys = Array.from({ length: LABELS }, (_, i) => labelKey(set, i));
  let n = 0;
  const mergeOne = async () => {
    const key = `batches/bench/${variant}/${set}-${n++}.pdf`;
    if (variant === 'buffered') await bufferedMerge(files, keys, key);
    else await files.put(key, merger.mergePdf(lazily(files, keys)), 'application/pdf');
    return key;
  };
  const sizeOf = async (key: string) => (await files.open(key))?.size ?? NaN;
  const warm = await mergeOne();
  const bytes = await sizeOf(warm);
  const base = process.memoryUsage();
  const samples: NodeJS.MemoryUsage[] = [];
  const timer = setInterval(() => samples.push(process.memoryUsage()), 5);
  const started = performance.now();
  for (let r = 0; r < ROUNDS; r++) await Promise.all(Array.from({ length: CONCURRENCY }, mergeOne));
  const ms = (performance.now() - started) / (ROUNDS * CONCURRENCY);
  clearInterval(timer);
  await merger.close();
  const pick = (f: (m: NodeJS.MemoryUsage) => number) => ({ peak: mb(Math.max(...samples.map(f))), median: mb(median(samples.map(f))) });
  console.log(
    JSON.stringify({
      baseRss: mb(base.rss),
      peakRss: mb(process.resourceUsage().maxRSS * 1024),
      rss: pick((m) => m.rss),
      heapUsed: pick((m) => m.heapUsed),
      buffers: pick((m) => m.arrayBuffers),
      external: pick((m) => m.external),
      samples: samples.length,
      msPerMerge: Math.round(ms),
      mergedKb: Math.round(bytes / 1024),
    }),
  );
}

function runChild(where: Where, set: string, variant: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [RUN_JS, 'tools/bench/bench-merge-memory.js', '--child', JSON.stringify({ where, set, variant })], {
      stdio: ['ignore', 'pipe', 'inherit'],
      // The AWS SDK's notice about Node versions, once per process, is no figure.
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}')) : reject(new Error(`${set}/${variant} exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    const { where, set, variant } = JSON.parse(process.argv[at + 1]) as { where: Where; set: string; variant: string };
    await child(where, set, variant);
    process.exit(0);
  }
  console.log(
    `bench:merge-memory — merged PDFs of ${LABELS} labels, ${CONCURRENCY} merges at once x ${ROUNDS} rounds after one warm-up, a fresh process each; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log('MB: peak RSS (maxRSS) | RSS median | heapUsed peak / median | arrayBuffers peak / median | external peak | ms per merge | merged file');
  const dataDir = mkdtempSync(join(tmpdir(), 'shipbatch-bench-merge-'));
  const s3 = STORAGES.includes('s3') ? await startS3Server(BUCKET) : undefined;
  try {
    const places: Where[] = [
      ...(STORAGES.includes('local') ? [{ storage: 'local' as const, dataDir }] : []),
      ...(s3 ? [{ storage: 's3' as const, endpoint: s3.env['S3_ENDPOINT'] }] : []),
    ];
    for (const set of SETS) {
      const labels = await makeLabels(set);
      const kb = Math.round(labels.reduce((a, l) => a + l.length, 0) / labels.length / 1024);
      for (const where of places) {
        const files = storageFor(where);
        for (const [i, label] of labels.entries()) await files.put(labelKey(set, i), label, 'application/octet-stream');
        for (const variant of VARIANTS) {
          const r = (await runChild(where, set, variant)) as {
            peakRss: number; baseRss: number; rss: { median: number }; heapUsed: { peak: number; median: number };
            buffers: { peak: number; median: number }; external: { peak: number }; msPerMerge: number; mergedKb: number;
          };
          console.log(
            `${where.storage.padEnd(5)} ${set.padEnd(9)} (${kb} KB/label) ${variant.padEnd(15)} ` +
              `peak RSS ${r.peakRss} (base ${r.baseRss}) | RSS med ${r.rss.median} | heap ${r.heapUsed.peak} / ${r.heapUsed.median} | ` +
              `buffers ${r.buffers.peak} / ${r.buffers.median} | external ${r.external.peak} | ${r.msPerMerge} ms | ${r.mergedKb} KB`,
          );
        }
      }
    }
  } finally {
    if (s3) {
      await stop(s3.process);
      rmSync(s3.directory, { recursive: true, force: true });
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
