import { type AppConfig, DEFAULT_WORKER_SETTINGS } from '@shipbatch/platform/config';
import type { QueuePort } from '@shipbatch/platform/queue';
import type { Batch } from '@shipbatch/shipping/domain';
import { QUEUES } from '../tokens';
import type { BatchRepository } from './batch.repository';
import { CreateBatchUseCase, type CreateBatchCommand } from './create-batch.use-case';
import type { ShipmentExtrasPolicy } from './shipment-extras.policy';
import type { BatchShipmentInput } from './shipment-input';

/** The validation job a new batch of `n` shipments rings. */
async function validationJob(n: number, config?: AppConfig) {
  const added: Array<{ queue: string; data: unknown; group?: string }> = [];
  const batches = { create: async () => undefined, findById: async () => ({}) as Batch } as unknown as BatchRepository;
  const queue = { add: async (queue: string, data: unknown, options?: { group?: string }) => void added.push({ queue, data, group: options?.group }) } as unknown as QueuePort;
  const extras = { assertHonoured: async () => undefined } as unknown as ShipmentExtrasPolicy;
  const useCase = new CreateBatchUseCase(batches, queue, extras, undefined, config);
  const command = {
    tenantId: 't1',
    defaultCarrierAccount: 'ca',
    defaultServicelevelToken: 'usps_priority',
    labelFiletype: 'PDF_4x6',
    metadata: '',
    shipments: Array.from({ length: n }, () => ({}) as BatchShipmentInput),
  } as CreateBatchCommand;
  await useCase.execute(command);
  expect(added).toHaveLength(1);
  expect(added[0].queue).toBe(QUEUES.validateBatch);
  expect(added[0].group).toBe('t1');
  return added[0].data as { batchId: string; express?: boolean };
}

describe('CreateBatchUseCase: the validation job', () => {
  const config = { workers: DEFAULT_WORKER_SETTINGS } as AppConfig;

  it('marks a batch of at most PURCHASE_EXPRESS_MAX_SHIPMENTS shipments express, a larger one not', async () => {
    expect((await validationJob(40, config)).express).toBe(true);
    expect(await validationJob(41, config)).toEqual({ batchId: expect.any(String) });
  });

  it('marks nothing express with the lane off, or without configuration', async () => {
    expect((await validationJob(1, { workers: { ...DEFAULT_WORKER_SETTINGS, expressMaxShipments: 0 } } as AppConfig)).express).toBeUndefined();
    expect((await validationJob(1)).express).toBeUndefined();
  });
});
