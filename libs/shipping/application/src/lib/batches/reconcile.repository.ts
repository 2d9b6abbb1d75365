import type { QueuedPurchase } from '../purchase/purchase.repository';

export interface ReconcileRepository {
  /** Runs `work` only if no other process is reconciling right now. */
  exclusively(work: () => Promise<void>): Promise<boolean>;
  /**
   * VALIDATING batches that no validator holds (no live validation lease) and that nothing
   * touched for `staleMs` (0: every such batch), marked as rung now in the same statement, so
   * the next pass leaves them alone for another `staleMs` while their job waits in the queue.
   */
  validationsToRing(staleMs: number): Promise<string[]>;
  batchesPurchasingWithNothingOpen(): Promise<string[]>;
  /** QUEUED longer than `staleMs`, or PURCHASING with an expired lease. */
  stalePurchases(staleMs: number, limit: number): Promise<QueuedPurchase[]>;
}
