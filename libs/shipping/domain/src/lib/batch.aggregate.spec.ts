import { Batch, type BatchProps } from './batch.aggregate';
import { BatchCounts } from './batch-counts';
import { ConflictError } from './domain.errors';
import { IllegalTransitionError } from './state-machine';

const props = (over: Partial<BatchProps> = {}): BatchProps => ({
  id: 'b1',
  tenantId: 't1',
  status: 'VALID',
  defaultCarrierAccount: 'ca',
  defaultServicelevelToken: 'usps_priority',
  labelFiletype: 'PDF_4x6',
  metadata: '',
  labelFileKeys: [],
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...over,
});

describe('Batch', () => {
  describe('shipments may change only before purchase', () => {
    it.each(['VALIDATING', 'VALID', 'INVALID'] as const)('allows changes when %s', (status) => {
      expect(() => new Batch(props({ status })).assertShipmentsModifiable()).not.toThrow();
    });
    it.each(['PURCHASING', 'PURCHASED'] as const)('refuses changes when %s', (status) => {
      expect(() => new Batch(props({ status })).assertShipmentsModifiable()).toThrow(ConflictError);
    });
  });

  describe('planPurchase', () => {
    const counts = (byStatus: Record<string, number>) => new BatchCounts(byStatus, {});

    it('purchases every shipment of a VALID batch', () => {
      expect(new Batch(props()).planPurchase(counts({ VALID: 3 }))).toEqual({
        kind: 'all_valid',
        step: { name: 'purchase_requested', from: ['VALID'], to: 'PURCHASING' },
      });
    });

    it('retries only failed shipments of a PURCHASED batch', () => {
      const plan = new Batch(props({ status: 'PURCHASED' })).planPurchase(counts({ VALID: 2, TRANSACTION_FAILED: 1 }));
      expect(plan).toEqual({ kind: 'retry_failed', step: { name: 'retry_requested', from: ['PURCHASED'], to: 'PURCHASING' } });
    });

    it('refuses a PURCHASED batch with nothing failed', () => {
      expect(() => new Batch(props({ status: 'PURCHASED' })).planPurchase(counts({ VALID: 2 }))).toThrow(
        /no failed shipments/,
      );
    });

    it('refuses an INVALID batch and says how many shipments failed', () => {
      const attempt = () => new Batch(props({ status: 'INVALID' })).planPurchase(counts({ VALID: 1, INVALID: 2 }));
      expect(attempt).toThrow(ConflictError);
      expect(attempt).toThrow(/2 shipment\(s\) failed validation/);
    });

    it.each(['VALIDATING', 'PURCHASING'] as const)('refuses a %s batch', (status) => {
      expect(() => new Batch(props({ status })).planPurchase(counts({ VALID: 1 }))).toThrow(status);
    });

    it('refuses an empty batch', () => {
      expect(() => new Batch(props()).planPurchase(counts({}))).toThrow(/no shipments/);
    });
  });

  describe('the rule deriving a batch status from its shipments', () => {
    it('has no outcome while any shipment is pending', () => {
      expect(Batch.statusAfterValidation(new BatchCounts({ PENDING: 1, VALID: 5 }, {}))).toBeNull();
    });
    it('is VALID when every shipment is valid', () => {
      expect(Batch.statusAfterValidation(new BatchCounts({ VALID: 5 }, {}))).toBe('VALID');
    });
    it('is INVALID when any shipment is invalid or incomplete, or there are none', () => {
      expect(Batch.statusAfterValidation(new BatchCounts({ VALID: 5, INCOMPLETE: 1 }, {}))).toBe('INVALID');
      expect(Batch.statusAfterValidation(new BatchCounts({ VALID: 5, INVALID: 1 }, {}))).toBe('INVALID');
      expect(Batch.statusAfterValidation(BatchCounts.empty())).toBe('INVALID');
    });
    it('is PURCHASED once nothing is queued, purchasing or in a native batch', () => {
      expect(Batch.statusAfterPurchaseProgress(new BatchCounts({}, { PURCHASED: 2, QUEUED: 1 }))).toBe('PURCHASING');
      expect(Batch.statusAfterPurchaseProgress(new BatchCounts({}, { PURCHASED: 2, PURCHASING: 1 }))).toBe('PURCHASING');
      expect(Batch.statusAfterPurchaseProgress(new BatchCounts({}, { PURCHASED: 2, NATIVE: 1 }))).toBe('PURCHASING');
      expect(Batch.statusAfterPurchaseProgress(new BatchCounts({}, { PURCHASED: 2, FAILED: 1 }))).toBe('PURCHASED');
    });
  });

  describe('steps', () => {
    const valid = new BatchCounts({ VALID: 2 }, {});
    const invalid = new BatchCounts({ VALID: 1, INVALID: 1 }, {});
    const pending = new BatchCounts({ VALID: 1, PENDING: 1 }, {});

    it('hands out a step only for a transition its status allows', () => {
      expect(new Batch(props({ status: 'VALID' })).transition('purchase_requested')).toEqual({
        name: 'purchase_requested',
        from: ['VALID'],
        to: 'PURCHASING',
      });
      expect(() => new Batch(props({ status: 'PURCHASED' })).transition('purchase_requested')).toThrow(IllegalTransitionError);
      expect(() => new Batch(props({ status: 'PURCHASED' })).transition('purchase_requested')).toThrow(
        /purchase_requested is not allowed from PURCHASED/,
      );
    });

    it('finishes validation once nothing is pending, only while VALIDATING', () => {
      const validating = new Batch(props({ status: 'VALIDATING' }));
      expect(validating.finishValidation(pending)).toBeNull();
      expect(validating.finishValidation(valid)?.name).toBe('validation_finished_valid');
      expect(validating.finishValidation(invalid)).toEqual({ name: 'validation_finished_invalid', from: ['VALIDATING'], to: 'INVALID' });
      expect(new Batch(props({ status: 'VALID' })).finishValidation(valid)).toBeNull();
    });

    it('re-derives VALID or INVALID after a removal', () => {
      expect(new Batch(props({ status: 'INVALID' })).afterShipmentsRemoved(valid)).toEqual({
        name: 'shipments_removed',
        from: ['VALID', 'INVALID'],
        to: 'VALID',
      });
      expect(new Batch(props({ status: 'VALID' })).afterShipmentsRemoved(BatchCounts.empty())?.to).toBe('INVALID');
    });

    it('leaves a VALIDATING batch validating after a removal, unless nothing is left to validate', () => {
      const validating = new Batch(props({ status: 'VALIDATING' }));
      expect(validating.afterShipmentsRemoved(pending)).toBeNull();
      expect(validating.afterShipmentsRemoved(valid)?.name).toBe('validation_finished_valid');
      expect(validating.afterShipmentsRemoved(BatchCounts.empty())?.name).toBe('validation_finished_invalid');
    });

    it.each(['PURCHASING', 'PURCHASED'] as const)('refuses a removal from a %s batch', (status) => {
      expect(() => new Batch(props({ status })).afterShipmentsRemoved(valid)).toThrow(/only before purchase starts/);
    });
  });

  it('derives Shippo object_results from the rows', () => {
    const counts = new BatchCounts({ VALID: 4, INVALID: 1, INCOMPLETE: 2, TRANSACTION_FAILED: 3 }, { PURCHASED: 4 });
    expect(counts.objectResults).toEqual({
      purchase_succeeded: 4,
      purchase_failed: 3,
      creation_failed: 3,
      creation_succeeded: 7,
    });
  });
});
