import { aParcel, anAddress } from '@shipbatch/providers/testing';
import { SHIPSTATION_CAPABILITIES } from './shipstation.capabilities';
import {
  fromServiceCode,
  LABEL_FORMATS,
  labelCost,
  SERVICE_CODES,
  toPurchasedLabel,
  toServiceCode,
  toShipDate,
  toSsAddress,
  toSsPackage,
} from './shipstation.mapper';
import type { SsLabel } from './shipstation.types';

const aLabel = (overrides: Partial<SsLabel> = {}): SsLabel => ({
  label_id: 'se-100001',
  created_at: '2026-04-07T09:04:00.000Z',
  shipment_cost: { currency: 'USD', amount: 7.58 },
  insurance_cost: { currency: 'usd', amount: 0 },
  tracking_number: '9400111000000000000001',
  service_code: 'usps_priority_mail',
  label_format: 'pdf',
  label_layout: '4x6',
  label_download: { href: 'https://api.shipstation.com/v2/downloads/10/abc/label-1.pdf', pdf: 'https://api.shipstation.com/v2/downloads/10/abc/label-1.pdf' },
  ...overrides,
});

describe('ShipStation mapper', () => {
  it('maps Shippo service level tokens to ShipStation codes and passes ShipStation codes through', () => {
    expect(toServiceCode('usps_priority')).toBe('usps_priority_mail');
    expect(toServiceCode('usps_priority_express')).toBe('usps_priority_mail_express');
    expect(toServiceCode('usps_first_class')).toBe('usps_first_class_mail');
    expect(toServiceCode('ups_second_day_air')).toBe('ups_2nd_day_air');
    expect(toServiceCode('fedex_2_day')).toBe('fedex_2day');
    expect(toServiceCode('usps_priority_mail')).toBe('usps_priority_mail');
    expect(toServiceCode('fedex_2day')).toBe('fedex_2day');
    expect(toServiceCode('constructor')).toBe('constructor');
    expect(Object.keys(SERVICE_CODES)).toHaveLength(12);
    expect(fromServiceCode('ups_2nd_day_air')).toBe('ups_second_day_air');
    expect(fromServiceCode('dhl_express_worldwide')).toBe('dhl_express_worldwide');
  });

  it('declares the tokens of the table per carrier', () => {
    expect(SHIPSTATION_CAPABILITIES.serviceLevels).toEqual({
      usps: ['usps_priority', 'usps_priority_express', 'usps_first_class', 'usps_ground_advantage', 'usps_media_mail'],
      ups: ['ups_ground', 'ups_second_day_air', 'ups_next_day_air', 'ups_3_day_select'],
      fedex: ['fedex_ground', 'fedex_2_day', 'fedex_standard_overnight'],
    });
  });

  it('maps label file types to label_format and label_layout, offering only those ShipStation makes', () => {
    expect(LABEL_FORMATS).toEqual({
      PDF_4x6: { format: 'pdf', layout: '4x6' },
      PDF: { format: 'pdf', layout: 'letter' },
      PNG: { format: 'png', layout: '4x6' },
      ZPLII: { format: 'zpl', layout: '4x6' },
    });
    expect(SHIPSTATION_CAPABILITIES.labelFileTypes).toEqual(['PDF_4x6', 'PDF', 'PNG', 'ZPLII']);
  });

  it('maps a port address to a ShipEngine address, leaving out empty optional fields', () => {
    expect(
      toSsAddress(anAddress({ company: 'Hippo Co', street2: ' Suite 5 ', phone: '415-555-0100', email: 'h@example.com', country: 'us', isResidential: true })),
    ).toEqual({
      name: 'Mr Hippo',
      company_name: 'Hippo Co',
      phone: '415-555-0100',
      email: 'h@example.com',
      address_line1: '965 Mission St',
      address_line2: 'Suite 5',
      city_locality: 'San Francisco',
      state_province: 'CA',
      postal_code: '94103',
      country_code: 'US',
      address_residential_indicator: 'yes',
    });
    const plain = toSsAddress(anAddress({ company: '', street2: '   ' }));
    expect(plain).not.toHaveProperty('company_name');
    expect(plain).not.toHaveProperty('address_line2');
    expect(plain).not.toHaveProperty('address_residential_indicator');
    expect(toSsAddress(anAddress({ isResidential: false })).address_residential_indicator).toBe('no');
  });

  it('maps parcels, converting distance units ShipStation lacks', () => {
    expect(toSsPackage(aParcel())).toEqual({ weight: { value: 2, unit: 'pound' }, dimensions: { length: 10, width: 8, height: 4, unit: 'inch' } });
    expect(toSsPackage(aParcel({ massUnit: 'oz', weight: 12 })).weight).toEqual({ value: 12, unit: 'ounce' });
    expect(toSsPackage(aParcel({ massUnit: 'g', weight: 500 })).weight).toEqual({ value: 500, unit: 'gram' });
    expect(toSsPackage(aParcel({ massUnit: 'kg', weight: 1.5 })).weight).toEqual({ value: 1.5, unit: 'kilogram' });
    expect(toSsPackage(aParcel({ distanceUnit: 'cm', length: 30, width: 20, height: 10 })).dimensions).toEqual({ length: 30, width: 20, height: 10, unit: 'centimeter' });
    expect(toSsPackage(aParcel({ distanceUnit: 'mm', length: 305, width: 205, height: 1 })).dimensions).toEqual({ length: 30.5, width: 20.5, height: 0.1, unit: 'centimeter' });
    expect(toSsPackage(aParcel({ distanceUnit: 'm', length: 1.2, width: 0.5, height: 0.25 })).dimensions).toEqual({ length: 120, width: 50, height: 25, unit: 'centimeter' });
    expect(toSsPackage(aParcel({ distanceUnit: 'ft', length: 2, width: 1.5, height: 1 })).dimensions).toEqual({ length: 24, width: 18, height: 12, unit: 'inch' });
    expect(toSsPackage(aParcel({ distanceUnit: 'yd', length: 1.1, width: 1, height: 0.5 })).dimensions).toEqual({ length: 39.6, width: 36, height: 18, unit: 'inch' });
  });

  it('gives ship_date as an ISO date-time: dates at midnight UTC, other dates normalized, unreadable ones dropped', () => {
    expect(toShipDate('2026-04-08')).toBe('2026-04-08T00:00:00Z');
    expect(toShipDate('2026-04-08T10:00:00Z')).toBe('2026-04-08T10:00:00Z');
    expect(toShipDate('Wed, 08 Apr 2026 10:00:00 GMT')).toBe('2026-04-08T10:00:00.000Z');
    expect(toShipDate('soon')).toBeUndefined();
    expect(toShipDate(undefined)).toBeUndefined();
  });

  it('maps a label answer to a PurchasedLabel: cost with insurance in cents, lower-case currency, document URL', () => {
    const label = toPurchasedLabel(aLabel({ insurance_cost: { currency: 'usd', amount: 1.1 } }), 'ref-1', 'usps', 'usps_priority');
    expect(label).toEqual({
      providerLabelId: 'se-100001',
      reference: 'ref-1',
      trackingNumber: '9400111000000000000001',
      carrier: 'usps',
      serviceLevelToken: 'usps_priority',
      cost: { amountMinor: 868, currency: 'usd' },
      createdAt: '2026-04-07T09:04:00.000Z',
      documentUrl: 'https://api.shipstation.com/v2/downloads/10/abc/label-1.pdf',
    });
    // 0.1 + 0.2 in dollars is 30 cents, not 30.000000000000004.
    expect(labelCost(aLabel({ shipment_cost: { currency: 'usd', amount: 0.1 }, insurance_cost: { currency: 'usd', amount: 0.2 } }))).toEqual({ amountMinor: 30, currency: 'usd' });
    expect(toPurchasedLabel(aLabel({ label_download: { zpl: 'https://x.test/l.zpl' }, label_format: 'zpl' }), 'r', 'usps', 't').documentUrl).toBe('https://x.test/l.zpl');
    expect(toPurchasedLabel(aLabel({ label_download: undefined }), 'r', 'usps', 't')).not.toHaveProperty('documentUrl');
  });
});
