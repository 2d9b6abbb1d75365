/**
 * A shipment as the client sent it (Shippo's shape): each address or parcel is an object id
 * or an inline object. Kept verbatim until validation resolves it.
 */
export interface AddressInput {
  name?: string;
  company?: string;
  street1?: string;
  street2?: string;
  street3?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
  phone?: string;
  email?: string;
  is_residential?: boolean;
  metadata?: string;
}

export interface ParcelInput {
  length: string;
  width: string;
  height: string;
  distance_unit: string;
  weight: string;
  mass_unit: string;
  metadata?: string;
}

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
}

export interface BatchShipmentInput {
  shipment: ShipmentInput;
  carrier_account?: string | null;
  servicelevel_token?: string | null;
  metadata?: string;
}
