import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import { fitsMergedFormat, type MergedFileFormat, mergedFileFormat, sniffLabelDocument, zplBlock } from '@shipbatch/shipping/domain';
import type { FileStorage } from './file-storage';
import { FileNotFoundError } from './file-storage.errors';
import type { ChunkLabel, LabelFilesRepository, SettledChunk } from './label-files.repository';
import { FILE_STORAGE, LABEL_FILES_REPOSITORY, LABEL_MERGER, QUEUES, SHIPPING_METRICS } from '../tokens';
import { NO_SHIPPING_METRICS, type ShippingMetrics } from '../common/shipping-metrics.port';
import type { LabelMerger, SkippedLabelDocument } from './label-merger';
import { ExpressFirst, noWait, type Turn } from '../common/express-first';

/**
 * Chunks of at most this many labels are merged by the job that settled their last shipment,
 * not queued: for 10 labels that costs about what one purchase job's own steps do.
 */
export const INLINE_MERGE_MAX_LABELS = 10;

export interface MergeLabelFilesJob {
  batchId: string;
  chunk: number;
}

/** md5 of the label ids joined by ',' (PostgreSQL computes the same with md5(string_agg(...))). */
export function labelsFingerprint(labelIds: string[]): string {
  return createHash('md5').update(labelIds.join(',')).digest('hex');
}

/** Merge jobs are named by batch, chunk and the labels' fingerprint: the same work is queued once. */
export function mergeJobId(c: SettledChunk): string {
  return `merge:${c.batchId}:${c.chunk}-${c.fingerprint.slice(0, 16)}`;
}

/** Where a chunk's merged file lives: a new set of labels gets a new key, the same set the same. */
export function mergedFileKey(tenantId: string, batchId: string, chunk: number, fingerprint: string, format: MergedFileFormat): string {
  return `batches/${tenantId}/${batchId}/labels-${String(chunk + 1).padStart(3, '0')}-${fingerprint.slice(0, 12)}.${format}`;
}

/**
 * Merged label files: a batch's bought labels, in batch order, 100 to a file.
 *
 * Each shipment's chunk (floor(rank / 100) in batch order) is fixed when purchase starts.
 * When the last shipment of a chunk settles (bought or failed), `afterSettled` enqueues that
 * chunk's merge, so merging overlaps purchasing (a chunk of at most INLINE_MERGE_MAX_LABELS
 * labels it merges at once instead). `execute` (the job) merges the chunk's labels
 * into one file under a key derived from the labels it holds, records it only if the chunk
 * still holds exactly those labels, then tries to finish the batch: one conditional UPDATE
 * makes it PURCHASED with `label_file_keys` once nothing is open and every chunk's record is
 * current. Every step is safe to run twice or concurrently; `recover` (the reconciler) finds
 * what a crash left undone.
 */
@Injectable()
export class MergeLabelFilesUseCase {
  private readonly logger = new Logger(MergeLabelFilesUseCase.name);
  /** Chunks of at most this many labels are merged where they settle (0: every merge is queued, as some tests want). */
  inlineMaxLabels = INLINE_MERGE_MAX_LABELS;

  constructor(
    @Inject(LABEL_FILES_REPOSITORY) private readonly repo: LabelFilesRepository,
    @Inject(FILE_STORAGE) private readonly files: FileStorage,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    @Inject(LABEL_MERGER) private readonly merger: LabelMerger,
    @Optional() @Inject(SHIPPING_METRICS) private readonly metrics: ShippingMetrics = NO_SHIPPING_METRICS,
    @Optional() private readonly expressFirst?: ExpressFirst,
  ) {}

  /**
   * The hook of the purchase path: call it once shipments of a batch have settled (bought,
   * failed, or even put back in the queue: then nothing happens). Enqueues the merge of every
   * chunk among theirs with nothing left open.
   */
  async afterSettled(batchId: string, batchShipmentIds: string[]): Promise<void> {
    if (batchShipmentIds.length === 0) return;
    const chunks = await this.repo.settledChunks(batchId, batchShipmentIds);
    const queued: SettledChunk[] = [];
    for (const c of chunks) {
      if (c.labels > this.inlineMaxLabels) {
        queued.push(c);
        continue;
      }
      // A small chunk (a small batch, or a large one's last) is merged here and now: a few
      // milliseconds of work that would otherwise wait for a merge slot, perhaps behind other
      // tenants' 100-label merges. Should it fail, the queue does it (with its retries).
      try {
        await this.execute(batchId, c.chunk);
      } catch (error) {
        this.logger.warn(`batch ${batchId} chunk ${c.chunk}: merging in place failed (${error instanceof Error ? error.message : String(error)}); queued`);
        queued.push(c);
      }
    }
    await this.enqueue(queued);
  }

