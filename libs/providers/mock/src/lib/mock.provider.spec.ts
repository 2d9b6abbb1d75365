import { createHash, randomUUID } from 'node:crypto';
import {
  type LabelFileType,
  ProviderInsufficientFundsError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderUnavailableError,
  ProviderValidationError,
  type SqlClient,
} from '@shipbatch/providers/core';
import {
  anAddress,
  aValidShipment,
  awayFromMinuteEdge,
  createPgliteSqlClient,
  decodePngBarcode,
  readPdfLabels,
  readZplLabels,
} from '@shipbatch/providers/testing';
import { mockProviderDefinition } from './mock.definition';
import { MockProvider } from './mock.provider';
import type { MockProviderOptions } from './mock-provider.options';

/** The documented rule, computed independently: sha256(reference + ':' + n) mapped to [0, 1). */
const failsAt = (reference: string, n: number, rate: number) =>
  createHash('sha256').update(`${reference}:${n}`).digest().readUInt32BE(0) / 2 ** 32 < rate;

const buy = (p: MockProvider, reference: string = randomUUID(), service = 'usps_priority', labelFileType: LabelFileType = 'PDF_4x6') =>
  p.purchaseLabel({ reference, carrier: p.carrierCode, serviceLevelToken: service, shipment: aValidShipment(), labelFileType });

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: Error) => e.constructor.name,
  );

