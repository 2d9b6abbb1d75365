import type { BatchShipmentStatus, ObjectResultsFilter, PurchaseState } from './batch-status';
import { OPEN_PURCHASE_STATES } from './batch.machines';

/**
 * Shippo's `object_results` as batch shipment states: each filter holds the shipments whose
 * status (`batch_shipments.status`), or purchase state (`purchase_state`), is in its list. The
 * counters (`BatchCounts.objectResults`) and the filter of `GET /batches/{id}` both read it.
 */
export const OBJECT_RESULT_STATES: Readonly<
  Record<ObjectResultsFilter, { status: readonly BatchShipmentStatus[] } | { purchaseState: readonly PurchaseState[] }>
> = Object.freeze({
  purchase_succeeded: { purchaseState: ['PURCHASED'] },
  purchase_failed: { status: ['TRANSACTION_FAILED'] },
  creation_failed: { status: ['INVALID', 'INCOMPLETE'] },
  creation_succeeded: { status: ['VALID', 'TRANSACTION_FAILED'] },
});

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

  /** Shippo's `object_results` (OBJECT_RESULT_STATES). */
  get objectResults(): Record<ObjectResultsFilter, number> {
    return {
      purchase_succeeded: this.matching('purchase_succeeded'),
      purchase_failed: this.matching('purchase_failed'),
      creation_failed: this.matching('creation_failed'),
      creation_succeeded: this.matching('creation_succeeded'),
    };
  }

  /** How many shipments an `object_results` filter holds. */
  matching(filter: ObjectResultsFilter): number {
    const states = OBJECT_RESULT_STATES[filter];
    return 'status' in states
      ? states.status.reduce((n, s) => n + this.status(s), 0)
      : states.purchaseState.reduce((n, s) => n + this.purchase(s), 0);
  }
}
