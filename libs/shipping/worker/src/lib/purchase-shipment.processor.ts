import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PurchaseShipmentUseCase, QUEUES } from '@shipbatch/shipping/application';

/** Buys one shipment's label. Concurrency is per worker process; provider limits are per account. */
@Processor(QUEUES.purchaseShipment, { concurrency: Number(process.env['PURCHASE_CONCURRENCY'] ?? 16) })
export class PurchaseShipmentProcessor extends WorkerHost {
  constructor(private readonly purchase: PurchaseShipmentUseCase) {
    super();
  }

  async process(job: Job<{ batchShipmentId: string }>): Promise<void> {
    await this.purchase.execute(job.data.batchShipmentId);
  }
}
