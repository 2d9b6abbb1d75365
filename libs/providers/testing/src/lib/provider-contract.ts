import { randomUUID } from 'node:crypto';
import {
  LABEL_FILE_TYPES,
  type LabelDocument,
  type LabelFileType,
  type LabelProvider,
  type MoneyAmount,
  type PortShipment,
  type ProviderCapabilities,
  ProviderNotFoundError,
  ProviderValidationError,
} from '@shipbatch/providers/core';
import { anAddress, aValidShipment } from './fixtures';
import { type ContractHttp, describeHttpCases, providerRejection } from './provider-contract.http';
import { describeNativeBatchCases } from './provider-contract.native';
import { RecordingPacer } from './provider-contract.pacer';
import { misdeclaredExtras, sampleExtras } from './provider-contract.extras';

export type { ContractHttp, HttpCaseKit } from './provider-contract.http';
export { type PacerCall, RecordingPacer } from './provider-contract.pacer';

/** What the suite hands every setup: pass `pacer` to the provider (`context.pacer`). */
export interface ContractEnvironment {
  /** A fresh recording pacer per test: grants every slot, records acquire/pause, can refuse the next acquire. */
  pacer: RecordingPacer;
}

export interface ContractSetup {
  /** A fresh provider instance (its own account) for this test. */
  provider: LabelProvider;
  /** The account's carrier, e.g. `usps`. */
  carrier: string;
  /** A service level token the carrier offers, e.g. `usps_priority`. */
  serviceLevelToken: string;
  /** A shipment the provider accepts; default `aValidShipment()`. */
  shipment?: PortShipment;
  /** The label file type to buy; default PDF_4x6 when offered, else the first one offered. */
  labelFileType?: LabelFileType;
  /** Releases what the setup made (database, fake server). Runs after every test. */
  teardown?(): Promise<void>;
  /** For adapters that speak HTTP to a (fake) server: the server's faults and counters. */
  http?: ContractHttp;
}

export interface ContractOptions {
  /**
   * The capabilities the adapter declares (its definition's). When given, cases for things the
   * provider cannot do are not defined at all; when absent, such cases are decided at run time
   * from the instance's capabilities and only check that the optional methods are absent.
   */
  capabilities?: ProviderCapabilities;
  /**
   * True for adapters whose setup gives `http` (the fake server's faults and counters): the
   * HTTP cases (error mapping, a lost answer, pacing) are defined. Otherwise one case checks
   * that the setup gives no `http`, so an HTTP adapter cannot miss them by forgetting this.
   */
  http?: boolean;
}

function implemented<T>(method: T | undefined, name: string): T {
  if (method === undefined) throw new Error(`the provider's capabilities promise ${name}, but it does not implement it`);
  return method;
}

type Gate = (c: ProviderCapabilities) => boolean;

