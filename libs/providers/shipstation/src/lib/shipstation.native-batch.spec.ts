import { randomUUID } from 'node:crypto';
import type { NativeBatchOutcome, PurchaseLabelCommand } from '@shipbatch/providers/core';
import { anAddress, aPurchaseCommand, aShipmentWithSenderPhone as aShipment, expectConformingRequests } from '@shipbatch/providers/testing';
import { type FakeShipStation, startFakeShipStation } from '../testing';
import { ShipStationClient } from './shipstation.client';
import { ShipStationProviderOptions } from './shipstation-provider.options';
import type { ShipStationNativeBatch } from './shipstation.native-batch';
import { ShipStationProvider } from './shipstation.provider';

let fake: FakeShipStation;
let serial = 0;

beforeAll(async () => {
  fake = await startFakeShipStation({ rateLimitPerMinute: 10_000, batchProcessingReads: 1 });
});
afterAll(async () => {
  await fake?.close();
});
expectConformingRequests(() => fake);

/** A fresh API key with one carrier and a provider instance over it (another instance on the same key with `apiKey`). */
function make(input: { apiKey?: string; carrierId?: string; balance?: number } = {}) {
  serial += 1;
  const apiKey = input.apiKey ?? `TEST_${randomUUID().replace(/-/g, '')}`;
  const carrierId = input.carrierId ?? `se-${600000 + serial}`;
  if (!input.carrierId) fake.addAccount({ apiKey, carriers: [{ carrierId, carrierCode: 'stamps_com', balance: input.balance ?? 100 }] });
  const options = Object.assign(new ShipStationProviderOptions(), { api_key: apiKey, carrier_id: carrierId });
  const context = { carrierAccountId: randomUUID(), carrier: 'usps', test: true, baseUrl: fake.url };
  const provider = new ShipStationProvider(new ShipStationClient(options, context), options, context);
  return { provider, port: provider.nativeBatch, apiKey, carrierId };
}

const command = (overrides: Partial<PurchaseLabelCommand> = {}) => aPurchaseCommand({ reference: randomUUID().replace(/-/g, ''), shipment: aShipment(), ...overrides });
const count = (apiKey: string, method: string, path: RegExp) => fake.requests().filter((r) => r.headers['api-key'] === apiKey && r.method === method && path.test(r.path)).length;

/** Prepares, creates and processes a ShipStation batch of these purchases, and reads it until it is over. */
async function processed(port: ShipStationNativeBatch, commands: PurchaseLabelCommand[]) {
  const reference = randomUUID().replace(/-/g, '');
  const prepared = await port.prepare({ reference, labelFileType: 'PDF_4x6', commands });
  const byReference = new Map(commands.map((c) => [c.reference, c]));
  const members = prepared.map((p) => ({ command: byReference.get(p.reference) as PurchaseLabelCommand, providerShipmentId: 'providerShipmentId' in p ? p.providerShipmentId : undefined }));
  const { providerBatchId } = await port.create({ reference, batchReference: 'b1', labelFileType: 'PDF_4x6', members });
  expect(await port.status(providerBatchId)).toBe('READY');
  await port.purchase(providerBatchId, { labelFileType: 'PDF_4x6' });
  const seen = [await port.status(providerBatchId)];
  while (seen[seen.length - 1] === 'PURCHASING' && seen.length < 10) seen.push(await port.status(providerBatchId));
  const outcomes: NativeBatchOutcome[] = [];
  for (const list of port.lists) {
    const first = await port.list(providerBatchId, list, 1);
    outcomes.push(...first.items);
    for (let page = 2; page <= first.pages; page++) outcomes.push(...(await port.list(providerBatchId, list, page)).items);
  }
  return { reference, providerBatchId, seen, outcomes };
}

