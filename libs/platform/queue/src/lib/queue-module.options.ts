/** Options of `QueueModule.forRoot`. */
export interface QueueModuleOptions {
  /** Redis URL (`redis://` or `rediss://`): the BullMQ driver (scale-out). Absent: the in-process driver (embedded). */
  redisUrl?: string;
  /** Redis key prefix for queues and throttles (default `shipbatch`). */
  prefix?: string;
  /** The queues this application uses. BullMQ registers one `Queue` per name. */
  queues: string[];
  /**
   * Informational: processors run wherever the modules declaring them are imported, so the
   * composition decides (it imports the worker module only where workers should run).
   */
  runWorkers?: boolean;
  /** Attempts per job before it fails for good (default DEFAULT_JOB_ATTEMPTS). */
  attempts?: number;
  /** First retry delay in milliseconds, doubled on every further attempt (default DEFAULT_BACKOFF_MS). */
  backoffMs?: number;
  /**
   * Jobs run at once per process, by queue name (the composition passes the configured ones):
   * wins over the processor's own `@Processor(name, { concurrency })`. A queue not named keeps
   * its processor's (default 1). Applied by both drivers before a worker takes its first job.
   */
  concurrency?: Readonly<Record<string, number>>;
}

