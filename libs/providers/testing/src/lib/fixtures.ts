import type { PortAddress, PortParcel, PortShipment } from '@shipbatch/providers/core';

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
