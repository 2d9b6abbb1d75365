import type { ShipmentRecord } from '@shipbatch/shipping/application';
import { presentAddress } from './address.presenter';
import { iso } from './iso-date';
import { presentParcel } from './parcel.presenter';

/**
 * Shippo's shipment object for a shipment validation stored. Shipbatch rates nothing before
 * purchase, so `rates` is empty, and `status` is SUCCESS (the shipment exists and is complete).
 */
export function presentShipment(s: ShipmentRecord) {
  return {
    object_id: s.id,
    object_owner: s.tenantId,
    object_created: iso(s.createdAt),
    object_updated: iso(s.createdAt),
    status: 'SUCCESS',
    address_from: s.addressFrom ? presentAddress(s.addressFrom) : null,
    address_to: s.addressTo ? presentAddress(s.addressTo) : null,
    address_return: s.addressReturn ? presentAddress(s.addressReturn) : null,
    parcels: s.parcels.map(presentParcel),
    shipment_date: iso(s.shipmentDate),
    extra: s.extra,
    customs_declaration: null,
    carrier_accounts: [],
    rates: [],
    messages: [],
    metadata: s.metadata,
    test: false,
  };
}
