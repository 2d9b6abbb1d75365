import { describeProviderSpec } from '@shipbatch/providers/testing';
import { accountHandlers } from './fake-shipstation.accounts';
import { batchHandlers } from './fake-shipstation.batches';
import { labelHandlers } from './fake-shipstation.labels';
import { rateHandlers } from './fake-shipstation.rates';
import { shipmentHandlers } from './fake-shipstation.shipments';
import { FakeShipStationState } from './fake-shipstation.state';

/** The operationIds the fake has a handler for. */
function handled(): string[] {
  return [
    ...Object.keys(labelHandlers(new FakeShipStationState(), () => '').handlers),
    ...Object.keys(accountHandlers(new FakeShipStationState())),
    ...Object.keys(rateHandlers(new FakeShipStationState())),
    ...Object.keys(shipmentHandlers(new FakeShipStationState(), () => '')),
    ...Object.keys(batchHandlers(new FakeShipStationState(), { baseUrl: () => '', processingReads: 0 })),
  ];
}

describeProviderSpec('shipstation', handled);
