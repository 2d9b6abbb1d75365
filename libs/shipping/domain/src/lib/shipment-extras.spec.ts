import { unhonouredExtras } from './shipment-extras';

describe('unhonouredExtras', () => {
  const shipstationLike = {
    signature_confirmation: { values: ['STANDARD', 'ADULT'] },
    insurance: { fields: ['amount', 'currency', 'provider'] },
    reference_1: true as const,
  };

  it('accepts no extra, an empty one, and options declared with any value', () => {
    expect(unhonouredExtras(undefined, shipstationLike, 'shipstation')).toEqual([]);
    expect(unhonouredExtras({}, {}, 'mock')).toEqual([]);
    expect(unhonouredExtras({ reference_1: 'PO 12', signature_confirmation: 'ADULT' }, shipstationLike, 'shipstation')).toEqual([]);
    expect(unhonouredExtras({ insurance: { amount: '100', currency: 'USD' } }, shipstationLike, 'shipstation')).toEqual([]);
  });

  it('refuses an option the provider does not declare, naming it and the provider', () => {
    expect(unhonouredExtras({ reference_1: 'x', COD: { amount: '5' } }, shipstationLike, 'shipstation')).toEqual([
      { path: 'COD', text: "the shipstation provider has no 'COD' option for this shipment" },
    ]);
    expect(unhonouredExtras({ insurance: { amount: '1', currency: 'USD' } }, {}, 'mock')).toEqual([
      { path: 'insurance', text: expect.stringContaining("no 'insurance' option") },
    ]);
  });

  it('refuses a value outside the declared ones, and a sub-field the provider does not take', () => {
    expect(unhonouredExtras({ signature_confirmation: 'INDIRECT' }, shipstationLike, 'shipstation')).toEqual([
      { path: 'signature_confirmation', text: "the shipstation provider takes signature_confirmation STANDARD or ADULT, not 'INDIRECT'" },
    ]);
    expect(unhonouredExtras({ insurance: { amount: '1', currency: 'USD', content: 'books' } }, shipstationLike, 'shipstation')).toEqual([
      { path: 'insurance.content', text: expect.stringContaining('insurance.content') },
    ]);
  });

  it('never reads inherited names as declared', () => {
    expect(unhonouredExtras({ toString: 'x' }, shipstationLike, 'shipstation')).toHaveLength(1);
  });
});
