import { Inject, Injectable, Logger } from '@nestjs/common';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import {
  isProviderError,
  type LabelFileType,
  type LabelProvider,
  type NativeBatchPort,
  type NativeBatchShipmentState,
} from '@shipbatch/providers/core';
import type { ShipmentMessage } from '@shipbatch/shipping/domain';
import type { CarrierAccountRepository } from '../ports/carrier-account.repository';
import type { NativeBatchRecord, NativeBatchRepository } from '../ports/native-batch.repository';
import type { ProviderGateway } from '../ports/provider.gateway';
import type { ClaimedPurchase, PurchasedItem, PurchaseRepository } from '../ports/purchase.repository';
import { CARRIER_ACCOUNT_REPOSITORY, NATIVE_BATCH_REPOSITORY, PROVIDER_GATEWAY, PURCHASE_REPOSITORY, QUEUES } from '../ports/tokens';
import { MergeLabelFilesUseCase } from './merge-label-files.use-case';
import { purchaseJobId } from './purchase-job-id';
import { PurchasedLabelFiles } from './purchased-label.files';

/** How long to wait between two reads of a provider batch that is still validating or purchasing. */
export const NATIVE_POLL_MS = Number(process.env['NATIVE_BATCH_POLL_MS'] || 2_000);
/** Reads before giving up on a provider batch that never settles (30 minutes at the default). */
export const NATIVE_MAX_POLLS = 900;
/** Labels read at once while collecting (each is a read or two and a file download; the pacer keeps the rate). */
export const NATIVE_LABEL_CONCURRENCY = 16;
/** Retryable failures of one step before the shipments go back to single purchases. */
export const NATIVE_MAX_FAILURES = 8;
/**
 * How long a worker holds a native batch's step (`NATIVE_BATCH_LEASE_SECONDS`, default 120):
 * longer than a step takes (one page of labels); a worker that dies leaves it for this long.
 */
const LEASE_MS = Number(process.env['NATIVE_BATCH_LEASE_SECONDS'] || 120) * 1000;

/** The job of one native batch: `{nativeBatchId}`; each run takes one step and rings the next. */
export interface NativeBatchJobData {
  nativeBatchId: string;
  /**
   * While collecting: the provider batch's page this run reads (from 1). A hint only: a run
   * without it (the reconciler's, a retry's) starts at page 1 and skips pages already collected.
   */
  page?: number;
}

/** A next step asked for during a run. */
interface NextRun {
  delayMs: number;
  step: string;
  page?: number;
}

/**
 * Buys a carrier account's share of a batch through its provider's batch API, as a resumable
 * sequence of steps, one per job run, each recorded before the next:
 *
 *   CREATING            create the provider batch (buys nothing); record its id -> CREATED
 *   CREATED             read it until validated; fail what the provider found invalid (removed
 *                       from the provider batch) -> VALIDATED
 *   VALIDATED           -> PURCHASE_REQUESTED (recorded first), then ask the provider to buy it
 *   PURCHASE_REQUESTED  read it until PURCHASED -> PURCHASED
 *   PURCHASED           read each bought shipment's label, store its file, record it (100 a run);
 *                       failures keep the provider's messages -> COLLECTED
 *
 * The provider batch is purchased at most once: the request is made only by the worker that
 * moved VALIDATED -> PURCHASE_REQUESTED, and a step found in PURCHASE_REQUESTED only reads. A
 * crash after `create` but before its id is recorded leaves an unpurchased provider batch behind
 * (nothing bought) and creates another. Shipments the provider batch cannot take go back to
 * single purchases (those look the label up by reference first).
 */
@Injectable()
export class NativeBatchUseCase {
  private readonly logger = new Logger(NativeBatchUseCase.name);

  constructor(
    @Inject(NATIVE_BATCH_REPOSITORY) private readonly natives: NativeBatchRepository,
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
    @Inject(PURCHASE_REPOSITORY) private readonly purchases: PurchaseRepository,
    private readonly files: PurchasedLabelFiles,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    private readonly labelFiles: MergeLabelFilesUseCase,
  ) {}

  /** Rings the job of a native batch (now, or after `delayMs`). */
  ring(nativeBatchId: string, delayMs = 0, step = 'next', page?: number): Promise<void> {
    const data: NativeBatchJobData = page === undefined ? { nativeBatchId } : { nativeBatchId, page };
    return this.queue.add(QUEUES.nativeBatch, data, {
      delayMs,
      jobId: nativeJobId(nativeBatchId, step),
    });
  }

