import type { PortAddress, PortShipment, ValidationProblem } from '@shipbatch/providers/core';
import { MOCK_PRICES_CENTS } from './mock-catalog';

const REQUIRED: Array<keyof PortAddress> = ['street1', 'city', 'zip', 'country'];
const US_ZIP = /^\d{5}(-?\d{4})?$/;

/** What the mock checks before it sells a label. Problems are data, never thrown. */
export function validateMockShipment(carrier: string, service: string, shipment: PortShipment): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const sides: Array<['address_from' | 'address_to', PortAddress]> = [
    ['address_from', shipment.addressFrom],
    ['address_to', shipment.addressTo],
  ];
  for (const [side, address] of sides) {
    for (const field of REQUIRED) {
      const value = address?.[field];
      if (typeof value !== 'string' || value.trim() === '') {
        problems.push({ field: `${side}.${field}`, code: 'address_incomplete', text: `${side}.${field} is required`, severity: 'INCOMPLETE' });
      }
    }
    const zip = address?.zip?.trim();
    if (zip && (address.country ?? '').toUpperCase() === 'US' && !US_ZIP.test(zip)) {
      problems.push({ field: `${side}.zip`, code: 'zip_invalid', text: `${side}.zip '${zip}' is not a US ZIP code (5 or 9 digits)`, severity: 'INVALID' });
    }
  }
  const services = MOCK_PRICES_CENTS[carrier];
  if (!services) {
    problems.push({ code: 'carrier_unknown', text: `carrier '${carrier}' is not served by the mock provider`, severity: 'INVALID' });
  } else if (!(service in services)) {
    problems.push({
      field: 'servicelevel_token',
      code: 'service_level_unknown',
      text: `servicelevel_token '${service}' is not offered by ${carrier} (offered: ${Object.keys(services).join(', ')})`,
      severity: 'INVALID',
    });
  }
  if (!shipment.parcels || shipment.parcels.length === 0) {
    problems.push({ field: 'parcels', code: 'parcel_missing', text: 'parcels: at least one parcel is required', severity: 'INCOMPLETE' });
  }
  (shipment.parcels ?? []).forEach((p, i) => {
    for (const key of ['length', 'width', 'height', 'weight'] as const) {
      if (!(Number.isFinite(p[key]) && p[key] > 0)) {
        problems.push({ field: `parcels[${i}].${key}`, code: 'parcel_invalid', text: `parcels[${i}].${key} must be a positive number`, severity: 'INVALID' });
      }
    }
  });
  return problems;
}
