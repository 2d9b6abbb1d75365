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

/** What ShipStation v1's Address needs for a label: name, street, city, state, postal code, country. */
const REQUIRED: Array<keyof PortAddress> = ['name', 'street1', 'city', 'state', 'zip', 'country'];

function checkAddress(side: AddressSide, address: PortAddress | undefined): ValidationProblem[] {
  return [...checkAddressFields(side, address, REQUIRED), ...checkCountryCode(side, address), ...checkUsZip(side, address)];
}

/**
 * What ShipStation v1 requires of a shipment before a label can be bought, checked locally (no
 * request): both addresses complete, exactly one parcel (a v1 label carries one package: one
 * `weight` and one `dimensions`) with positive sizes and weight in known units. Problems are data.
 */
export function validateShipStationV1Shipment(shipment: PortShipment | undefined): ValidationProblem[] {
  const problems = checkShipment(shipment, checkAddress, { units: true });
  if (shipment && Array.isArray(shipment.parcels) && shipment.parcels.length > 1) {
    problems.push({
      field: 'parcels',
      code: 'multiple_parcels_unsupported',
      text: `ShipStation v1 labels carry one package; this shipment has ${shipment.parcels.length} parcels (make one shipment per parcel).`,
      severity: 'INVALID',
    });
  }
  return problems;
}
