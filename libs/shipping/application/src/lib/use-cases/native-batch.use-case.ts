import { Inject, Injectable, Logger } from '@nestjs/common';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import {
  isProviderError,
  type LabelFileType,
  type LabelProvider,
  type NativeBatchPort,
  type ProviderError,
} from '@shipbatch/providers/core';
import type { CarrierAccountRepository } from '../ports/carrier-account.repository';
import type { NativeBatchListName, NativeBatchRecord, NativeBatchRepository, NativeShipment } from '../ports/native-batch.repository';
import type { ProviderGateway } from '../ports/provider.gateway';
import { CARRIER_ACCOUNT_REPOSITORY, NATIVE_BATCH_REPOSITORY, PROVIDER_GATEWAY, QUEUES } from '../ports/tokens';
import { concurrencyLimit } from './concurrency.limit';
import { NativeBatchCollector } from './native-batch.collector';
import { type NativeBatchJobData, nativeJobId, nativePageJobId } from './native-batch.jobs';
import { messagesOr, NativeBatchSettlement } from './native-batch.settlement';

/** The longest wait between two reads of a provider batch still validating or purchasing (`NATIVE_BATCH_POLL_MS`). */
export const NATIVE_POLL_MS = Number(process.env['NATIVE_BATCH_POLL_MS'] || 2_000);
/** The first poll waits this long; each next one twice as long, up to NATIVE_POLL_MS. */
const FIRST_POLL_MS = 50;
/** Reads before giving up on a provider batch that never settles (about 30 minutes at the default). */
export const NATIVE_MAX_POLLS = 900;
/**
 * A purchase whose answer never came (a lost answer, a 5xx, a worker killed while it was out)
 * and whose provider batch is still READY this long after it was asked for
 * (`NATIVE_BATCH_PURCHASE_UNTAKEN_SECONDS`, default 300: far longer than a request can take)
 * was not made: its shipments are bought one by one, looked up first; it is never asked again.
 */
export const NATIVE_PURCHASE_UNTAKEN_MS = Number(process.env['NATIVE_BATCH_PURCHASE_UNTAKEN_SECONDS'] || 300) * 1000;
/** Retryable failures of one step before the shipments go back to single purchases. */
export const NATIVE_MAX_FAILURES = 8;
/** `prepare` chunks one step run makes (then it rings itself for the next ones), and how many at once. */
const PREPARE_CHUNKS_PER_RUN = 20;
const PREPARE_CONCURRENCY = 4;
/** While pages are being collected, the step looks again this often (finishes, or rings pages left behind). */
export const NATIVE_COLLECT_CHECK_MS = 2_000;
/**
 * How long a worker holds a native batch's step or one page (`NATIVE_BATCH_LEASE_SECONDS`,
 * default 120): longer than a step or a page takes; a worker that dies leaves it for this long.
 */
export const NATIVE_LEASE_MS = Number(process.env['NATIVE_BATCH_LEASE_SECONDS'] || 120) * 1000;

/** A next step asked for during a run. */
interface NextRun {
  delayMs: number;
  step: string;
}

/**
 * Buys a carrier account's share of a batch (one group of it) through its provider's batch
 * API (NativeBatchPort), as one resumable sequence of steps, one per job run, each recorded
 * before the next; the same for every provider:
 *
 *   CREATING            prepare the shipments, a chunk at a time, recording each one's provider
 *                       id (when the port prepares); record that a create is sent, then create
 *                       the provider batch (or find the one an earlier create made) -> CREATED
 *   CREATED             poll until READY; fail what `review` found invalid (removed) -> VALIDATED
 *   VALIDATED           -> PURCHASE_REQUESTED (recorded first), then ask the provider to buy it
 *   PURCHASE_REQUESTED  poll until PURCHASED -> PURCHASED; a purchase never acknowledged whose
 *                       provider batch is still READY NATIVE_PURCHASE_UNTAKEN_MS later was not
 *                       made: bought one by one, looked up first -> FAILED
 *   PURCHASED           record every page of every list; the pages are collected by page jobs,
 *                       any worker each (NativeBatchCollector); once all are done, what no page
 *                       settled goes back to single purchases, looked up first -> COLLECTED
 *
 * The provider batch is purchased at most once: the request is made only by the worker that
 * moved VALIDATED -> PURCHASE_REQUESTED, and a step found in PURCHASE_REQUESTED only reads.
 * Shipments the provider batch cannot take go back to single purchases.
 */
