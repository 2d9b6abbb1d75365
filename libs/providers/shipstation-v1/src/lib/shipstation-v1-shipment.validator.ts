import {
  type AddressSide,
  checkAddressFields,
  checkCountryCode,
  checkShipment,
  checkUsZip,
  type PortAddress,
  type ValidateShipmentCommand,
  type ValidationProblem,
} from '@shipbatch/providers/core';

/** TODO: the address fields ShipStation v1 requires before it sells a label (its API reference says which). */
const REQUIRED: Array<keyof PortAddress> = ['name', 'street1', 'city', 'zip', 'country'];

function checkAddress(side: AddressSide, address: PortAddress | undefined): ValidationProblem[] {
  return [...checkAddressFields(side, address, REQUIRED), ...checkCountryCode(side, address), ...checkUsZip(side, address)];
}

/**
 * What ShipStation v1 requires of a shipment, checked locally (no request), with the shared
 * checks of `@shipbatch/providers/core`: both addresses complete, parcels with positive sizes and
 * weight, a service level the account offers (`offered`). Problems are data, never thrown.
 */
export function validateShipStationV1Shipment(command: ValidateShipmentCommand, offered: readonly string[]): ValidationProblem[] {
  const problems = checkShipment(command.shipment, checkAddress, { units: true });
  if (!offered.includes(command.serviceLevelToken)) {
    problems.push({
      field: 'service_level',
      code: 'service_level_unknown',
      text: `Service level '${command.serviceLevelToken}' is not a ShipStation v1 ${command.carrier} service level (e.g. ${offered.slice(0, 3).join(', ') || 'none'}).`,
      severity: 'INVALID',
    });
  }
  return problems;
}