  /** Next steps asked for during a run, rung once its lease is released (else the next run would find it held). */
  private readonly pending = new Map<string, NextRun[]>();

  private later(nativeBatchId: string, delayMs: number, step: string, page?: number): void {
    this.pending.get(nativeBatchId)?.push({ delayMs, step, page });
  }

  async execute(nativeBatchId: string, page?: number): Promise<void> {
    const nb = await this.natives.lease(nativeBatchId, LEASE_MS);
    if (!nb) return; // another worker is on it, or it is gone
    this.pending.set(nb.id, []);
    try {
      await this.run(nb, page ?? 1);
    } finally {
      const next = this.pending.get(nb.id) ?? [];
      this.pending.delete(nb.id);
      await this.natives.release(nb.id);
      for (const n of next) await this.ring(nb.id, n.delayMs, n.step, n.page);
    }
  }

  private async run(nb: NativeBatchRecord, page: number): Promise<void> {
    if (nb.state === 'COLLECTED' || nb.state === 'FAILED') return; // settled: nothing to give up or retry
    try {
      const provider = await this.providerOf(nb);
      if (!provider?.nativeBatch) {
        await this.giveUp(nb, 'the carrier account or its provider can no longer buy native batches');
        return;
      }
      await this.step(nb, provider, provider.nativeBatch, page);
    } catch (error) {
      if (!isProviderError(error)) throw error;
      await this.afterProviderError(nb, error);
    }
  }

  private async step(nb: NativeBatchRecord, provider: LabelProvider, port: NativeBatchPort, page: number): Promise<void> {
    switch (nb.state) {
      case 'CREATING':
        return this.create(nb, port);
      case 'CREATED':
        return this.awaitValidation(nb, port);
      case 'VALIDATED':
        return this.purchase(nb, port);
      case 'PURCHASE_REQUESTED':
        return this.awaitPurchase(nb, port);
      case 'PURCHASED':
        return this.collect(nb, provider, port, page);
      case 'COLLECTED':
      case 'FAILED':
        return;
    }
  }

  private async create(nb: NativeBatchRecord, port: NativeBatchPort): Promise<void> {
    const shipments = await this.natives.shipments(nb.id);
    if (shipments.length === 0) {
      await this.natives.move(nb.id, 'CREATING', 'COLLECTED');
      return;
    }
    const { providerBatchId } = await port.create({
      reference: nb.batchId,
      labelFileType: nb.labelFileType as LabelFileType,
      commands: shipments.map((s) => ({ reference: s.id, ...s.purchase.command })),
    });
    if (await this.natives.recordCreated(nb.id, providerBatchId)) {
      this.logger.log(`batch ${nb.batchId}: native batch ${nb.id} is provider batch ${providerBatchId} (${shipments.length} shipments)`, {
        batch_id: nb.batchId,
        tenant_id: nb.tenantId,
        native_batch_id: nb.id,
        carrier_account_id: nb.carrierAccountId,
        provider_batch_id: providerBatchId,
      });
      this.later(nb.id, NATIVE_POLL_MS, 'created');
    }
  }

  private async awaitValidation(nb: NativeBatchRecord, port: NativeBatchPort): Promise<void> {
    // A poll reads page 1 only; once validated, every page once.
    const first = await port.read(this.providerId(nb), 1);
    if (first.status === 'VALIDATING') return this.poll(nb, 'validating');
    const state = first.more ? await port.get(this.providerId(nb)) : first;
    const ours = await this.natives.shipments(nb.id);
    const byReference = new Map(state.shipments.map((s) => [s.reference, s]));
    const invalid = ours.flatMap((s) => {
      const theirs = byReference.get(s.id);
      return theirs?.status === 'INVALID' ? [{ ours: s, theirs }] : [];
    });
    const missing = ours.filter((s) => !byReference.has(s.id));
    // What the provider found invalid is reported on our shipments and taken out of its batch.
    await this.natives.fail(
      nb.id,
      invalid.map((i) => ({ shipmentId: i.ours.id, messages: messagesOf(i.theirs, 'the provider found this shipment invalid') })),
    );
    const invalidIds = invalid.map((i) => i.theirs.providerShipmentId);
    if (invalidIds.length > 0 && invalid.length < ours.length - missing.length) await port.remove(this.providerId(nb), invalidIds);
    // A shipment the provider batch does not hold is bought alone (nothing was bought for it here).
    await this.giveBackToSingles(nb, missing.map((s) => s.id), false);
    if (await this.natives.move(nb.id, 'CREATED', 'VALIDATED')) this.later(nb.id, 0, 'validated');
    if (invalid.length > 0) await this.labelFiles.afterSettled(nb.batchId, invalid.map((i) => i.ours.id));
  }

