import { Inject, Injectable, Logger } from '@nestjs/common';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import type { NativeBatchRepository } from '../native-batch/native-batch.repository';
import type { ReconcileRepository } from './reconcile.repository';
import { NATIVE_BATCH_REPOSITORY, QUEUES, RECONCILE_REPOSITORY } from '../tokens';
import { type NativeBatchJobData, nativeJobId } from '../native-batch/native-batch.jobs';
import { MergeLabelFilesUseCase } from '../label-files/merge-label-files.use-case';
import { purchaseGroupJobs, purchaseJobId } from '../purchase/purchase-job-id';

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
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    private readonly labelFiles: MergeLabelFilesUseCase,
    @Inject(NATIVE_BATCH_REPOSITORY) private readonly natives: NativeBatchRepository,
  ) {}

  /**
   * `staleMs` 0 rings everything open (at start-up, and after the queue lost its jobs): safe, as
   * every handler is idempotent and leases keep a purchase to one worker. `ran` is false when
   * another reconciler (another process) held the lock, and nothing was done.
   */
  async execute(
    staleMs = RECONCILE_STALE_MS,
  ): Promise<{ ran: boolean; validations: number; purchases: number; merges: number; finished: number; natives: number }> {
    const counts = { validations: 0, purchases: 0, merges: 0, finished: 0, natives: 0 };
    const ran = await this.repo.exclusively(async () => {
      // Never a batch a validator holds (its lease is live): validations of a batch never overlap.
      const validating = await this.repo.validationsToRing(staleMs);
      for (const batchId of validating) await this.queue.add(QUEUES.validateBatch, { batchId });
      counts.validations = validating.length;

      // Merged label files: chunks settled without a current merged file (a lost job, a crash
      // mid-merge) are merged again; batches with nothing left to do are finished.
      counts.merges = await this.labelFiles.recover();

      // Native batches whose job was lost (or whose worker died mid-step) take their next step.
      const natives = await this.natives.stale(staleMs);
      for (const nativeBatchId of natives) {
        await this.queue.add(QUEUES.nativeBatch, { nativeBatchId } satisfies NativeBatchJobData, { jobId: nativeJobId(nativeBatchId, 'reconcile') });
      }
      counts.natives = natives.length;
      for (const batchId of await this.repo.batchesPurchasingWithNothingOpen()) {
        if (await this.labelFiles.finish(batchId)) counts.finished++;
      }

      const stale = await this.repo.stalePurchases(staleMs, 50_000);
      // Everything open (at start-up, or the queues were lost): queued again as a purchase request
      // queues them, 10 a job per tenant. Periodically: one job each, named by shipment and token, so
      // a shipment whose job still waits (a long, paced batch) is not queued a second time.
      await this.queue.addBulk(
        QUEUES.purchaseShipment,
        staleMs === 0
          ? purchaseGroupJobs(stale)
          : stale.map((s) => ({
              data: { batchShipmentId: s.id },
              options: { jobId: purchaseJobId(s.id, s.queueToken), group: s.tenantId },
            })),
      );
      counts.purchases = stale.length;
    });
    if (counts.validations + counts.purchases + counts.merges + counts.finished + counts.natives > 0) {
      this.logger.log(
        `re-enqueued ${counts.validations} validation(s), ${counts.purchases} purchase(s), ` +
          `${counts.merges} label file merge(s), ${counts.natives} native batch step(s); finished ${counts.finished} batch(es)`,
      );
    }
    return { ran, ...counts };
  }
}
