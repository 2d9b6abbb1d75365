/**
 * Purchase jobs are named by shipment and queue token: the same shipment queued again
 * (after a retry) gets a new id, while the reconciler re-adding a job that is still waiting
 * is ignored by the queue.
 */
export function purchaseJobId(batchShipmentId: string, queueToken: number): string {
  return `purchase:${batchShipmentId}:${queueToken}`;
}

/** How many shipments one purchase job carries when a batch is queued for purchase. */
export const PURCHASE_GROUP_SIZE = 10;

/**
 * A group job is named by its first shipment, that shipment's queue token and the group's
 * size (BullMQ allows a custom id with ':' only when it has exactly three parts).
 */
export function purchaseGroupJobId(first: { id: string; queueToken: number }, size: number): string {
  return `purchase-group:${first.id}:${first.queueToken}-${size}`;
}

/** What a purchase job carries: one shipment (retries, reconciler) or a group. */
export type PurchaseJobData = { batchShipmentId: string } | { batchShipmentIds: string[] };

export function purchaseJobShipments(data: PurchaseJobData): string[] {
  return 'batchShipmentIds' in data ? data.batchShipmentIds : [data.batchShipmentId];
}
