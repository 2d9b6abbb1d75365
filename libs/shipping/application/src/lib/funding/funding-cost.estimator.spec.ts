import { randomUUID } from 'node:crypto';
import {
  type LabelProvider,
  type PortShipment,
  type ProviderCapabilities,
  ProviderRateLimitedError,
  ProviderUnavailableError,
  type PurchaseLabelCommand,
} from '@shipbatch/providers/core';
import { shipStationProviderDefinition, ShipStationProviderOptions } from '@shipbatch/providers/shipstation';
import { anAddress, aParcel, aShipmentWithSenderPhone, expectConformingRequests } from '@shipbatch/providers/testing';
import { type FakeShipStation, startFakeShipStation } from '@shipbatch/providers/shipstation/testing';
import type { CarrierAccountRecord } from '../carrier-accounts/carrier-account.repository';
import type { DemandShape, QueuedDemand } from './funding.repository';
import { ESTIMATE_MAX_QUOTES, FundingCostEstimator } from './funding-cost.estimator';

const account = { id: 'ca1', tenantId: 't1' } as CarrierAccountRecord;

const shape = (service: string, count: number, shipment: PortShipment = aShipmentWithSenderPhone()): DemandShape => ({
  count,
  sample: {
    carrierAccountId: 'ca1',
    command: { carrier: 'usps', serviceLevelToken: service, shipment, labelFileType: 'PDF_4x6' },
    warehouseId: null,
    externalShipmentId: null,
    isInternational: false,
  },
});

const demandOf = (service: string, shapes: DemandShape[], count = shapes.reduce((n, s) => n + s.count, 0)): QueuedDemand => ({
  carrierAccountId: 'ca1',
  serviceLevelToken: service,
  count,
  shapes,
});

/** The repository's last prices, per service. */
const lastPrices = (prices: Record<string, number>) => ({
  asked: [] as string[][],
  async lastPrices(_id: string, services: string[]) {
    this.asked.push(services);
    return new Map(services.filter((s) => s in prices).map((s) => [s, prices[s]]));
  },
});

/** A provider whose quote prices by the recipient's ZIP (`prices[zip]`), or fails as told. */
function quoting(prices: Record<string, number>, fail: (call: number) => Error | undefined = () => undefined) {
  const calls: string[] = [];
  const capabilities = { rates: true, funding: { prepaidBalance: true, addFunds: true } } as ProviderCapabilities;
  const provider = {
    key: 'fake',
    capabilities,
    quote: async (command: PurchaseLabelCommand) => {
      calls.push(`${command.serviceLevelToken} ${command.shipment.addressTo.zip}`);
      const error = fail(calls.length);
      if (error) throw error;
      return { amountMinor: prices[String(command.shipment.addressTo.zip)], currency: 'usd' };
    },
  } as unknown as LabelProvider;
  return { provider, calls };
}

const to = (zip: string) => aShipmentWithSenderPhone({ addressTo: anAddress({ zip }) });