const canLookUp: Gate = (c) => c.purchaseDeduplication === 'lookup';
const canVoid: Gate = (c) => c.voidWindowHours !== undefined;
const keepsBalance: Gate = (c) => c.funding.prepaidBalance;
const takesFunds: Gate = (c) => c.funding.prepaidBalance && c.funding.addFunds;
const validatesAddresses: Gate = (c) => c.addressValidation;
const quotes: Gate = (c) => c.rates;
const batches: Gate = (c) => c.nativeBatch !== undefined;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The document's content type and content match the label file type that was bought. */
function expectDocumentOf(fileType: LabelFileType, document: LabelDocument): void {
  expect(document.content.length).toBeGreaterThan(0);
  if (fileType.startsWith('PDF')) {
    expect(document.contentType).toBe('application/pdf');
    expect(document.extension).toBe('pdf');
    expect(document.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  } else if (fileType.startsWith('PNG')) {
    expect(document.contentType).toBe('image/png');
    expect(document.extension).toBe('png');
    expect(document.content.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  } else {
    expect(document.extension).toBe('zpl');
    expect(document.content.toString('latin1')).toContain('^XA');
  }
}

/**
 * The suite every provider adapter must pass. Call it from the adapter's own spec with a
 * setup that gives a fresh instance per test; capability-gated cases run only where the
 * provider says it can do the thing.
 */
export function describeProviderContract(
  name: string,
  setup: (env: ContractEnvironment) => Promise<ContractSetup>,
  options: ContractOptions = {},
): void {
  describe(`provider contract: ${name}`, () => {
    let ctx: ContractSetup;
    let env: ContractEnvironment;
    beforeEach(async () => {
      env = { pacer: new RecordingPacer() };
      ctx = await setup(env);
      const http = ctx.http;
      if (http) env.pacer.countRequestsWith(() => http.requestCount());
    });
    afterEach(async () => {
      ctx?.http?.faults.clear();
      await ctx?.teardown?.();
    });

    /** Defines a case only for providers whose capabilities pass `gate`. */
    const itWhen = (gate: Gate, title: string, body: () => Promise<void>) => {
      if (options.capabilities) {
        if (gate(options.capabilities)) it(title, body);
        return;
      }
      it(`${title} (when its capabilities say so)`, async () => {
        if (gate(ctx.provider.capabilities)) await body();
      });
    };

    const shipment = (): PortShipment => structuredClone(ctx.shipment ?? aValidShipment());
    const fileType = (): LabelFileType => {
      const offered = ctx.provider.capabilities.labelFileTypes;
      return ctx.labelFileType ?? (offered.includes('PDF_4x6') ? 'PDF_4x6' : offered[0]);
    };
    const purchase = (reference: string = randomUUID(), s: PortShipment = shipment()) =>
      ctx.provider.purchaseLabel({ reference, carrier: ctx.carrier, serviceLevelToken: ctx.serviceLevelToken, shipment: s, labelFileType: fileType() });
    const quote = (reference: string = randomUUID()) =>
      implemented(ctx.provider.quote, 'quote').call(ctx.provider, {
        reference,
        carrier: ctx.carrier,
        serviceLevelToken: ctx.serviceLevelToken,
        shipment: shipment(),
        labelFileType: fileType(),
      });
    const voidLabel = (id: string) => implemented(ctx.provider.voidLabel, 'voidLabel').call(ctx.provider, id);
    const getBalance = () => implemented(ctx.provider.getBalance, 'getBalance').call(ctx.provider);
    const addFunds = (amount: MoneyAmount) => implemented(ctx.provider.addFunds, 'addFunds').call(ctx.provider, amount);
    const validate = (s: PortShipment, serviceLevelToken = ctx.serviceLevelToken) =>
      ctx.provider.validateShipment({ carrier: ctx.carrier, serviceLevelToken, shipment: s });

    describe('capabilities', () => {
      it('declares the carrier and service level it is tested with', () => {
        expect(ctx.provider.capabilities.serviceLevels[ctx.carrier]).toContain(ctx.serviceLevelToken);
      });

      it('declares label file types from the shared vocabulary', () => {
        const offered = ctx.provider.capabilities.labelFileTypes;
        expect(offered.length).toBeGreaterThan(0);
        for (const t of offered) expect(LABEL_FILE_TYPES).toContain(t);
      });

      it("declares its shipment extras in Shippo's vocabulary, each with something allowed", () => {
        expect(misdeclaredExtras(ctx.provider.capabilities.shipmentExtras)).toEqual([]);
      });

      it('offers exactly the optional methods its capabilities declare', () => {
        const { provider: p } = ctx;
        const c = p.capabilities;
        expect(typeof p.voidLabel === 'function').toBe(canVoid(c));
        expect(typeof p.getBalance === 'function').toBe(keepsBalance(c));
        expect(typeof p.addFunds === 'function').toBe(takesFunds(c));
        expect(p.nativeBatch !== undefined).toBe(c.nativeBatch !== undefined);
        expect(typeof p.quote === 'function').toBe(c.rates);
        if (options.capabilities) expect(c).toEqual(options.capabilities);
      });
    });

    describe('validateShipment', () => {
      it('finds no problems in a valid shipment', async () => {
        expect(await validate(shipment())).toEqual([]);
      });

      it('reports a missing address field as INCOMPLETE, naming the field', async () => {
        const s = shipment();
        s.addressTo = anAddress({ ...s.addressTo, zip: undefined });
        const problems = await validate(s);
        expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'INCOMPLETE', field: 'address_to.zip' })]));
      });

      it('reports a missing street on the sender as INCOMPLETE, naming the field', async () => {
        const s = shipment();
        s.addressFrom = anAddress({ ...s.addressFrom, street1: '' });
        expect(await validate(s)).toEqual(
          expect.arrayContaining([expect.objectContaining({ severity: 'INCOMPLETE', field: 'address_from.street1' })]),
        );
      });

      itWhen(validatesAddresses, 'reports an invalid US ZIP code as INVALID, naming the field', async () => {
        const s = shipment();
        s.addressTo = anAddress({ ...s.addressTo, country: 'US', zip: '9410' });
        expect(await validate(s)).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'INVALID', field: 'address_to.zip' })]));
      });

      it('reports an unknown service level as INVALID with code service_level_unknown', async () => {
        const problems = await validate(shipment(), 'no_such_service');
        expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'INVALID', code: 'service_level_unknown' })]));
      });

      it('reports problems with stable snake_case codes and human texts', async () => {
        const s = shipment();
        s.addressTo = anAddress({ ...s.addressTo, city: undefined });
        const problems = await validate(s, 'no_such_service');
        expect(problems.length).toBeGreaterThan(0);
        for (const p of problems) {
          expect(p.code).toMatch(/^[a-z][a-z0-9_]*$/);
          expect(p.text.length).toBeGreaterThan(5);
          expect(['INCOMPLETE', 'INVALID']).toContain(p.severity);
        }
      });
    });

    describe('purchaseLabel', () => {
      it('sells a label with our reference, a tracking number, a cost and a document', async () => {
        const reference = randomUUID();
        const label = await purchase(reference);
        expect(label.reference).toBe(reference);
        expect(label.providerLabelId).toEqual(expect.any(String));
        expect(label.trackingNumber).toMatch(/^\S{8,}$/);
        expect(label.carrier).toBe(ctx.carrier);
        expect(label.serviceLevelToken).toBe(ctx.serviceLevelToken);
        expect(Number.isInteger(label.cost.amountMinor)).toBe(true);
        expect(label.cost.amountMinor).toBeGreaterThan(0);
        expect(label.cost.currency).toMatch(/^[a-z]{3}$/);
        expect(Number.isNaN(Date.parse(label.createdAt))).toBe(false);
        expect(label.document?.content.length || label.documentUrl).toBeTruthy();
      });

      it('sells a label with the shipment extras it declares (each mapped by the adapter; the service refuses the others)', async () => {
        const extra = sampleExtras(ctx.provider.capabilities.shipmentExtras);
        const reference = randomUUID();
        const label = await purchase(reference, { ...shipment(), extra });
        expect(label.reference).toBe(reference);
        expect(label.trackingNumber).toMatch(/^\S{8,}$/);
      });

      it('gives different references different tracking numbers', async () => {
        const a = await purchase();
        const b = await purchase();
        expect(a.trackingNumber).not.toBe(b.trackingNumber);
        expect(a.providerLabelId).not.toBe(b.providerLabelId);
      });

      it('refuses an invalid shipment with a non-retryable ProviderValidationError', async () => {
        const s = shipment();
        s.addressTo = anAddress({ ...s.addressTo, street1: undefined });
        const error = await providerRejection(purchase(randomUUID(), s));
        expect(error).toBeInstanceOf(ProviderValidationError);
        expect(error).toMatchObject({ code: 'validation', retryable: false });
      });
    });

    it('gives the label file it sold: inline, or by URL through downloadDocument, in the format bought', async () => {
      const offered = ctx.provider.capabilities.labelFileTypes;
      const types = [...new Set<LabelFileType>([fileType(), ...(['PNG', 'ZPLII'] as const).filter((t) => offered.includes(t))])];
      for (const type of types) {
        const label = await ctx.provider.purchaseLabel({
          reference: randomUUID(),
          carrier: ctx.carrier,
          serviceLevelToken: ctx.serviceLevelToken,
          shipment: shipment(),
          labelFileType: type,
        });
        let document = label.document;
        if (label.documentUrl) {
          const download = implemented(ctx.provider.downloadDocument, 'downloadDocument (it returns documentUrl)');
          document = await download.call(ctx.provider, label.documentUrl);
        }
        expect(document).toBeDefined();
        if (document) expectDocumentOf(type, document);
      }
    });

    itWhen(quotes, 'quotes a label in positive integer minor units with a lower-case currency', async () => {
      const amount = await quote();
      expect(Number.isInteger(amount.amountMinor)).toBe(true);
      expect(amount.amountMinor).toBeGreaterThan(0);
      expect(amount.currency).toMatch(/^[a-z]{3}$/);
    });

    if (options.http) {
      describeHttpCases({
        http: () => {
          if (!ctx.http) throw new Error('options.http is true, but the setup gives no http (faults, requestCount, secrets)');
          return ctx.http;
        },
        pacer: () => env.pacer,
        purchase: (reference?: string) => purchase(reference),
        findPurchase: (reference: string) => ctx.provider.findPurchase(reference),
        canLookUp: () => canLookUp(ctx.provider.capabilities),
      });
    } else {
      it('speaks no HTTP (the setup gives no http; HTTP adapters pass { http: true } and get the HTTP cases)', () => {
        expect(ctx.http).toBeUndefined();
      });
    }

    if (!options.capabilities || batches(options.capabilities)) {
      describeNativeBatchCases({
        enabled: () => batches(ctx.provider.capabilities),
        provider: () => ctx.provider,
        command: () => ({ reference: randomUUID(), carrier: ctx.carrier, serviceLevelToken: ctx.serviceLevelToken, shipment: shipment(), labelFileType: fileType() }),
        fileType,
        http: () => ctx.http,
      });
    }

    itWhen(canLookUp, 'findPurchase finds a purchase by our reference and nothing for an unknown one', async () => {
      const reference = randomUUID();
      const sold = await purchase(reference);
      const found = await ctx.provider.findPurchase(reference);
      expect(found).toMatchObject({
        providerLabelId: sold.providerLabelId,
        reference,
        trackingNumber: sold.trackingNumber,
        cost: sold.cost,
      });
      expect(await ctx.provider.findPurchase(randomUUID())).toBeNull();
    });

    itWhen(canVoid, 'voids a label once', async () => {
      const label = await purchase();
      const first = await voidLabel(label.providerLabelId);
      expect(first.approved).toBe(true);
      const second = await voidLabel(label.providerLabelId);
      expect(second.approved).toBe(false);
      expect(second.message.length).toBeGreaterThan(0);
    });

    itWhen(canVoid, 'maps voiding an unknown label to ProviderNotFoundError (code not_found)', async () => {
      const error = await providerRejection(voidLabel(`no-such-label-${randomUUID()}`));
      expect(error).toBeInstanceOf(ProviderNotFoundError);
      expect(error).toMatchObject({ code: 'not_found', retryable: false });
    });

    itWhen(keepsBalance, 'charges the prepaid balance by the label cost', async () => {
      const before = (await getBalance()).amount;
      const label = await purchase();
      const after = (await getBalance()).amount;
      expect(after.currency).toBe(before.currency);
      expect(before.amountMinor - after.amountMinor).toBe(label.cost.amountMinor);
    });

    itWhen(takesFunds, 'adds funds to the balance', async () => {
      const before = (await getBalance()).amount;
      const topped = await addFunds({ amountMinor: 5000, currency: before.currency });
      expect(topped.amount.amountMinor).toBe(before.amountMinor + 5000);
      expect((await getBalance()).amount.amountMinor).toBe(before.amountMinor + 5000);
    });
  });
}
