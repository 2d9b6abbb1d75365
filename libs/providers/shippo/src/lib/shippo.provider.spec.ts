import { randomUUID } from 'node:crypto';
import {
  type PortShipment,
  ProviderOutcomeUnknownError,
  ProviderUnavailableError,
  ProviderValidationError,
} from '@shipbatch/providers/core';
import {
  anAddress,
  aPurchaseCommand as command,
  aValidShipment,
  expectConformingRequests,
  RecordingPacer,
  readPdfLabels,
} from '@shipbatch/providers/testing';
import { type FakeShippo, startFakeShippo } from '../testing';
import { ShippoClient } from './shippo.client';
import { shippoBudgets } from './shippo.limits';
import { ShippoProviderOptions } from './shippo-provider.options';
import { ShippoProvider, type ShippoProviderTuning } from './shippo.provider';

let fake: FakeShippo;

beforeAll(async () => {
  fake = await startFakeShippo({ limitScale: 200 });
});
afterAll(async () => {
  await fake?.close();
});
// The fake's answers too must conform here.
expectConformingRequests(() => fake, { answers: true });
afterEach(() => fake.queueNext(0, 1));

/** Short waits between polls: the number of polls is what matters, not their timing. */
const FAST: ShippoProviderTuning = { pollDelaysMs: [1, 1, 1] };

function make(input: { token?: string; tuning?: ShippoProviderTuning; options?: Partial<ShippoProviderOptions> } = {}) {
  const token = input.token ?? `shippo_test_${randomUUID().replace(/-/g, '')}`;
  const carrierAccount = randomUUID().replace(/-/g, '');
  fake.addAccount({ token, carrierAccounts: [{ objectId: carrierAccount, carrier: 'usps', serviceLevels: ['usps_priority', 'usps_ground_advantage'] }] });
  const options = Object.assign(new ShippoProviderOptions(), { api_token: token, carrier_account: carrierAccount, ...input.options });
  const pacer = new RecordingPacer();
  const context = { carrierAccountId: randomUUID(), carrier: 'usps', test: true, baseUrl: fake.url, pacer };
  const provider = new ShippoProvider(new ShippoClient(options, context), options, context, { ...FAST, ...input.tuning });
  return { provider, token, carrierAccount, pacer };
}

const requestsOf = (token: string, operationId?: string) => fake.requests().filter((r) => r.headers['authorization'] === `ShippoToken ${token}` && (!operationId || r.operationId === operationId));

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error & Record<string, unknown>,
  );

