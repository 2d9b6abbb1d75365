import { fromPacific, pacificDate, pacificDateTime, toServiceCode, toShipDate, toV1Dimensions, toV1Weight } from './shipstation-v1.mapper';

describe('ShipStation v1 mapping', () => {
  it("writes dates in Pacific time without a zone, and reads them back", () => {
    const winter = new Date('2026-12-07T20:15:30Z'); // PST, UTC-8
    expect(pacificDateTime(winter)).toBe('2026-12-07T12:15:30.0000000');
    expect(fromPacific('2026-12-07T12:15:30.0000000')).toBe('2026-12-07T20:15:30.000Z');
    const summer = new Date('2026-07-01T05:00:00Z'); // PDT, UTC-7: still June 30th there
    expect(pacificDate(summer)).toBe('2026-06-30');
    expect(fromPacific('2026-06-30T22:00:00.0000000')).toBe('2026-07-01T05:00:00.000Z');
  });

  it('ships today (Pacific) unless the shipment is dated later', () => {
    const now = new Date('2026-12-08T03:00:00Z'); // Dec 7th, 19:00 in California
    expect(toShipDate(undefined, now)).toBe('2026-12-07');
    expect(toShipDate('2026-12-01', now)).toBe('2026-12-07');
    expect(toShipDate('2026-12-09', now)).toBe('2026-12-09');
  });

  it('maps Shippo tokens, units v1 lacks, and passes its own codes through', () => {
    expect(toServiceCode('usps_priority')).toBe('usps_priority_mail');
    expect(toServiceCode('fedex_2_day')).toBe('fedex_2day');
    expect(toServiceCode('usps_media_mail')).toBe('usps_media_mail');
    expect(toServiceCode('ups_worldwide_saver')).toBe('ups_worldwide_saver');
    const parcel = { length: 1, width: 2, height: 10, distanceUnit: 'mm' as const, weight: 1.5, massUnit: 'kg' as const };
    expect(toV1Weight(parcel)).toEqual({ value: 1500, units: 'grams' });
    expect(toV1Dimensions(parcel)).toEqual({ length: 0.1, width: 0.2, height: 1, units: 'centimeters' });
  });
});
