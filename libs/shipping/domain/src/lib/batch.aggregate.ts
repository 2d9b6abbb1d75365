import { BatchCounts } from './batch-counts';
import type { BatchStatus } from './batch-status';
import { ConflictError } from './domain.errors';

export interface BatchProps {
  id: string;
  tenantId: string;
  status: BatchStatus;
  defaultCarrierAccount: string;
  defaultServicelevelToken: string;
  labelFiletype: string;
  metadata: string;
  /** Storage keys of the merged label files, in batch order; set when the batch becomes PURCHASED. */
  labelFileKeys: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** What a purchase request does to a batch, decided by `Batch.planPurchase`. */
export type PurchasePlan = { kind: 'all_valid' } | { kind: 'retry_failed' };

/**
 * The batch aggregate: its state machine and the rules that guard it.
 *
 *   VALIDATING -> VALID | INVALID      validation finished (all valid, or not)
 *   VALID | INVALID -> VALIDATING      shipments added
 *   VALID | INVALID -> VALID | INVALID shipments removed
 *   VALID -> PURCHASING                purchase requested
 *   PURCHASING -> PURCHASED            every label bought or failed
 *   PURCHASED -> PURCHASING            purchase requested again: only failed shipments retried
 */
export class Batch {
  constructor(private props: BatchProps) {}

  get id(): string {
    return this.props.id;
  }
  get tenantId(): string {
    return this.props.tenantId;
  }
  get status(): BatchStatus {
    return this.props.status;
  }
  get snapshot(): Readonly<BatchProps> {
    return this.props;
  }

  /** Adding or removing shipments is allowed until purchase starts. */
  assertShipmentsModifiable(): void {
    if (this.props.status === 'PURCHASING' || this.props.status === 'PURCHASED') {
      throw new ConflictError(
        `batch ${this.id} is ${this.props.status}: shipments can be added or removed only before purchase starts`,
        'batch_not_modifiable',
      );
    }
  }

  /** Decides what a purchase request does, or refuses it saying why. */
  planPurchase(counts: BatchCounts): PurchasePlan {
    switch (this.props.status) {
      case 'VALID':
        if (counts.total === 0) {
          throw new ConflictError(`batch ${this.id} has no shipments to purchase`, 'batch_empty');
        }
        return { kind: 'all_valid' };
      case 'PURCHASED':
        if (counts.status('TRANSACTION_FAILED') === 0) {
          throw new ConflictError(
            `batch ${this.id} is already PURCHASED and has no failed shipments to retry`,
            'batch_already_purchased',
          );
        }
        return { kind: 'retry_failed' };
      case 'VALIDATING':
        throw new ConflictError(
          `batch ${this.id} is still VALIDATING: wait for VALID before purchasing`,
          'batch_validating',
        );
      case 'INVALID':
        throw new ConflictError(
          `batch ${this.id} is INVALID: ${counts.objectResults.creation_failed} shipment(s) failed validation; ` +
            `remove or fix them (object_results=creation_failed) before purchasing`,
          'batch_invalid',
        );
      case 'PURCHASING':
        throw new ConflictError(`batch ${this.id} is already PURCHASING`, 'batch_purchasing');
    }
  }

  /** The status a batch settles on once no shipment is left to validate. */
  static statusAfterValidation(counts: BatchCounts): BatchStatus {
    if (counts.pending > 0) return 'VALIDATING';
    const allValid = counts.total > 0 && counts.status('VALID') === counts.total;
    return allValid ? 'VALID' : 'INVALID';
  }

  /** The status of a purchasing batch given its rows. */
  static statusAfterPurchaseProgress(counts: BatchCounts): BatchStatus {
    return counts.purchaseOpen > 0 ? 'PURCHASING' : 'PURCHASED';
  }
}
