import { aParcel, anAddress, aPurchaseCommand, aShipmentWithSenderPhone, aValidShipment } from './fixtures';

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

  it('give the sender a phone number, and build purchases under fresh references', () => {
    expect(aShipmentWithSenderPhone().addressFrom).toEqual({ ...aValidShipment().addressFrom, phone: '415-555-0100' });
    expect(aShipmentWithSenderPhone({ parcels: [] }).parcels).toEqual([]);
    const a = aPurchaseCommand();
    expect(a).toMatchObject({ carrier: 'usps', serviceLevelToken: 'usps_priority', labelFileType: 'PDF_4x6', shipment: aValidShipment() });
    expect(aPurchaseCommand().reference).not.toBe(a.reference);
    expect(aPurchaseCommand({ carrier: 'ups' }).carrier).toBe('ups');
  });
});