  private async purchase(nb: NativeBatchRecord, port: NativeBatchPort): Promise<void> {
    const ours = await this.natives.shipments(nb.id);
    if (ours.length === 0) {
      await this.natives.move(nb.id, 'VALIDATED', 'COLLECTED');
      return;
    }
    // Recorded before the request: whoever wins this move is the only one to ask.
    if (!(await this.natives.move(nb.id, 'VALIDATED', 'PURCHASE_REQUESTED'))) return;
    try {
      await port.purchase(this.providerId(nb));
    } catch (error) {
      if (isProviderError(error) && !error.possiblyCommitted && error.code !== 'unavailable') {
        // Refused before it took effect (4xx, a paced slot too far away): ask again later.
        await this.natives.move(nb.id, 'PURCHASE_REQUESTED', 'VALIDATED');
      }
      throw error;
    }
    this.later(nb.id, NATIVE_POLL_MS, 'purchase-requested');
  }

  private async awaitPurchase(nb: NativeBatchRecord, port: NativeBatchPort): Promise<void> {
    const { status } = await port.read(this.providerId(nb), 1);
    if (status !== 'PURCHASED') return this.poll(nb, 'purchasing');
    if (await this.natives.move(nb.id, 'PURCHASE_REQUESTED', 'PURCHASED')) this.later(nb.id, 0, 'purchased');
  }

  /**
   * Records the bought labels (or failures) of one page of the provider batch (100 at Shippo),
   * then rings the run for the next page. Pages holding nothing left of ours are skipped. Once
   * the last page is read, a shipment of ours found on no page was not bought by the purchased
   * provider batch as far as it tells: it goes back to single purchases, looked up first.
   */
  private async collect(nb: NativeBatchRecord, provider: LabelProvider, port: NativeBatchPort, fromPage: number): Promise<void> {
    const left = new Map((await this.natives.shipments(nb.id)).map((c) => [c.id, c]));
    if (left.size === 0) {
      await this.natives.move(nb.id, 'PURCHASED', 'COLLECTED');
      this.logger.log(`batch ${nb.batchId}: native batch ${nb.id} collected`, { batch_id: nb.batchId, tenant_id: nb.tenantId, native_batch_id: nb.id, carrier_account_id: nb.carrierAccountId });
      return;
    }
    let page = fromPage;
    let read = await port.read(this.providerId(nb), page);
    // Pages collected by earlier runs (a run without the page hint starts at 1).
    while (read.more && !read.shipments.some((s) => left.has(s.reference))) read = await port.read(this.providerId(nb), ++page);
    const onPage = read.shipments.flatMap((theirs) => {
      const claim = left.get(theirs.reference);
      return claim ? [{ claim, theirs }] : [];
    });
    const bought: PurchasedItem[] = [];
    const failed: Array<{ shipmentId: string; messages: ShipmentMessage[] }> = [];
    const unread: ClaimedPurchase[] = [];
    try {
      for (let i = 0; i < onPage.length; i += NATIVE_LABEL_CONCURRENCY) {
        const outcomes = await Promise.allSettled(
          onPage.slice(i, i + NATIVE_LABEL_CONCURRENCY).map(async ({ claim, theirs }) => {
            if (theirs.status === 'PURCHASED' && theirs.providerLabelId) {
              const label = await port.label(theirs);
              bought.push({ claim, label, file: await this.files.store(claim, label, provider) });
            } else if (theirs.status === 'FAILED' || theirs.status === 'INVALID') {
              failed.push({ shipmentId: claim.id, messages: messagesOf(theirs, 'the provider could not buy this label') });
            } else {
              unread.push(claim);
            }
          }),
        );
        const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
        if (rejected) throw rejected.reason;
      }
    } finally {
      // What was collected is kept even when a later label read fails.
      await this.purchases.recordPurchasedMany(bought);
    }
    await this.natives.fail(nb.id, failed);
    for (const { claim } of onPage) left.delete(claim.id);
    // In the purchased provider batch but neither bought nor failed; or, after the last page of
    // a walk from page 1, on no page at all: it may still have been bought, so looked up first.
    const orphans = !read.more && fromPage === 1 ? [...left.values()] : [];
    await this.giveBackToSingles(nb, [...unread, ...orphans].map((c) => c.id), true);
    await this.labelFiles.afterSettled(nb.batchId, [...onPage.map((o) => o.claim), ...orphans].map((c) => c.id));
    if (read.more) this.later(nb.id, 0, `collect-page-${page + 1}`, page + 1);
    else if (left.size > orphans.length) this.later(nb.id, 0, 'collect-again', 1); // earlier pages left something: walk again
    else this.later(nb.id, 0, 'collect-done');
  }

