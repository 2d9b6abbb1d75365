import type { QueuePort } from '@shipbatch/platform/queue';
import type { MergeLabelFilesUseCase } from '../label-files/merge-label-files.use-case';
import type { NativeBatchRepository } from '../native-batch/native-batch.repository';
import type { QueuedPurchase } from '../purchase/purchase.repository';
import { QUEUES } from '../tokens';
import type { ReconcileRepository } from './reconcile.repository';
import { ReconcileUseCase } from './reconcile.use-case';

/** 16 open shipments of tenant t1 and 7 of t2, interleaved as the database lists them (oldest first). */
const open: QueuedPurchase[] = Array.from({ length: 23 }, (_, i) => ({
  id: `bs${String(i).padStart(2, '0')}`,
  tenantId: i % 3 === 2 ? 't2' : 't1',
  carrierAccountId: 'ca',
  queueToken: 4,
}));

function setup() {
  const asked: number[] = [];
  const repo: ReconcileRepository = {
    exclusively: async (work) => (await work(), true),
    validationsToRing: async () => [],
    batchesPurchasingWithNothingOpen: async () => [],
    stalePurchases: async (staleMs) => (asked.push(staleMs), open),
  };
  const added: Array<{ queue: string; data: unknown; jobId?: string; group?: string }> = [];
  const queue = {
    add: async () => undefined,
    addBulk: async (queue: string, jobs: Array<{ data: unknown; options?: { jobId?: string; group?: string } }>) =>
      void added.push(...jobs.map((j) => ({ queue, data: j.data, jobId: j.options?.jobId, group: j.options?.group }))),
  } as unknown as QueuePort;
  const labelFiles = { recover: async () => 0, finish: async () => false } as unknown as MergeLabelFilesUseCase;
  const natives = { stale: async () => [] } as unknown as NativeBatchRepository;
  return { useCase: new ReconcileUseCase(repo, queue, labelFiles, natives), added, asked };
}

describe('ReconcileUseCase: open purchases queued again', () => {
  it('rings everything open in groups of 10 a tenant when it counts everything as stale (start-up, queues lost)', async () => {
    const { useCase, added, asked } = setup();
    const counts = await useCase.execute(0);
    expect(asked).toEqual([0]);
    expect(counts.purchases).toBe(23);
    expect(added.map((j) => ({ queue: j.queue, group: j.group, size: (j.data as { batchShipmentIds: string[] }).batchShipmentIds.length }))).toEqual([
      { queue: QUEUES.purchaseShipment, group: 't1', size: 10 },
      { queue: QUEUES.purchaseShipment, group: 't1', size: 6 },
      { queue: QUEUES.purchaseShipment, group: 't2', size: 7 },
    ]);
    // Every open shipment once, each tenant's in the order listed.
    const ids = added.flatMap((j) => (j.data as { batchShipmentIds: string[] }).batchShipmentIds);
    expect([...ids].sort()).toEqual(open.map((o) => o.id));
    expect(ids.slice(0, 16)).toEqual(open.filter((o) => o.tenantId === 't1').map((o) => o.id));
    expect(added[0].jobId).toBe('purchase-group:bs00:4-10');
  });

  it('rings what went stale one job a shipment on its periodic pass, named so that a job still waiting is not queued twice', async () => {
    const { useCase, added, asked } = setup();
    await useCase.execute();
    expect(asked).toEqual([60_000]);
    expect(added).toHaveLength(23);
    expect(added[0]).toEqual({ queue: QUEUES.purchaseShipment, data: { batchShipmentId: 'bs00' }, jobId: 'purchase:bs00:4', group: 't1' });
    expect(added[2].group).toBe('t2');
  });
});
