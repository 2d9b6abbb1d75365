import type { PortAddress, PortShipment, ValidationProblem } from '@shipbatch/providers/core';
import { MOCK_PRICES_CENTS } from './mock-catalog';

const REQUIRED: Array<keyof PortAddress> = ['street1', 'city', 'zip', 'country'];
const WORDS: Partial<Record<keyof PortAddress, string>> = { street1: 'street', city: 'city', zip: 'ZIP or postal code', country: 'country' };
const WHOSE = { address_from: 'sender', address_to: 'recipient' } as const;
/** 12345, 12345-6789 or 123456789. */
const US_ZIP = /^\d{5}(-?\d{4})?$/;

function checkAddress(side: 'address_from' | 'address_to', address: PortAddress | undefined, problems: ValidationProblem[]): void {
  for (const field of REQUIRED) {
    const value = address?.[field];
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push({ field: `${side}.${field}`, code: 'address_incomplete', text: `The ${WHOSE[side]} address has no ${WORDS[field]}.`, severity: 'INCOMPLETE' });
    }
  }
  const zip = typeof address?.zip === 'string' ? address.zip.trim() : '';
  const country = typeof address?.country === 'string' ? address.country.trim().toUpperCase() : '';
  if (zip && country === 'US' && !US_ZIP.test(zip)) {
    problems.push({
      field: `${side}.zip`,
      code: 'zip_invalid',
      text: `The ${WHOSE[side]} ZIP code '${zip}' is not a US ZIP code (5 or 9 digits, e.g. 94103 or 94103-1234).`,
      severity: 'INVALID',
    });
  }
}

/**
 * What the mock checks before it sells a label. Problems are data, never thrown, even for
 * content that is missing altogether. `accountCarrier` is the carrier of the account the
 * instance serves; a command for another carrier is a problem.
 */
export function validateMockShipment(
  carrier: string,
  service: string,
  shipment: PortShipment,
  accountCarrier: string = carrier,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  checkAddress('address_from', shipment?.addressFrom, problems);
  checkAddress('address_to', shipment?.addressTo, problems);

  if (carrier !== accountCarrier) {
    problems.push({
      field: 'carrier',
      code: 'carrier_mismatch',
      text: `This carrier account ships with ${accountCarrier}, not ${carrier}.`,
      severity: 'INVALID',
    });
  }
  const services = MOCK_PRICES_CENTS[accountCarrier];
  if (!services) {
    problems.push({
      field: 'carrier',
      code: 'carrier_unknown',
      text: `Carrier '${accountCarrier}' is not served by the mock provider (served: ${Object.keys(MOCK_PRICES_CENTS).join(', ')}).`,
      severity: 'INVALID',
    });
  } else if (!Object.prototype.hasOwnProperty.call(services, service)) {
    problems.push({
      field: 'servicelevel_token',
      code: 'service_level_unknown',
      text: `Service level '${service}' is not offered by ${accountCarrier} (offered: ${Object.keys(services).join(', ')}).`,
      severity: 'INVALID',
    });
  }

  const parcels = Array.isArray(shipment?.parcels) ? shipment.parcels : [];
  if (parcels.length === 0) {
    problems.push({ field: 'parcels', code: 'parcel_missing', text: 'At least one parcel is required.', severity: 'INCOMPLETE' });
  }
  parcels.forEach((p, i) => {
    for (const key of ['length', 'width', 'height', 'weight'] as const) {
      const value = p?.[key];
      if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
        problems.push({
          field: `parcels[${i}].${key}`,
          code: 'parcel_invalid',
          text: `Parcel ${i + 1} needs a positive ${key}.`,
          severity: 'INVALID',
        });
      }
    }
  });
  return problems;
}
