/**
 * Purchase jobs are named by shipment and queue token: the same shipment queued again
 * (after a retry) gets a new id, while the reconciler re-adding a job that is still waiting
 * is ignored by the queue.
 */
export function purchaseJobId(batchShipmentId: string, queueToken: number): string {
  return `purchase:${batchShipmentId}:${queueToken}`;
}