describe('MockProvider (PGlite)', () => {
  let sql: SqlClient;
  let close: () => Promise<void>;
  const make = (options: MockProviderOptions = {}, carrier = 'usps', account: string = randomUUID()) => new MockProvider(options, carrier, sql, account);

  beforeAll(async () => {
    ({ client: sql, close } = await createPgliteSqlClient());
  });
  afterAll(() => close());

  describe('simulated failures', () => {
    it('fails every purchase with fail_rate 1, retryably, and sells nothing', async () => {
      const p = make({ fail_rate: 1 });
      const error = await buy(p, 'r').catch((e) => e);
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error).toMatchObject({ code: 'unavailable', retryable: true });
      expect(await p.findPurchase('r')).toBeNull();
      expect((await p.getBalance()).amount.amountMinor).toBe(100_000_000);
    });

    it('never fails with fail_rate 0', async () => {
      const p = make({ fail_rate: 0 });
      for (let i = 0; i < 10; i++) await expect(buy(p)).resolves.toHaveProperty('trackingNumber');
    });

    it('fails exactly when sha256(reference:n) < fail_rate, counting calls per reference', async () => {
      const p = make({ fail_rate: 0.5 });
      const refs = Array.from({ length: 24 }, (_, i) => `ref-${i}`);
      const first = await Promise.all(refs.map((r) => outcome(buy(p, r))));
      expect(first).toEqual(refs.map((r) => (failsAt(r, 1, 0.5) ? 'ProviderUnavailableError' : 'ok')));
      expect(first).toContain('ok');
      expect(first).toContain('ProviderUnavailableError');
      // Retrying the failed ones is call 2 for them.
      const failed = refs.filter((r) => failsAt(r, 1, 0.5));
      const second = await Promise.all(failed.map((r) => outcome(buy(p, r))));
      expect(second).toEqual(failed.map((r) => (failsAt(r, 2, 0.5) ? 'ProviderUnavailableError' : 'ok')));
    });

    it('gives the same outcomes for the same history on another account', async () => {
      const run = async () => {
        const p = make({ fail_rate: 0.3 });
        const out: string[] = [];
        for (let i = 0; i < 15; i++) out.push(await outcome(buy(p, `same-${i % 5}`)));
        return out;
      };
      expect(await run()).toEqual(await run());
    });
  });

  it('does not de-duplicate: asked twice with one reference it sells twice, and finds the newest', async () => {
    const p = make({ label_cost: 2 });
    const a = await buy(p, 'same');
    const b = await buy(p, 'same');
    expect(a.trackingNumber).not.toBe(b.trackingNumber);
    expect((await p.findPurchase('same'))?.providerLabelId).toBe(b.providerLabelId);
    expect((await p.getBalance()).amount.amountMinor).toBe(100_000_000 - 400);
  });

  it('keeps each account\'s labels to itself', async () => {
    const a = make();
    const mine = await buy(a, 'mine');
    expect(await make().findPurchase('mine')).toBeNull();
    await expect(make().voidLabel(mine.providerLabelId)).rejects.toBeInstanceOf(ProviderNotFoundError);
  });

  it('answers rate limits with a retry-after within the minute, per account', async () => {
    await awayFromMinuteEdge(sql);
    const account = randomUUID();
    const p = make({ rate_limit_per_minute: 2 }, 'usps', account);
    await buy(p);
    await buy(p);
    const error = await buy(p).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    // Another instance of the same account shares the window; another account does not.
    await expect(buy(make({ rate_limit_per_minute: 2 }, 'usps', account))).rejects.toBeInstanceOf(ProviderRateLimitedError);
    await expect(buy(make({ rate_limit_per_minute: 2 }))).resolves.toHaveProperty('trackingNumber');
  });

  it('refuses a purchase the balance does not cover, and never goes below zero', async () => {
    const p = make({ initial_balance: 10, label_cost: 6 });
    await buy(p);
    const error = await buy(p).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderInsufficientFundsError);
    expect(error).toMatchObject({ code: 'insufficient_funds', retryable: false, details: { needed_minor: 600 } });
    expect((await p.getBalance()).amount).toEqual({ amountMinor: 400, currency: 'usd' });
    await p.addFunds({ amountMinor: 200, currency: 'usd' });
    await expect(buy(p)).resolves.toMatchObject({ cost: { amountMinor: 600, currency: 'usd' } });
    expect((await p.getBalance()).amount.amountMinor).toBe(0);
  });

  it('quotes the price it would sell at, without selling or charging', async () => {
    const command = (p: MockProvider, service: string) => ({
      reference: randomUUID(),
      carrier: p.carrierCode,
      serviceLevelToken: service,
      shipment: aValidShipment(),
      labelFileType: 'PDF_4x6' as const,
    });
    const listed = make({ initial_balance: 10 });
    await expect(listed.quote(command(listed, 'usps_priority'))).resolves.toEqual({ amountMinor: 758, currency: 'usd' });
    await expect(listed.quote(command(listed, 'usps_first_class'))).resolves.toEqual({ amountMinor: 450, currency: 'usd' });
    const fixed = make({ label_cost: 5 }, 'ups');
    await expect(fixed.quote(command(fixed, 'ups_ground'))).resolves.toEqual({ amountMinor: 500, currency: 'usd' });
    await expect(listed.quote(command(listed, 'ups_ground'))).rejects.toBeInstanceOf(ProviderValidationError);
    expect((await listed.getBalance()).amount.amountMinor).toBe(1000);
    expect(await listed.findPurchase('nothing')).toBeNull();
  });

  it('prices labels per service level unless label_cost is set', async () => {
    expect((await buy(make(), undefined, 'usps_priority')).cost.amountMinor).toBe(758);
    expect((await buy(make({}, 'ups'), undefined, 'ups_ground')).cost.amountMinor).toBe(1124);
    expect((await buy(make({ label_cost: 3.337 }))).cost.amountMinor).toBe(334);
  });

  it('refuses an invalid shipment with the problems as details, charging nothing', async () => {
    const p = make();
    const error = await p
      .purchaseLabel({
        reference: 'bad',
        carrier: 'usps',
        serviceLevelToken: 'usps_nope',
        shipment: aValidShipment({ addressTo: anAddress({ zip: '1' }) }),
        labelFileType: 'PDF',
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ProviderValidationError);
    expect(error.details.problems.map((x: { code: string }) => x.code)).toEqual(['zip_invalid', 'service_level_unknown']);
    expect((await p.getBalance()).amount.amountMinor).toBe(100_000_000);
  });

  it('makes tracking numbers shaped like each carrier\'s', async () => {
    expect((await buy(make({}, 'usps'), undefined, 'usps_ground_advantage')).trackingNumber).toMatch(/^9400\d{18}$/);
    expect((await buy(make({}, 'ups'), undefined, 'ups_ground')).trackingNumber).toMatch(/^1Z[0-9A-Z]{16}$/);
    expect((await buy(make({}, 'fedex'), undefined, 'fedex_ground')).trackingNumber).toMatch(/^\d{12}$/);
    expect((await buy(make({}, 'dhl_express'), undefined, 'dhl_express_worldwide')).trackingNumber).toMatch(/^\d{10}$/);
  });

  it('answers with the label document in the file type asked for, the same bytes again when the purchase is looked up', async () => {
    const p = make();
    const shipment = aValidShipment({ addressTo: anAddress({ name: 'Ada Lovelace', street1: '12 Analytical Row' }) });
    const sell = (reference: string, labelFileType: LabelFileType) =>
      p.purchaseLabel({ reference, carrier: 'usps', serviceLevelToken: 'usps_priority', shipment, labelFileType });

    const zpl = await sell('z', 'ZPLII');
    expect(zpl.document).toMatchObject({ contentType: 'application/zpl', extension: 'zpl' });
    expect(readZplLabels(zpl.document?.content ?? '').barcodes).toEqual([zpl.trackingNumber]);

    const png = await sell('g', 'PNG');
    expect(png.document).toMatchObject({ contentType: 'image/png', extension: 'png' });
    expect(await decodePngBarcode(png.document?.content ?? Buffer.alloc(0))).toBe(png.trackingNumber);

    const pdf = await sell('p', 'PDF_4x6');
    expect(pdf.document).toMatchObject({ contentType: 'application/pdf', extension: 'pdf' });
    const read = await readPdfLabels(pdf.document?.content ?? Buffer.alloc(0));
    expect(read.barcodes).toEqual([pdf.trackingNumber]);
    expect(read.pages[0].text).toEqual(expect.arrayContaining(['Ada Lovelace', '12 Analytical Row', 'Shippo Warehouse', 'Service usps_priority - Weight 2 lb']));

    for (const sold of [zpl, png, pdf]) expect((await p.findPurchase(sold.reference))?.document?.content.equals(sold.document?.content ?? Buffer.alloc(0))).toBe(true);
  });

  it('gives every label its own tracking number, printed in its barcode, across accounts and carriers', async () => {
    const accounts = [make({}, 'usps'), make({}, 'usps'), make({}, 'ups'), make({}, 'fedex')];
    const services: Record<string, string> = { usps: 'usps_priority', ups: 'ups_ground', fedex: 'fedex_2_day' };
    const sold = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const p = accounts[i % accounts.length];
        return buy(p, `uniq-${i}`, services[p.carrierCode], i % 3 === 0 ? 'PDF_4x6' : 'ZPLII');
      }),
    );
    expect(new Set(sold.map((l) => l.trackingNumber)).size).toBe(60);
    for (const label of sold) {
      const content = label.document?.content ?? Buffer.alloc(0);
      const barcodes = label.document?.extension === 'pdf' ? (await readPdfLabels(content)).barcodes : readZplLabels(content).barcodes;
      expect(barcodes).toEqual([label.trackingNumber]);
    }
  });

  describe('void', () => {
    it('approves once, refunds the cost, and then no longer finds the purchase', async () => {
      const p = make({ label_cost: 5 });
      const label = await buy(p, 'v');
      expect(await p.voidLabel(label.providerLabelId)).toMatchObject({ approved: true });
      expect((await p.getBalance()).amount.amountMinor).toBe(100_000_000);
      expect(await p.voidLabel(label.providerLabelId)).toMatchObject({ approved: false, message: expect.stringMatching(/already voided/) });
      expect((await p.getBalance()).amount.amountMinor).toBe(100_000_000);
      expect(await p.findPurchase('v')).toBeNull();
    });

    it('refuses after the 720-hour void window', async () => {
      const p = make();
      const label = await buy(p);
      await sql.query(`UPDATE mock_provider.labels SET created_at = now() - interval '721 hours' WHERE id = $1`, [label.providerLabelId]);
      expect(await p.voidLabel(label.providerLabelId)).toMatchObject({ approved: false, message: expect.stringMatching(/720 hours/) });
    });

    it('answers ProviderNotFoundError for an unknown label', async () => {
      await expect(make().voidLabel('mock_lbl_0')).rejects.toMatchObject({ code: 'not_found', retryable: false });
    });
  });

  it('takes funds only as positive whole cents in usd', async () => {
    const p = make();
    await expect(p.addFunds({ amountMinor: 0, currency: 'usd' })).rejects.toBeInstanceOf(ProviderValidationError);
    await expect(p.addFunds({ amountMinor: 1.5, currency: 'usd' })).rejects.toBeInstanceOf(ProviderValidationError);
    await expect(p.addFunds({ amountMinor: 100, currency: 'eur' })).rejects.toBeInstanceOf(ProviderValidationError);
    expect((await p.addFunds({ amountMinor: 100, currency: 'USD' })).amount.amountMinor).toBe(100_000_100);
  });

  it('starts the balance at initial_balance on first use and keeps it across instances', async () => {
    const account = randomUUID();
    await make({ initial_balance: 12.34 }, 'usps', account).addFunds({ amountMinor: 1, currency: 'usd' });
    // A later instance with another initial_balance does not reset it.
    expect((await make({ initial_balance: 99 }, 'usps', account).getBalance()).amount.amountMinor).toBe(1235);
  });

  it('validates with the account\'s carrier', async () => {
    const p = make({}, 'fedex');
    expect(await p.validateShipment({ carrier: 'fedex', serviceLevelToken: 'fedex_2_day', shipment: aValidShipment() })).toEqual([]);
    expect((await p.validateShipment({ carrier: 'usps', serviceLevelToken: 'fedex_2_day', shipment: aValidShipment() })).map((x) => x.code)).toEqual([
      'carrier_mismatch',
    ]);
  });
});

