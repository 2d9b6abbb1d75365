import type { ShippoAddress, ShippoParcel } from '@shipbatch/providers/core';

/**
 * A shipment as the client sent it (Shippo's shape): each address or parcel is an object id
 * or an inline object. Kept verbatim until validation resolves it. The inline address and
 * parcel are Shippo's spellings, declared once in providers/core.
 */
export type AddressInput = ShippoAddress;

export type ParcelInput = ShippoParcel;

export type Ref<T> = string | T;

export interface ShipmentInput {
  object_purpose?: string;
  address_from: Ref<AddressInput>;
  address_to: Ref<AddressInput>;
  address_return?: Ref<AddressInput>;
  parcels?: Ref<ParcelInput>[];
  parcel?: Ref<ParcelInput>;
  shipment_date?: string;
  metadata?: string;
  external_shipment_id?: string;
  /** Extra services in Shippo's vocabulary (ShipmentExtra), kept as sent; checked against the provider's declared options. */
  extra?: Record<string, unknown>;
}

export interface BatchShipmentInput {
  shipment: ShipmentInput;
  carrier_account?: string | null;
  servicelevel_token?: string | null;
  metadata?: string;
}
