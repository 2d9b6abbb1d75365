import type { BatchShipmentStatus, PurchaseState } from './batch-status';
import { OPEN_PURCHASE_STATES } from './batch.machines';

/**
 * Counters of a batch, always derived from its shipment rows (never incremented in place).
 * `byStatus` and `byPurchaseState` count rows per value.
 */
export class BatchCounts {
  constructor(
    readonly byStatus: Readonly<Partial<Record<BatchShipmentStatus, number>>>,
    readonly byPurchaseState: Readonly<Partial<Record<PurchaseState, number>>>,
  ) {}

  static empty(): BatchCounts {
    return new BatchCounts({}, {});
  }

  status(s: BatchShipmentStatus): number {
    return this.byStatus[s] ?? 0;
  }

  purchase(s: PurchaseState): number {
    return this.byPurchaseState[s] ?? 0;
  }

  get total(): number {
    return Object.values(this.byStatus).reduce((a, b) => a + (b ?? 0), 0);
  }

  get pending(): number {
    return this.status('PENDING');
  }

  /** Shipments still waiting for, or in the middle of, a provider purchase (OPEN_PURCHASE_STATES). */
  get purchaseOpen(): number {
    return OPEN_PURCHASE_STATES.reduce((n, s) => n + this.purchase(s), 0);
  }

  /** Shippo's `object_results`. */
  get objectResults(): {
    purchase_succeeded: number;
    purchase_failed: number;
    creation_failed: number;
    creation_succeeded: number;
  } {
    return {
      purchase_succeeded: this.purchase('PURCHASED'),
      purchase_failed: this.status('TRANSACTION_FAILED'),
      creation_failed: this.status('INVALID') + this.status('INCOMPLETE'),
      creation_succeeded: this.status('VALID') + this.status('TRANSACTION_FAILED'),
    };
  }
}
