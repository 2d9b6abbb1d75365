import type { AddressInput, ParcelInput } from './shipment-input';

export interface AddressRecord extends AddressInput {
  id: string;
  tenantId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ParcelRecord extends ParcelInput {
  id: string;
  tenantId: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A bought label: Shippo's transaction and ShipStation's label are the same row. */
export interface LabelRecord {
  id: string;
  tenantId: string;
  batchId: string | null;
  batchShipmentId: string | null;
  shipmentId: string | null;
  carrierAccountId: string;
  provider: string;
  providerLabelId: string;
  status: 'completed' | 'voided';
  trackingNumber: string;
  carrier: string;
  serviceCode: string;
  costMinor: number;
  currency: string;
  labelFileType: string;
  fileUrl: string | null;
  warehouseId: string | null;
  externalShipmentId: string | null;
  isInternational: boolean;
  isReturnLabel: boolean;
  shipDate: Date | null;
  voidedAt: Date | null;
  metadata: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface AddressRepository {
  insert(record: AddressRecord): Promise<void>;
  findById(tenantId: string, id: string): Promise<AddressRecord | null>;
}

export interface ParcelRepository {
  insert(record: ParcelRecord): Promise<void>;
  findById(tenantId: string, id: string): Promise<ParcelRecord | null>;
}

export interface LabelRepository {
  findById(tenantId: string, id: string): Promise<LabelRecord | null>;
}

export const ADDRESS_REPOSITORY = Symbol('ADDRESS_REPOSITORY');
export const PARCEL_REPOSITORY = Symbol('PARCEL_REPOSITORY');
export const LABEL_REPOSITORY = Symbol('LABEL_REPOSITORY');
