import { BatchCounts } from './batch-counts';
import type { BatchStatus } from './batch-status';
import { BATCH_TRANSITIONS, type BatchStep, type BatchTransition } from './batch.machines';
import { ConflictError } from './domain.errors';
import { canTransition, transition } from './state-machine';

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

/** What a purchase request does to a batch (and the batch's step), decided by `Batch.planPurchase`. */
export type PurchasePlan = { kind: 'all_valid'; step: BatchStep } | { kind: 'retry_failed'; step: BatchStep };

/**
 * The batch aggregate: the rules that guard its state machine (BATCH_TRANSITIONS) and the one
 * rule that derives its status from its shipments. Every change of status is a `BatchStep` the
 * aggregate hands out; repositories apply it as a conditional update.
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

  /** The step `name` takes from this batch's status; throws IllegalTransitionError when not allowed. */
  transition(name: BatchTransition, to?: BatchStatus): BatchStep {
    return transition(BATCH_TRANSITIONS, name, this.props.status, to);
  }

  /** Adding or removing shipments is allowed until purchase starts (while shipments can be added). */
  assertShipmentsModifiable(): void {
    if (!canTransition(BATCH_TRANSITIONS, 'shipments_added', this.props.status)) {
      throw new ConflictError(
        `batch ${this.id} is ${this.props.status}: shipments can be added or removed only before purchase starts`,
        'batch_not_modifiable',
      );
    }
  }

  /**
   * The step after shipments were removed, given the rows left: a VALID or INVALID batch is
   * VALID or INVALID again; a VALIDATING one stays so (null) until nothing is left to
   * validate, and then its validation finishes.
   */
  afterShipmentsRemoved(counts: BatchCounts): BatchStep | null {
    this.assertShipmentsModifiable();
    const outcome = Batch.statusAfterValidation(counts);
    if (this.props.status === 'VALIDATING') return outcome ? this.validationFinished(outcome) : null;
    if (!outcome) throw new Error(`batch ${this.id} is ${this.props.status} with shipments still pending validation`);
    return this.transition('shipments_removed', outcome);
  }

  /**
   * The step that ends validation once no shipment is pending; null while one is, or when the
   * batch is no longer VALIDATING (validation finished already: validators may run twice).
   */
  finishValidation(counts: BatchCounts): BatchStep | null {
    const outcome = Batch.statusAfterValidation(counts);
    if (!outcome || !canTransition(BATCH_TRANSITIONS, 'validation_finished_valid', this.props.status)) return null;
    return this.validationFinished(outcome);
  }

  /** Decides what a purchase request does, or refuses it saying why. */
  planPurchase(counts: BatchCounts): PurchasePlan {
    switch (this.props.status) {
      case 'VALID':
        if (counts.total === 0) {
          throw new ConflictError(`batch ${this.id} has no shipments to purchase`, 'batch_empty');
        }
        return { kind: 'all_valid', step: this.transition('purchase_requested') };
      case 'PURCHASED':
        if (counts.status('TRANSACTION_FAILED') === 0) {
          throw new ConflictError(
            `batch ${this.id} is already PURCHASED and has no failed shipments to retry`,
            'batch_already_purchased',
          );
        }
        return { kind: 'retry_failed', step: this.transition('retry_requested') };
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

  /**
   * The rule after validation: once no shipment is PENDING, a batch is VALID iff it has at
   * least one shipment and every one is VALID, else INVALID. Null while any is PENDING.
   */
  static statusAfterValidation(counts: BatchCounts): 'VALID' | 'INVALID' | null {
    if (counts.pending > 0) return null;
    return counts.total > 0 && counts.status('VALID') === counts.total ? 'VALID' : 'INVALID';
  }

  /**
   * The rule after purchase progress: a purchasing batch is PURCHASED once no shipment is left
   * in an open purchase state (OPEN_PURCHASE_STATES: QUEUED, PURCHASING, NATIVE). The finish
   * itself is one SQL statement (it also needs every merged label file), built on that list.
   */
  static statusAfterPurchaseProgress(counts: BatchCounts): 'PURCHASING' | 'PURCHASED' {
    return counts.purchaseOpen > 0 ? 'PURCHASING' : 'PURCHASED';
  }

  private validationFinished(outcome: 'VALID' | 'INVALID'): BatchStep {
    return this.transition(outcome === 'VALID' ? 'validation_finished_valid' : 'validation_finished_invalid');
  }
}
