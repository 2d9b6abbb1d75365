import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { DeliverWebhookUseCase, QUEUES, type WebhookDeliveryJobData } from '@shipbatch/shipping/application';

/**
 * One round of webhook delivery attempts (up to 32 deliveries of one webhook, sent at once), on
 * its own queue: a slow receiver never holds up purchases. `WEBHOOK_DELIVERY_CONCURRENCY` rounds
 * at once per worker process.
 */
@Processor(QUEUES.webhookDelivery)
export class WebhookDeliveryProcessor extends WorkerHost {
  constructor(private readonly deliver: DeliverWebhookUseCase) {
    super();
  }

  async process(job: Job<Partial<WebhookDeliveryJobData>>): Promise<void> {
    const { token, deliveryIds } = job.data;
    // A job of another shape (an older version's) sends nothing; its leases run out and are claimed again.
    if (typeof token !== 'string' || !Array.isArray(deliveryIds)) return;
    await this.deliver.execute(token, deliveryIds);
  }
}
