import { Inject, Injectable, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import {
  BatchQueriesService,
  LabelQueriesService,
  ReusableObjectsService,
  WEBHOOK_OBJECT_RENDERER,
  type WebhookObjectRenderer,
} from '@shipbatch/shipping/application';
import { type Batch, NotFoundError } from '@shipbatch/shipping/domain';
import { presentBatch, presentTransaction } from '../presenters/shippo.presenters';

/**
 * A delivery's `data`: the object the event is about, as `GET /batches/{id}` (first page of
 * shipments) or `GET /transactions/{id}` shows it when first sent, a batch with the status its
 * event announced; null when it is gone.
 */
@Injectable()
export class PresentedObjectRenderer implements WebhookObjectRenderer {
  constructor(
    private readonly batches: BatchQueriesService,
    private readonly objects: ReusableObjectsService,
    private readonly labels: LabelQueriesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async render(tenantId: string, event: string, objectId: string, eventPayload: Record<string, unknown> = {}): Promise<unknown | null> {
    try {
      if (event.startsWith('batch_')) {
        const details = await this.batches.get(tenantId, objectId, 1);
        const batch = presentBatch(details.batch as Batch, { details, baseUrl: this.config.publicBaseUrl });
        // The status the event announced (validation or purchase finished), not a later one.
        return typeof eventPayload['status'] === 'string' ? { ...batch, object_status: eventPayload['status'] } : batch;
      }
      if (event.startsWith('transaction_')) return presentTransaction(this.labels.view(await this.objects.getTransaction(tenantId, objectId)));
      return null;
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }
}

/** The renderer with what it reads through, for processes without the HTTP API (workers). */
@Module({
  providers: [
    BatchQueriesService,
    ReusableObjectsService,
    LabelQueriesService,
    PresentedObjectRenderer,
    { provide: WEBHOOK_OBJECT_RENDERER, useExisting: PresentedObjectRenderer },
  ],
  exports: [WEBHOOK_OBJECT_RENDERER],
})
export class WebhookObjectRendererModule {}