describe('mockProviderDefinition', () => {
  it('is registered as `mock`, with the documented capabilities', () => {
    expect(mockProviderDefinition).toMatchObject({ key: 'mock', displayName: 'Mock carrier' });
    expect(mockProviderDefinition.capabilities).toEqual({
      rates: true,
      addressValidation: true,
      purchaseDeduplication: 'lookup',
      labelFileTypes: ['PNG', 'PNG_2.3x7.5', 'PDF', 'PDF_2.3x7.5', 'PDF_4x6', 'PDF_4x8', 'PDF_A4', 'PDF_A5', 'PDF_A6', 'ZPLII'],
      funding: { prepaidBalance: true, addFunds: true },
      voidWindowHours: 720,
      serviceLevels: {
        usps: ['usps_priority', 'usps_priority_express', 'usps_ground_advantage', 'usps_first_class'],
        ups: ['ups_ground', 'ups_next_day_air', 'ups_second_day_air', 'ups_3_day_select'],
        fedex: ['fedex_ground', 'fedex_2_day', 'fedex_standard_overnight'],
        dhl_express: ['dhl_express_worldwide'],
      },
      shipmentExtras: { signature_confirmation: { values: ['STANDARD', 'ADULT'] }, reference_1: true, reference_2: true },
    });
    expect(mockProviderDefinition.capabilities.nativeBatch).toBeUndefined();
  });

  it('refuses to create an instance without a SQL client, saying why', () => {
    expect(() => mockProviderDefinition.create({}, { carrierAccountId: 'a1', carrier: 'usps', test: true })).toThrow(/needs context\.sql/);
  });
});
