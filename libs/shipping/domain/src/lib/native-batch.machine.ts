import { NATIVE_BATCH_STATES } from './batch-status';
import { defineMachine, finalStates, fromStates, type TransitionName } from './state-machine';

/**
 * A native batch (`native_batches.state`): a carrier account's share of a batch (one group of
 * it) bought through its provider's own batch API. Its row, and the shipments' hand-over
 * (purchase_state NATIVE), are written before the provider is called; every step is recorded
 * before the next, so a crash resumes from the recorded state and the provider batch is
 * purchased at most once. CREATING covers making the shipments first where the provider needs
 * it (each one's provider id recorded as it comes back); PURCHASED covers collecting its pages.
 *
 *   created             CREATING -> CREATED               the provider batch exists; its id is recorded
 *   validated           CREATED -> VALIDATED              the provider validated it (invalid ones failed)
 *   purchase_requested  VALIDATED -> PURCHASE_REQUESTED   recorded before the purchase is asked for
 *   purchase_refused    PURCHASE_REQUESTED -> VALIDATED   refused before it took effect: ask again
 *   purchased           PURCHASE_REQUESTED -> PURCHASED   the provider batch is bought
 *   collected           PURCHASED -> COLLECTED            every label recorded (or failed)
 *   nothing_to_buy      CREATING | VALIDATED -> COLLECTED every shipment left it before purchase
 *   failed              any but COLLECTED, FAILED -> FAILED (given up: its shipments bought one by
 *                                                         one, looked up first once a purchase was asked;
 *                                                         or failed with a message)
 */
export const NATIVE_BATCH_TRANSITIONS = defineMachine({
  subject: 'native batch',
  states: NATIVE_BATCH_STATES,
  initial: 'CREATING',
  transitions: {
    created: { from: ['CREATING'], to: ['CREATED'] },
    validated: { from: ['CREATED'], to: ['VALIDATED'] },
    purchase_requested: { from: ['VALIDATED'], to: ['PURCHASE_REQUESTED'] },
    purchase_refused: { from: ['PURCHASE_REQUESTED'], to: ['VALIDATED'] },
    purchased: { from: ['PURCHASE_REQUESTED'], to: ['PURCHASED'] },
    collected: { from: ['PURCHASED'], to: ['COLLECTED'] },
    nothing_to_buy: { from: ['CREATING', 'VALIDATED'], to: ['COLLECTED'] },
    failed: { from: ['CREATING', 'CREATED', 'VALIDATED', 'PURCHASE_REQUESTED', 'PURCHASED'], to: ['FAILED'] },
  },
});
export type NativeBatchTransition = TransitionName<typeof NATIVE_BATCH_TRANSITIONS>;

/** Where a native batch ends (COLLECTED, FAILED): nothing is left to do or give up. */
export const NATIVE_BATCH_SETTLED = finalStates(NATIVE_BATCH_TRANSITIONS);
/** Before its purchase is asked for (CREATING, CREATED, VALIDATED): its shipments may be given back to single purchases unlooked. */
export const NATIVE_BATCH_BEFORE_PURCHASE = fromStates(NATIVE_BATCH_TRANSITIONS, 'created', 'validated', 'purchase_requested');
/** After its purchase was asked for (PURCHASE_REQUESTED, PURCHASED): anything given back is looked up first. */
export const NATIVE_BATCH_PURCHASE_ASKED = fromStates(NATIVE_BATCH_TRANSITIONS, 'purchased', 'collected');
