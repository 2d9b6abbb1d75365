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

/** What ShipStation requires of every address (`address`: name, line 1, city, state, postal code; and a country). */
const REQUIRED: Array<keyof PortAddress> = ['name', 'street1', 'city', 'state', 'zip', 'country'];

function checkAddress(side: AddressSide, address: PortAddress | undefined): ValidationProblem[] {
  return [
    // ShipStation's ship_from also requires a phone number.
    ...checkAddressFields(side, address, side === 'address_from' ? [...REQUIRED, 'phone'] : REQUIRED),
    ...checkCountryCode(side, address),
    ...checkUsZip(side, address),
  ];
}

/**
 * What ShipStation API v2 requires of a shipment before a label can be bought, checked locally
 * (no request): both addresses complete (the sender with a phone number), a return address
 * complete when given, at least one parcel with positive dimensions and weight in known units.
 * Problems are data, never thrown, even for content that is missing altogether.
 */
export function validateShipStationShipment(shipment: PortShipment | undefined): ValidationProblem[] {
  return checkShipment(shipment, checkAddress, { units: true });
}
