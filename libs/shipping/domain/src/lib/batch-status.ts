/** A batch's lifecycle, as Shippo names it. */
export const BATCH_STATUSES = ['VALIDATING', 'VALID', 'INVALID', 'PURCHASING', 'PURCHASED'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/**
 * A batch shipment's validation outcome. PENDING is internal: the shipment was accepted but
 * not validated yet; it is never shown to clients.
 */
export const BATCH_SHIPMENT_STATUSES = ['PENDING', 'VALID', 'INVALID', 'INCOMPLETE', 'TRANSACTION_FAILED'] as const;
export type BatchShipmentStatus = (typeof BATCH_SHIPMENT_STATUSES)[number];

/** Where a batch shipment is in the purchase protocol ("buying a label exactly once"). */
export const PURCHASE_STATES = ['NONE', 'QUEUED', 'PURCHASING', 'PURCHASED', 'FAILED'] as const;
export type PurchaseState = (typeof PURCHASE_STATES)[number];

/** Shippo's `object_results` filters. */
export const OBJECT_RESULTS = ['creation_failed', 'creation_succeeded', 'purchase_succeeded', 'purchase_failed'] as const;
export type ObjectResultsFilter = (typeof OBJECT_RESULTS)[number];
