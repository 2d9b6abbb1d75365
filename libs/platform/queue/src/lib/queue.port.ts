/**
 * The queue port. The database is the source of truth; the queue only rings the bell:
 * jobs carry ids, every handler is safe to run twice.
 *
 * Consumers are ordinary `@nestjs/bullmq` processors (`@Processor(name)` classes extending
 * `WorkerHost`). In scale-out mode BullMQ runs them on Redis; in embedded mode the
 * in-process driver discovers the same classes and calls their `process(job)` itself.
 */
export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** Jobs with the same id that are still waiting or delayed are not added twice. */
  jobId?: string;
}

export interface EnqueueItem<T extends object = Record<string, unknown>> {
  data: T;
  options?: EnqueueOptions;
}

export interface QueuePort {
  add<T extends object>(queue: string, data: T, options?: EnqueueOptions): Promise<void>;
  addBulk<T extends object>(queue: string, items: EnqueueItem<T>[]): Promise<void>;
  /** Jobs of `queue` added but not started yet (waiting or delayed), across every process: for producers that pace themselves to the consumers. */
  waiting(queue: string): Promise<number>;
}

/** Default retry policy for unexpected handler failures (database down and the like). */
export const DEFAULT_JOB_ATTEMPTS = 8;
export const DEFAULT_BACKOFF_MS = 1000;
