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
}

/** How often a watching process looks for lost state (besides at every reconnection). */
export const QUEUE_STATE_CHECK_MS = 2_000;

/** Reconnection delay of every Redis connection (BullMQ's and ours): 200 ms more a try, at most 2 s. */
export function redisReconnectDelay(times: number): number {
  return Math.min(times * 200, 2_000);
}
