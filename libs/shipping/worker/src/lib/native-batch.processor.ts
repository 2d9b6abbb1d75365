import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { type NativeBatchJobData, NativeBatchUseCase, QUEUES } from '@shipbatch/shipping/application';

/** Takes one step of a native batch (a provider's own batch API), or collects one page of it; each rings what comes next. */
@Processor(QUEUES.nativeBatch)
export class NativeBatchProcessor extends WorkerHost {
  constructor(private readonly natives: NativeBatchUseCase) {
    super();
  }

  async process(job: Job<NativeBatchJobData>): Promise<void> {
    await this.natives.execute(job.data);
  }
}
