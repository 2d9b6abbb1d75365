import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { type PurchaseJobData, purchaseJobShipments, PurchaseShipmentUseCase, QUEUES } from '@shipbatch/shipping/application';

/**
 * The express lane's purchase jobs (a tenant with little to buy, see PurchaseBatchUseCase): slots
 * of their own (`PURCHASE_EXPRESS_CONCURRENCY`), and ahead of regular work in this process.
 */
@Processor(QUEUES.purchaseExpress)
export class PurchaseExpressProcessor extends WorkerHost {
  constructor(private readonly purchase: PurchaseShipmentUseCase) {
    super();
  }

  async process(job: Job<PurchaseJobData>): Promise<void> {
    await this.purchase.execute(purchaseJobShipments(job.data), { express: true });
  }
}
