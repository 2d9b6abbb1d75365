import { Inject, Injectable, Logger } from '@nestjs/common';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import type { PurchaseRepository } from '../ports/purchase.repository';
import type { ReconcileRepository } from '../ports/reconcile.repository';
import { PURCHASE_REPOSITORY, QUEUES, RECONCILE_REPOSITORY } from '../ports/tokens';
import { purchaseJobId } from './purchase-job-id';

/** Work younger than this is assumed to still have its job in the queue. */
export const RECONCILE_STALE_MS = 60_000;

/**
 * Re-enqueues work a crash left behind; the database is the source of truth. Runs at
 * start-up (everything counts as stale) and periodically. Every handler it rings is safe
 * to run twice, so a job enqueued again is harmless.
 */
@Injectable()
export class ReconcileUseCase {
  private readonly logger = new Logger(ReconcileUseCase.name);

  constructor(
    @Inject(RECONCILE_REPOSITORY) private readonly repo: ReconcileRepository,
    @Inject(PURCHASE_REPOSITORY) private readonly purchases: PurchaseRepository,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
  ) {}

  async execute(staleMs = RECONCILE_STALE_MS): Promise<{ validations: number; purchases: number; finished: number }> {
    const counts = { validations: 0, purchases: 0, finished: 0 };
    await this.repo.exclusively(async () => {
      const validating = await this.repo.batchesValidating(staleMs);
      for (const batchId of validating) await this.queue.add(QUEUES.validateBatch, { batchId });
      counts.validations = validating.length;

      for (const batchId of await this.repo.batchesPurchasingWithNothingOpen()) {
        if (await this.purchases.finishPurchase(batchId)) counts.finished++;
      }

      const stale = await this.repo.stalePurchases(staleMs, 50_000);
      await this.queue.addBulk(
        QUEUES.purchaseShipment,
        stale.map((s) => ({
          data: { batchShipmentId: s.id },
          options: { jobId: purchaseJobId(s.id, s.queueToken) },
        })),
      );
      counts.purchases = stale.length;
    });
    if (counts.validations + counts.purchases + counts.finished > 0) {
      this.logger.log(
        `re-enqueued ${counts.validations} validation(s), ${counts.purchases} purchase(s); finished ${counts.finished} batch(es)`,
      );
    }
    return counts;
  }
}
