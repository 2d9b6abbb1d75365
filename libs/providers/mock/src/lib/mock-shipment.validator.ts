import { checkAddressFields, checkParcels, checkUsZip, type PortAddress, type PortShipment, type ValidationProblem } from '@shipbatch/providers/core';
import { MOCK_PRICES_CENTS } from './mock-catalog';

const REQUIRED: Array<keyof PortAddress> = ['street1', 'city', 'zip', 'country'];
function checkAddress(side: 'address_from' | 'address_to', address: PortAddress | undefined, problems: ValidationProblem[]): void {
  problems.push(...checkAddressFields(side, address, REQUIRED), ...checkUsZip(side, address));
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

  problems.push(...checkParcels(shipment?.parcels));
  return problems;
}
