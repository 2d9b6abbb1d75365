import { Worker } from 'node:worker_threads';
import type { LabelMerger, SkippedLabelDocument } from '@shipbatch/shipping/application';
import { mergePdfStream } from './merge-pdf.stream';

/**
 * The thread's code: plain JS, loading the compiled PdfStreamWriter module it is given. One
 * writer per merge in flight; each request (start, add one label, finish) gets one answer with
 * the bytes it wrote, so a label goes in and its part of the file comes out, one at a time.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PdfStreamWriter } = require(workerData.module);
const writers = new Map();
const send = (m) => {
  const c = m.chunk;
  // Transfer a chunk's memory only when the chunk owns all of it (not a slice of Node's pool).
  const own = c && c.byteOffset === 0 && c.byteLength === c.buffer.byteLength;
  parentPort.postMessage(m, own ? [c.buffer] : []);
};
parentPort.on('message', async ({ id, op, doc }) => {
  try {
    if (op === 'start') {
      const writer = await PdfStreamWriter.create();
      writers.set(id, writer);
      send({ id, chunk: writer.header() });
    } else if (op === 'add') {
      const writer = writers.get(id);
      try {
        send({ id, chunk: await writer.add(Buffer.from(doc.buffer, doc.byteOffset, doc.byteLength)) });
      } catch (error) {
        send({ id, skipped: String(error) });
      }
    } else if (op === 'finish') {
      const writer = writers.get(id);
      writers.delete(id);
      send({ id, chunk: writer.finish() });
    } else if (op === 'abort') {
      writers.delete(id);
    }
  } catch (error) {
    writers.delete(id);
    send({ id, error: String((error && error.stack) || error) });
  }
});
`;

type Answer = { chunk?: Uint8Array; skipped?: string };
type Pending = { resolve: (a: Answer) => void; reject: (e: Error) => void };

/**
 * Merges label documents into one PDF, streamed, in process or (`MERGE_THREAD=1`) on a worker
 * thread so that pdf-lib's CPU time (about 0.06-0.3 s per 100 labels) leaves the event loop that
 * buys labels: worth it where the worker has a spare core (on the 2-core bench machine it was not
 * faster; see the README). One thread per process, started on first use and unref'd; each label
 * is posted to it when the stream wants the next bytes, and its part of the file comes back.
 * Where no thread can run the compiled writer (TypeScript sources under jest), or the thread
 * cannot start a merge, it merges in process. A thread that dies mid-merge fails that merge (its
 * write stores nothing; the job is retried) and the next merge starts a new thread.
 */
export class PdfMergeThread implements LabelMerger {
  private worker?: Worker;
  /** The requests the current thread has yet to answer, by merge. */
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly module: string | null;

  /**
   * `enabled`: use a thread at all (AppConfig's `workers.mergeThread`; default no); `module`: a
   * compiled (JS) module exporting PdfStreamWriter, by default this library's own.
   */
  constructor(options: { enabled?: boolean; module?: string } = {}) {
    const enabled = options.enabled ?? false;
    const module = options.module ?? require.resolve('./pdf-stream.writer');
    this.module = enabled && module.endsWith('.js') ? module : null;
  }

  /** Whether merges run on a thread (false: in process). */
  get threaded(): boolean {
    return this.module !== null;
  }

  mergePdf(docs: AsyncIterable<Buffer>, onSkipped?: (skipped: SkippedLabelDocument) => void): AsyncIterable<Buffer> {
    return this.module ? this.onThread(docs, onSkipped) : mergePdfStream(docs, onSkipped);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private async *onThread(docs: AsyncIterable<Buffer>, onSkipped?: (skipped: SkippedLabelDocument) => void): AsyncGenerator<Buffer> {
    const id = this.nextId++;
    let header: Answer;
    try {
      header = await this.ask(id, { op: 'start' });
    } catch {
      // A thread that cannot start a merge must not stop merging: do it here.
      yield* mergePdfStream(docs, onSkipped);
      return;
    }
    let open = true;
    try {
      yield toBuffer(header.chunk);
      let index = 0;
      for await (const doc of docs) {
        const answer = await this.ask(id, { op: 'add', doc });
        if (answer.skipped !== undefined) onSkipped?.({ index, reason: answer.skipped });
        index++;
        if (answer.chunk && answer.chunk.byteLength > 0) yield toBuffer(answer.chunk);
      }
      const last = await this.ask(id, { op: 'finish' });
      open = false;
      yield toBuffer(last.chunk);
    } finally {
      // The source failed or the reader stopped: the thread forgets this merge.
      if (open && this.worker) this.worker.postMessage({ id, op: 'abort' });
    }
  }

  private ask(id: number, message: { op: string; doc?: Buffer }): Promise<Answer> {
    const worker = this.start();
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { module: this.module } });
    worker.unref();
    const pending = new Map<number, Pending>();
    worker.on('message', (m: Answer & { id: number; error?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error) p.reject(new Error(m.error));
      else p.resolve(m);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`merge thread exited with ${code}`)));
    this.worker = worker;
    this.pending = pending;
    return worker;
  }
}

function toBuffer(chunk: Uint8Array | undefined): Buffer {
  if (!chunk) return Buffer.alloc(0);
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
