import type { AddressRecord } from './address.repository';
import type { Page, PageRequest } from '../common/page';
import type { ParcelRecord } from './parcel.repository';

/**
 * A shipment as validation stored it: its addresses and parcels resolved to objects (ids given
 * in the request and inline objects alike). Addresses that no longer resolve are null.
 */
export interface ShipmentRecord {
  id: string;
  tenantId: string;
  addressFrom: AddressRecord | null;
  addressTo: AddressRecord | null;
  addressReturn: AddressRecord | null;
  parcels: ParcelRecord[];
  objectPurpose: string;
  shipmentDate: Date | null;
  metadata: string;
  externalShipmentId: string | null;
  /** Extra services as sent (Shippo's ShipmentExtra); `{}` when none. */
  extra: Record<string, unknown>;
  createdAt: Date;
}

export interface ShipmentRepository {
  findById(tenantId: string, id: string): Promise<ShipmentRecord | null>;
  /** The tenant's shipments, newest first, with the exact total. */
  list(tenantId: string, page: PageRequest): Promise<Page<ShipmentRecord>>;
}