  private async poll(nb: NativeBatchRecord, what: 'validating' | 'purchasing'): Promise<void> {
    if (nb.polls >= NATIVE_MAX_POLLS) {
      if (what === 'validating') {
        await this.giveUp(nb, `the provider batch ${nb.providerBatchId} was still validating after ${nb.polls} reads`);
      } else {
        // Purchase was asked for: never bought blind, never asked twice.
        await this.natives.fail(
          nb.id,
          (await this.natives.shipments(nb.id)).map((s) => ({
            shipmentId: s.id,
            messages: [
              {
                source: 'shipbatch',
                code: 'purchase_outcome_unknown',
                text: `the provider batch ${nb.providerBatchId} was asked to buy this label and did not finish after ${nb.polls} reads; check the provider account before purchasing it again`,
              },
            ],
          })),
        );
        await this.natives.move(nb.id, nb.state, 'FAILED');
      }
      return;
    }
    await this.natives.count(nb.id, 'polls');
    this.later(nb.id, NATIVE_POLL_MS, `${what}-${nb.polls + 1}`);
  }

  /** A failed provider call: retry the step with backoff, or (before purchase) give the shipments back. */
  private async afterProviderError(nb: NativeBatchRecord, error: { code: string; retryable: boolean; retryAfterMs?: number; message: string }): Promise<void> {
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
        batch_id: nb.batchId,
        tenant_id: nb.tenantId,
        native_batch_id: nb.id,
        carrier_account_id: nb.carrierAccountId,
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
    await this.natives.fail(
      nb.id,
      (await this.natives.shipments(nb.id)).map((s) => ({
        shipmentId: s.id,
        messages: [{ source: 'shipbatch', code: 'purchase_outcome_unknown', text: `reading the provider batch failed: ${error.message}` }],
      })),
    );
    await this.natives.move(nb.id, nb.state, 'FAILED');
  }

  /** Before purchase: the native path is abandoned and its shipments bought one by one. */
  private async giveUp(nb: NativeBatchRecord, why: string): Promise<void> {
    this.logger.warn(`batch ${nb.batchId}: native batch ${nb.id}: ${why}; its shipments are bought one by one`, { batch_id: nb.batchId, tenant_id: nb.tenantId, native_batch_id: nb.id, carrier_account_id: nb.carrierAccountId });
    const ours = await this.natives.shipments(nb.id);
    await this.giveBackToSingles(nb, ours.map((s) => s.id), nb.state === 'PURCHASE_REQUESTED' || nb.state === 'PURCHASED');
    await this.natives.move(nb.id, nb.state, 'FAILED');
  }

  private async giveBackToSingles(nb: NativeBatchRecord, ids: string[], lookupRequired: boolean): Promise<void> {
    if (ids.length === 0) return;
    const requeued = await this.natives.giveBack(nb.id, ids, lookupRequired);
    await this.queue.addBulk(
      QUEUES.purchaseShipment,
      requeued.map((r) => ({ data: { batchShipmentId: r.id }, options: { jobId: purchaseJobId(r.id, r.queueToken) } })),
    );
  }

  private async providerOf(nb: NativeBatchRecord): Promise<LabelProvider | null> {
    const account = await this.accounts.findByIdUnscoped(nb.carrierAccountId);
    if (!account || !account.active) return null;
    try {
      return this.providers.forAccount(account);
    } catch {
      return null;
    }
  }

  private providerId(nb: NativeBatchRecord): string {
    if (!nb.providerBatchId) throw new Error(`native batch ${nb.id} is ${nb.state} without a provider batch id`);
    return nb.providerBatchId;
  }
}

/**
 * A native batch's job id for one step: unique per ring (BullMQ takes a custom id with ':' only
 * when it has exactly three parts).
 */
export function nativeJobId(nativeBatchId: string, step: string): string {
  return `native:${nativeBatchId}:${step}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

function messagesOf(s: NativeBatchShipmentState, fallback: string): ShipmentMessage[] {
  return s.messages.length > 0 ? s.messages : [{ source: 'provider', code: s.status.toLowerCase(), text: fallback }];
}
