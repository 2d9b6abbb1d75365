import type { PortShipment } from '@shipbatch/providers/core';
import { aParcel, anAddress, aValidShipment } from '@shipbatch/providers/testing';
import { validateMockShipment } from './mock-shipment.validator';

const check = (shipment: PortShipment, service = 'usps_priority', carrier = 'usps', accountCarrier = carrier) =>
  validateMockShipment(carrier, service, shipment, accountCarrier);

describe('validateMockShipment', () => {
  it('finds nothing wrong with a valid shipment', () => {
    expect(check(aValidShipment())).toEqual([]);
  });

  it('reports each missing address field as INCOMPLETE, naming it', () => {
    const problems = check(aValidShipment({ addressFrom: anAddress({ street1: undefined, city: '  ' }), addressTo: anAddress({ zip: '', country: undefined }) }));
    expect(problems.map((p) => [p.field, p.severity, p.code])).toEqual([
      ['address_from.street1', 'INCOMPLETE', 'address_incomplete'],
      ['address_from.city', 'INCOMPLETE', 'address_incomplete'],
      ['address_to.zip', 'INCOMPLETE', 'address_incomplete'],
      ['address_to.country', 'INCOMPLETE', 'address_incomplete'],
    ]);
    expect(problems[2].text).toBe('The recipient address has no ZIP or postal code.');
    for (const p of problems) expect(p.text).toMatch(/^The (sender|recipient) address has no [a-zA-Z ]+\.$/);
  });

  it('accepts US ZIP codes of 5 or 9 digits and reports others as INVALID', () => {
    for (const zip of ['94103', '94103-1234', '941031234', ' 94103 ']) {
      expect(check(aValidShipment({ addressTo: anAddress({ zip }) }))).toEqual([]);
    }
    for (const zip of ['9410', '941033', '94103-123', 'ABCDE', '94103 1234']) {
      expect(check(aValidShipment({ addressTo: anAddress({ zip }) }))).toEqual([
        expect.objectContaining({ field: 'address_to.zip', severity: 'INVALID', code: 'zip_invalid' }),
      ]);
    }
    expect(check(aValidShipment({ addressTo: anAddress({ zip: 'SW1A 1AA', country: 'GB' }) }))).toEqual([]);
    expect(check(aValidShipment({ addressTo: anAddress({ zip: '123', country: 'us' }) }))[0]?.code).toBe('zip_invalid');
  });

  it('reports a service level the account\'s carrier does not offer', () => {
    expect(check(aValidShipment(), 'ups_ground')).toEqual([
      expect.objectContaining({ field: 'servicelevel_token', code: 'service_level_unknown', severity: 'INVALID' }),
    ]);
    expect(check(aValidShipment(), 'toString')[0]?.code).toBe('service_level_unknown');
    expect(check(aValidShipment(), 'ups_ground', 'ups')).toEqual([]);
  });

  it('reports a command for another carrier than the account\'s, and carriers it does not serve', () => {
    expect(check(aValidShipment(), 'usps_priority', 'ups', 'usps').map((p) => p.code)).toEqual(['carrier_mismatch']);
    expect(check(aValidShipment(), 'x', 'royal_mail').map((p) => p.code)).toEqual(['carrier_unknown']);
  });

  it('requires a parcel with positive dimensions and weight', () => {
    expect(check(aValidShipment({ parcels: [] }))).toEqual([expect.objectContaining({ field: 'parcels', severity: 'INCOMPLETE', code: 'parcel_missing' })]);
    expect(check(aValidShipment({ parcels: [aParcel(), aParcel({ height: 0, weight: -1 })] })).map((p) => [p.field, p.severity])).toEqual([
      ['parcels[1].height', 'INVALID'],
      ['parcels[1].weight', 'INVALID'],
    ]);
    expect(check(aValidShipment({ parcels: [aParcel({ length: Number.NaN })] }))[0]?.field).toBe('parcels[0].length');
  });

  it('returns problems instead of throwing for content that is missing altogether', () => {
    const problems = check({} as PortShipment);
    expect(problems.filter((p) => p.severity === 'INCOMPLETE')).toHaveLength(9);
  });
});
