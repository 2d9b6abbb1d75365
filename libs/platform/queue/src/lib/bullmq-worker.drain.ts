import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { startedBullWorkers } from './bullmq-worker.log';


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
    const closing = startedBullWorkers(this.discovery).map((worker) => worker.close());
    if (closing.length === 0) return;
    this.logger.log(`closing ${closing.length} workers (waiting for their active jobs)`);
    await Promise.all(closing);
  }
}
