import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { runInWorkGroup } from '@shipbatch/platform/config';
import { discoverBullProcessors } from './bull-processor.discovery';

import { type InProcessJob, InProcessLane } from './in-process.lane';

import { describeError, jobLogFields } from './job-log.fields';

import { type QueueModuleOptions } from './queue-module.options';
import { DEFAULT_BACKOFF_MS, DEFAULT_JOB_ATTEMPTS, type EnqueueItem, type EnqueueOptions, type QueuePort } from './queue.port';

import type { QueueDepth, QueueInspector } from './queue-inspector.port';

import { QUEUE_MODULE_OPTIONS } from './tokens';
import { ShutdownState } from './shutdown.state';


export interface InProcessQueueCounts {
  waiting: number;
  delayed: number;
  active: number;
}

/**
 * The embedded queue driver: runs the application's `@nestjs/bullmq` processors in this
 * process, with BullMQ's semantics where the service relies on them: per-queue concurrency
 * (QueueModule's `concurrency`, else the processor's options), retries with exponential backoff, delays, job-id
 * de-duplication while a job is waiting or delayed, draining on shutdown.
 *
 * Nothing is persisted: the database is the source of truth and the reconciler re-enqueues
 * whatever a restart dropped. Jobs start only once the application has bootstrapped, and
 * each one starts in its own macrotask so that a long queue never holds the event loop.
 */
