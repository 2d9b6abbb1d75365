import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, linkBase } from '@shipbatch/platform/config';
import { BatchQueriesService, LabelQueriesService, type WebhookObjectRef, type WebhookObjectRenderer } from '@shipbatch/shipping/application';
import { NotFoundError } from '@shipbatch/shipping/domain';
import { presentBatch } from '../presenters/batch.presenter';
import { presentTransaction } from '../presenters/transaction.presenter';

/**
 * A delivery's `data`: the object the event is about, as `GET /batches/{id}` (first page of
 * shipments) or `GET /transactions/{id}` shows it when first sent, a batch with the status its
 * event announced; null when it is gone. Transactions are read in one query a tenant.
 */
@Injectable()
export class PresentedObjectRenderer implements WebhookObjectRenderer {
  constructor(
    private readonly batches: BatchQueriesService,
    private readonly labels: LabelQueriesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async renderMany(items: ReadonlyArray<WebhookObjectRef>): Promise<Array<unknown | null>> {
    const out: Array<unknown | null> = items.map(() => null);
    const transactions = new Map<string, number[]>();
    for (const [i, item] of items.entries()) {
      if (item.event.startsWith('transaction_')) {
        const at = transactions.get(item.tenantId) ?? [];
        at.push(i);
        transactions.set(item.tenantId, at);
      } else if (item.event.startsWith('batch_')) {
        out[i] = await this.batch(item);
      }
    }
    for (const [tenantId, indexes] of transactions) {
      const found = await this.labels.getMany(tenantId, indexes.map((i) => items[i].objectId));
      for (const i of indexes) {
        const label = found.get(items[i].objectId);
        out[i] = label ? presentTransaction(label) : null;
      }
    }
    return out;
  }

  private async batch(item: WebhookObjectRef): Promise<unknown | null> {
    try {
      const details = await this.batches.get(item.tenantId, item.objectId, 1);
      const batch = presentBatch(details.batch, { details, baseUrl: linkBase(this.config) });
      // The status the event announced (validation or purchase finished), not a later one.
      return typeof item.eventPayload['status'] === 'string' ? { ...batch, object_status: item.eventPayload['status'] } : batch;
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }
}
