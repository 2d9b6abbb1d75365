import { Inject, Injectable, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { EnqueueItem, EnqueueOptions, QueuePort } from './queue.port';

import type { QueueDepth, QueueInspector } from './queue-inspector.port';

import { fairPriorities } from './bullmq-fair.priorities';

import { type QueueModuleOptions } from './queue-module.options';
import { QUEUE_MODULE_OPTIONS } from './tokens';


/** Jobs per `Queue.addBulk` call: one Redis pipeline each, bounded in size. */
export const BULK_CHUNK_SIZE = 1000;

/**
 * BullMQ does not add a job whose id is taken, and a job that failed for good keeps its id (the
 * last 1,000 failures are kept to look at). The port promises less: only a job still waiting or
 * running keeps another out. So before jobs with ids are added, those of their ids held by failed
 * jobs are freed (one pipeline of ZSCOREs; a failed job found is removed). Without this, the
 * reconciler could ring a shipment again and again under the id of a job that failed for good,
 * and the shipment would wait for ever.
 */
async function clearFailed(q: Queue, ids: ReadonlyArray<string | undefined>): Promise<void> {
  const named = ids.filter((id): id is string => id !== undefined);
  if (named.length === 0) return;
  // BullMQ's client is an ioredis connection; its own typing narrows the pipeline to a few commands.
  const client = (await q.client) as unknown as Redis;
  const pipeline = client.pipeline();
  for (const id of named) pipeline.zscore(q.keys.failed, id);
  const scores = (await pipeline.exec()) ?? [];
  const failed = named.filter((_, k) => scores[k]?.[1] !== null && scores[k]?.[1] !== undefined);
  for (const id of failed) await q.remove(id);
}

/**
 * The scale-out queue driver: the BullMQ queues registered through @nestjs/bullmq, on Redis.
 * Retry and retention policy come from the queues' default job options (see QueueModule).
 * Every job gets a priority from `fairPriorities`, so the groups of a queue take turns.
 */
@Injectable()
export class BullMqQueue implements QueuePort, QueueInspector {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly moduleRef: ModuleRef,
    @Optional() @Inject(QUEUE_MODULE_OPTIONS) private readonly options?: QueueModuleOptions,
  ) {}

  async add<T extends object>(queue: string, data: T, options: EnqueueOptions = {}): Promise<void> {
    const q = this.queue(queue);
    await clearFailed(q, [options.jobId]);
    const [priority] = await fairPriorities(q, [options.group ?? '']);
    await q.add(queue, data, { ...toJobOptions(options), priority });
  }

  /** Jobs go to Redis in chunks, each chunk's fair priorities taken just before it is added. */
  async addBulk<T extends object>(queue: string, items: EnqueueItem<T>[]): Promise<void> {
    const q = this.queue(queue);
    for (let i = 0; i < items.length; i += BULK_CHUNK_SIZE) {
      const chunk = items.slice(i, i + BULK_CHUNK_SIZE);
      await clearFailed(q, chunk.map((item) => item.options?.jobId));
      const priorities = await fairPriorities(q, chunk.map((item) => item.options?.group ?? ''));
      await q.addBulk(chunk.map((item, k) => ({ name: queue, data: item.data, opts: { ...toJobOptions(item.options ?? {}), priority: priorities[k] } })));
    }
  }

  async waiting(queue: string): Promise<number> {
    return this.queue(queue).getJobCountByTypes('waiting', 'prioritized', 'delayed');
  }

  queueNames(): readonly string[] {
    return this.options?.queues ?? [];
  }

  /** Counts from Redis (every process's jobs); the oldest waiting job is the first in line. */
  async depth(queue: string): Promise<QueueDepth> {
    const q = this.queue(queue);
    const [counts, [oldest]] = await Promise.all([q.getJobCounts('waiting', 'prioritized', 'active', 'delayed'), q.getJobs(['wait', 'prioritized'], 0, 0, true)]);
    return {
      waiting: (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0),
      active: counts['active'] ?? 0,
      delayed: counts['delayed'] ?? 0,
      oldestWaitingAgeMs: oldest?.timestamp ? Math.max(0, Date.now() - oldest.timestamp) : 0,
    };
  }

  async ping(): Promise<void> {
    const [first] = this.queueNames();
    if (first === undefined) return;
    // The connection is ioredis' (QueueModule gives BullMQ a URL), which answers PING.
    const client = (await this.queue(first).client) as unknown as { ping(): Promise<string> };
    await client.ping();
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