@Injectable()
export class NativeBatchUseCase {
  private readonly logger = new Logger(NativeBatchUseCase.name);
  /** Next steps asked for during a run, rung once its lease is released (else the next run would find it held). */
  private readonly pending = new Map<string, NextRun[]>();

  constructor(
    @Inject(NATIVE_BATCH_REPOSITORY) private readonly natives: NativeBatchRepository,
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    private readonly settle: NativeBatchSettlement,
    private readonly collector: NativeBatchCollector,
  ) {}

  /** Rings the next step of a native batch (now, or after `delayMs`). */
  ring(nativeBatchId: string, delayMs = 0, step = 'next'): Promise<void> {
    return this.queue.add(QUEUES.nativeBatch, { nativeBatchId } satisfies NativeBatchJobData, { delayMs, jobId: nativeJobId(nativeBatchId, step) });
  }

  /** One job: a page of a purchased provider batch, or the next step. */
  async execute(job: NativeBatchJobData): Promise<void> {
    if (job.list !== undefined && job.page !== undefined) {
      const outcome = await this.collector.collect(job.nativeBatchId, job.list, job.page);
      if (outcome === 'last') await this.ring(job.nativeBatchId, 0, 'pages-done');
      // Others left: a look once their leases could have run out, in case the worker holding one
      // died with the step's own look (one job per due time, however many pages ask for it).
      if (outcome === 'done') {
        const delayMs = NATIVE_LEASE_MS + NATIVE_COLLECT_CHECK_MS;
        const due = Math.floor((Date.now() + delayMs) / NATIVE_COLLECT_CHECK_MS);
        await this.queue.add(QUEUES.nativeBatch, { nativeBatchId: job.nativeBatchId } satisfies NativeBatchJobData, {
          delayMs,
          jobId: `native:${job.nativeBatchId}:collect-check-${due}`,
        });
      }
      return;
    }
    const nb = await this.natives.lease(job.nativeBatchId, NATIVE_LEASE_MS);
    if (!nb) return; // another worker is on it, or it is gone
    this.pending.set(nb.id, []);
    try {
      await this.run(nb);
    } finally {
      const next = this.pending.get(nb.id) ?? [];
      this.pending.delete(nb.id);
      await this.natives.release(nb.id);
      for (const n of next) await this.ring(nb.id, n.delayMs, n.step);
    }
  }

  private later(nativeBatchId: string, delayMs: number, step: string): void {
    this.pending.get(nativeBatchId)?.push({ delayMs, step });
  }

  private async run(nb: NativeBatchRecord): Promise<void> {
    if (nb.state === 'COLLECTED' || nb.state === 'FAILED') return; // settled: nothing to give up or retry
    try {
      const provider = await this.collector.providerOf(nb);
      if (!provider?.nativeBatch) {
        await this.giveUp(nb, 'the carrier account or its provider can no longer buy native batches');
        return;
      }
      await this.step(nb, provider, provider.nativeBatch);
    } catch (error) {
      if (!isProviderError(error)) throw error;
      await this.afterProviderError(nb, error);
    }
  }

  private async step(nb: NativeBatchRecord, provider: LabelProvider, port: NativeBatchPort): Promise<void> {
    switch (nb.state) {
      case 'CREATING':
        return this.create(nb, port);
      case 'CREATED':
        return this.awaitReady(nb, port);
      case 'VALIDATED':
        return this.purchase(nb, port);
      case 'PURCHASE_REQUESTED':
        return this.awaitPurchase(nb, port);
      case 'PURCHASED':
        return this.collect(nb, port);
      case 'COLLECTED':
      case 'FAILED':
        return;
    }
  }

