import { dhlCheckDigit, fedexCheckDigit, mockTrackingNumber, upsCheckDigit, uspsCheckDigit } from './mock-tracking';

describe('mock tracking numbers', () => {
  it('compute the carriers\' check digits (published examples)', () => {
    expect(upsCheckDigit('999AA1012345678')).toBe(4); // 1Z999AA10123456784
    expect(uspsCheckDigit('400638133393')).toBe(1); // GS1 mod 10: 4006381333931
    expect(fedexCheckDigit('12345678901')).toBe(2); // 123456789012
    expect(dhlCheckDigit('000000015')).toBe(1);
  });

  it('look like each carrier\'s and carry a valid check digit', () => {
    for (const seq of [1, 2, 999, 123_456_789, 98_765_432_101]) {
      const usps = mockTrackingNumber('usps', seq, 'usps_priority');
      expect(usps).toMatch(/^9205\d{18}$/);
      expect(Number(usps[21])).toBe(uspsCheckDigit(usps.slice(0, 21)));
      expect(mockTrackingNumber('usps', seq, 'usps_ground_advantage')).toMatch(/^9400\d{18}$/);
      expect(mockTrackingNumber('usps', seq, 'usps_priority_express')).toMatch(/^9270\d{18}$/);

      const ups = mockTrackingNumber('ups', seq, 'ups_next_day_air');
      expect(ups).toMatch(/^1Z[0-9A-Z]{6}01[0-9]{7}[0-9]$/);
      expect(Number(ups[17])).toBe(upsCheckDigit(ups.slice(2, 17)));

      const fedex = mockTrackingNumber('fedex', seq, 'fedex_ground');
      expect(fedex).toMatch(/^\d{12}$/);
      expect(Number(fedex[11])).toBe(fedexCheckDigit(fedex.slice(0, 11)));

      const dhl = mockTrackingNumber('dhl_express', seq, 'dhl_express_worldwide');
      expect(dhl).toMatch(/^\d{10}$/);
      expect(Number(dhl[9])).toBe(dhlCheckDigit(dhl.slice(0, 9)));
    }
  });

  it('never repeat for different sequence values', () => {
    for (const carrier of ['usps', 'ups', 'fedex', 'dhl_express']) {
      const seen = new Set<string>();
      for (let seq = 1; seq <= 20_000; seq++) seen.add(mockTrackingNumber(carrier, seq));
      // across the UPS package-number wrap too
      seen.add(mockTrackingNumber(carrier, 10_000_001));
      expect(seen.size).toBe(20_001);
    }
  });

  it('is the same for the same sequence value', () => {
    expect(mockTrackingNumber('fedex', 42)).toBe(mockTrackingNumber('fedex', 42));
  });
});
