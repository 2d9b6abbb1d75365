/** The parts of Shippo's API (2018-02-08, shippo-public-api.yaml) the adapter sends and reads. */
import type { ShippoAddress, ShippoParcel } from '@shipbatch/providers/core';

/**
 * Shippo's AddressCreateRequest. Its spelling is providers/core's ShippoAddress (the service's API
 * takes addresses in it too); Shippo's own description requires `country`.
 */
export type ShAddress = ShippoAddress & Required<Pick<ShippoAddress, 'country'>>;

/** Shippo's ParcelCreateRequest: numbers as decimal strings (providers/core's ShippoParcel). */
export type ShParcel = ShippoParcel;

export interface ShShipment {
  address_from: ShAddress;
  address_to: ShAddress;
  address_return?: ShAddress;
  parcels: ShParcel[];
  shipment_date?: string;
  /** Shippo's ShipmentExtra, as the client sent it. */
  extra?: Record<string, unknown>;
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

/**
 * Money as Shippo prints it: a decimal string in major units (`"7.58"`) and an upper-case currency.
 * It stays Shippo's wire shape (the port's MoneyAmount is integer minor units); `toMoney` converts.
 */
export interface ShMoney {
  amount: string;
  currency: string;
}

/** The rate inside a transaction (CoreRate): every field may be missing. */
export interface ShCoreRate extends Partial<ShMoney> {
  object_id?: string;
  servicelevel_token?: string;
  carrier_account?: string;
}

export interface ShRate extends ShMoney {
  object_id: string;
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
