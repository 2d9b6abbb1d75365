import { Worker } from 'node:worker_threads';
import type { LabelMerger, PdfMergeResult } from '@shipbatch/shipping/application';
import { PdfLabelMerger } from './pdf-label.merger';

/** The thread's code: plain JS, loading the compiled PdfLabelMerger module it is given. */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PdfLabelMerger } = require(workerData.module);
parentPort.on('message', async ({ id, docs }) => {
  try {
    const merger = await PdfLabelMerger.create();
    const skipped = [];
    for (let i = 0; i < docs.length; i++) {
      try {
        await merger.add(Buffer.from(docs[i].buffer, docs[i].byteOffset, docs[i].byteLength));
      } catch (error) {
        skipped.push({ index: i, reason: String(error) });
      }
    }
    parentPort.postMessage({ id, pdf: await merger.save(), skipped });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.stack) || error) });
  }
});
`;

type Pending = { resolve: (r: PdfMergeResult) => void; reject: (e: Error) => void };

/**
 * Merges label documents into one PDF, in process or (`MERGE_THREAD=1`) on a worker thread so
 * that pdf-lib's CPU time (about 0.06-0.3 s per 100 labels) leaves the event loop that buys
 * labels: worth it where the worker has a spare core (on the 2-core bench machine it was not
 * faster; see the README). One thread per process, started on first use and unref'd. Where
 * no thread can run the compiled merger (TypeScript sources under jest), or the thread fails,
 * it merges in process instead.
 */
export class PdfMergeThread implements LabelMerger {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly module: string | null;

  /**
   * `enabled`: use a thread at all (AppConfig's `workers.mergeThread`; default no); `module`: a
   * compiled (JS) module exporting PdfLabelMerger, by default this library's own.
   */
  constructor(
    options: { enabled?: boolean; module?: string } = {},
  ) {
    const enabled = options.enabled ?? false;
    const module = options.module ?? require.resolve('./pdf-label.merger');
    this.module = enabled && module.endsWith('.js') ? module : null;
  }

  /** Whether merges run on a thread (false: in process). */
  get threaded(): boolean {
    return this.module !== null;
  }

  async mergePdf(docs: Buffer[]): Promise<PdfMergeResult> {
    if (this.module) {
      try {
        return await this.onThread(docs);
      } catch {
        // A broken thread must not stop merging: do it here.
      }
    }
    return mergeInProcess(docs);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private onThread(docs: Buffer[]): Promise<PdfMergeResult> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<PdfMergeResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, docs });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { module: this.module } });
    worker.unref();
    worker.on('message', (m: { id: number; pdf?: Uint8Array; skipped?: PdfMergeResult['skipped']; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error || !m.pdf) p.reject(new Error(m.error ?? 'no result'));
      else p.resolve({ pdf: Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength), skipped: m.skipped ?? [] });
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`merge thread exited with ${code}`)));
    this.worker = worker;
    return worker;
  }
}

export async function mergeInProcess(docs: Buffer[]): Promise<PdfMergeResult> {
  const merger = await PdfLabelMerger.create();
  const skipped: PdfMergeResult['skipped'] = [];
  for (const [index, doc] of docs.entries()) {
    try {
      await merger.add(doc);
    } catch (error) {
      skipped.push({ index, reason: String(error) });
    }
  }
  return { pdf: await merger.save(), skipped };
}
