import { type AppConfig, DEFAULT_WORKER_SETTINGS } from '@shipbatch/platform/config';
import type { QueuePort } from '@shipbatch/platform/queue';
import type { Batch } from '@shipbatch/shipping/domain';
import type { BatchRepository, LockedBatchScope } from '../batches/batch.repository';
import type { FundAheadUseCase } from '../funding/fund-ahead.use-case';
import type { NativeBatchRouter } from '../native-batch/native-batch.router';
import { QUEUES } from '../tokens';
import { PurchaseBatchUseCase } from './purchase-batch.use-case';

/** A VALID batch of `shipments` shipments, its tenant having `otherOpen` more queued or being bought elsewhere. */
function setup(shipments: number, otherOpen: number, expressMaxShipments = DEFAULT_WORKER_SETTINGS.expressMaxShipments) {
  const batch = {
    status: 'VALID',
    snapshot: { labelFiletype: 'PDF_4x6' },
    planPurchase: () => ({ kind: 'all_valid', step: { name: 'purchase_requested', from: ['VALID'], to: 'PURCHASING' } }),
  } as unknown as Batch;
  const rows = Array.from({ length: shipments }, (_, i) => ({ id: `bs${i}`, queueToken: 1 }));
  const counted: number[] = [];
  const batches = {
    withLockedBatch: async (_t: string, _id: string, work: (scope: LockedBatchScope) => Promise<unknown>) =>
      work({ batch, counts: async () => ({}), queueForPurchase: async () => rows, apply: async () => undefined } as unknown as LockedBatchScope),
    openPurchases: async (_tenant: string, atMost: number) => (counted.push(atMost), Math.min(shipments + otherOpen, atMost + 1)),
    findById: async () => batch,
  } as unknown as BatchRepository;
  const queued: Array<{ queue: string; jobs: number; groups: string[] }> = [];
  const queue = {
    addBulk: async (name: string, jobs: Array<{ options?: { group?: string } }>) =>
      void queued.push({ queue: name, jobs: jobs.length, groups: [...new Set(jobs.map((j) => j.options?.group ?? ''))] }),
  } as unknown as QueuePort;
  const fundAhead = { run: async () => undefined } as unknown as FundAheadUseCase;
  const natives = { route: async () => new Set<string>() } as unknown as NativeBatchRouter;
  const config = { workers: { ...DEFAULT_WORKER_SETTINGS, expressMaxShipments } } as AppConfig;
  return { useCase: new PurchaseBatchUseCase(batches, queue, fundAhead, natives, config), queued, counted };
}

describe('PurchaseBatchUseCase: which lane a purchase request takes', () => {
  it('sends a small batch of a tenant with nothing else open to the express lane, in groups of 10, in the tenant group', async () => {
    const { useCase, queued, counted } = setup(25, 0);
    await useCase.execute('t1', 'b1');
    expect(queued).toEqual([{ queue: QUEUES.purchaseExpress, jobs: 3, groups: ['t1'] }]);
    expect(counted).toEqual([40]);
  });

  it('takes the express lane up to PURCHASE_EXPRESS_MAX_SHIPMENTS open shipments, these included, and the regular lane past it', async () => {
    const atLimit = setup(30, 10);
    await atLimit.useCase.execute('t1', 'b1');
    expect(atLimit.queued[0].queue).toBe(QUEUES.purchaseExpress);
    const past = setup(30, 11);
    await past.useCase.execute('t1', 'b1');
    expect(past.queued[0].queue).toBe(QUEUES.purchaseShipment);
  });

  it('sends a batch larger than the limit to the regular lane without counting', async () => {
    const { useCase, queued, counted } = setup(41, 0);
    await useCase.execute('t1', 'b1');
    expect(queued).toEqual([{ queue: QUEUES.purchaseShipment, jobs: 5, groups: ['t1'] }]);
    expect(counted).toEqual([]);
  });

  it('has no express lane when PURCHASE_EXPRESS_MAX_SHIPMENTS is 0', async () => {
    const { useCase, queued } = setup(1, 0, 0);
    await useCase.execute('t1', 'b1');
    expect(queued[0].queue).toBe(QUEUES.purchaseShipment);
  });
});
