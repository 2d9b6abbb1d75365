/**
 * The kit's own specs run it against a real description: the kept ShipEngine one of the
 * shipstation library, read as a file (the kit imports no adapter). This is a create_label body
 * that conforms to it (a shipment with ship_to, ship_from and one package). The fake
 * ShipStation's request fixtures are in `@shipbatch/providers/shipstation/testing`.
 */
export function aSampleLabelRequest(): Record<string, unknown> {
  return {
    shipment: {
      carrier_id: 'se-123',
      service_code: 'usps_priority_mail',
      external_shipment_id: 'ship-0001',
      ship_to: { name: 'Mr Hippo', address_line1: '965 Mission St', city_locality: 'San Francisco', state_province: 'CA', postal_code: '94103', country_code: 'US', address_residential_indicator: 'no' },
      ship_from: { name: 'Shipbatch Warehouse', company_name: 'Shipbatch', phone: '555-555-0100', address_line1: '1 Market St', city_locality: 'San Francisco', state_province: 'CA', postal_code: '94105', country_code: 'US' },
      packages: [{ weight: { value: 12, unit: 'ounce' }, dimensions: { unit: 'inch', length: 10, width: 6, height: 4 } }],
    },
    label_format: 'pdf',
    label_layout: '4x6',
  };
}