describe('FundingCostEstimator', () => {
  it("quotes each service's most common shapes, at most ESTIMATE_MAX_QUOTES, and prices the rest at the service's quoted average", async () => {
    // usps_priority: 40 to 10001 (1000 each), 30 to 94103 (500), then 8 shapes of 5; usps_first_class: 5 shapes of 4.
    const zips = ['60601', '73301', '98101', '02108', '30301', '80202', '85001', '97201'];
    const priority = demandOf('usps_priority', [shape('usps_priority', 40, to('10001')), shape('usps_priority', 30, to('94103')), ...zips.map((z) => shape('usps_priority', 5, to(z)))]);
    const firstClass = demandOf('usps_first_class', ['11111', '22222', '33333', '44444', '55555'].map((z) => shape('usps_first_class', 4, to(z))));
    const prices = Object.fromEntries([['10001', 1000], ['94103', 500], ...zips.map((z) => [z, 700]), ...['11111', '22222', '33333', '44444', '55555'].map((z) => [z, 300])]);
    const { provider, calls } = quoting(prices);
    const repo = lastPrices({});
    const estimate = await new FundingCostEstimator(repo).estimate(account, provider, [firstClass, priority]);

    expect(ESTIMATE_MAX_QUOTES).toBe(5);
    // Round by round, the service with the most shipments first: each service's largest shape before any second one.
    expect(calls).toEqual(['usps_priority 10001', 'usps_first_class 11111', 'usps_priority 94103', 'usps_first_class 22222', 'usps_priority 60601']);
    // usps_priority: 40 x 1000 + 30 x 500 + 5 x 700 quoted = 58,500 for 75; the other 35 at ceil(58,500 / 75) = 780.
    // usps_first_class: 2 x 4 x 300 quoted; the other 12 at 300.
    expect(estimate).toEqual({ amountMinor: 58_500 + 35 * 780 + 2_400 + 12 * 300, shipments: 130, unpriced: 0, quotes: 5 });
    expect(repo.asked).toEqual([]);
  });

  it('prices a service without a quote at its last price paid, and counts what nothing prices', async () => {
    const { provider, calls } = quoting({}, () => new ProviderUnavailableError('estimate down'));
    const repo = lastPrices({ usps_priority: 758 });
    const estimate = await new FundingCostEstimator(repo).estimate(account, provider, [
      demandOf('usps_priority', [shape('usps_priority', 6)]),
      demandOf('usps_first_class', [shape('usps_first_class', 3)]),
    ]);
    expect(calls).toHaveLength(2);
    expect(repo.asked).toEqual([['usps_priority', 'usps_first_class']]);
    expect(estimate).toEqual({ amountMinor: 6 * 758, shipments: 9, unpriced: 3, quotes: 2 });
  });

  it('prices a service whose label price is known at it, quoting and looking up only the others', async () => {
    const { provider, calls } = quoting({ '10001': 450 });
    const repo = lastPrices({ usps_priority: 700, usps_priority_express: 2_000 });
    const estimate = await new FundingCostEstimator(repo).estimate(
      account,
      provider,
      [
        demandOf('usps_priority', [shape('usps_priority', 10, to('94103')), shape('usps_priority', 2, to('10001'))]),
        demandOf('usps_first_class', [shape('usps_first_class', 3, to('10001'))]),
      ],
      new Map([['usps_priority', 758]]),
    );
    expect(calls).toEqual(['usps_first_class 10001']);
    expect(repo.asked).toEqual([]);
    expect(estimate).toEqual({ amountMinor: 12 * 758 + 3 * 450, shipments: 15, unpriced: 0, quotes: 1 });
  });

  it('stops quoting once the account is rate limited, and asks nothing of a provider without rates', async () => {
    const limited = quoting({ '94103': 500 }, (n) => (n === 1 ? new ProviderRateLimitedError('slow down', { retryAfterMs: 1_000 }) : undefined));
    const many = demandOf('usps_priority', ['1', '2', '3', '4', '5', '6'].map((z) => shape('usps_priority', 1, to(z))));
    const estimate = await new FundingCostEstimator(lastPrices({ usps_priority: 700 })).estimate(account, limited.provider, [many]);
    // The three quotes already in flight finish; no further one starts.
    expect(limited.calls).toHaveLength(3);
    expect(estimate).toMatchObject({ quotes: 3, unpriced: 0 });

    const none = { key: 'plain', capabilities: { rates: false } } as unknown as LabelProvider;
    expect(await new FundingCostEstimator(lastPrices({ usps_priority: 700 })).estimate(account, none, [many])).toEqual({ amountMinor: 6 * 700, shipments: 6, unpriced: 0, quotes: 0 });
  });

  describe('through the ShipStation adapter and the fake ShipStation', () => {
    let fake: FakeShipStation;
    beforeAll(async () => {
      fake = await startFakeShipStation({ rateLimitPerMinute: 10_000 });
    });
    afterAll(() => fake.close());
    expectConformingRequests(() => fake);

    const shipStation = () => {
      const apiKey = `TEST_${randomUUID().replace(/-/g, '')}`;
      const carrierId = `se-${Math.floor(Math.random() * 1e9)}`;
      fake.addAccount({ apiKey, carriers: [{ carrierId, carrierCode: 'stamps_com' }] });
      const options = Object.assign(new ShipStationProviderOptions(), { api_key: apiKey, carrier_id: carrierId });
      const provider = shipStationProviderDefinition.create(options, { carrierAccountId: 'ca1', carrier: 'usps', test: true, baseUrl: fake.url });
      const estimates = () => fake.requests().filter((r) => r.headers['api-key'] === apiKey && r.operationId === 'estimate_rates');
      return { provider, estimates };
    };

    it('estimates a 100-shipment batch of 12 shapes with ESTIMATE_MAX_QUOTES (5) rate estimates', async () => {
      const { provider, estimates } = shipStation();
      const zips = ['94103', '10001', '60601', '73301', '98101', '02108', '30301', '80202', '85001', '97201', '33101', '48201'];
      const shapes = zips.map((zip, i) => shape('usps_priority', i < 4 ? 9 : 8, aShipmentWithSenderPhone({ addressTo: anAddress({ zip }), parcels: [aParcel({ weight: 1 + (i % 5) })] })));
      const estimate = await new FundingCostEstimator(lastPrices({})).estimate(account, provider, [demandOf('usps_priority', shapes.slice(0, ESTIMATE_MAX_QUOTES), 100)]);
      expect(estimates()).toHaveLength(ESTIMATE_MAX_QUOTES);
      expect(estimate).toEqual({ amountMinor: 100 * 758, shipments: 100, unpriced: 0, quotes: ESTIMATE_MAX_QUOTES });
    });

    it('falls back to the last price paid per service when the rate estimate fails', async () => {
      const { provider, estimates } = shipStation();
      fake.faults.inject({ kind: 'status', status: 500, body: { request_id: randomUUID(), errors: [] } }, { operationId: 'estimate_rates', times: Infinity });
      try {
        const repo = lastPrices({ usps_priority: 800 });
        const estimate = await new FundingCostEstimator(repo).estimate(account, provider, [
          demandOf('usps_priority', [shape('usps_priority', 7)]),
          demandOf('usps_media_mail', [shape('usps_media_mail', 2)]),
        ]);
        // One estimate per service, each tried 3 times by the transport (an estimate is a read).
        expect(estimates()).toHaveLength(2 * 3);
        expect(estimate).toEqual({ amountMinor: 7 * 800, shipments: 9, unpriced: 2, quotes: 2 });
      } finally {
        fake.faults.clear();
      }
    });
  });
});
