import type { NativeBatchListName } from './native-batch.repository';

/**
 * A job of the `native-batch` queue. Without `list`: the next step of the native batch (one
 * worker at a time, under the row's lease). With `list` and `page`: one page of a purchased
 * provider batch's list, collected by whichever worker takes it (under the page's own lease).
 */
export interface NativeBatchJobData {
  nativeBatchId: string;
  list?: NativeBatchListName;
  page?: number;
}

/**
 * A native batch's job id for one step: unique per ring (BullMQ takes a custom id with ':' only
 * when it has exactly three parts).
 */
export function nativeJobId(nativeBatchId: string, step: string): string {
  return `native:${nativeBatchId}:${step}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * The job id of one page's collection, its `round` the page's failures so far: rung again while
 * one is waiting, it is not added twice; rung again after a failure (next round), it is.
 */
export function nativePageJobId(nativeBatchId: string, list: NativeBatchListName, page: number, round: number): string {
  return `native:${nativeBatchId}:${list}-${page}-${round}`;
}

/** The first poll waits this long; each next one twice as long, up to `NATIVE_BATCH_POLL_MS` (AppConfig). */
export const FIRST_POLL_MS = 50;
/** Reads before giving up on a provider batch that never settles (about 30 minutes at the default). */
export const NATIVE_MAX_POLLS = 900;
/** Retryable failures of one step before the shipments go back to single purchases. */
export const NATIVE_MAX_FAILURES = 8;
/** While pages are being collected, the step looks again this often (finishes, or rings pages left behind). */
export const NATIVE_COLLECT_CHECK_MS = 2_000;

/** A next step asked for during a run. */
export interface NextRun {
  delayMs: number;
  step: string;
}
