import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { type PurchaseJobData, purchaseJobShipments, PurchaseShipmentUseCase, QUEUES } from '@shipbatch/shipping/application';

/** Buys the labels of one shipment or a group of them. Concurrency is per worker process; provider limits are per account. */
@Processor(QUEUES.purchaseShipment)
export class PurchaseShipmentProcessor extends WorkerHost {
  constructor(private readonly purchase: PurchaseShipmentUseCase) {
    super();
  }

  async process(job: Job<PurchaseJobData>): Promise<void> {
    await this.purchase.execute(purchaseJobShipments(job.data));
  }
}
