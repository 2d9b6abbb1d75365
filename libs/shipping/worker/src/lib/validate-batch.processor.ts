import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QUEUES, type ValidateBatchJob, ValidateBatchUseCase } from '@shipbatch/shipping/application';

/** Validates a batch's pending shipments. Thin: the use case does the work. */
@Processor(QUEUES.validateBatch, { concurrency: 2 })
export class ValidateBatchProcessor extends WorkerHost {
  constructor(private readonly validate: ValidateBatchUseCase) {
    super();
  }

  async process(job: Job<ValidateBatchJob>): Promise<void> {
    // A small batch's validation goes ahead of regular work in this process (ExpressFirst).
    await this.validate.execute(job.data.batchId, { express: job.data.express === true });
  }
}
