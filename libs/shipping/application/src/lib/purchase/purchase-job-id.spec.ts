import { PURCHASE_GROUP_SIZE, purchaseGroupJobs } from './purchase-job-id';

describe('purchaseGroupJobs', () => {
  it('groups each tenant’s shipments in jobs of PURCHASE_GROUP_SIZE, named by their first shipment and size, in the tenant’s fairness group', () => {
    const queued = [
      ...Array.from({ length: PURCHASE_GROUP_SIZE + 2 }, (_, i) => ({ id: `a${i}`, queueToken: 3, tenantId: 'ta' })),
      { id: 'b0', queueToken: 7, tenantId: 'tb' },
    ];
    const jobs = purchaseGroupJobs(queued);
    expect(jobs.map((j) => [j.options.group, j.options.jobId, 'batchShipmentIds' in j.data ? j.data.batchShipmentIds.length : 1])).toEqual([
      ['ta', `purchase-group:a0:3-${PURCHASE_GROUP_SIZE}`, PURCHASE_GROUP_SIZE],
      ['ta', `purchase-group:a${PURCHASE_GROUP_SIZE}:3-2`, 2],
      ['tb', 'purchase-group:b0:7-1', 1],
    ]);
    expect(jobs.flatMap((j) => ('batchShipmentIds' in j.data ? j.data.batchShipmentIds : []))).toEqual(queued.map((q) => q.id));
  });

  it('makes no job of nothing', () => {
    expect(purchaseGroupJobs([])).toEqual([]);
  });
});
