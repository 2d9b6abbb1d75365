import {
  BATCH_SHIPMENT_STATUSES,
  BATCH_STATUSES,
  type BatchStatus,
  PURCHASE_STATES,
  type PurchaseState,
} from './batch-status';
import { defineMachine, type Step, type TransitionName } from './state-machine';

/**
 * The batch:
 *
 *   validation_finished_valid    VALIDATING -> VALID                     (event batch_created)
 *   validation_finished_invalid  VALIDATING -> INVALID                   (event batch_created)
 *   shipments_added              VALIDATING | VALID | INVALID -> VALIDATING
 *   shipments_removed            VALID | INVALID -> VALID | INVALID      (Batch.statusAfterValidation picks)
 *   purchase_requested           VALID -> PURCHASING
 *   retry_requested              PURCHASED -> PURCHASING                 (only failed shipments are queued)
 *   purchase_finished            PURCHASING -> PURCHASED                 (event batch_purchased)
 *
 * Removing shipments from a VALIDATING batch leaves it VALIDATING, unless nothing is left to
 * validate: then validation finishes there (Batch.afterShipmentsRemoved).
 */
export const BATCH_TRANSITIONS = defineMachine({
  subject: 'batch',
  states: BATCH_STATUSES,
  initial: 'VALIDATING',
  transitions: {
    validation_finished_valid: { from: ['VALIDATING'], to: ['VALID'] },
    validation_finished_invalid: { from: ['VALIDATING'], to: ['INVALID'] },
    shipments_added: { from: ['VALIDATING', 'VALID', 'INVALID'], to: ['VALIDATING'] },
    shipments_removed: { from: ['VALID', 'INVALID'], to: ['VALID', 'INVALID'] },
    purchase_requested: { from: ['VALID'], to: ['PURCHASING'] },
    retry_requested: { from: ['PURCHASED'], to: ['PURCHASING'] },
    purchase_finished: { from: ['PURCHASING'], to: ['PURCHASED'] },
  },
});
export type BatchTransition = TransitionName<typeof BATCH_TRANSITIONS>;
export type BatchStep = Step<BatchStatus, BatchTransition>;

/** The outbox event written in the same statement as a batch transition, where there is one. */
export const BATCH_TRANSITION_EVENTS: Readonly<Partial<Record<BatchTransition, 'batch_created' | 'batch_purchased'>>> = {
  validation_finished_valid: 'batch_created',
  validation_finished_invalid: 'batch_created',
  purchase_finished: 'batch_purchased',
};

/**
 * A batch shipment's validation status (`batch_shipments.status`):
 *
 *   validated        PENDING -> VALID | INVALID | INCOMPLETE
 *   purchase_failed  VALID -> TRANSACTION_FAILED
 *   retry_failed     TRANSACTION_FAILED -> VALID                 (queued again by a retry)
 *   label_recorded   VALID | TRANSACTION_FAILED -> VALID         (a bought label is recorded, even
 *                                                                 one that another worker had failed)
 */
export const BATCH_SHIPMENT_STATUS_TRANSITIONS = defineMachine({
  subject: 'batch shipment',
  states: BATCH_SHIPMENT_STATUSES,
  initial: 'PENDING',
  transitions: {
    validated: { from: ['PENDING'], to: ['VALID', 'INVALID', 'INCOMPLETE'] },
    purchase_failed: { from: ['VALID'], to: ['TRANSACTION_FAILED'] },
    retry_failed: { from: ['TRANSACTION_FAILED'], to: ['VALID'] },
    label_recorded: { from: ['VALID', 'TRANSACTION_FAILED'], to: ['VALID'] },
  },
});
export type BatchShipmentStatusTransition = TransitionName<typeof BATCH_SHIPMENT_STATUS_TRANSITIONS>;

/**
 * A batch shipment's place in the purchase protocol (`batch_shipments.purchase_state`):
 *
 *   queued             NONE -> QUEUED                  the batch's purchase starts
 *   claimed            QUEUED -> PURCHASING            a worker records its attempt (lease) before calling
 *   lease_taken_over   PURCHASING -> PURCHASING        ... or takes over an attempt whose lease ran out
 *   requeued           PURCHASING -> QUEUED            given back (slowed down, retry later)
 *   handed_back        PURCHASING -> QUEUED            claimed but never sent: its worker is shutting down
 *   purchased          PURCHASING -> PURCHASED         the label and its event recorded
 *   purchased_late     QUEUED | FAILED -> PURCHASED    a label paid for by a worker whose lease had run
 *                                                      out, after another gave it back or failed it: kept
 *   failed             PURCHASING -> FAILED            (status TRANSACTION_FAILED)
 *   retry_failed       FAILED -> QUEUED                purchasing a PURCHASED batch again
 *   handed_to_native   QUEUED -> NATIVE                to a native batch, whose row is written first
 *   native_purchased   NATIVE -> PURCHASED             collected from the provider's batch
 *   native_failed      NATIVE -> FAILED
 *   native_given_back  NATIVE -> QUEUED                back to single purchases
 */
export const PURCHASE_STATE_TRANSITIONS = defineMachine({
  subject: 'batch shipment purchase',
  states: PURCHASE_STATES,
  initial: 'NONE',
  transitions: {
    queued: { from: ['NONE'], to: ['QUEUED'] },
    claimed: { from: ['QUEUED'], to: ['PURCHASING'] },
    lease_taken_over: { from: ['PURCHASING'], to: ['PURCHASING'] },
    requeued: { from: ['PURCHASING'], to: ['QUEUED'] },
    handed_back: { from: ['PURCHASING'], to: ['QUEUED'] },
    purchased: { from: ['PURCHASING'], to: ['PURCHASED'] },
    purchased_late: { from: ['QUEUED', 'FAILED'], to: ['PURCHASED'] },
    failed: { from: ['PURCHASING'], to: ['FAILED'] },
    retry_failed: { from: ['FAILED'], to: ['QUEUED'] },
    handed_to_native: { from: ['QUEUED'], to: ['NATIVE'] },
    native_purchased: { from: ['NATIVE'], to: ['PURCHASED'] },
    native_failed: { from: ['NATIVE'], to: ['FAILED'] },
    native_given_back: { from: ['NATIVE'], to: ['QUEUED'] },
  },
});
export type PurchaseStateTransition = TransitionName<typeof PURCHASE_STATE_TRANSITIONS>;

/**
 * Purchase states in which a shipment's purchase is still open. The rule: a PURCHASING batch
 * is finished (PURCHASED) once none of its shipments is in one of them (Batch
 * .statusAfterPurchaseProgress; SQL that must decide in one statement uses this list).
 */
export const OPEN_PURCHASE_STATES: readonly PurchaseState[] = Object.freeze(['QUEUED', 'PURCHASING', 'NATIVE'] as const);