describe('ShippoProvider', () => {
  it('buys an instant transaction with the whole shipment inline and our reference as metadata', async () => {
    const { provider, token, carrierAccount } = make();
    const c = command();
    const label = await provider.purchaseLabel(c);
    expect(label).toMatchObject({ reference: c.reference, carrier: 'usps', serviceLevelToken: 'usps_priority', cost: { amountMinor: 758, currency: 'usd' }, documentUrl: expect.stringContaining('/labels/') });
    const [sent] = requestsOf(token, 'CreateTransaction');
    expect(sent.headers['shippo-api-version']).toBe('2018-02-08');
    expect(sent.body).toEqual({
      shipment: {
        address_from: expect.objectContaining({ name: 'Shippo Warehouse', street1: '215 Clayton St.', zip: '94117', country: 'US' }),
        address_to: expect.objectContaining({ name: 'Mr Hippo', city: 'San Francisco', state: 'CA' }),
        parcels: [{ length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' }],
      },
      carrier_account: carrierAccount,
      servicelevel_token: 'usps_priority',
      label_file_type: 'PDF_4x6',
      metadata: c.reference,
      async: false,
    });
    const document = await provider.downloadDocument(label.documentUrl as string);
    expect((await readPdfLabels(document.content)).barcodes).toEqual([label.trackingNumber]);
  });

  it('polls a QUEUED transaction until SUCCESS', async () => {
    const { provider, token } = make();
    fake.queueNext(1, 2);
    const c = command();
    const label = await provider.purchaseLabel(c);
    expect(label).toMatchObject({ reference: c.reference, trackingNumber: expect.stringMatching(/^\d{22}$/), cost: { amountMinor: 758 } });
    expect(requestsOf(token, 'GetTransaction')).toHaveLength(2);
  });

  it('gives up on a transaction still QUEUED after its polls: unavailable, possibly committed; the lookup waits, then finds it', async () => {
    const { provider, token } = make();
    fake.queueNext(1, 4);
    const c = command();
    const error = await rejection(provider.purchaseLabel(c));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ possiblyCommitted: true, retryable: true, details: { status: 'QUEUED' } });
    expect(requestsOf(token, 'GetTransaction')).toHaveLength(3);
    const pending = await rejection(provider.findPurchase(c.reference));
    expect(pending).toBeInstanceOf(ProviderUnavailableError);
    expect(pending.message).toContain('still QUEUED');
    // Time passes at Shippo: the fake finishes a QUEUED transaction after its reads, so read it once more.
    const id = String((pending.details as Record<string, unknown>)['transaction']);
    await fetch(`${fake.url}/transactions/${id}`, { headers: { Authorization: `ShippoToken ${token}`, 'SHIPPO-API-VERSION': '2018-02-08' } });
    const found = await provider.findPurchase(c.reference);
    expect(found).toMatchObject({ reference: c.reference, cost: { amountMinor: 758, currency: 'usd' }, serviceLevelToken: 'usps_priority' });
    expect(fake.salesFor(c.reference)).toBe(1);
  });

  it("turns an ERROR transaction into a ProviderValidationError carrying Shippo's messages", async () => {
    const { provider } = make();
    const c = command({ serviceLevelToken: 'usps_media_mail' });
    const error = await rejection(provider.purchaseLabel(c));
    expect(error).toBeInstanceOf(ProviderValidationError);
    expect(error.message).toContain("Service level 'usps_media_mail' is not available");
    expect(error.details).toMatchObject({ provider_code: 'servicelevel_unavailable', messages: [{ source: 'USPS', code: 'servicelevel_unavailable', text: expect.any(String) }] });
    fake.failPurchaseOf(c.reference, 'USPS is down');
    const carrierError = await rejection(provider.purchaseLabel({ ...c, serviceLevelToken: 'usps_priority' }));
    expect(carrierError.message).toContain('USPS is down');
    expect(fake.salesFor(c.reference)).toBe(0);
  });

  it('refuses an incomplete shipment locally, sending nothing', async () => {
    const { provider, token } = make();
    const shipment: PortShipment = aValidShipment({ addressTo: anAddress({ state: undefined }) });
    const error = await rejection(provider.purchaseLabel(command({ shipment })));
    expect(error).toBeInstanceOf(ProviderValidationError);
    expect(error.details).toMatchObject({ field: 'address_to.state' });
    expect(requestsOf(token)).toHaveLength(0);
  });

  describe('findPurchase: the scan of recent transactions', () => {
    it('finds a purchase on page 3, reading 100 a page newest first', async () => {
      const { provider, token } = make();
      const target = await provider.purchaseLabel(command());
      for (let i = 0; i < 250; i++) await provider.purchaseLabel(command());
      const found = await provider.findPurchase(target.reference, { since: new Date(Date.now() - 60_000) });
      expect(found).toMatchObject({ providerLabelId: target.providerLabelId, trackingNumber: target.trackingNumber, cost: target.cost });
      expect(requestsOf(token, 'ListTransactions').map((r) => r.query)).toEqual([1, 2, 3].map((page) => ({ page: String(page), results: '100' })));
    });

    it('answers null once the listing is older than since (minus the margin), before its page limit', async () => {
      const { provider, token } = make({ tuning: { lookup: { maxPages: 1, marginMs: 0 } } });
      for (let i = 0; i < 150; i++) await provider.purchaseLabel(command());
      const since = new Date(Date.now() + 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      for (let i = 0; i < 5; i++) await provider.purchaseLabel(command());
      expect(await provider.findPurchase(randomUUID(), { since })).toBeNull();
      expect(requestsOf(token, 'ListTransactions')).toHaveLength(1);
    });

    it('answers null when it reached the end of the list; unknown when the page limit came first', async () => {
      const { provider } = make({ tuning: { lookup: { maxPages: 1 } } });
      for (let i = 0; i < 3; i++) await provider.purchaseLabel(command());
      expect(await provider.findPurchase(randomUUID())).toBeNull();
      for (let i = 0; i < 100; i++) await provider.purchaseLabel(command());
      const withoutSince = await rejection(provider.findPurchase(randomUUID()));
      expect(withoutSince).toBeInstanceOf(ProviderOutcomeUnknownError);
      const notReached = await rejection(provider.findPurchase(randomUUID(), { since: new Date(Date.now() - 3_600_000) }));
      expect(notReached).toBeInstanceOf(ProviderOutcomeUnknownError);
      expect(notReached).toMatchObject({ code: 'outcome_unknown', retryable: false });
    });

    it('does not take an ERROR transaction with our reference for a label', async () => {
      const { provider } = make();
      const c = command({ serviceLevelToken: 'usps_media_mail' });
      await rejection(provider.purchaseLabel(c));
      expect(await provider.findPurchase(c.reference)).toBeNull();
    });
  });

  it("refunds through POST /refunds: Shippo's QUEUED is approved; a second refund is not", async () => {
    const { provider } = make();
    const label = await provider.purchaseLabel(command());
    expect(await provider.voidLabel(label.providerLabelId)).toEqual({ approved: true, message: expect.stringContaining('QUEUED') });
    expect(fake.sales().find((s) => s.object_id === label.providerLabelId)?.refunded).toBe(true);
    expect(await provider.voidLabel(label.providerLabelId)).toEqual({ approved: false, message: expect.stringContaining('already') });
  });

  it("paces each kind of call on its own budget at Shippo's published limits, scaled by rate_limit_per_minute, shared by accounts of one token", async () => {
    const a = make({ options: { rate_limit_per_minute: 250 } });
    const b = make({ token: a.token, options: { rate_limit_per_minute: 250 } });
    await a.provider.purchaseLabel(command());
    const { providerBatchId } = await b.provider.nativeBatch.create({ reference: randomUUID(), batchReference: randomUUID(), labelFileType: 'PDF_4x6', members: [{ command: command() }] });
    await b.provider.nativeBatch.status(providerBatchId);
    const [purchase] = a.pacer.acquires();
    const [create, read] = b.pacer.acquires();
    const prefix = purchase.budget.key.replace(/:transaction_create$/, '');
    expect(prefix).toMatch(/^shippo:[0-9a-f]{32}$/);
    // Half of Shippo's live limits: POST /transactions 500, POST /batches 50, GET /batches/{id} 400.
    expect(purchase.budget).toEqual({ key: `${prefix}:transaction_create`, perMinute: 250 });
    expect(purchase.ms).toBe(15_000);
    expect(create.budget).toEqual({ key: `${prefix}:batch_create`, perMinute: 25 });
    expect(read.budget).toEqual({ key: `${prefix}:batch_read`, perMinute: 200 });
    expect(purchase.budget.key).not.toContain(a.token);
  });

  it("defaults to Shippo's live limits for every kind", () => {
    expect(shippoBudgets('shippo_live_x')).toMatchObject({
      transaction_create: { perMinute: 500 },
      transaction_read: { perMinute: 4000 },
      transaction_list: { perMinute: 50 },
      rate_read: { perMinute: 4000 },
      batch_create: { perMinute: 50 },
      batch_read: { perMinute: 400 },
    });
    expect(shippoBudgets('shippo_test_x', 50).transaction_list.perMinute).toBe(5);
  });

  describe('nativeBatch: the batch API end to end', () => {
    const members = (commands: ReturnType<typeof command>[]) => commands.map((c) => ({ command: c }));

    it('creates, validates, removes the invalid, purchases once, and lists every outcome; each bought label read by its transaction', async () => {
      const { provider, token } = make();
      const commands = [command(), command({ shipment: aValidShipment({ addressTo: anAddress({ city: '' }) }) }), command(), command()];
      fake.failPurchaseOf(commands[3].reference, 'USPS refused the label');
      const batchRef = randomUUID();
      const port = provider.nativeBatch;
      expect(port.lists).toEqual(['labels']);
      const { providerBatchId } = await port.create({ reference: randomUUID(), batchReference: batchRef, labelFileType: 'PDF_4x6', members: members(commands) });
      const sent = requestsOf(token, 'CreateBatch')[0].body as Record<string, unknown>;
      expect(sent).toMatchObject({ metadata: batchRef, default_servicelevel_token: 'usps_priority', label_filetype: 'PDF_4x6' });
      expect((sent.batch_shipments as Array<Record<string, unknown>>).map((s) => s.metadata)).toEqual(commands.map((c) => c.reference));

      expect(await port.status(providerBatchId)).toBe('VALIDATING');
      expect(await port.status(providerBatchId)).toBe('READY');
      const rejected = await port.review(providerBatchId);
      expect(rejected.map((r) => r.reference)).toEqual([commands[1].reference]);
      expect(rejected[0].messages).toEqual([expect.objectContaining({ code: 'address_incomplete' })]);

      await port.remove(providerBatchId, [rejected[0].providerShipmentId]);
      expect(await port.status(providerBatchId)).toBe('READY');
      // Valid as a whole now: right after a status read that saw it VALID, nothing to review
      // without a read; else one read of page 1.
      const reads = requestsOf(token, 'GetBatch').length;
      expect(await port.review(providerBatchId)).toEqual([]);
      expect(requestsOf(token, 'GetBatch').length).toBe(reads);
      expect(await port.review(providerBatchId)).toEqual([]);
      expect(requestsOf(token, 'GetBatch').length).toBe(reads + 1);
      await port.purchase(providerBatchId);
      expect(await port.status(providerBatchId)).toBe('PURCHASING');
      expect(await port.status(providerBatchId)).toBe('PURCHASED');
      const { items, pages } = await port.list(providerBatchId, 'labels', 1);
      expect(pages).toBe(1);
      expect(items.map((i) => [i.reference, i.kind])).toEqual([
        [commands[0].reference, 'bought'],
        [commands[2].reference, 'bought'],
        [commands[3].reference, 'failed'],
      ]);
      expect(items[2]).toMatchObject({ messages: [expect.objectContaining({ text: 'USPS refused the label' })] });
      for (const item of items) {
        if (item.kind !== 'bought') continue;
        const label = await port.label(item.labelRef, item.reference);
        expect(label).toMatchObject({ providerLabelId: item.labelRef, reference: item.reference, cost: { amountMinor: 758, currency: 'usd' }, documentUrl: expect.any(String) });
        expect(fake.salesFor(item.reference)).toBe(1);
      }
      expect(fake.batchPurchaseCalls(providerBatchId)).toBe(1);
      await expect(port.purchase(providerBatchId)).rejects.toBeInstanceOf(ProviderValidationError);
    });

    it('reviews every page of a large invalid batch, and lists it in pages of 100, each page on its own', async () => {
      const { provider } = make();
      const commands = Array.from({ length: 230 }, () => command());
      for (const i of [50, 205]) fake.failValidationOf(commands[i].reference, 'USPS could not find this address.');
      const port = provider.nativeBatch;
      const { providerBatchId } = await port.create({ reference: randomUUID(), batchReference: randomUUID(), labelFileType: 'ZPLII', members: members(commands) });
      await port.status(providerBatchId);
      const rejected = await port.review(providerBatchId);
      expect(rejected.map((s) => s.reference)).toEqual([commands[50].reference, commands[205].reference]);
      await port.remove(providerBatchId, rejected.map((r) => r.providerShipmentId));
      commands.splice(205, 1);
      commands.splice(50, 1);
      await port.purchase(providerBatchId);
      await port.status(providerBatchId);
      expect(await port.status(providerBatchId)).toBe('PURCHASED');
      const third = await port.list(providerBatchId, 'labels', 3);
      const first = await port.list(providerBatchId, 'labels', 1);
      expect([first.pages, third.pages]).toEqual([3, 3]);
      expect(first.items.map((i) => i.reference)).toEqual(commands.slice(0, 100).map((c) => c.reference));
      expect(third.items.map((i) => i.reference)).toEqual(commands.slice(200).map((c) => c.reference));
      expect(third.items).toHaveLength(28);
      expect(third.items.every((i) => i.kind === 'bought')).toBe(true);
    });
  });
});
