import { checkAddressFields, checkCountryCode, checkParcels, checkShipment, checkUsZip } from './shipment-checks';

const parcel = { length: 10, width: 8, height: 4, distanceUnit: 'in' as const, weight: 2, massUnit: 'lb' as const };

describe('shipment checks shared by adapters', () => {
  it('names each missing address field as INCOMPLETE, in words', () => {
    expect(checkAddressFields('address_to', { street1: ' ', city: 'Austin' }, ['street1', 'city', 'zip'])).toEqual([
      { field: 'address_to.street1', code: 'address_incomplete', text: 'The recipient address has no street.', severity: 'INCOMPLETE' },
      { field: 'address_to.zip', code: 'address_incomplete', text: 'The recipient address has no ZIP or postal code.', severity: 'INCOMPLETE' },
    ]);
    expect(checkAddressFields('address_from', undefined, ['phone'])[0].text).toBe('The sender address has no phone number.');
  });

  it('wants a given country as a two-letter ISO code, and leaves a missing one to the required fields', () => {
    expect(checkCountryCode('address_return', { country: ' USA ' })).toEqual([
      {
        field: 'address_return.country',
        code: 'country_invalid',
        text: "The return country 'USA' is not a two-letter ISO country code (e.g. US).",
        severity: 'INVALID',
      },
    ]);
    expect(checkCountryCode('address_to', { country: 'us' })).toEqual([]);
    expect(checkCountryCode('address_to', { country: 'GB' })).toEqual([]);
    expect(checkCountryCode('address_to', { country: '  ' })).toEqual([]);
    expect(checkCountryCode('address_to', {})).toEqual([]);
    expect(checkCountryCode('address_to', undefined)).toEqual([]);
    expect(checkCountryCode('address_from', { country: 'U5' })[0].field).toBe('address_from.country');
  });

  it('checks US ZIP codes only for US addresses', () => {
    expect(checkUsZip('address_from', { zip: '9410', country: 'us' })).toEqual([expect.objectContaining({ field: 'address_from.zip', code: 'zip_invalid', severity: 'INVALID' })]);
    expect(checkUsZip('address_from', { zip: '94103-1234', country: 'US' })).toEqual([]);
    expect(checkUsZip('address_from', { zip: 'SW1A 1AA', country: 'GB' })).toEqual([]);
  });

  it('wants at least one parcel with positive sizes, and known units when asked', () => {
    expect(checkParcels([])).toEqual([expect.objectContaining({ field: 'parcels', code: 'parcel_missing', severity: 'INCOMPLETE' })]);
    expect(checkParcels([parcel])).toEqual([]);
    expect(checkParcels([{ ...parcel, weight: 0 }]).map((p) => p.field)).toEqual(['parcels[0].weight']);
    const odd = { ...parcel, distanceUnit: 'league', massUnit: 'stone' } as unknown as typeof parcel;
    expect(checkParcels([odd])).toEqual([]);
    expect(checkParcels([odd], { units: true }).map((p) => [p.field, p.code])).toEqual([
      ['parcels[0].distance_unit', 'parcel_unit_unknown'],
      ['parcels[0].mass_unit', 'parcel_unit_unknown'],
    ]);
  });

  it('walks a shipment: sender, recipient, the return address only when given, then the parcels', () => {
    const sides: string[] = [];
    const checkAddress = (side: string, address: unknown) => {
      sides.push(side);
      return address ? [] : [{ field: side, code: 'address_missing', text: side, severity: 'INCOMPLETE' as const }];
    };
    const to = { street1: '1 Main St' };
    expect(checkShipment({ addressFrom: {}, addressTo: to, parcels: [parcel] }, checkAddress)).toEqual([]);
    expect(sides).toEqual(['address_from', 'address_to']);
    sides.length = 0;
    const odd = { ...parcel, massUnit: 'stone' } as unknown as typeof parcel;
    expect(checkShipment({ addressFrom: {}, addressTo: to, addressReturn: {}, parcels: [odd] }, checkAddress, { units: true }).map((p) => p.code)).toEqual([
      'parcel_unit_unknown',
    ]);
    expect(sides).toEqual(['address_from', 'address_to', 'address_return']);
    expect(checkShipment(undefined, checkAddress).map((p) => p.field)).toEqual(['address_from', 'address_to', 'parcels']);
  });
});
