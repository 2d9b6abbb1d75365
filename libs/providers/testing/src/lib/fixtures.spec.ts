import { aParcel, anAddress, aValidShipment } from './fixtures';

describe('fixtures', () => {
  it('build a complete US shipment with one parcel', () => {
    const s = aValidShipment();
    expect(s.addressFrom).toMatchObject({ street1: expect.any(String), city: expect.any(String), zip: '94117', country: 'US' });
    expect(s.addressTo).toMatchObject({ zip: '94103', country: 'US' });
    expect(s.parcels).toEqual([aParcel()]);
  });

  it('apply overrides and return fresh objects', () => {
    expect(anAddress({ zip: undefined }).zip).toBeUndefined();
    expect(aValidShipment({ parcels: [] }).parcels).toEqual([]);
    const a = aValidShipment();
    a.addressTo.city = 'changed';
    expect(aValidShipment().addressTo.city).toBe('San Francisco');
  });
});
