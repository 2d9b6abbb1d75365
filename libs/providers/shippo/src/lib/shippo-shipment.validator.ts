import {
  type AddressSide,
  ADDRESS_OWNER,
  checkAddressFields,
  checkParcels,
  checkUsZip,
  type PortAddress,
  type PortShipment,
  type ValidationProblem,
} from '@shipbatch/providers/core';

/** What Shippo marks "required for purchase" on every address; a state also for the US, Canada and Australia. */
const REQUIRED: Array<keyof PortAddress> = ['name', 'street1', 'city', 'zip', 'country'];
const STATE_COUNTRIES = new Set(['US', 'CA', 'AU']);

function checkAddress(side: AddressSide, address: PortAddress | undefined, problems: ValidationProblem[]): void {
  const country = typeof address?.country === 'string' ? address.country.trim() : '';
  problems.push(...checkAddressFields(side, address, STATE_COUNTRIES.has(country.toUpperCase()) ? [...REQUIRED, 'state'] : REQUIRED));
  if (country && !/^[A-Za-z]{2}$/.test(country)) {
    problems.push({
      field: `${side}.country`,
      code: 'country_invalid',
      text: `The ${ADDRESS_OWNER[side]} country '${country}' is not a two-letter ISO country code (e.g. US).`,
      severity: 'INVALID',
    });
  }
  problems.push(...checkUsZip(side, address));
}

/**
 * What Shippo requires of a shipment before a label can be bought, checked locally (no
 * request): both addresses complete, a return address complete when given, at least one parcel
 * with positive dimensions and weight in known units. Problems are data, never thrown.
 */
export function validateShippoShipment(shipment: PortShipment | undefined): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  checkAddress('address_from', shipment?.addressFrom, problems);
  checkAddress('address_to', shipment?.addressTo, problems);
  if (shipment?.addressReturn) checkAddress('address_return', shipment.addressReturn, problems);
  problems.push(...checkParcels(shipment?.parcels, { units: true }));
  return problems;
}
