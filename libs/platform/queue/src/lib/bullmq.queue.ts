import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { EnqueueItem, EnqueueOptions, QueuePort } from './queue.port';

const BULK_CHUNK = 1000;

/** The scale-out queue driver: BullMQ queues on Redis, registered through @nestjs/bullmq. */
@Injectable()
export class BullMqQueue implements QueuePort {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly moduleRef: ModuleRef) {}

  async add<T extends object>(queue: string, data: T, options: EnqueueOptions = {}): Promise<void> {
    await this.queue(queue).add(queue, data, toJobOptions(options));
  }

  async addBulk<T extends object>(queue: string, items: EnqueueItem<T>[]): Promise<void> {
    const q = this.queue(queue);
    for (let i = 0; i < items.length; i += BULK_CHUNK) {
      await q.addBulk(
        items.slice(i, i + BULK_CHUNK).map((item) => ({ name: queue, data: item.data, opts: toJobOptions(item.options ?? {}) })),
      );
    }
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      this.queues.set(name, q);
    }
    return q;
  }
}

function toJobOptions(options: EnqueueOptions) {
  return {
    ...(options.jobId ? { jobId: options.jobId } : {}),
    ...(options.delayMs && options.delayMs > 0 ? { delay: Math.ceil(options.delayMs) } : {}),
  };
}
