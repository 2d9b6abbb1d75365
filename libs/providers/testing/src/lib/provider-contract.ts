import { randomUUID } from 'node:crypto';
import { isProviderError, type LabelProvider, ProviderValidationError } from '@shipbatch/providers/core';
import { anAddress, aValidShipment } from './fixtures';

export interface ContractSetup {
  /** A fresh provider instance (its own account) for this test. */
  provider: LabelProvider;
  carrier: string;
  serviceLevelToken: string;
  teardown?(): Promise<void>;
}

/**
 * The suite every provider adapter must pass. Call it from the adapter's own spec with a
 * setup that gives a fresh instance per test; cases run only where the capabilities say the
 * provider can do the thing.
 */
export function describeProviderContract(name: string, setup: () => Promise<ContractSetup>): void {
  describe(`provider contract: ${name}`, () => {
    let ctx: ContractSetup;
    beforeEach(async () => {
      ctx = await setup();
    });
    afterEach(async () => {
      await ctx.teardown?.();
    });

    const purchase = (reference = randomUUID(), shipment = aValidShipment()) =>
      ctx.provider.purchaseLabel({
        reference,
        carrier: ctx.carrier,
        serviceLevelToken: ctx.serviceLevelToken,
        shipment,
        labelFileType: 'PDF_4x6',
      });

    it('declares the service level it is tested with', () => {
      expect(ctx.provider.capabilities.serviceLevels[ctx.carrier]).toContain(ctx.serviceLevelToken);
    });

    it('validates a good shipment with no problems', async () => {
      const problems = await ctx.provider.validateShipment({ carrier: ctx.carrier, serviceLevelToken: ctx.serviceLevelToken, shipment: aValidShipment() });
      expect(problems).toEqual([]);
    });

    it('reports a missing address field as INCOMPLETE, naming it', async () => {
      const problems = await ctx.provider.validateShipment({
        carrier: ctx.carrier,
        serviceLevelToken: ctx.serviceLevelToken,
        shipment: aValidShipment({ addressTo: anAddress({ zip: undefined }) }),
      });
      expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'INCOMPLETE', field: 'address_to.zip' })]));
    });

    it('reports an unknown service level as INVALID', async () => {
      const problems = await ctx.provider.validateShipment({ carrier: ctx.carrier, serviceLevelToken: 'no_such_service', shipment: aValidShipment() });
      expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'INVALID', code: 'service_level_unknown' })]));
    });

    it('sells a label with our reference, a tracking number, a cost and a document', async () => {
      const reference = randomUUID();
      const label = await purchase(reference);
      expect(label.reference).toBe(reference);
      expect(label.trackingNumber).toMatch(/\S{8,}/);
      expect(label.cost.amountMinor).toBeGreaterThan(0);
      expect(Number.isInteger(label.cost.amountMinor)).toBe(true);
      expect(label.document ?? label.documentUrl).toBeTruthy();
    });

    it('gives different references different tracking numbers', async () => {
      const [a, b] = [await purchase(), await purchase()];
      expect(a.trackingNumber).not.toBe(b.trackingNumber);
    });

    it('finds a purchase by reference when it de-duplicates by lookup, and nothing for an unknown one', async () => {
      if (ctx.provider.capabilities.purchaseDeduplication !== 'lookup') return;
      const reference = randomUUID();
      const sold = await purchase(reference);
      expect((await ctx.provider.findPurchase(reference))?.trackingNumber).toBe(sold.trackingNumber);
      expect(await ctx.provider.findPurchase(randomUUID())).toBeNull();
    });

    it('refuses to sell for an invalid shipment with a non-retryable ProviderValidationError', async () => {
      const attempt = purchase(randomUUID(), aValidShipment({ addressTo: anAddress({ street1: undefined }) }));
      await expect(attempt).rejects.toBeInstanceOf(ProviderValidationError);
      await attempt.catch((error) => {
        expect(isProviderError(error)).toBe(true);
        expect(error.code).toBe('validation');
        expect(error.retryable).toBe(false);
      });
    });

    it('charges the prepaid balance and takes added funds', async () => {
      const p = ctx.provider;
      if (!p.capabilities.funding.prepaidBalance || !p.getBalance) return;
      const before = (await p.getBalance()).amount.amountMinor;
      const label = await purchase();
      const after = (await p.getBalance()).amount.amountMinor;
      expect(before - after).toBe(label.cost.amountMinor);
      if (p.capabilities.funding.addFunds && p.addFunds) {
        const topped = await p.addFunds({ amountMinor: 5000, currency: 'usd' });
        expect(topped.amount.amountMinor).toBe(after + 5000);
      }
    });

    it('voids a label once when it can void', async () => {
      const p = ctx.provider;
      if (p.capabilities.voidWindowHours === undefined || !p.voidLabel) return;
      const label = await purchase();
      expect((await p.voidLabel(label.providerLabelId)).approved).toBe(true);
      expect((await p.voidLabel(label.providerLabelId)).approved).toBe(false);
    });
  });
}
