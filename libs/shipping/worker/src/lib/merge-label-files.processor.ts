import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { MergeLabelFilesUseCase, type MergeLabelFilesJob, QUEUES } from '@shipbatch/shipping/application';

/**
 * Merges one chunk (at most 100 labels) of a batch into its label file, then tries to finish
 * the batch. CPU-bound (pdf-lib) on the event loop it shares with purchases, so one at a time by default.
 */
@Processor(QUEUES.mergeLabelFiles)
export class MergeLabelFilesProcessor extends WorkerHost {
  constructor(private readonly merge: MergeLabelFilesUseCase) {
    super();
  }

  async process(job: Job<MergeLabelFilesJob>): Promise<void> {
    // Queued merges are regular work: they give way to express purchase jobs in this process.
    await this.merge.execute(job.data.batchId, job.data.chunk, { regular: true });
  }
}
