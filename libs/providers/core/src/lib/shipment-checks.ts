import type { PortAddress, PortParcel, PortShipment, ValidationProblem } from './provider.models';

/**
 * Local checks of a shipment that every adapter makes before asking its provider (problems as
 * data, never thrown, even for content that is missing altogether). Each adapter picks what its
 * provider requires; the texts and codes are the same whichever provider it is.
 */
export type AddressSide = 'address_from' | 'address_to' | 'address_return';

export const ADDRESS_OWNER: Readonly<Record<AddressSide, string>> = { address_from: 'sender', address_to: 'recipient', address_return: 'return' };

const FIELD_WORDS: Readonly<Partial<Record<keyof PortAddress, string>>> = {
  name: 'name',
  company: 'company',
  street1: 'street',
  city: 'city',
  state: 'state or province',
  zip: 'ZIP or postal code',
  country: 'country',
  phone: 'phone number',
  email: 'email address',
};

/** An ISO 3166-1 alpha-2 code, in either case (us, US). */
const COUNTRY_CODE = /^[A-Za-z]{2}$/;
/** 12345, 12345-6789 or 123456789. */
const US_ZIP = /^\d{5}(-?\d{4})?$/;
const DISTANCE_UNITS: readonly string[] = ['cm', 'in', 'ft', 'mm', 'm', 'yd'];
const MASS_UNITS: readonly string[] = ['g', 'oz', 'lb', 'kg'];

const blank = (value: unknown): boolean => typeof value !== 'string' || value.trim() === '';

/** INCOMPLETE `address_incomplete` for each required field that is missing or blank. */
export function checkAddressFields(side: AddressSide, address: PortAddress | undefined, required: ReadonlyArray<keyof PortAddress>): ValidationProblem[] {
  return required
    .filter((field) => blank(address?.[field]))
    .map((field) => ({
      field: `${side}.${field}`,
      code: 'address_incomplete',
      text: `The ${ADDRESS_OWNER[side]} address has no ${FIELD_WORDS[field] ?? field}.`,
      severity: 'INCOMPLETE' as const,
    }));
}

/**
 * INVALID `country_invalid` for a country that is given but is not a two-letter ISO code; a
 * missing one is checkAddressFields' to report (when the adapter requires it).
 */
export function checkCountryCode(side: AddressSide, address: PortAddress | undefined): ValidationProblem[] {
  const country = typeof address?.country === 'string' ? address.country.trim() : '';
  if (!country || COUNTRY_CODE.test(country)) return [];
  return [
    {
      field: `${side}.country`,
      code: 'country_invalid',
      text: `The ${ADDRESS_OWNER[side]} country '${country}' is not a two-letter ISO country code (e.g. US).`,
      severity: 'INVALID',
    },
  ];
}

/** INVALID `zip_invalid` for a US address whose ZIP code is neither 5 nor 9 digits. */
export function checkUsZip(side: AddressSide, address: PortAddress | undefined): ValidationProblem[] {
  const zip = blank(address?.zip) ? '' : String(address?.zip).trim();
  const country = blank(address?.country) ? '' : String(address?.country).trim().toUpperCase();
  if (!zip || country !== 'US' || US_ZIP.test(zip)) return [];
  return [
    {
      field: `${side}.zip`,
      code: 'zip_invalid',
      text: `The ${ADDRESS_OWNER[side]} ZIP code '${zip}' is not a US ZIP code (5 or 9 digits, e.g. 94103 or 94103-1234).`,
      severity: 'INVALID',
    },
  ];
}

/**
 * At least one parcel (INCOMPLETE `parcel_missing`), each with positive dimensions and weight
 * (INVALID `parcel_invalid`); with `units`, also known distance and mass units
 * (INVALID `parcel_unit_unknown`).
 */
export function checkParcels(parcels: readonly PortParcel[] | undefined, options: { units?: boolean } = {}): ValidationProblem[] {
  const list = Array.isArray(parcels) ? parcels : [];
  const problems: ValidationProblem[] = [];
  if (list.length === 0) problems.push({ field: 'parcels', code: 'parcel_missing', text: 'At least one parcel is required.', severity: 'INCOMPLETE' });
  list.forEach((p, i) => {
    for (const key of ['length', 'width', 'height', 'weight'] as const) {
      const value = p?.[key];
      if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
        problems.push({ field: `parcels[${i}].${key}`, code: 'parcel_invalid', text: `Parcel ${i + 1} needs a positive ${key}.`, severity: 'INVALID' });
      }
    }
    if (!options.units) return;
    for (const [field, value, known, what] of [
      ['distance_unit', p?.distanceUnit, DISTANCE_UNITS, 'distance'],
      ['mass_unit', p?.massUnit, MASS_UNITS, 'mass'],
    ] as const) {
      if (!known.includes(value as string)) {
        problems.push({
          field: `parcels[${i}].${field}`,
          code: 'parcel_unit_unknown',
          text: `Parcel ${i + 1} has ${what} unit '${String(value)}'; use one of ${known.join(', ')}.`,
          severity: 'INVALID',
        });
      }
    }
  });
  return problems;
}

/**
 * A whole shipment, in the order adapters report it: the sender's and the recipient's address,
 * the return address when there is one (each with the adapter's `checkAddress`), then the
 * parcels (checkParcels with `parcels`).
 */
export function checkShipment(
  shipment: PortShipment | undefined,
  checkAddress: (side: AddressSide, address: PortAddress | undefined) => ValidationProblem[],
  parcels: { units?: boolean } = {},
): ValidationProblem[] {
  return [
    ...checkAddress('address_from', shipment?.addressFrom),
    ...checkAddress('address_to', shipment?.addressTo),
    ...(shipment?.addressReturn ? checkAddress('address_return', shipment.addressReturn) : []),
    ...checkParcels(shipment?.parcels, parcels),
  ];
}
