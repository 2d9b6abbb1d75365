import { describeProviderSpec } from '@shipbatch/providers/testing';
import { batchHandlers } from './fake-shippo.batches';
import { FakeShippoState } from './fake-shippo.state';
import { transactionHandlers } from './fake-shippo.transactions';

/** The operationIds the fake has a handler for. */
function handled(): string[] {
  const runtime = { baseUrl: () => '', owner: 'o', queued: { left: 0, polls: 1 }, refundStatus: 'QUEUED' as const, batchPendingReads: 1 };
  return [...Object.keys(transactionHandlers(new FakeShippoState(), runtime).handlers), ...Object.keys(batchHandlers(new FakeShippoState(), runtime))];
}

describeProviderSpec('shippo', handled);
