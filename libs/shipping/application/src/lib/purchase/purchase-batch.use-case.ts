import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import { type Batch, NotFoundError } from '@shipbatch/shipping/domain';
import type { BatchRepository } from '../batches/batch.repository';
import { BATCH_REPOSITORY, QUEUES, SHIPPING_METRICS } from '../tokens';
import { NO_SHIPPING_METRICS, type ShippingMetrics } from '../common/shipping-metrics.port';
import { FundAheadUseCase } from '../funding/fund-ahead.use-case';
import { NativeBatchRouter } from '../native-batch/native-batch.router';
import { PURCHASE_GROUP_SIZE, purchaseGroupJobId, type PurchaseJobData } from './purchase-job-id';

/**
 * POST /batches/{id}/purchase. A VALID batch queues every shipment; a PURCHASED batch with
 * failures queues only those. Shipments go to the queue in groups of PURCHASE_GROUP_SIZE. The
 * state change is committed before any job is enqueued, so a lost enqueue is found again by the
 * reconciler. Between the two, accounts with automatic funding are topped up ahead, and large
 * shares of accounts whose provider has a batch API are handed to native batches.
 */
@Injectable()
export class PurchaseBatchUseCase {
  private readonly logger = new Logger(PurchaseBatchUseCase.name);

  constructor(
    @Inject(BATCH_REPOSITORY) private readonly batches: BatchRepository,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    private readonly fundAhead: FundAheadUseCase,
    private readonly natives: NativeBatchRouter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(SHIPPING_METRICS) private readonly metrics: ShippingMetrics = NO_SHIPPING_METRICS,
  ) {}

  async execute(tenantId: string, batchId: string): Promise<Batch> {
    const locked = await this.batches.withLockedBatch(tenantId, batchId, async (scope) => {
      const plan = scope.batch.planPurchase(await scope.counts());
      const rows = await scope.queueForPurchase(plan.kind);
      await scope.apply(plan.step);
      return { rows, plan, from: scope.batch.status, labelFiletype: scope.batch.snapshot.labelFiletype };
    });
    if (locked === null) throw new NotFoundError('Batch', batchId);
    this.metrics.batchTransition(locked.from, locked.plan.step.to);
    // A retry moves TRANSACTION_FAILED shipments back to VALID as it queues them.
    if (locked.plan.kind === 'retry_failed') this.metrics.shipmentTransitions('status', 'VALID', locked.rows.length);
    this.metrics.shipmentTransitions('purchase_state', 'QUEUED', locked.rows.length);
    // Accounts with funding on are topped up ahead when the batch would take them below their
    // minimum (never throws: the insufficient-funds path during the purchase is the safety net).
    await this.fundAhead.run(tenantId, batchId);
    // Large shares of accounts whose provider has its own batch API go through it; the rest,
    // and every retry of failed shipments, are bought one by one.
    const native = locked.plan.kind === 'all_valid' ? await this.natives.route(tenantId, batchId, locked.labelFiletype) : new Set<string>();
    this.metrics.shipmentTransitions('purchase_state', 'NATIVE', native.size);
    const queued = locked.rows.filter((row) => !native.has(row.id));
    const jobs = [];
    for (let i = 0; i < queued.length; i += PURCHASE_GROUP_SIZE) {
      const group = queued.slice(i, i + PURCHASE_GROUP_SIZE);
      jobs.push({
        data: { batchShipmentIds: group.map((row) => row.id) } satisfies PurchaseJobData,
        // The tenant is the queue's fairness group: another tenant's small batch is not queued behind this one.
        options: { jobId: purchaseGroupJobId(group[0], group.length), group: tenantId },
      });
    }
    const lane = await this.lane(tenantId, queued.length);
    await this.queue.addBulk(lane, jobs);
    this.logger.log(
      `batch ${batchId}: purchase of ${locked.rows.length} shipment(s) queued (${locked.plan.kind})${native.size > 0 ? `, ${native.size} through native batches` : ''}` +
        (lane === QUEUES.purchaseExpress ? ', express lane' : ''),
      { batch_id: batchId, tenant_id: tenantId, shipments: locked.rows.length, native_shipments: native.size, plan: locked.plan.kind, queue: lane },
    );
    const batch = await this.batches.findById(tenantId, batchId);
    if (!batch) throw new NotFoundError('Batch', batchId);
    return batch;
  }

  /**
   * The express lane when the tenant has little to buy: at most `PURCHASE_EXPRESS_MAX_SHIPMENTS`
   * shipments queued or being bought, these included (counted after they were queued). A tenant
   * with a large batch, or a stream of small ones adding up, stays on the regular lane, where
   * tenants take turns.
   */
  private async lane(tenantId: string, queued: number): Promise<string> {
    const max = this.config.workers.expressMaxShipments;
    if (queued === 0 || queued > max) return QUEUES.purchaseShipment;
    return (await this.batches.openPurchases(tenantId, max)) <= max ? QUEUES.purchaseExpress : QUEUES.purchaseShipment;
  }
}
