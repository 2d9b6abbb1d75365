import type { QueuePort } from '@shipbatch/platform/queue';
import type { LabelProvider, NativeBatchPort } from '@shipbatch/providers/core';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { NativeBatchRepository, NativeCandidate } from './native-batch.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import { NativeBatchRouter } from './native-batch.router';

/** Candidates whose ship-from street is `from[i]`; hand-overs recorded as given. */
function setup(from: string[], port: Partial<NativeBatchPort>, maxSize = 10_000) {
  const candidates: NativeCandidate[] = from.map((street1, i) => ({
    id: `s${i}`,
    purchase: { carrierAccountId: 'ca1', command: { carrier: 'usps', serviceLevelToken: 'usps_priority', labelFileType: 'PDF_4x6', shipment: { addressFrom: { street1 } } } },
  }) as unknown as NativeCandidate);
  const handed: string[][] = [];
  const natives = {
    queuedShares: async () => [{ carrierAccountId: 'ca1', count: candidates.length }],
    candidates: async () => candidates,
    handOver: async (input: { shipmentIds: string[] }) => {
      handed.push(input.shipmentIds);
      return { id: `nb${handed.length}`, shipmentIds: input.shipmentIds };
    },
  } as unknown as NativeBatchRepository;
  const accounts = { findById: async () => ({ id: 'ca1', active: true, provider: 'any' }) as CarrierAccountRecord } as unknown as CarrierAccountRepository;
  const provider = { capabilities: { nativeBatch: { maxSize } }, nativeBatch: { lists: ['labels'], ...port } } as unknown as LabelProvider;
  const gateway = { forAccount: () => provider } as unknown as ProviderGateway;
  const rung: string[] = [];
  const queue = { add: async (_q: string, data: { nativeBatchId: string }) => void rung.push(data.nativeBatchId) } as unknown as QueuePort;
  return { router: new NativeBatchRouter(natives, accounts, gateway, queue), handed, rung };
}

describe('NativeBatchRouter', () => {
  it('hands each group the port admits to a native batch of its own, in batch order, and leaves refused and too small groups to single purchases', async () => {
    const from = ['A', 'B', 'A', 'C', 'A', 'B', 'B', 'A'];
    const { router, handed, rung } = setup(from, {
      minSize: 3,
      admit: (_type, command) => (command.shipment.addressFrom.street1 === 'C' ? { refused: 'no warehouse for C' } : { group: command.shipment.addressFrom.street1 ?? '' }),
    });
    const out = await router.route('t1', 'b1', 'PDF_4x6');
    expect(handed).toEqual([
      ['s0', 's2', 's4', 's7'],
      ['s1', 's5', 's6'],
    ]);
    expect(rung).toEqual(['nb1', 'nb2']);
    expect([...out].sort()).toEqual(['s0', 's1', 's2', 's4', 's5', 's6', 's7']);
  });

  it('splits a group larger than the provider batch limit into several native batches', async () => {
    const { router, handed } = setup(Array.from({ length: 7 }, () => 'A'), { minSize: 2 }, 3);
    await router.route('t1', 'b1', 'PDF_4x6');
    expect(handed).toEqual([['s0', 's1', 's2'], ['s3', 's4', 's5'], ['s6']]);
  });

  it('hands nothing over below the smallest share', async () => {
    const { router, handed } = setup(['A', 'A'], { minSize: 3 });
    expect((await router.route('t1', 'b1', 'PDF_4x6')).size).toBe(0);
    expect(handed).toEqual([]);
  });
});
