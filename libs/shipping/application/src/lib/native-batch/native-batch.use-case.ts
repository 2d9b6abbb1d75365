import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type NativeBatchSettings } from '@shipbatch/platform/config';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import { NATIVE_BATCH_SETTLED } from '@shipbatch/shipping/domain';
import { NATIVE_BATCH_REPOSITORY, QUEUES } from '../tokens';
import { NativeBatchCollector } from './native-batch.collector';
import { NATIVE_COLLECT_CHECK_MS, type NativeBatchJobData, nativeJobId, type NextRun } from './native-batch.jobs';
import type { NativeBatchRepository } from './native-batch.repository';
import { NativeBatchSteps } from './native-batch.steps';

/**
 * Runs the jobs of native batches (a carrier account's share of a batch bought through its
 * provider's own batch API): a page job goes to NativeBatchCollector; a step job leases the
 * row, runs its step (NativeBatchSteps, where the sequence is described), releases the lease and
 * rings what the step asked for next. A watch job per lease period takes the step up again
 * should this worker die during it.
 */
@Injectable()
export class NativeBatchUseCase {
  /** Leases (`leaseMs`: longer than a step or a page takes; a worker that dies leaves it for this long). */
  private readonly settings: NativeBatchSettings;

  constructor(
    @Inject(NATIVE_BATCH_REPOSITORY) private readonly natives: NativeBatchRepository,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    private readonly collector: NativeBatchCollector,
    private readonly steps: NativeBatchSteps,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'workers'>,
  ) {
    this.settings = config.workers.nativeBatch;
  }

  /** Rings the next step of a native batch (now, or after `delayMs`). */
  ring(nativeBatchId: string, delayMs = 0, step = 'next'): Promise<void> {
    return this.queue.add(QUEUES.nativeBatch, { nativeBatchId } satisfies NativeBatchJobData, { delayMs, jobId: nativeJobId(nativeBatchId, step) });
  }

  /** One job: a page of a purchased provider batch, or the next step. */
  async execute(job: NativeBatchJobData): Promise<void> {
    if (job.list !== undefined && job.page !== undefined) {
      const outcome = await this.collector.collect(job.nativeBatchId, job.list, job.page);
      if (outcome === 'last') await this.ring(job.nativeBatchId, 0, 'pages-done');
      // Others left: a look once their leases could have run out, in case the worker holding one
      // died with the step's own look (one job per due time, however many pages ask for it).
      if (outcome === 'done') {
        const delayMs = this.settings.leaseMs + NATIVE_COLLECT_CHECK_MS;
        const due = Math.floor((Date.now() + delayMs) / NATIVE_COLLECT_CHECK_MS);
        await this.queue.add(QUEUES.nativeBatch, { nativeBatchId: job.nativeBatchId } satisfies NativeBatchJobData, {
          delayMs,
          jobId: `native:${job.nativeBatchId}:collect-check-${due}`,
        });
      }
      return;
    }
    const nb = await this.natives.lease(job.nativeBatchId, this.settings.leaseMs);
    if (!nb) return; // another worker is on it, or it is gone
    if (NATIVE_BATCH_SETTLED.includes(nb.state)) {
      await this.natives.release(nb.id);
      return;
    }
    // Should this worker die during the step, another takes it up once the lease runs out, not
    // when the reconciler next finds the row stale (one such job per lease period at most).
    const watchMs = this.settings.leaseMs + 1_000;
    await this.queue.add(QUEUES.nativeBatch, { nativeBatchId: nb.id } satisfies NativeBatchJobData, {
      delayMs: watchMs,
      jobId: `native:${nb.id}:watch-${Math.floor((Date.now() + watchMs) / this.settings.leaseMs)}`,
    });
    let next: NextRun[] = [];
    try {
      next = await this.steps.run(nb);
    } finally {
      await this.natives.release(nb.id);
      for (const n of next) await this.ring(nb.id, n.delayMs, n.step);
    }
  }
}

