import { ServiceCodeTable } from './service-codes';

describe('ServiceCodeTable', () => {
  const table = new ServiceCodeTable({ usps_priority: 'usps_priority_mail', ups_ground: 'ups_ground', fedex_2_day: 'fedex_2day' });

  it('maps a Shippo token to the provider code and back; anything unknown passes through', () => {
    expect(table.toCode('usps_priority')).toBe('usps_priority_mail');
    expect(table.toCode('usps_priority_mail')).toBe('usps_priority_mail');
    expect(table.toCode('toString')).toBe('toString');
    expect(table.fromCode('fedex_2day')).toBe('fedex_2_day');
    expect(table.fromCode('dhl_express')).toBe('dhl_express');
  });

  it('groups the tokens by carrier', () => {
    expect(table.byCarrier()).toEqual({ usps: ['usps_priority'], ups: ['ups_ground'], fedex: ['fedex_2_day'] });
  });
});