describe('ShipStation native batch', () => {
  it('groups purchases by warehouse (ship-from and return address) and refuses what ShipStation batches cannot take', () => {
    const { port } = make();
    const a = port.admit('PDF_4x6', command());
    expect(a).toEqual({ group: expect.any(String) });
    expect(port.admit('PDF', command({ shipment: aShipment({ addressTo: anAddress({ name: 'Other', zip: '10001' }) }) }))).toEqual(a);
    expect(port.admit('PDF_4x6', command({ shipment: aShipment({ addressReturn: anAddress({ name: 'Returns' }) }) }))).not.toEqual(a);
    expect(port.admit('PDF_A6', command())).toEqual({ refused: expect.stringContaining('PDF_A6') });
    expect(port.admit('PDF_4x6', command({ carrier: 'ups' }))).toEqual({ refused: expect.stringContaining('carrier') });
  });

  it('makes one warehouse per ship-from address and reuses it, also from another instance on the same key', async () => {
    const one = make();
    await one.port.prepare({ reference: 'r', labelFileType: 'PDF_4x6', commands: [command(), command()] });
    await one.port.prepare({ reference: 'r', labelFileType: 'PDF_4x6', commands: [command()] });
    const other = make({ apiKey: one.apiKey, carrierId: one.carrierId });
    await other.port.prepare({ reference: 'r', labelFileType: 'PDF_4x6', commands: [command()] });
    expect(fake.warehouses(one.apiKey)).toEqual([expect.objectContaining({ name: expect.stringMatching(/^Shipbatch [0-9a-f]{16}$/), origin_address: expect.objectContaining({ postal_code: '94117', phone: '415-555-0100' }) })]);
    expect(count(one.apiKey, 'POST', /^\/v2\/warehouses$/)).toBe(1);
    // One list before making it and one after (to settle on the oldest), one from the other instance.
    expect(count(one.apiKey, 'GET', /^\/v2\/warehouses$/)).toBe(3);
  });

  it('settles on the oldest warehouse when two instances make one at the same moment', async () => {
    const one = make();
    const other = make({ apiKey: one.apiKey, carrierId: one.carrierId });
    const [a, b] = await Promise.all([one.port.prepare({ reference: 'r', labelFileType: 'PDF_4x6', commands: [command()] }), other.port.prepare({ reference: 'r', labelFileType: 'PDF_4x6', commands: [command()] })]);
    const warehouses = fake.warehouses(one.apiKey);
    expect(warehouses).toHaveLength(2);
    const shipments = await Promise.all([a, b].map(async ([p]) => (await (await fetch(`${fake.url}/v2/shipments/external_shipment_id/${p.reference}`, { headers: { 'API-Key': one.apiKey } })).json()) as { warehouse_id: string }));
    expect(shipments.map((s) => s.warehouse_id)).toEqual([warehouses[0].warehouse_id, warehouses[0].warehouse_id]);
  });

  it('prepare repeated after a lost answer finds the shipments made and makes each once', async () => {
    const { port, apiKey } = make();
    const commands = [command(), command(), command()];
    await port.prepare({ reference: 'r', labelFileType: 'PDF_4x6', commands: commands.slice(0, 1) });
    fake.faults.inject({ kind: 'lost_answer' }, { operationId: 'create_shipments' });
    await expect(port.prepare({ reference: 'r', labelFileType: 'PDF_4x6', commands })).rejects.toMatchObject({ possiblyCommitted: true });
    const again = await port.prepare({ reference: 'r', labelFileType: 'PDF_4x6', commands });
    expect(again).toEqual(commands.map((c) => ({ reference: c.reference, providerShipmentId: expect.stringMatching(/^se-\d+$/) })));
    for (const c of commands) expect(fake.shipmentsFor(c.reference)).toBe(1);
    expect(count(apiKey, 'GET', /^\/v2\/shipments\/external_shipment_id\//)).toBe(3);
  });

  it('prepare repeated after a lost answer on a larger chunk finds its shipments in one listing of the recent ones', async () => {
    const { port, apiKey } = make();
    const commands = Array.from({ length: 8 }, () => command());
    fake.faults.inject({ kind: 'lost_answer' }, { operationId: 'create_shipments' });
    await expect(port.prepare({ reference: 'r', labelFileType: 'PDF_4x6', commands })).rejects.toMatchObject({ possiblyCommitted: true });
    // A 429 and a 503 on the listing are waited out, not a reason to send the chunk round again.
    fake.faults.inject({ kind: 'status', status: 429, headers: { 'Retry-After': '1' }, body: { request_id: randomUUID(), errors: [] } }, { operationId: 'list_shipments' });
    fake.faults.inject({ kind: 'status', status: 503, body: { request_id: randomUUID(), errors: [] } }, { operationId: 'list_shipments' });
    const again = await port.prepare({ reference: 'r', labelFileType: 'PDF_4x6', commands });
    expect(again).toEqual(commands.map((c) => ({ reference: c.reference, providerShipmentId: expect.stringMatching(/^se-\d+$/) })));
    for (const c of commands) expect(fake.shipmentsFor(c.reference)).toBe(1);
    expect(count(apiKey, 'GET', /^\/v2\/shipments$/)).toBe(3);
    expect(count(apiKey, 'GET', /^\/v2\/shipments\/external_shipment_id\//)).toBe(0);
  });

  it('prepare finds the shipments made when ShipStation refuses the whole request for a taken external_shipment_id, and makes the others', async () => {
    const { port } = make();
    const [old, fresh] = [command(), command()];
    const [made] = await port.prepare({ reference: 'r', labelFileType: 'PDF_4x6', commands: [old] });
    fake.faults.inject(
      { kind: 'status', status: 400, body: { request_id: randomUUID(), errors: [{ error_source: 'shipengine', error_type: 'validation', error_code: 'identifier_conflict', field_name: 'external_shipment_id', message: 'external_shipment_id must be unique' }] } },
      { operationId: 'create_shipments' },
    );
    expect(await port.prepare({ reference: 'r', labelFileType: 'PDF_4x6', commands: [old, fresh] })).toEqual([made, { reference: fresh.reference, providerShipmentId: expect.stringMatching(/^se-\d+$/) }]);
    expect(fake.shipmentsFor(fresh.reference)).toBe(1);
  });

  it("runs a batch through: READY, PURCHASING, PURCHASED; labels listed; errors on the right shipments with ShipStation's text", async () => {
    const { port, carrierId } = make({ balance: 7.58 * 3 + 1 });
    const commands = [command(), command(), command(), command(), command()];
    fake.failPurchaseOf(commands[1].reference, 'Recipient address has not been verified.');
    const { seen, outcomes, providerBatchId } = await processed(port, commands);
    expect(seen).toEqual(['PURCHASING', 'PURCHASED']);
    const byRef = new Map(outcomes.map((o) => [o.reference, o]));
    expect(outcomes).toHaveLength(5);
    for (const i of [0, 2, 3]) {
      expect(byRef.get(commands[i].reference)).toEqual({
        reference: commands[i].reference,
        kind: 'label',
        label: expect.objectContaining({ reference: commands[i].reference, providerLabelId: expect.any(String), carrier: 'usps', serviceLevelToken: 'usps_priority', cost: { amountMinor: 758, currency: 'usd' }, documentUrl: expect.stringContaining('/v2/downloads/') }),
      });
    }
    expect(byRef.get(commands[1].reference)).toEqual({ reference: commands[1].reference, kind: 'failed', messages: [{ source: 'shipstation', code: 'batch_error', text: 'Recipient address has not been verified.' }] });
    expect(byRef.get(commands[4].reference)).toEqual({ reference: commands[4].reference, kind: 'buy_alone', messages: [{ source: 'shipstation', code: 'insufficient_funds', text: 'Insufficient account balance' }] });
    expect(fake.batches().find((b) => b.batchId === providerBatchId)).toMatchObject({ processCalls: 1, status: 'completed_with_errors' });
    expect(fake.balance(carrierId)).toBeCloseTo(1);
  });

  it('buys a shipment given back by its batch alone, from that shipment, once; one bought already answers its label', async () => {
    const { provider, port, carrierId, apiKey } = make({ balance: 7.58 * 2 + 1 });
    const commands = [command(), command(), command()];
    const { outcomes } = await processed(port, commands);
    const alone = outcomes.find((o) => o.kind === 'buy_alone');
    expect(alone?.reference).toBe(commands[2].reference);
    fake.setBalance(carrierId, 50);
    const label = await provider.purchaseLabel(commands[2]);
    expect(label).toMatchObject({ reference: commands[2].reference, trackingNumber: expect.any(String) });
    expect(fake.salesFor(commands[2].reference)).toBe(1);
    expect(count(apiKey, 'POST', /^\/v2\/labels\/shipment\/se-\d+$/)).toBe(1);
    // Bought by the batch: answered, never bought again.
    const again = await provider.purchaseLabel(commands[0]);
    expect(again.providerLabelId).toBe((outcomes.find((o) => o.reference === commands[0].reference) as { label: { providerLabelId: string } }).label.providerLabelId);
    expect(fake.salesFor(commands[0].reference)).toBe(1);
  });

  it('finds a batch by our reference after a lost create answer, and nothing for another', async () => {
    const { port } = make();
    const commands = [command()];
    const reference = randomUUID().replace(/-/g, '');
    const [made] = await port.prepare({ reference, labelFileType: 'PDF_4x6', commands });
    fake.faults.inject({ kind: 'lost_answer' }, { operationId: 'create_batch' });
    const members = [{ command: commands[0], providerShipmentId: (made as { providerShipmentId: string }).providerShipmentId }];
    await expect(port.create({ reference, batchReference: 'b', labelFileType: 'PDF_4x6', members })).rejects.toMatchObject({ possiblyCommitted: true });
    const found = await port.find(reference);
    expect(found).toEqual({ providerBatchId: expect.stringMatching(/^se-\d+$/) });
    expect(fake.batches().filter((b) => b.externalBatchId === reference)).toHaveLength(1);
    expect(await port.find(randomUUID().replace(/-/g, ''))).toBeNull();
  });
});
