import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import type { EnqueueItem, EnqueueOptions, QueuePort } from './queue.port';

/** Jobs per `Queue.addBulk` call: one Redis pipeline each, bounded in size. */
export const BULK_CHUNK_SIZE = 1000;

/**
 * The scale-out queue driver: the BullMQ queues registered through @nestjs/bullmq, on Redis.
 * Retry and retention policy come from the queues' default job options (see QueueModule).
 */
@Injectable()
export class BullMqQueue implements QueuePort {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly moduleRef: ModuleRef) {}

  async add<T extends object>(queue: string, data: T, options: EnqueueOptions = {}): Promise<void> {
    await this.queue(queue).add(queue, data, toJobOptions(options));
  }

  async addBulk<T extends object>(queue: string, items: EnqueueItem<T>[]): Promise<void> {
    const q = this.queue(queue);
    for (let i = 0; i < items.length; i += BULK_CHUNK_SIZE) {
      const chunk = items.slice(i, i + BULK_CHUNK_SIZE);
      await q.addBulk(chunk.map((item) => ({ name: queue, data: item.data, opts: toJobOptions(item.options ?? {}) })));
    }
  }

  async waiting(queue: string): Promise<number> {
    return this.queue(queue).getJobCountByTypes('waiting', 'prioritized', 'delayed');
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      try {
        q = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      } catch {
        throw new Error(`queue '${name}' is not registered: add it to QueueModule.forRoot({ queues })`);
      }
      this.queues.set(name, q);
    }
    return q;
  }
}

/** Maps the port's options onto BullMQ's (`jobId`, `delay`). */
export function toJobOptions(options: EnqueueOptions): JobsOptions {
  const opts: JobsOptions = {};
  if (options.jobId !== undefined) opts.jobId = options.jobId;
  if (options.delayMs !== undefined && options.delayMs > 0) opts.delay = Math.ceil(options.delayMs);
  return opts;
}
