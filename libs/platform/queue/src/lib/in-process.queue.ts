import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DEFAULT_BACKOFF_MS, DEFAULT_JOB_ATTEMPTS, type EnqueueItem, type EnqueueOptions, type QueuePort } from './queue.port';

/** @nestjs/bullmq's metadata keys (its `@Processor(name, workerOptions)` decorator). */
const PROCESSOR_METADATA = 'bullmq:processor_metadata';
const WORKER_METADATA = 'bullmq:worker_metadata';

export interface InProcessJob {
  id: string;
  name: string;
  data: object;
  attemptsMade: number;
  opts: EnqueueOptions;
  timestamp: number;
}

interface Processor {
  process(job: InProcessJob): Promise<unknown>;
}

class Lane {
  readonly waiting: InProcessJob[] = [];
  head = 0;
  active = 0;
  processor?: Processor;
  concurrency = 1;

  constructor(readonly name: string) {}

  get waitingCount(): number {
    return this.waiting.length - this.head;
  }

  take(): InProcessJob | undefined {
    const job = this.waiting[this.head++];
    // Drop the consumed prefix now and then: O(1) amortized, no O(n) shift per job.
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    return job;
  }
}

/**
 * The embedded queue driver: runs the application's `@nestjs/bullmq` processors in this
 * process, with BullMQ's semantics where the service relies on them (per-queue concurrency,
 * retries with exponential backoff, delays, job-id de-duplication while waiting or delayed,
 * draining on shutdown). Nothing is persisted: the database is the source of truth and the
 * reconciler re-enqueues whatever a restart dropped.
 */
@Injectable()
export class InProcessQueue implements QueuePort, OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('InProcessQueue');
  private readonly lanes = new Map<string, Lane>();
  private readonly pendingIds = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closing = false;
  private seq = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const type = wrapper.metatype as object | undefined;
      const instance = wrapper.instance as Processor | undefined;
      if (!type || !instance || typeof instance.process !== 'function') continue;
      const meta = Reflect.getMetadata(PROCESSOR_METADATA, type) as { name?: string } | undefined;
      if (!meta?.name) continue;
      const worker = Reflect.getMetadata(WORKER_METADATA, type) as { concurrency?: number } | undefined;
      const lane = this.lane(meta.name);
      lane.processor = instance;
      lane.concurrency = Math.max(1, worker?.concurrency ?? 1);
      this.logger.log(`processor for '${meta.name}' (concurrency ${lane.concurrency})`);
      this.pump(lane);
    }
  }

  async add<T extends object>(queue: string, data: T, options: EnqueueOptions = {}): Promise<void> {
    if (this.closing) {
      this.logger.debug(`shutting down: not taking a job for '${queue}' (the reconciler will find its work)`);
      return;
    }
    const lane = this.lane(queue);
    const dedupeKey = options.jobId ? `${queue}\u0000${options.jobId}` : undefined;
    if (dedupeKey) {
      if (this.pendingIds.has(dedupeKey)) return;
      this.pendingIds.add(dedupeKey);
    }
    const job: InProcessJob = {
      id: options.jobId ?? String(++this.seq),
      name: queue,
      data,
      attemptsMade: 0,
      opts: options,
      timestamp: Date.now(),
    };
    this.schedule(lane, job, options.delayMs ?? 0);
  }

  async addBulk<T extends object>(queue: string, items: EnqueueItem<T>[]): Promise<void> {
    for (const item of items) await this.add(queue, item.data, item.options);
  }

  /** Resolves when nothing is waiting, delayed or running. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking jobs, drops delayed ones and waits for running jobs to finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const active = () => [...this.lanes.values()].reduce((n, l) => n + l.active, 0);
    while (active() > 0) await new Promise((r) => setTimeout(r, 10));
  }

  private lane(name: string): Lane {
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = new Lane(name);
      this.lanes.set(name, lane);
    }
    return lane;
  }

  private schedule(lane: Lane, job: InProcessJob, delayMs: number): void {
    if (delayMs <= 0) {
      lane.waiting.push(job);
      this.pump(lane);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      lane.waiting.push(job);
      this.pump(lane);
    }, delayMs);
    this.timers.add(timer);
  }

  private pump(lane: Lane): void {
    while (!this.closing && lane.processor && lane.active < lane.concurrency && lane.waitingCount > 0) {
      const job = lane.take();
      if (!job) break;
      lane.active++;
      // Yield to the event loop between jobs so HTTP requests keep being served.
      setImmediate(() => void this.run(lane, job));
    }
    if (!lane.processor && lane.waitingCount > 0 && lane.waitingCount % 1000 === 1) {
      this.logger.warn(`jobs are waiting on '${lane.name}' but no processor for it runs in this process`);
    }
  }

  private async run(lane: Lane, job: InProcessJob): Promise<void> {
    if (job.opts.jobId) this.pendingIds.delete(`${lane.name}\u0000${job.opts.jobId}`);
    try {
      await lane.processor?.process(job);
    } catch (error) {
      job.attemptsMade++;
      if (job.attemptsMade < DEFAULT_JOB_ATTEMPTS && !this.closing) {
        const delay = DEFAULT_BACKOFF_MS * 2 ** (job.attemptsMade - 1);
        this.logger.warn(`job ${lane.name}#${job.id} failed (attempt ${job.attemptsMade}), retrying in ${delay} ms: ${describe(error)}`);
        if (job.opts.jobId) this.pendingIds.add(`${lane.name}\u0000${job.opts.jobId}`);
        this.schedule(lane, job, delay);
      } else {
        this.logger.error(`job ${lane.name}#${job.id} failed for good after ${job.attemptsMade} attempts: ${describe(error)}`);
      }
    } finally {
      lane.active--;
      this.pump(lane);
      if (this.isIdle()) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  private isIdle(): boolean {
    if (this.timers.size > 0) return false;
    for (const lane of this.lanes.values()) {
      if (lane.active > 0 || (lane.processor && lane.waitingCount > 0)) return false;
    }
    return true;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
