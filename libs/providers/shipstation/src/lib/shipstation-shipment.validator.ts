import type { PortAddress, PortShipment, ValidationProblem } from '@shipbatch/providers/core';

type Side = 'address_from' | 'address_to' | 'address_return';

/** What ShipStation requires of every address (`address`: name, line 1, city, state, postal code; and a country). */
const REQUIRED: Array<keyof PortAddress> = ['name', 'street1', 'city', 'state', 'zip', 'country'];
const WORDS: Partial<Record<keyof PortAddress, string>> = {
  name: 'name',
  street1: 'street',
  city: 'city',
  state: 'state or province',
  zip: 'ZIP or postal code',
  country: 'country',
  phone: 'phone number',
};
export const WHOSE: Readonly<Record<Side, string>> = { address_from: 'sender', address_to: 'recipient', address_return: 'return' };
/** 12345, 12345-6789 or 123456789. */
const US_ZIP = /^\d{5}(-?\d{4})?$/;
const DISTANCE_UNITS = ['cm', 'in', 'ft', 'mm', 'm', 'yd'];
const MASS_UNITS = ['g', 'oz', 'lb', 'kg'];

const blank = (value: unknown): boolean => typeof value !== 'string' || value.trim() === '';

function checkAddress(side: Side, address: PortAddress | undefined, problems: ValidationProblem[]): void {
  // ShipStation's ship_from also requires a phone number.
  const required = side === 'address_from' ? [...REQUIRED, 'phone' as const] : REQUIRED;
  for (const field of required) {
    if (blank(address?.[field])) {
      problems.push({ field: `${side}.${field}`, code: 'address_incomplete', text: `The ${WHOSE[side]} address has no ${WORDS[field]}.`, severity: 'INCOMPLETE' });
    }
  }
  const country = blank(address?.country) ? '' : String(address?.country).trim();
  if (country && !/^[A-Za-z]{2}$/.test(country)) {
    problems.push({
      field: `${side}.country`,
      code: 'country_invalid',
      text: `The ${WHOSE[side]} country '${country}' is not a two-letter ISO country code (e.g. US).`,
      severity: 'INVALID',
    });
  }
  const zip = blank(address?.zip) ? '' : String(address?.zip).trim();
  if (zip && country.toUpperCase() === 'US' && !US_ZIP.test(zip)) {
    problems.push({
      field: `${side}.zip`,
      code: 'zip_invalid',
      text: `The ${WHOSE[side]} ZIP code '${zip}' is not a US ZIP code (5 or 9 digits, e.g. 94103 or 94103-1234).`,
      severity: 'INVALID',
    });
  }
}

/**
 * What ShipStation API v2 requires of a shipment before a label can be bought, checked locally
 * (no request): both addresses complete (the sender with a phone number), a return address
 * complete when given, at least one parcel with positive dimensions and weight in known units.
 * Problems are data, never thrown, even for content that is missing altogether.
 */
export function validateShipStationShipment(shipment: PortShipment | undefined): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  checkAddress('address_from', shipment?.addressFrom, problems);
  checkAddress('address_to', shipment?.addressTo, problems);
  if (shipment?.addressReturn) checkAddress('address_return', shipment.addressReturn, problems);

  const parcels = Array.isArray(shipment?.parcels) ? shipment.parcels : [];
  if (parcels.length === 0) {
    problems.push({ field: 'parcels', code: 'parcel_missing', text: 'At least one parcel is required.', severity: 'INCOMPLETE' });
  }
  parcels.forEach((p, i) => {
    for (const key of ['length', 'width', 'height', 'weight'] as const) {
      const value = p?.[key];
      if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
        problems.push({ field: `parcels[${i}].${key}`, code: 'parcel_invalid', text: `Parcel ${i + 1} needs a positive ${key}.`, severity: 'INVALID' });
      }
    }
    if (!DISTANCE_UNITS.includes(p?.distanceUnit)) {
      problems.push({
        field: `parcels[${i}].distance_unit`,
        code: 'parcel_unit_unknown',
        text: `Parcel ${i + 1} has distance unit '${String(p?.distanceUnit)}'; use one of ${DISTANCE_UNITS.join(', ')}.`,
        severity: 'INVALID',
      });
    }
    if (!MASS_UNITS.includes(p?.massUnit)) {
      problems.push({
        field: `parcels[${i}].mass_unit`,
        code: 'parcel_unit_unknown',
        text: `Parcel ${i + 1} has mass unit '${String(p?.massUnit)}'; use one of ${MASS_UNITS.join(', ')}.`,
        severity: 'INVALID',
      });
    }
  });
  return problems;
}
