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

/** What ShipStation requires of every address (`address`: name, line 1, city, state, postal code; and a country). */
const REQUIRED: Array<keyof PortAddress> = ['name', 'street1', 'city', 'state', 'zip', 'country'];

function checkAddress(side: AddressSide, address: PortAddress | undefined, problems: ValidationProblem[]): void {
  // ShipStation's ship_from also requires a phone number.
  problems.push(...checkAddressFields(side, address, side === 'address_from' ? [...REQUIRED, 'phone'] : REQUIRED));
  const country = typeof address?.country === 'string' ? address.country.trim() : '';
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
  problems.push(...checkParcels(shipment?.parcels, { units: true }));
  return problems;
}
