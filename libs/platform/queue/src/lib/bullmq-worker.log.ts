import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { describeError, jobLogFields } from './job-log.fields';

import { type QueueModuleOptions } from './queue-module.options';
import { DEFAULT_JOB_ATTEMPTS } from './queue.port';

import { QUEUE_MODULE_OPTIONS } from './tokens';


/** The BullMQ workers @nestjs/bullmq started for the application's `@Processor`s (after module init). */
export function startedBullWorkers(discovery: DiscoveryService): Array<WorkerHost['worker']> {
  const workers: Array<WorkerHost['worker']> = [];
  for (const wrapper of discovery.getProviders()) {
    const instance: unknown = wrapper.isDependencyTreeStatic() ? wrapper.instance : undefined;
    if (!(instance instanceof WorkerHost)) continue;
    try {
      if (instance.worker) workers.push(instance.worker);
    } catch {
      // no worker was started for this processor (its getter throws)
    }
  }
  return workers;
}

/**
 * Logs every failed attempt of a BullMQ job the way the in-process driver does: a warning
 * while BullMQ will retry it, an error with the stack once it gives up, each line carrying the
 * queue, the job id, the attempt and the ids in the job's data (`batch_id`, ...). Without it a
 * scale-out worker's failures were only visible in Redis.
 */
@Injectable()
export class BullMqWorkerLog implements OnApplicationBootstrap {
  private readonly logger = new Logger('BullMqWorker');

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(QUEUE_MODULE_OPTIONS) private readonly options: QueueModuleOptions,
  ) {}

  onApplicationBootstrap(): void {
    for (const worker of startedBullWorkers(this.discovery)) {
      worker.on('failed', (job: Job | undefined, error: Error) => this.failed(worker.name, job, error));
      worker.on('error', (error: Error) => this.logger.error(`worker of '${worker.name}': ${describeError(error)}`, { queue: worker.name, err: error }));
    }
  }

  private failed(queue: string, job: Job | undefined, error: Error): void {
    if (!job) {
      this.logger.error(`a job of '${queue}' failed: ${describeError(error)}`, { queue, err: error });
      return;
    }
    const attempts = job.opts.attempts ?? this.options.attempts ?? DEFAULT_JOB_ATTEMPTS;
    const what = `job ${queue}#${job.id} failed (attempt ${job.attemptsMade} of ${attempts})`;
    const fields = jobLogFields(queue, job.id, job.attemptsMade, job.data);
    if (job.attemptsMade >= attempts) {
      this.logger.error(`${what}, giving up: ${describeError(error)}`, { ...fields, err: error });
    } else {
      this.logger.warn(`${what}, BullMQ retries it: ${describeError(error)}`, fields);
    }
  }
}
