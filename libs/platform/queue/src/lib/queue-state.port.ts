/**
 * Tells when the queue's backend lost its jobs: Redis restarted without persistence, or
 * flushed. The database is the source of truth, so a listener (the reconciler) rings again
 * everything still to do. The in-process driver's jobs live and die with the process: it never
 * calls a listener.
 */
export interface QueueStateWatch {
  /**
   * Calls `listener` each time the queue's state is found lost, in one process only when several
   * watch the same Redis prefix. The watch starts with the first listener.
   */
  onLost(listener: () => void): void;

  /**
   * Whether the queue's state was there at this process's first look (after the first `onLost`):
   * true when other processes' jobs are in Redis to be taken over, false for a new or emptied
   * Redis, for a look that could not be made within `withinMs`, and always for the in-process
   * driver (its jobs died with the last process). A starting worker rings everything open again
   * only when false: ringing what is already queued would queue it twice.
   */
  keptAtStart(withinMs: number): Promise<boolean>;
}

/** How often a watching process looks for lost state (besides at every reconnection). */
export const QUEUE_STATE_CHECK_MS = 2_000;

/** Reconnection delay of every Redis connection (BullMQ's and ours): 200 ms more a try, at most 2 s. */
export function redisReconnectDelay(times: number): number {
  return Math.min(times * 200, 2_000);
}
