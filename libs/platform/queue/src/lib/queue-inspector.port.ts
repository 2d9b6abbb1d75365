/** One queue's depth, for metrics: jobs not started yet (waiting, delayed), running, and the wait of the oldest. */
export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  /** Milliseconds since the oldest waiting job was added; 0 when none waits. */
  oldestWaitingAgeMs: number;
}

/**
 * Read-only view of the queues for operators (metrics, readiness), beside the QueuePort that
 * producers use. Both drivers implement it: in-process (this process's lanes) and BullMQ
 * (Redis, every process).
 */
export interface QueueInspector {
  /** The queues this process registered (QueueModule's `queues`). */
  queueNames(): readonly string[];
  depth(queue: string): Promise<QueueDepth>;
  /** Resolves when the queue's backend answers (Redis PING; always in process). */
  ping(): Promise<void>;
}