  private async create(nb: NativeBatchRecord, port: NativeBatchPort): Promise<void> {
    let ours = await this.natives.shipments(nb.id);
    if (ours.length === 0) {
      await this.natives.move(nb.id, 'CREATING', 'COLLECTED');
      return;
    }
    if (port.prepare && ours.some((s) => !s.nativeShipmentId)) {
      if (await this.prepare(nb, port, ours.filter((s) => !s.nativeShipmentId))) {
        this.later(nb.id, 0, 'prepare');
        return;
      }
      ours = await this.natives.shipments(nb.id);
      if (ours.length === 0) {
        await this.natives.move(nb.id, 'CREATING', 'COLLECTED');
        return;
      }
    }
    const providerBatchId = await this.findOrCreate(nb, port, ours);
    if (await this.natives.recordCreated(nb.id, providerBatchId)) {
      this.logger.log(`batch ${nb.batchId}: native batch ${nb.id} is provider batch ${providerBatchId} (${ours.length} shipments)`, {
        ...this.fields(nb),
        provider_batch_id: providerBatchId,
      });
      this.later(nb.id, pollDelay(0), 'created');
    }
  }

  /**
   * Makes up to PREPARE_CHUNKS_PER_RUN chunks of shipments on the provider, recording each
   * chunk's provider ids as it comes back; true when some are left for the next run.
   */
  private async prepare(nb: NativeBatchRecord, port: NativeBatchPort, unprepared: NativeShipment[]): Promise<boolean> {
    const size = Math.max(1, port.prepareChunkSize ?? 100);
    const chunks: NativeShipment[][] = [];
    for (let i = 0; i < unprepared.length && chunks.length < PREPARE_CHUNKS_PER_RUN; i += size) chunks.push(unprepared.slice(i, i + size));
    const limit = concurrencyLimit(PREPARE_CONCURRENCY);
    const outcomes = await Promise.allSettled(chunks.map((chunk) => limit(() => this.prepareChunk(nb, port, chunk))));
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (rejected) throw rejected.reason;
    return unprepared.length > chunks.length * size;
  }

  private async prepareChunk(nb: NativeBatchRecord, port: NativeBatchPort, chunk: NativeShipment[]): Promise<void> {
    const prepare = port.prepare;
    if (!prepare) return;
    const results = await prepare.call(port, { reference: nb.id, labelFileType: nb.labelFileType as LabelFileType, commands: chunk.map(commandOf) });
    const byReference = new Map(results.map((r) => [r.reference, r]));
    const made: Array<{ shipmentId: string; nativeShipmentId: string }> = [];
    const rejected: Array<{ shipmentId: string; messages: ReturnType<typeof messagesOr> }> = [];
    const unanswered: string[] = [];
    for (const s of chunk) {
      const r = byReference.get(s.id);
      if (!r) unanswered.push(s.id);
      else if ('providerShipmentId' in r) made.push({ shipmentId: s.id, nativeShipmentId: r.providerShipmentId });
      else rejected.push({ shipmentId: s.id, messages: messagesOr(r.rejected, 'shipment_rejected', 'the provider refused this shipment') });
    }
    await this.natives.recordPrepared(nb.id, made);
    await this.settle.fail(nb, rejected);
    // Not made (nor refused) by the provider: nothing was bought for it here.
    await this.settle.giveBack(nb, unanswered, false);
  }

  /** The provider batch made by an earlier create whose answer was lost, else a new one. */
  private async findOrCreate(nb: NativeBatchRecord, port: NativeBatchPort, ours: NativeShipment[]): Promise<string> {
    if (nb.createSentAt && port.find) {
      const found = await port.find(nb.id);
      if (found) return found.providerBatchId;
    }
    await this.natives.recordCreateSent(nb.id);
    const { providerBatchId } = await port.create({
      reference: nb.id,
      batchReference: nb.batchId,
      labelFileType: nb.labelFileType as LabelFileType,
      members: ours.map((s) => (s.nativeShipmentId ? { command: commandOf(s), providerShipmentId: s.nativeShipmentId } : { command: commandOf(s) })),
    });
    return providerBatchId;
  }

