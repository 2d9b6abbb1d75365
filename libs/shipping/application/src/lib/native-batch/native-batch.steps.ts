import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type NativeBatchSettings } from '@shipbatch/platform/config';
import {
  isProviderError,
  type LabelFileType,
  type LabelProvider,
  type NativeBatchPort,
  type ProviderError,
} from '@shipbatch/providers/core';
import {
  NATIVE_BATCH_BEFORE_PURCHASE,
  NATIVE_BATCH_SETTLED,
  NATIVE_BATCH_TRANSITIONS as NATIVE,
  type NativeBatchState,
  type NativeBatchTransition,
  toState,
} from '@shipbatch/shipping/domain';
import type { NativeBatchRecord, NativeBatchRepository } from './native-batch.repository';
import { NATIVE_BATCH_REPOSITORY } from '../tokens';
import { NativeBatchCollector } from './native-batch.collector';
import { NativeBatchCreation } from './native-batch.creation';
import { FIRST_POLL_MS, NATIVE_COLLECT_CHECK_MS, NATIVE_MAX_FAILURES, NATIVE_MAX_POLLS, type NextRun } from './native-batch.jobs';
import { NativeBatchPages } from './native-batch.pages';
import { messagesOr, NativeBatchSettlement } from './native-batch.settlement';

