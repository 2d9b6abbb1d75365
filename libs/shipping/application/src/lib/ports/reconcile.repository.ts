import type { QueuedPurchase } from './purchase.repository';

export interface ReconcileRepository {
  /** Runs `work` only if no other process is reconciling right now. */
  exclusively(work: () => Promise<void>): Promise<boolean>;
  /** VALIDATING batches not touched for `staleMs` (0: all of them). */
  batchesValidating(staleMs: number): Promise<string[]>;
  batchesPurchasingWithNothingOpen(): Promise<string[]>;
  /** QUEUED longer than `staleMs`, or PURCHASING with an expired lease. */
  stalePurchases(staleMs: number, limit: number): Promise<QueuedPurchase[]>;
}
