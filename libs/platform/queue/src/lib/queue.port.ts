/**
 * The queue port. The database is the source of truth; the queue only rings the bell:
 * jobs carry ids, every handler is safe to run twice.
 *
 * Consumers are ordinary `@nestjs/bullmq` processors (`@Processor(name)` classes extending
 * `WorkerHost`). In scale-out mode BullMQ runs them on Redis; in embedded mode the
 * in-process driver discovers the same classes and calls their `process(job)` itself.
 *
 * Fairness: every job belongs to a group (`EnqueueOptions.group`, the tenant on the shipping
 * queues; jobs without one share the group `''`), and both drivers serve the groups of a queue
 * in turns: within a group, jobs start in the order they were added; across groups, one job of
 * each group with jobs waiting per turn. So a group that adds a few jobs behind another group's
 * thousands has its first job started after about one job of every other group waiting, not
 * after all of them. The in-process driver keeps one line per group and takes them round robin;
 * BullMQ gives every job a priority (start-time fair queuing, `fairPriorities`), so there a
 * group that was idle starts level with the job first in line, and one that had jobs waiting
 * goes on where they end. A delayed or retried job joins its group's line when it is due
 * (in-process: at the back; BullMQ: at the place its priority gives, ahead of later jobs).
 */
export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** Jobs with the same id that are still waiting, delayed or running are not added twice; one that failed for good does not keep its id. */
  jobId?: string;
  /**
   * The fairness key (the tenant): the queue's waiting jobs are served round robin between
   * groups (see above). Absent: the group `''`.
   */
  group?: string;
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
