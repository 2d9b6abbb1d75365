import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { DeliverWebhookUseCase, QUEUES, type WebhookDeliveryJobData } from '@shipbatch/shipping/application';

/** One attempt of one webhook delivery, on its own queue: a slow receiver never holds up purchases. */
@Processor(QUEUES.webhookDelivery, { concurrency: Number(process.env['WEBHOOK_DELIVERY_CONCURRENCY'] ?? 16) })
export class WebhookDeliveryProcessor extends WorkerHost {
  constructor(private readonly deliver: DeliverWebhookUseCase) {
    super();
  }

  async process(job: Job<WebhookDeliveryJobData>): Promise<void> {
    await this.deliver.execute(job.data.deliveryId);
  }
}
