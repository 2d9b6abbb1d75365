import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QUEUES, ValidateBatchUseCase } from '@shipbatch/shipping/application';

/** Validates a batch's pending shipments. Thin: the use case does the work. */
@Processor(QUEUES.validateBatch, { concurrency: 2 })
export class ValidateBatchProcessor extends WorkerHost {
  constructor(private readonly validate: ValidateBatchUseCase) {
    super();
  }

  async process(job: Job<{ batchId: string }>): Promise<void> {
    await this.validate.execute(job.data.batchId);
  }
}
