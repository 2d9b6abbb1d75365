import { Inject, Injectable } from '@nestjs/common';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import { type Batch, NotFoundError } from '@shipbatch/shipping/domain';
import type { BatchRepository } from '../ports/batch.repository';
import { BATCH_REPOSITORY, QUEUES } from '../ports/tokens';
import { purchaseJobId } from './purchase-job-id';

/**
 * POST /batches/{id}/purchase. A VALID batch queues every shipment; a PURCHASED batch with
 * failures queues only those. The state change is committed before any job is enqueued, so
 * a lost enqueue is found again by the reconciler.
 */
@Injectable()
export class PurchaseBatchUseCase {
  constructor(
    @Inject(BATCH_REPOSITORY) private readonly batches: BatchRepository,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
  ) {}

  async execute(tenantId: string, batchId: string): Promise<Batch> {
    const queued = await this.batches.withLockedBatch(tenantId, batchId, async (scope) => {
      const plan = scope.batch.planPurchase(await scope.counts());
      const rows = await scope.queueForPurchase(plan.kind);
      await scope.setStatus('PURCHASING');
      return rows;
    });
    if (queued === null) throw new NotFoundError('Batch', batchId);
    await this.queue.addBulk(
      QUEUES.purchaseShipment,
      queued.map((row) => ({
        data: { batchShipmentId: row.id },
        options: { jobId: purchaseJobId(row.id, row.queueToken) },
      })),
    );
    const batch = await this.batches.findById(tenantId, batchId);
    if (!batch) throw new NotFoundError('Batch', batchId);
    return batch;
  }
}
