import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';

/**
 * Closes the BullMQ workers of every `@Processor` in the application before shutdown hooks
 * run: a worker stops taking jobs and waits for its active ones to finish, while the database
 * and other resources (closed in `onApplicationShutdown`) are still there. @nestjs/bullmq
 * closes them again in its own shutdown hook, which is harmless (close is idempotent).
 */
@Injectable()
export class BullMqWorkerDrain implements BeforeApplicationShutdown {
  private readonly logger = new Logger('BullMqWorkerDrain');

  constructor(private readonly discovery: DiscoveryService) {}

  async beforeApplicationShutdown(): Promise<void> {
    const closing: Array<Promise<void>> = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.isDependencyTreeStatic() ? wrapper.instance : undefined;
      if (!(instance instanceof WorkerHost)) continue;
      let worker: WorkerHost['worker'] | undefined;
      try {
        worker = instance.worker;
      } catch {
        continue; // no worker was started for this processor
      }
      if (worker) closing.push(worker.close());
    }
    if (closing.length === 0) return;
    this.logger.log(`closing ${closing.length} workers (waiting for their active jobs)`);
    await Promise.all(closing);
  }
}