  /**
   * The merge job of one chunk. `regular`: a queued merge, whose labels are each read and added
   * as a regular step (they give way to express jobs running in this process, ExpressFirst).
   */
  async execute(batchId: string, chunk: number, options: { regular?: boolean } = {}): Promise<void> {
    const contents = await this.repo.chunkContents(batchId, chunk);
    // Gone, or reopened by a new purchase: the chunk's last shipment to settle enqueues it again.
    if (!contents || contents.open) return;
    const fingerprint = labelsFingerprint(contents.labels.map((l) => l.labelId));
    let key: string | null = null;
    if (contents.labels.length > 0) {
      const format = mergedFileFormat(contents.labelFiletype);
      key = mergedFileKey(contents.tenantId, batchId, chunk, fingerprint, format);
      const done = contents.recorded?.fingerprint === fingerprint && contents.recorded.fileKey === key;
      const first = this.expressFirst;
      const turn: Turn = options.regular && first ? () => first.regularTurn() : noWait;
      if (!done || !(await this.files.exists(key))) await this.write(key, format, contents.labels, turn);
    }
    const { recorded } = await this.repo.recordChunkFile(batchId, chunk, fingerprint, key, contents.labels.length);
    if (!recorded) {
      // The chunk changed while we merged (a re-purchase reopened it): its next merge records it.
      this.logger.log(`batch ${batchId} chunk ${chunk}: changed while merging; left to the next merge`);
      return;
    }
    await this.finish(batchId);
  }

  /**
   * Makes a PURCHASING batch PURCHASED once nothing is open and every chunk's merged file is
   * recorded; removes the files a rebuild replaced. True when this call did it.
   */
  async finish(batchId: string): Promise<boolean> {
    if (await this.repo.hasOpenShipments(batchId)) return false;
    const finished = await this.repo.finishPurchase(batchId);
    if (!finished) return false;
    this.metrics.batchTransition('PURCHASING', 'PURCHASED');
    this.logger.log(`batch ${batchId} purchased`);
    for (const key of finished.staleKeys) {
      // Never listed again; a leftover after a crash here is only disk space.
      await this.files.delete(key).catch((error) => this.logger.warn(`could not delete ${key}: ${String(error)}`));
    }
    return true;
  }

  /** Reconciler: re-enqueues the merges a crash or a lost job left undone. Returns how many. */
  async recover(limit = 10_000): Promise<number> {
    const chunks = await this.repo.chunksNeedingMerge(limit);
    await this.enqueue(chunks);
    return chunks.length;
  }

  private async enqueue(chunks: SettledChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    await this.queue.addBulk(
      QUEUES.mergeLabelFiles,
      chunks.map((c) => ({
        data: { batchId: c.batchId, chunk: c.chunk } satisfies MergeLabelFilesJob,
        options: { jobId: mergeJobId(c), group: c.tenantId },
      })),
    );
  }

  /**
   * Merges one chunk and stores the result, streamed: labels are read one at a time as the
   * merged file is written, so memory holds about one label, not 100 (nor the merged file).
   */
  private async write(key: string, format: MergedFileFormat, labels: ChunkLabel[], turn: Turn): Promise<void> {
    if (format === 'zpl') {
      await this.files.put(key, this.zplBlocks(key, labels, turn), 'application/zpl');
      return;
    }
    // The merger (pdf-lib, on its thread when MERGE_THREAD is on) does the CPU work.
    const included: ChunkLabel[] = [];
    const skipped: SkippedLabelDocument[] = [];
    const pdf = this.merger.mergePdf(this.pdfDocuments(key, labels, included, turn), (s) => skipped.push(s));
    await this.files.put(key, pdf, 'application/pdf');
    for (const s of skipped) {
      // A broken label file would fail this job on every retry and hold the batch in
      // PURCHASING for good: leave it out, loudly.
      this.logger.error(`${key}: label ${included[s.index]?.labelId} could not be merged (${s.reason}); left out`);
    }
  }

  /** The labels' documents that can go into a PDF, read one at a time; `included` lists their labels. */
  private async *pdfDocuments(key: string, labels: ChunkLabel[], included: ChunkLabel[], turn: Turn): AsyncGenerator<Buffer> {
    for await (const { label, content } of this.labelContents(key, labels, 'pdf', turn)) {
      included.push(label);
      yield content;
    }
  }

  private async *zplBlocks(key: string, labels: ChunkLabel[], turn: Turn): AsyncGenerator<Buffer> {
    for await (const { content } of this.labelContents(key, labels, 'zpl', turn)) yield zplBlock(content);
  }

  /**
   * The labels' files that can go into `format`, read one at a time, each in a turn that lasts
   * from its read until the next one is asked for, so the merger's work on it is part of the step.
   */
  private async *labelContents(key: string, labels: ChunkLabel[], format: MergedFileFormat, turn: Turn): AsyncGenerator<{ label: ChunkLabel; content: Buffer }> {
    for (const label of labels) {
      const done = await turn();
      try {
        const content = await this.labelContent(key, label, format);
        if (content) yield { label, content };
      } finally {
        done();
      }
    }
  }

  /** A label's own file, or null (logged) when it has none or it cannot go into this format. */
  private async labelContent(key: string, label: ChunkLabel, format: MergedFileFormat): Promise<Buffer | null> {
    if (!label.fileKey) {
      this.logger.warn(`${key}: label ${label.labelId} has no stored file; left out`);
      return null;
    }
    let content: Buffer;
    try {
      content = await this.files.read(label.fileKey);
    } catch (error) {
      if (!(error instanceof FileNotFoundError)) throw error; // storage trouble: retry the job
      this.logger.error(`${key}: label ${label.labelId}'s file ${label.fileKey} is missing; left out`);
      return null;
    }
    const kind = sniffLabelDocument(content);
    if (!fitsMergedFormat(kind, format)) {
      this.logger.warn(`${key}: label ${label.labelId} is ${kind}, which cannot go into a ${format} file; left out`);
      return null;
    }
    return content;
  }
}