  private async awaitReady(nb: NativeBatchRecord, port: NativeBatchPort): Promise<void> {
    const status = await port.status(this.providerId(nb));
    if (status === 'VALIDATING') return this.poll(nb, 'validating');
    if (status === 'FAILED') return this.giveUp(nb, `the provider batch ${nb.providerBatchId} failed before its purchase`);
    if (status !== 'READY') {
      // Never purchased by us, yet not purchasable: whatever it is, nothing is bought blind.
      return this.giveUp(nb, `the provider batch ${nb.providerBatchId} is ${status} although its purchase was never asked for`, true);
    }
    const rejected = port.review ? await port.review(this.providerId(nb)) : [];
    if (rejected.length > 0) {
      const ours = new Map((await this.natives.shipments(nb.id)).map((s) => [s.id, s]));
      const invalid = rejected.filter((r) => ours.has(r.reference));
      // What the provider found invalid is taken out of its batch (unless nothing would be left) and failed with its words.
      if (invalid.length > 0 && invalid.length < ours.size && port.remove) {
        await port.remove(this.providerId(nb), invalid.map((r) => r.providerShipmentId));
      }
      await this.settle.fail(
        nb,
        invalid.map((r) => ({ shipmentId: r.reference, messages: messagesOr(r.messages, 'invalid', 'the provider found this shipment invalid') })),
      );
    }
    // Validated: the purchase follows in this run (each step recorded before the next, as ever).
    if (!(await this.natives.move(nb.id, 'CREATED', 'VALIDATED'))) return;
    const validated: NativeBatchRecord = { ...nb, state: 'VALIDATED', polls: 0 };
    try {
      await this.purchase(validated, port);
    } catch (error) {
      if (!isProviderError(error)) throw error;
      await this.afterProviderError(validated, error);
    }
  }

  private async purchase(nb: NativeBatchRecord, port: NativeBatchPort): Promise<void> {
    const ours = await this.natives.shipments(nb.id);
    if (ours.length === 0) {
      await this.natives.move(nb.id, 'VALIDATED', 'COLLECTED');
      return;
    }
    // Recorded before the request: whoever wins this move is the only one to ask.
    if (!(await this.natives.requestPurchase(nb.id))) return;
    try {
      await port.purchase(this.providerId(nb), { labelFileType: nb.labelFileType as LabelFileType });
    } catch (error) {
      if (!isProviderError(error)) throw error;
      if (error.possiblyCommitted || error.code === 'unavailable') {
        // It may have taken (a lost answer, a 5xx): from here on the provider batch is only read,
        // whatever the failures so far (never given back to single purchases unlooked).
        this.logger.warn(`batch ${nb.batchId}: native batch ${nb.id}: the purchase of provider batch ${nb.providerBatchId} may have taken (${error.message}); it is read, never asked again`, this.fields(nb));
        this.later(nb.id, pollDelay(0), 'purchase-unknown');
        return;
      }
      // Refused before it took effect (4xx, 429, a paced slot too far away): ask again later.
      await this.natives.move(nb.id, 'PURCHASE_REQUESTED', 'VALIDATED');
      throw error;
    }
    await this.natives.recordPurchaseAnswered(nb.id);
    this.logger.log(`batch ${nb.batchId}: native batch ${nb.id}: purchase of provider batch ${nb.providerBatchId} asked for (${ours.length} shipments)`, this.fields(nb));
    this.later(nb.id, pollDelay(0), 'purchase-requested');
  }

