/** A batch's lifecycle, as Shippo names it (transitions: BATCH_MACHINE). */
export const BATCH_STATUSES = ['VALIDATING', 'VALID', 'INVALID', 'PURCHASING', 'PURCHASED'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/**
 * A batch shipment's validation outcome (transitions: BATCH_SHIPMENT_STATUS_MACHINE). PENDING
 * is internal: the shipment was accepted but not validated yet; it is never shown to clients.
 */
export const BATCH_SHIPMENT_STATUSES = ['PENDING', 'VALID', 'INVALID', 'INCOMPLETE', 'TRANSACTION_FAILED'] as const;
export type BatchShipmentStatus = (typeof BATCH_SHIPMENT_STATUSES)[number];

/**
 * Where a batch shipment is in the purchase protocol ("buying a label exactly once";
 * transitions: PURCHASE_STATE_MACHINE). NATIVE: handed to a provider's own batch (a native
 * batch), which buys it or gives it back.
 */
export const PURCHASE_STATES = ['NONE', 'QUEUED', 'PURCHASING', 'NATIVE', 'PURCHASED', 'FAILED'] as const;
export type PurchaseState = (typeof PURCHASE_STATES)[number];

/** A native batch's steps: a carrier account's share of a batch bought through its provider's batch API. */
export const NATIVE_BATCH_STATES = ['CREATING', 'CREATED', 'VALIDATED', 'PURCHASE_REQUESTED', 'PURCHASED', 'COLLECTED', 'FAILED'] as const;
export type NativeBatchState = (typeof NATIVE_BATCH_STATES)[number];

/** Shippo's `object_results` filters. */
export const OBJECT_RESULTS = ['creation_failed', 'creation_succeeded', 'purchase_succeeded', 'purchase_failed'] as const;
export type ObjectResultsFilter = (typeof OBJECT_RESULTS)[number];