@Injectable()
export class InProcessQueue
  implements QueuePort, QueueInspector, OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('InProcessQueue');
  private readonly lanes = new Map<string, InProcessLane>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly concurrency: Readonly<Record<string, number>>;
  private discovered = false;
  private started = false;
  private closing = false;
  private active = 0;
  private seq = 0;
  private refusedWhileClosing = 0;
  private idleWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];

  constructor(
    private readonly discovery: DiscoveryService,
    @Optional() @Inject(QUEUE_MODULE_OPTIONS) options?: QueueModuleOptions,
    @Optional() private readonly shutdown?: ShutdownState,
  ) {
    this.attempts = Math.max(1, options?.attempts ?? DEFAULT_JOB_ATTEMPTS);
    this.backoffMs = Math.max(0, options?.backoffMs ?? DEFAULT_BACKOFF_MS);
    this.concurrency = options?.concurrency ?? {};
    for (const name of options?.queues ?? []) this.lane(name);
  }

  onModuleInit(): void {
    for (const found of discoverBullProcessors(this.discovery, this.logger)) {
      const lane = this.lane(found.queue);
      if (lane.processor) {
        this.logger.warn(`a second processor (${found.className}) for '${found.queue}' is ignored in process`);
        continue;
      }
      lane.processor = found.instance;
      lane.concurrency = this.concurrency[found.queue] ?? found.concurrency;
      this.logger.log(`${found.className} processes '${found.queue}' (concurrency ${lane.concurrency})`);
    }
    this.discovered = true;
  }

  onApplicationBootstrap(): void {
    this.started = true;
    for (const lane of this.lanes.values()) {
      if (!lane.processor && lane.waitingCount > 0) this.warnParked(lane);
      this.pump(lane);
    }
  }

  async add<T extends object>(queue: string, data: T, options: EnqueueOptions = {}): Promise<void> {
    this.enqueue(queue, data, options);
  }

  async addBulk<T extends object>(queue: string, items: EnqueueItem<T>[]): Promise<void> {
    for (const item of items) this.enqueue(queue, item.data, item.options ?? {});
  }

  async waiting(queue: string): Promise<number> {
    const c = this.counts(queue);
    return c.waiting + c.delayed;
  }

  /**
   * Resolves when nothing is waiting, delayed or running. Jobs parked on a queue that has no
   * processor in this process do not count (they would never finish).
   */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Waiting, delayed and running jobs of one queue. */
  counts(queue: string): InProcessQueueCounts {
    const lane = this.lanes.get(queue);
    return { waiting: lane?.waitingCount ?? 0, delayed: lane?.delayed ?? 0, active: lane?.active ?? 0 };
  }

  queueNames(): readonly string[] {
    return [...this.lanes.keys()];
  }

  async depth(queue: string): Promise<QueueDepth> {
    const oldest = this.lanes.get(queue)?.oldestWaitingTimestamp;
    return { ...this.counts(queue), oldestWaitingAgeMs: oldest === undefined ? 0 : Math.max(0, Date.now() - oldest) };
  }

  async ping(): Promise<void> {
    // In process: nothing to reach.
  }

  /** Shutdown, first phase: stop taking jobs and wait for the running ones (before the database closes). */
  beforeApplicationShutdown(): Promise<void> {
    return this.drain();
  }

  onApplicationShutdown(): Promise<void> {
    return this.drain();
  }

  /**
   * Stops taking jobs, drops the waiting and delayed ones (the reconciler finds their work
   * again at the next start), lets the ShutdownState hand back what was claimed but not started
   * and resolves once the running jobs have finished.
   */
  drain(): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      let dropped = 0;
      for (const lane of this.lanes.values()) {
        dropped += lane.clear() + lane.delayed;
        lane.delayed = 0;
      }
      if (dropped > 0) this.logger.warn(`shutting down: dropped ${dropped} waiting or delayed jobs`);
      if (this.active > 0) this.logger.log(`shutting down: waiting for ${this.active} running jobs`);
      this.settle();
    }
    const handedBack = this.shutdown?.drain() ?? Promise.resolve();
    if (this.active === 0) return handedBack;
    return Promise.all([handedBack, new Promise<void>((resolve) => this.drainWaiters.push(resolve))]).then(() => undefined);
  }

  private enqueue(queue: string, data: object, options: EnqueueOptions): void {
    if (this.closing) {
      if (this.refusedWhileClosing++ === 0) this.logger.warn(`shutting down: not taking new jobs (first: '${queue}')`);
      return;
    }
    const lane = this.lane(queue);
    const jobId = options.jobId;
    if (jobId !== undefined) {
      if (lane.pendingIds.has(jobId)) return;
      lane.pendingIds.add(jobId);
    }
    const job: InProcessJob = {
      id: jobId ?? String(++this.seq),
      name: queue,
      data,
      attemptsMade: 0,
      opts: { ...options },
      timestamp: Date.now(),
    };
    this.schedule(lane, job, options.delayMs ?? 0);
  }

  private lane(name: string): InProcessLane {
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = new InProcessLane(name);
      this.lanes.set(name, lane);
    }
    return lane;
  }

  private schedule(lane: InProcessLane, job: InProcessJob, delayMs: number): void {
    if (!(delayMs > 0)) {
      this.push(lane, job);
      return;
    }
    lane.delayed++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      lane.delayed--;
      this.push(lane, job);
      this.settle();
    }, delayMs);
    this.timers.add(timer);
  }

  private push(lane: InProcessLane, job: InProcessJob): void {
    lane.push(job);
    if (!lane.processor) {
      if (this.discovered && (lane.waitingCount === 1 || lane.waitingCount % 1000 === 0)) this.warnParked(lane);
      return;
    }
    this.pump(lane);
  }

  private pump(lane: InProcessLane): void {
    if (!this.started || this.closing || !lane.processor) return;
    while (lane.active < lane.concurrency && lane.waitingCount > 0) {
      const job = lane.take() as InProcessJob;
      lane.active++;
      this.active++;
      // Each job starts in its own macrotask: HTTP requests and timers get their turn in between.
      setImmediate(() => void this.run(lane, job));
    }
  }

  private async run(lane: InProcessLane, job: InProcessJob): Promise<void> {
    if (job.opts.jobId !== undefined) lane.pendingIds.delete(job.opts.jobId);
    try {
      // As its group's work: the embedded database serves groups' queries in turns (FairPool).
      await runInWorkGroup(job.opts.group ?? '', async () => lane.processor?.process(job));
    } catch (error) {
      this.failed(lane, job, error);
    } finally {
      lane.active--;
      this.active--;
      this.pump(lane);
      this.settle();
    }
  }

  private failed(lane: InProcessLane, job: InProcessJob, error: unknown): void {
    job.attemptsMade++;
    const what = `job ${lane.name}#${job.id} failed (attempt ${job.attemptsMade} of ${this.attempts})`;
    const fields = jobLogFields(lane.name, job.id, job.attemptsMade, job.data);
    if (job.attemptsMade >= this.attempts) {
      this.logger.error(`${what}, giving up: ${describeError(error)}`, { ...fields, err: error });
      return;
    }
    if (this.closing) {
      this.logger.warn(`${what}, not retried while shutting down: ${describeError(error)}`, fields);
      return;
    }
    const jobId = job.opts.jobId;
    if (jobId !== undefined) {
      if (lane.pendingIds.has(jobId)) {
        this.logger.warn(`${what}; a job with the same id is already waiting, so it runs instead: ${describeError(error)}`, fields);
        return;
      }
      lane.pendingIds.add(jobId);
    }
    const delay = this.backoffMs * 2 ** (job.attemptsMade - 1);
    this.logger.warn(`${what}, retrying in ${delay} ms: ${describeError(error)}`, fields);
    this.schedule(lane, job, delay);
  }

  private warnParked(lane: InProcessLane): void {
    this.logger.warn(
      `${lane.waitingCount} job(s) kept for '${lane.name}': no processor for this queue runs in this process`,
    );
  }

  private settle(): void {
    if (this.active === 0 && this.drainWaiters.length > 0) this.drainWaiters.splice(0).forEach((resolve) => resolve());
    if (this.idleWaiters.length > 0 && this.isIdle()) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  private isIdle(): boolean {
    if (this.active > 0 || this.timers.size > 0) return false;
    for (const lane of this.lanes.values()) {
      if (lane.processor && lane.waitingCount > 0) return false;
    }
    return true;
  }
}
