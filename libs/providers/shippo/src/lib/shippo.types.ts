/** The parts of Shippo's API (2018-02-08, shippo-public-api.yaml) the adapter sends and reads. */

export interface ShAddress {
  name?: string;
  company?: string;
  street1?: string;
  street2?: string;
  city?: string;
  state?: string;
  zip?: string;
  country: string;
  phone?: string;
  email?: string;
  is_residential?: boolean;
}

/** Numbers as strings, as Shippo's ParcelCreateRequest declares them. */
export interface ShParcel {
  length: string;
  width: string;
  height: string;
  distance_unit: string;
  weight: string;
  mass_unit: string;
}

export interface ShShipment {
  address_from: ShAddress;
  address_to: ShAddress;
  address_return?: ShAddress;
  parcels: ShParcel[];
  shipment_date?: string;
}

export interface ShInstantTransactionRequest {
  shipment: ShShipment;
  carrier_account: string;
  servicelevel_token: string;
  label_file_type: string;
  metadata: string;
  async: boolean;
}

export interface ShMessage {
  source?: string;
  code?: string;
  text?: string;
}

export interface ShCoreRate {
  object_id?: string;
  amount?: string;
  currency?: string;
  servicelevel_token?: string;
  carrier_account?: string;
}

export interface ShRate {
  object_id: string;
  amount: string;
  currency: string;
  servicelevel?: { token?: string; name?: string };
  carrier_account?: string;
}

export type ShTransactionStatus = 'WAITING' | 'QUEUED' | 'SUCCESS' | 'ERROR' | 'REFUNDED' | 'REFUNDPENDING' | 'REFUNDREJECTED';

export interface ShTransaction {
  object_id: string;
  status?: ShTransactionStatus;
  object_created?: string;
  metadata?: string;
  tracking_number?: string;
  label_url?: string;
  label_file_type?: string;
  messages?: ShMessage[];
  rate?: ShCoreRate | string;
}

export interface ShPage<T> {
  results?: T[];
  next?: string | null;
  count?: number;
}

export interface ShRefund {
  object_id?: string;
  status?: 'QUEUED' | 'PENDING' | 'SUCCESS' | 'ERROR';
  transaction?: string;
}

export interface ShBatchShipmentRequest {
  shipment: ShShipment;
  servicelevel_token?: string;
  carrier_account?: string;
  metadata?: string;
}

export interface ShBatchRequest {
  default_carrier_account: string;
  default_servicelevel_token: string;
  label_filetype: string;
  metadata: string;
  batch_shipments: ShBatchShipmentRequest[];
}

export interface ShBatchShipment {
  object_id: string;
  status: 'VALID' | 'INVALID' | 'INCOMPLETE' | 'TRANSACTION_FAILED';
  metadata?: string;
  messages?: ShMessage[];
  transaction?: string | null;
}

export interface ShBatch {
  object_id: string;
  status: 'VALIDATING' | 'VALID' | 'INVALID' | 'PURCHASING' | 'PURCHASED';
  metadata?: string;
  batch_shipments?: ShPage<ShBatchShipment>;
}
