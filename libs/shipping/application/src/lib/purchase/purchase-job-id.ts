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

/**
 * Jobs for shipments queued anew together (a hand-back at shutdown): each tenant's in groups of
 * PURCHASE_GROUP_SIZE, as a purchase request queues them, each job in its tenant's fairness group.
 * Their queue tokens are new, so the group ids are too.
 */
export function purchaseGroupJobs(queued: ReadonlyArray<{ id: string; queueToken: number; tenantId: string }>) {
  const byTenant = new Map<string, Array<{ id: string; queueToken: number }>>();
  for (const q of queued) {
    const list = byTenant.get(q.tenantId);
    if (list) list.push(q);
    else byTenant.set(q.tenantId, [q]);
  }
  const jobs: Array<{ data: PurchaseJobData; options: { jobId: string; group: string } }> = [];
  for (const [tenantId, list] of byTenant) {
    for (let i = 0; i < list.length; i += PURCHASE_GROUP_SIZE) {
      const group = list.slice(i, i + PURCHASE_GROUP_SIZE);
      jobs.push({ data: { batchShipmentIds: group.map((g) => g.id) }, options: { jobId: purchaseGroupJobId(group[0], group.length), group: tenantId } });
    }
  }
  return jobs;
}
