import { Inject, Injectable, Optional } from '@nestjs/common';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import type { NativeBatchMessage } from '@shipbatch/providers/core';
import { NATIVE_BATCH_PURCHASE_ASKED, NATIVE_BATCH_TRANSITIONS, type ShipmentMessage, toState } from '@shipbatch/shipping/domain';
import type { NativeBatchRecord, NativeBatchRepository } from './native-batch.repository';
import { NATIVE_BATCH_REPOSITORY, QUEUES, SHIPPING_METRICS } from '../tokens';
import { NO_SHIPPING_METRICS, type ShippingMetrics } from '../common/shipping-metrics.port';
import { MergeLabelFilesUseCase } from '../label-files/merge-label-files.use-case';
import { purchaseJobId } from '../purchase/purchase-job-id';

/**
 * How a native batch's shipments end, from any step or page: failed with the provider's
 * messages, or given back to single purchases (looked up first when the provider batch may
 * have bought them); either way their batch's merged files are told.
 */
@Injectable()
export class NativeBatchSettlement {
  constructor(
    @Inject(NATIVE_BATCH_REPOSITORY) private readonly natives: NativeBatchRepository,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    private readonly labelFiles: MergeLabelFilesUseCase,
    @Optional() @Inject(SHIPPING_METRICS) private readonly metrics: ShippingMetrics = NO_SHIPPING_METRICS,
  ) {}

  async fail(nb: NativeBatchRecord, failures: Array<{ shipmentId: string; messages: ShipmentMessage[] }>): Promise<void> {
    if (failures.length === 0) return;
    await this.natives.fail(nb.id, failures);
    this.metrics.shipmentTransitions('purchase_state', 'FAILED', failures.length);
    this.metrics.shipmentTransitions('status', 'TRANSACTION_FAILED', failures.length);
    await this.labelFiles.afterSettled(nb.batchId, failures.map((f) => f.shipmentId));
  }

  /** NATIVE -> QUEUED, and their single purchase jobs rung. */
  async giveBack(nb: NativeBatchRecord, ids: string[], lookupRequired: boolean): Promise<void> {
    if (ids.length === 0) return;
    const requeued = await this.natives.giveBack(nb.id, ids, lookupRequired);
    this.metrics.shipmentTransitions('purchase_state', 'QUEUED', requeued.length);
    await this.queue.addBulk(
      QUEUES.purchaseShipment,
      requeued.map((r) => ({ data: { batchShipmentId: r.id }, options: { jobId: purchaseJobId(r.id, r.queueToken), group: nb.tenantId } })),
    );
  }

  /**
   * Every shipment still on the native batch fails (code purchase_outcome_unknown, `text`), and
   * the native batch with them: after its purchase was asked for, nothing is bought again blind.
   */
  async failAll(nb: NativeBatchRecord, text: string): Promise<void> {
    const ours = await this.natives.shipments(nb.id);
    await this.fail(nb, ours.map((s) => ({ shipmentId: s.id, messages: [{ source: 'shipbatch', code: 'purchase_outcome_unknown', text }] })));
    await this.natives.move(nb.id, nb.state, toState(NATIVE_BATCH_TRANSITIONS, 'failed'));
  }

  /**
   * The native path is abandoned: every shipment still on it goes back to single purchases
   * (looked up first when asked, or once the purchase was asked for), and the native batch fails.
   */
  async abandon(nb: NativeBatchRecord, lookupRequired: boolean): Promise<void> {
    const ours = await this.natives.shipments(nb.id);
    await this.giveBack(nb, ours.map((s) => s.id), lookupRequired || NATIVE_BATCH_PURCHASE_ASKED.includes(nb.state));
    await this.natives.move(nb.id, nb.state, toState(NATIVE_BATCH_TRANSITIONS, 'failed'));
  }

  /** Recorded as bought: their batch's merged files are told. */
  async bought(nb: NativeBatchRecord, ids: string[]): Promise<void> {
    if (ids.length > 0) await this.labelFiles.afterSettled(nb.batchId, ids);
  }
}

/** The provider's messages, or one saying what happened when it gave none. */
export function messagesOr(messages: NativeBatchMessage[], code: string, text: string): ShipmentMessage[] {
  return messages.length > 0 ? messages.map((m) => ({ source: m.source, code: m.code, text: m.text })) : [{ source: 'provider', code, text }];
}
