import {
  type AddressSide,
  checkAddressFields,
  checkCountryCode,
  checkShipment,
  checkUsZip,
  type PortAddress,
  type PortShipment,
  type ValidationProblem,
} from '@shipbatch/providers/core';

/** What Shippo marks "required for purchase" on every address; a state also for the US, Canada and Australia. */
const REQUIRED: Array<keyof PortAddress> = ['name', 'street1', 'city', 'zip', 'country'];
const STATE_COUNTRIES = new Set(['US', 'CA', 'AU']);

function checkAddress(side: AddressSide, address: PortAddress | undefined): ValidationProblem[] {
  const country = typeof address?.country === 'string' ? address.country.trim().toUpperCase() : '';
  return [
    ...checkAddressFields(side, address, STATE_COUNTRIES.has(country) ? [...REQUIRED, 'state'] : REQUIRED),
    ...checkCountryCode(side, address),
    ...checkUsZip(side, address),
  ];
}

/**
 * What Shippo requires of a shipment before a label can be bought, checked locally (no
 * request): both addresses complete, a return address complete when given, at least one parcel
 * with positive dimensions and weight in known units. Problems are data, never thrown.
 */
export function validateShippoShipment(shipment: PortShipment | undefined): ValidationProblem[] {
  return checkShipment(shipment, checkAddress, { units: true });
}
