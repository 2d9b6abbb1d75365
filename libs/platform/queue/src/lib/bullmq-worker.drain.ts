import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { startedBullWorkers } from './bullmq-worker.log';
import { ShutdownState } from './shutdown.state';

/**
 * Closes the BullMQ workers of every `@Processor` in the application before shutdown hooks
 * run: a worker stops taking jobs at once (`close` marks it closing before its first await) and
 * waits for its active ones to finish, while the database and other resources (closed in
 * `onApplicationShutdown`) are still there. Once no job is taken any more, the ShutdownState
 * drains: work claimed but not started is handed back (and queued for the other workers)
 * while the active jobs finish. @nestjs/bullmq closes the workers again in its own shutdown
 * hook, which is harmless (close is idempotent).
 */
@Injectable()
export class BullMqWorkerDrain implements BeforeApplicationShutdown {
  private readonly logger = new Logger('BullMqWorkerDrain');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly shutdown: ShutdownState,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    const closing = startedBullWorkers(this.discovery).map((worker) => worker.close());
    if (closing.length > 0) this.logger.log(`closing ${closing.length} workers (waiting for their active jobs)`);
    await this.shutdown.drain();
    await Promise.all(closing);
  }
}