  private async awaitPurchase(nb: NativeBatchRecord, port: NativeBatchPort): Promise<void> {
    const status = await port.status(this.providerId(nb));
    if (status === 'READY' && this.untaken(nb)) {
      this.logger.warn(
        `batch ${nb.batchId}: native batch ${nb.id}: the purchase of provider batch ${nb.providerBatchId} was never acknowledged and the batch is still unpurchased ${NATIVE_PURCHASE_UNTAKEN_MS / 1000} s later; its shipments are bought one by one, looked up first`,
        this.fields(nb),
      );
      await this.settle.giveBack(nb, (await this.natives.shipments(nb.id)).map((s) => s.id), true);
      await this.natives.move(nb.id, 'PURCHASE_REQUESTED', 'FAILED');
      return;
    }
    // FAILED after the purchase was asked for: the lists tell what it bought before failing.
    if (status !== 'PURCHASED' && status !== 'FAILED') return this.poll(nb, 'purchasing');
    if (await this.natives.move(nb.id, 'PURCHASE_REQUESTED', 'PURCHASED')) this.later(nb.id, 0, 'purchased');
  }

  /**
   * Records the pages of every list (reading page 1 of each for their count) and rings a job
   * per page not done; once every page is done, what none settled goes back to single
   * purchases, looked up first (the purchased provider batch may have bought it).
   */
  private async collect(nb: NativeBatchRecord, port: NativeBatchPort): Promise<void> {
    let pages = await this.natives.pages(nb.id);
    const planned = new Set(pages.map((p) => p.list));
    const unplanned = port.lists.filter((list) => !planned.has(list));
    for (const list of unplanned) {
      const first = await port.list(this.providerId(nb), list, 1);
      await this.natives.planPages(nb.id, list, Math.max(1, first.pages));
    }
    if (unplanned.length > 0) pages = await this.natives.pages(nb.id);
    const open = pages.filter((p) => !p.done);
    if (open.length > 0) {
      await this.ringPages(nb.id, open.filter((p) => !p.leased));
      this.later(nb.id, NATIVE_COLLECT_CHECK_MS, 'collect-check');
      return;
    }
    const left = await this.natives.shipments(nb.id);
    if (left.length > 0) {
      this.logger.warn(`batch ${nb.batchId}: native batch ${nb.id}: ${left.length} shipment(s) on no page of provider batch ${nb.providerBatchId}; bought alone, looked up first`, this.fields(nb));
      await this.settle.giveBack(nb, left.map((s) => s.id), true);
    }
    if (await this.natives.move(nb.id, 'PURCHASED', 'COLLECTED')) {
      this.logger.log(`batch ${nb.batchId}: native batch ${nb.id} collected`, this.fields(nb));
    }
  }

  /**
   * Rings the job of each page: one id per page and round, so a page whose job is waiting is not
   * rung twice; but a page a dead worker abandoned gets a new id (its old job may still count as
   * active in the queue until the queue notices the worker is gone).
   */
  private async ringPages(nativeBatchId: string, pages: Array<{ list: NativeBatchListName; page: number; failures: number; abandoned: boolean }>): Promise<void> {
    await this.queue.addBulk(
      QUEUES.nativeBatch,
      pages.map((p) => ({
        data: { nativeBatchId, list: p.list, page: p.page } satisfies NativeBatchJobData,
        options: { jobId: p.abandoned ? nativeJobId(nativeBatchId, `${p.list}-${p.page}-abandoned`) : nativePageJobId(nativeBatchId, p.list, p.page, p.failures) },
      })),
    );
  }

  private async poll(nb: NativeBatchRecord, what: 'validating' | 'purchasing'): Promise<void> {
    if (nb.polls >= NATIVE_MAX_POLLS) {
      if (what === 'validating') {
        await this.giveUp(nb, `the provider batch ${nb.providerBatchId} was still validating after ${nb.polls} reads`);
        return;
      }
      // Purchase was asked for: never bought blind, never asked twice.
      await this.failAll(nb, `the provider batch ${nb.providerBatchId} was asked to buy this label and did not finish after ${nb.polls} reads; check the provider account before purchasing it again`);
      return;
    }
    await this.natives.count(nb.id, 'polls');
    this.later(nb.id, pollDelay(nb.polls + 1), `${what}-${nb.polls + 1}`);
  }

