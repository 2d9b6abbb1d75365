/** Request bodies for the fake Shippo's own specs, in Shippo's shapes (numbers as strings). */
type Json = Record<string, unknown>;

export function aShippoAddress(overrides: Json = {}): Json {
  return { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US', ...overrides };
}

export function aShippoShipment(overrides: Json = {}): Json {
  return {
    address_from: aShippoAddress({ name: 'Shippo Warehouse', street1: '215 Clayton St.', zip: '94117' }),
    address_to: aShippoAddress(),
    parcels: [{ length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' }],
    ...overrides,
  };
}

export function aShippoTransactionRequest(input: { carrierAccount: string; metadata?: string; servicelevel?: string; labelFileType?: string; shipment?: Json }): Json {
  return {
    shipment: input.shipment ?? aShippoShipment(),
    carrier_account: input.carrierAccount,
    servicelevel_token: input.servicelevel ?? 'usps_priority',
    label_file_type: input.labelFileType ?? 'PDF_4x6',
    metadata: input.metadata ?? 'ref-1',
    async: false,
  };
}
