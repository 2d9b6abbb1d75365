import type { LabelFileType, NativeBatchAdmission, PurchaseLabelCommand } from '@shipbatch/providers/core';
import { warehouseFor } from './shipstation-batch.mapper';
import { validateShipStationShipment } from './shipstation-shipment.validator';
import { LABEL_FORMATS } from './shipstation.mapper';

/** The most shipments in one ShipStation batch here (ShipStation documents no maximum; a Shipbatch batch holds at most 10,000). */
export const SHIPSTATION_MAX_BATCH_SIZE = 10_000;
/** `external_shipment_id` holds at most 50 characters (longer ones are cut, which would lose our reference). */
export const SHIPSTATION_MAX_REFERENCE_LENGTH = 50;

/**
 * Whether ShipStation's batch rules let this purchase into a ShipStation batch, and with which
 * others (`group`: shipments of one group share a batch). A refused purchase is bought alone,
 * where it fails with its message if it cannot be bought at all:
 *
 * - one label format and layout per batch (`process/labels` takes one): the label file type
 *   must be one ShipStation makes (`4x6` in pdf, png or zpl, `letter` in pdf);
 * - one warehouse per batch, named by every shipment instead of `ship_from`: the group is the
 *   warehouse (the ship-from address and the return address, which the warehouse carries);
 * - our reference must fit `external_shipment_id` (50 characters), or the shipment could not be
 *   found again after a lost answer;
 * - the shipment must be one ShipStation can take (the local checks of a single purchase: both
 *   addresses, the sender's phone, parcels) and the account's carrier.
 */
export function admitToBatch(labelFileType: LabelFileType, command: PurchaseLabelCommand, carrier: string): NativeBatchAdmission {
  if (!LABEL_FORMATS[labelFileType]) return { refused: `ShipStation makes no ${labelFileType} labels (it makes ${Object.keys(LABEL_FORMATS).join(', ')})` };
  const { reference } = command;
  if (typeof reference !== 'string' || reference.length === 0 || reference.length > SHIPSTATION_MAX_REFERENCE_LENGTH) {
    return { refused: `the reference does not fit external_shipment_id (1 to ${SHIPSTATION_MAX_REFERENCE_LENGTH} characters)` };
  }
  if (command.carrier !== carrier) return { refused: `the shipment's carrier ${command.carrier} is not the account's (${carrier})` };
  const problems = validateShipStationShipment(command.shipment);
  // One reason for all of them (the router logs each reason once); the single purchase names each problem.
  if (problems.length > 0) return { refused: 'ShipStation cannot take the shipment as it is (bought alone, where its problems are named)' };
  return { group: warehouseFor(command.shipment.addressFrom, command.shipment.addressReturn).name };
}