  /** A failed provider call: retry the step with backoff, or (before purchase) give the shipments back. */
  private async afterProviderError(nb: NativeBatchRecord, error: ProviderError): Promise<void> {
    if (error.code === 'rate_limited') {
      // A 429 (or a paced slot too far away) is the provider's pace, not a failure: never counted.
      this.later(nb.id, Math.max(error.retryAfterMs ?? 0, 1_000), `rate-limited-${Date.now()}`);
      return;
    }
    const beforePurchase = nb.state === 'CREATING' || nb.state === 'CREATED' || nb.state === 'VALIDATED';
    if ((error.retryable || !beforePurchase) && nb.failures < NATIVE_MAX_FAILURES) {
      await this.natives.count(nb.id, 'failures');
      const backoff = Math.min(1000 * 2 ** nb.failures, 60_000);
      this.logger.warn(`batch ${nb.batchId}: native batch ${nb.id} step ${nb.state} failed (${error.code}): ${error.message}; again in ${backoff} ms`, {
        ...this.fields(nb),
        step: nb.state,
        code: error.code,
      });
      this.later(nb.id, Math.max(error.retryAfterMs ?? 0, backoff), `retry-${nb.failures + 1}`);
      return;
    }
    if (beforePurchase) {
      await this.giveUp(nb, `the provider batch failed at ${nb.state}: ${error.message}`);
      return;
    }
    // After purchase was asked for, labels are collected or failed, never bought again blind.
    await this.failAll(nb, `reading the provider batch failed: ${error.message}`);
  }

  private async failAll(nb: NativeBatchRecord, text: string): Promise<void> {
    const ours = await this.natives.shipments(nb.id);
    await this.settle.fail(nb, ours.map((s) => ({ shipmentId: s.id, messages: [{ source: 'shipbatch', code: 'purchase_outcome_unknown', text }] })));
    await this.natives.move(nb.id, nb.state, 'FAILED');
  }

  /** Before purchase: the native path is abandoned and its shipments bought one by one. */
  private async giveUp(nb: NativeBatchRecord, why: string, lookupRequired = false): Promise<void> {
    this.logger.warn(`batch ${nb.batchId}: native batch ${nb.id}: ${why}; its shipments are bought one by one`, this.fields(nb));
    const ours = await this.natives.shipments(nb.id);
    const afterPurchase = nb.state === 'PURCHASE_REQUESTED' || nb.state === 'PURCHASED';
    await this.settle.giveBack(nb, ours.map((s) => s.id), lookupRequired || afterPurchase);
    await this.natives.move(nb.id, nb.state, 'FAILED');
  }

  /** Asked for without an answer, NATIVE_PURCHASE_UNTAKEN_MS ago or more. */
  private untaken(nb: NativeBatchRecord): boolean {
    return !nb.purchaseAnsweredAt && nb.purchaseRequestedAt !== null && Date.now() - nb.purchaseRequestedAt.getTime() >= NATIVE_PURCHASE_UNTAKEN_MS;
  }

  private providerId(nb: NativeBatchRecord): string {
    if (!nb.providerBatchId) throw new Error(`native batch ${nb.id} is ${nb.state} without a provider batch id`);
    return nb.providerBatchId;
  }

  private fields(nb: NativeBatchRecord): Record<string, string> {
    return { batch_id: nb.batchId, tenant_id: nb.tenantId, native_batch_id: nb.id, carrier_account_id: nb.carrierAccountId };
  }
}

/** The wait before poll number `polls` (from 0): FIRST_POLL_MS, doubling, at most NATIVE_POLL_MS. */
function pollDelay(polls: number): number {
  return Math.min(NATIVE_POLL_MS, FIRST_POLL_MS * 2 ** Math.min(polls, 20));
}

/** A held shipment's purchase as the port takes it, our reference its id. */
function commandOf(s: NativeShipment) {
  return { reference: s.id, ...s.purchase.command };
}
