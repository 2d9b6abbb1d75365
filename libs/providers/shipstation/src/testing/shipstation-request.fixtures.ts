/** Request bodies in ShipStation v2 (ShipEngine) shapes, for specs that talk to the fake. */

export interface ShipStationLabelRequestInput {
  carrierId?: string;
  serviceCode?: string;
  externalShipmentId?: string;
  labelFormat?: 'pdf' | 'png' | 'zpl';
  labelLayout?: '4x6' | 'letter' | 'A4' | 'A6';
  weightOunces?: number;
}

export function aShipStationShipTo(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'Mr Hippo', address_line1: '965 Mission St', city_locality: 'San Francisco', state_province: 'CA', postal_code: '94103', country_code: 'US', address_residential_indicator: 'no', ...overrides };
}

export function aShipStationShipFrom(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'Shipbatch Warehouse', company_name: 'Shipbatch', phone: '555-555-0100', address_line1: '1 Market St', city_locality: 'San Francisco', state_province: 'CA', postal_code: '94105', country_code: 'US', ...overrides };
}

let made = 0;

/**
 * A create_label body that conforms to the spec (shipment with ship_to, ship_from, one package),
 * under a new external_shipment_id unless one is given (ShipStation keeps it unique per account).
 */
export function aShipStationLabelRequest(input: ShipStationLabelRequestInput = {}): Record<string, unknown> {
  return {
    shipment: {
      carrier_id: input.carrierId ?? 'se-123',
      service_code: input.serviceCode ?? 'usps_priority_mail',
      external_shipment_id: input.externalShipmentId ?? `ship-${String((made += 1)).padStart(4, '0')}`,
      ship_to: aShipStationShipTo(),
      ship_from: aShipStationShipFrom(),
      packages: [{ weight: { value: input.weightOunces ?? 12, unit: 'ounce' }, dimensions: { unit: 'inch', length: 10, width: 6, height: 4 } }],
    },
    label_format: input.labelFormat ?? 'pdf',
    label_layout: input.labelLayout ?? '4x6',
  };
}

/** An estimate_rates body as ShipStation takes it (`carrier_ids`, the route, one package's weight and dimensions). */
export function aShipStationRateEstimateRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    carrier_ids: ['se-123'],
    from_country_code: 'US',
    from_postal_code: '94105',
    from_city_locality: 'San Francisco',
    from_state_province: 'CA',
    to_country_code: 'US',
    to_postal_code: '94103',
    to_city_locality: 'San Francisco',
    to_state_province: 'CA',
    weight: { value: 12, unit: 'ounce' },
    dimensions: { unit: 'inch', length: 10, width: 6, height: 4 },
    ship_date: '2026-01-15T00:00:00Z',
    ...overrides,
  };
}
