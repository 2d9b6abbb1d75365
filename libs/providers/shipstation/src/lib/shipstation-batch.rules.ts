import type { LabelFileType, PurchaseLabelCommand } from '@shipbatch/providers/core';
import { warehouseFor } from './shipstation-batch.mapper';
import { LABEL_FORMATS } from './shipstation.mapper';

/** The most shipments Shipbatch puts in one ShipStation batch (ShipStation documents no maximum; a Shipbatch batch holds at most 10,000). */
export const SHIPSTATION_MAX_BATCH_SIZE = 10_000;
/** `external_shipment_id` holds at most 50 characters (longer ones are cut, which would lose our reference). */
export const SHIPSTATION_MAX_REFERENCE_LENGTH = 50;

/**
 * Why ShipStation's batch rules keep this share of a batch out of a ShipStation batch (it is then
 * bought by single purchases), or undefined when none does:
 *
 * - one label format and layout per batch (`process/labels` takes one): the share's label file
 *   type must be one ShipStation makes (`4x6` in pdf, png or zpl, `letter` in pdf);
 * - one warehouse per batch, named by every shipment instead of `ship_from`: the share must ship
 *   from one address (and name one return address, which the warehouse carries);
 * - our reference must fit `external_shipment_id` (50 characters), or the shipment could not be
 *   found again after a lost answer;
 * - at most SHIPSTATION_MAX_BATCH_SIZE shipments.
 */
export function batchShareExclusion(labelFileType: LabelFileType, commands: readonly PurchaseLabelCommand[]): string | undefined {
  if (commands.length === 0) return 'the share has no shipments';
  if (commands.length > SHIPSTATION_MAX_BATCH_SIZE) return `a ShipStation batch holds at most ${SHIPSTATION_MAX_BATCH_SIZE} shipments here (the share has ${commands.length})`;
  if (!LABEL_FORMATS[labelFileType]) {
    return `ShipStation makes no ${labelFileType} labels (it makes ${Object.keys(LABEL_FORMATS).join(', ')})`;
  }
  const long = commands.find((c) => typeof c.reference !== 'string' || c.reference.length === 0 || c.reference.length > SHIPSTATION_MAX_REFERENCE_LENGTH);
  if (long) return `reference '${String(long.reference).slice(0, 20)}' does not fit external_shipment_id (1 to ${SHIPSTATION_MAX_REFERENCE_LENGTH} characters)`;
  const warehouses = new Set(commands.map((c) => warehouseFor(c.shipment.addressFrom, c.shipment.addressReturn).name));
  if (warehouses.size > 1) {
    return `a ShipStation batch ships from one warehouse, and the share ships from ${warehouses.size} different ship-from / return addresses`;
  }
  return undefined;
}