/**
 * The steps of a native batch, one per job run (NativeBatchUseCase runs them under the row's
 * lease and rings what they ask for next). Buys a carrier account's share of a batch (one group of it) through its provider's batch
 * API (NativeBatchPort), as one resumable sequence of steps, one per job run, each recorded
 * before the next; the same for every provider:
 *
 *   CREATING            prepare the shipments, a chunk at a time, recording each one's provider
 *                       id (when the port prepares); record that a create is sent, then create
 *                       the provider batch (or find the one an earlier create made) -> CREATED
 *   CREATED             poll until READY; fail what `review` found invalid (removed) -> VALIDATED
 *   VALIDATED           -> PURCHASE_REQUESTED (recorded first), then ask the provider to buy it
 *   PURCHASE_REQUESTED  poll until PURCHASED -> PURCHASED; a purchase never acknowledged whose
 *                       provider batch is still READY `NATIVE_BATCH_PURCHASE_UNTAKEN_SECONDS` later was not
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
export class NativeBatchSteps {
  private readonly logger = new Logger(NativeBatchSteps.name);
  /** Next steps asked for during a run, rung once its lease is released (else the next run would find it held). */
  private readonly pending = new Map<string, NextRun[]>();
  /** The longest poll wait (`pollMs`) and how long an unacknowledged purchase waits (`purchaseUntakenMs`). */
  private readonly settings: NativeBatchSettings;

  constructor(
    @Inject(NATIVE_BATCH_REPOSITORY) private readonly natives: NativeBatchRepository,
    private readonly settle: NativeBatchSettlement,
    private readonly collector: NativeBatchCollector,
    private readonly creation: NativeBatchCreation,
    private readonly pages: NativeBatchPages,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'workers'>,
  ) {
    this.settings = config.workers.nativeBatch;
  }

  /** Runs the step the native batch is at (leased by the caller); answers the next steps it asked for. */
  async run(nb: NativeBatchRecord): Promise<NextRun[]> {
    const next: NextRun[] = [];
    this.pending.set(nb.id, next);
    try {
      await this.runStep(nb);
      return next;
    } finally {
      this.pending.delete(nb.id);
    }
  }

  private later(nativeBatchId: string, delayMs: number, step: string): void {
    this.pending.get(nativeBatchId)?.push({ delayMs, step });
  }

  private async runStep(nb: NativeBatchRecord): Promise<void> {
    if (NATIVE_BATCH_SETTLED.includes(nb.state)) return; // settled: nothing to give up or retry
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
      default:
        return nb.state satisfies never;
    }
  }

  /** Moves the native batch by the machine's transition `name` from `from` (its state as read); false when it was no longer there. */
  private move(nb: NativeBatchRecord, name: NativeBatchTransition, from: NativeBatchState = nb.state): Promise<boolean> {
    return this.natives.move(nb.id, from, toState(NATIVE, name));
  }

  private async create(nb: NativeBatchRecord, port: NativeBatchPort): Promise<void> {
    let ours = await this.natives.shipments(nb.id);
    if (ours.length === 0) {
      await this.move(nb, 'nothing_to_buy');
      return;
    }
    if (port.prepare && ours.some((s) => !s.nativeShipmentId)) {
      if (await this.creation.prepare(nb, port, ours.filter((s) => !s.nativeShipmentId))) {
        this.later(nb.id, 0, 'prepare');
        return;
      }
      ours = await this.natives.shipments(nb.id);
      if (ours.length === 0) {
        await this.move(nb, 'nothing_to_buy');
        return;
      }
    }
    const providerBatchId = await this.creation.findOrCreate(nb, port, ours);
    if (await this.natives.recordCreated(nb.id, providerBatchId)) {
      this.logger.log(`batch ${nb.batchId}: native batch ${nb.id} is provider batch ${providerBatchId} (${ours.length} shipments)`, {
        ...this.fields(nb),
        provider_batch_id: providerBatchId,
      });
      this.later(nb.id, this.pollDelay(0), 'created');
    }
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
    if (!(await this.move(nb, 'validated'))) return;
    const validated: NativeBatchRecord = { ...nb, state: toState(NATIVE, 'validated'), polls: 0 };
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
      await this.move(nb, 'nothing_to_buy');
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
        this.later(nb.id, this.pollDelay(0), 'purchase-unknown');
        return;
      }
      // Refused before it took effect (4xx, 429, a paced slot too far away): ask again later.
      await this.move(nb, 'purchase_refused', toState(NATIVE, 'purchase_requested'));
      throw error;
    }
    await this.natives.recordPurchaseAnswered(nb.id);
    this.logger.log(`batch ${nb.batchId}: native batch ${nb.id}: purchase of provider batch ${nb.providerBatchId} asked for (${ours.length} shipments)`, this.fields(nb));
    this.later(nb.id, this.pollDelay(0), 'purchase-requested');
  }

  private async awaitPurchase(nb: NativeBatchRecord, port: NativeBatchPort): Promise<void> {
    const status = await port.status(this.providerId(nb));
    if (status === 'READY' && this.untaken(nb)) {
      this.logger.warn(
        `batch ${nb.batchId}: native batch ${nb.id}: the purchase of provider batch ${nb.providerBatchId} was never acknowledged and the batch is still unpurchased ${this.settings.purchaseUntakenMs / 1000} s later; its shipments are bought one by one, looked up first`,
        this.fields(nb),
      );
      await this.settle.abandon(nb, true);
      return;
    }
    // FAILED after the purchase was asked for: the lists tell what it bought before failing.
    if (status !== 'PURCHASED' && status !== 'FAILED') return this.poll(nb, 'purchasing');
    // Purchased: its pages are planned and rung in this run.
    if (!(await this.move(nb, 'purchased'))) return;
    const bought: NativeBatchRecord = { ...nb, state: toState(NATIVE, 'purchased'), polls: 0 };
    try {
      await this.collect(bought, port);
    } catch (error) {
      if (!isProviderError(error)) throw error;
      await this.afterProviderError(bought, error);
    }
  }

  /** Collects the purchased provider batch's pages (NativeBatchPages); looks again while pages are left. */
  private async collect(nb: NativeBatchRecord, port: NativeBatchPort): Promise<void> {
    if ((await this.pages.collect(nb, this.providerId(nb), port)) === 'open') this.later(nb.id, NATIVE_COLLECT_CHECK_MS, 'collect-check');
  }

  private async poll(nb: NativeBatchRecord, what: 'validating' | 'purchasing'): Promise<void> {
    if (nb.polls >= NATIVE_MAX_POLLS) {
      if (what === 'validating') {
        await this.giveUp(nb, `the provider batch ${nb.providerBatchId} was still validating after ${nb.polls} reads`);
        return;
      }
      // Purchase was asked for: never bought blind, never asked twice.
      await this.settle.failAll(nb, `the provider batch ${nb.providerBatchId} was asked to buy this label and did not finish after ${nb.polls} reads; check the provider account before purchasing it again`);
      return;
    }
    await this.natives.count(nb.id, 'polls');
    this.later(nb.id, this.pollDelay(nb.polls + 1), `${what}-${nb.polls + 1}`);
  }

  /** A failed provider call: retry the step with backoff, or (before purchase) give the shipments back. */
  private async afterProviderError(nb: NativeBatchRecord, error: ProviderError): Promise<void> {
    if (error.code === 'rate_limited') {
      // A 429 (or a paced slot too far away) is the provider's pace, not a failure: never counted.
      this.later(nb.id, Math.max(error.retryAfterMs ?? 0, 1_000), `rate-limited-${Date.now()}`);
      return;
    }
    const beforePurchase = NATIVE_BATCH_BEFORE_PURCHASE.includes(nb.state);
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
    await this.settle.failAll(nb, `reading the provider batch failed: ${error.message}`);
  }

  /** Before purchase: the native path is abandoned and its shipments bought one by one. */
  private async giveUp(nb: NativeBatchRecord, why: string, lookupRequired = false): Promise<void> {
    this.logger.warn(`batch ${nb.batchId}: native batch ${nb.id}: ${why}; its shipments are bought one by one`, this.fields(nb));
    await this.settle.abandon(nb, lookupRequired);
  }

  /** The wait before poll number `polls` (from 0): FIRST_POLL_MS, doubling, at most `pollMs`. */
  private pollDelay(polls: number): number {
    return Math.min(this.settings.pollMs, FIRST_POLL_MS * 2 ** Math.min(polls, 20));
  }

  /** Asked for without an answer, `purchaseUntakenMs` ago or more. */
  private untaken(nb: NativeBatchRecord): boolean {
    return !nb.purchaseAnsweredAt && nb.purchaseRequestedAt !== null && Date.now() - nb.purchaseRequestedAt.getTime() >= this.settings.purchaseUntakenMs;
  }

  private providerId(nb: NativeBatchRecord): string {
    if (!nb.providerBatchId) throw new Error(`native batch ${nb.id} is ${nb.state} without a provider batch id`);
    return nb.providerBatchId;
  }

  private fields(nb: NativeBatchRecord): Record<string, string> {
    return { batch_id: nb.batchId, tenant_id: nb.tenantId, native_batch_id: nb.id, carrier_account_id: nb.carrierAccountId };
  }
}

