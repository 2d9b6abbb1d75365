import { randomUUID } from 'node:crypto';
import type { PortAddress, PortParcel, PortShipment, PurchaseLabelCommand } from '@shipbatch/providers/core';

export function anAddress(overrides: Partial<PortAddress> = {}): PortAddress {
  return { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US', ...overrides };
}

export function aParcel(overrides: Partial<PortParcel> = {}): PortParcel {
  return { length: 10, width: 8, height: 4, distanceUnit: 'in', weight: 2, massUnit: 'lb', ...overrides };
}

export function aValidShipment(overrides: Partial<PortShipment> = {}): PortShipment {
  return {
    addressFrom: anAddress({ name: 'Shippo Warehouse', street1: '215 Clayton St.', zip: '94117' }),
    addressTo: anAddress(),
    parcels: [aParcel()],
    ...overrides,
  };
}

/** aValidShipment with a sender phone number (ShipStation's ship_from requires one). */
export function aShipmentWithSenderPhone(overrides: Partial<PortShipment> = {}): PortShipment {
  const base = aValidShipment();
  return { ...base, addressFrom: anAddress({ ...base.addressFrom, phone: '415-555-0100' }), ...overrides };
}

/** A USPS Priority purchase of aValidShipment as a PDF_4x6 label, under a fresh reference. */
export function aPurchaseCommand(overrides: Partial<PurchaseLabelCommand> = {}): PurchaseLabelCommand {
  return { reference: randomUUID(), carrier: 'usps', serviceLevelToken: 'usps_priority', shipment: aValidShipment(), labelFileType: 'PDF_4x6', ...overrides };
}
