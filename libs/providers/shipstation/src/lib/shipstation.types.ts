/**
 * The ShipStation API v2 (ShipEngine) shapes this adapter sends and reads, as ShipEngine's
 * published OpenAPI description names them (the part kept in `openapi/shipstation.openapi.json`).
 * Only the fields used here.
 */
export interface SsAddress {
  name: string;
  phone?: string;
  email?: string;
  company_name?: string;
  address_line1: string;
  address_line2?: string;
  city_locality: string;
  state_province: string;
  postal_code: string;
  country_code: string;
  address_residential_indicator?: 'unknown' | 'yes' | 'no';
}

export type SsWeightUnit = 'pound' | 'ounce' | 'gram' | 'kilogram';
export type SsDimensionUnit = 'inch' | 'centimeter';

export interface SsPackage {
  weight: { value: number; unit: SsWeightUnit };
  dimensions: { length: number; width: number; height: number; unit: SsDimensionUnit };
  insured_value?: { amount: number; currency: string };
}

/** A shipment's extra services as ShipStation takes them (see shipstation-extra.mapper). */
export interface SsShipmentOptions {
  confirmation?: 'signature' | 'adult_signature';
  insurance_provider?: 'shipsurance' | 'carrier';
  advanced_options?: { custom_field1?: string; custom_field2?: string; saturday_delivery?: boolean };
  /** Goes on the first package, not on the shipment. */
  insured_value?: { amount: number; currency: string };
}

export type SsLabelFormat = 'pdf' | 'png' | 'zpl';
export type SsLabelLayout = '4x6' | 'letter' | 'A4' | 'A6';

export interface SsShipmentRequest extends Omit<SsShipmentOptions, 'insured_value'> {
  carrier_id: string;
  service_code: string;
  external_shipment_id?: string;
  ship_date?: string;
  ship_to: SsAddress;
  ship_from: SsAddress;
  return_to?: SsAddress;
  packages: SsPackage[];
}

export interface SsCreateLabelRequest {
  shipment: SsShipmentRequest;
  label_format: SsLabelFormat;
  label_layout: SsLabelLayout;
  label_download_type: 'url';
}

/** `POST /v2/labels/shipment/{shipment_id}`: the label of a shipment that exists already. */
export interface SsCreateLabelFromShipmentRequest {
  label_format: SsLabelFormat;
  label_layout: SsLabelLayout;
  label_download_type: 'url';
}

export interface SsMonetaryValue {
  currency: string;
  amount: number;
}

export interface SsLabelDownload {
  href?: string;
  pdf?: string;
  png?: string;
  zpl?: string;
}

/** A label as `POST /v2/labels` and `GET /v2/labels/external_shipment_id/{id}` answer it. */
export interface SsLabel {
  label_id: string;
  status?: 'processing' | 'completed' | 'error' | 'voided';
  external_shipment_id?: string | null;
  created_at: string;
  shipment_cost: SsMonetaryValue;
  insurance_cost?: SsMonetaryValue;
  tracking_number: string;
  carrier_id?: string;
  carrier_code?: string;
  service_code?: string;
  voided?: boolean;
  label_format?: SsLabelFormat;
  label_layout?: SsLabelLayout;
  label_download?: SsLabelDownload;
}

export interface SsVoidAnswer {
  approved: boolean;
  message: string;
  reason_code?: string;
}

export interface SsCarrier {
  carrier_id?: string;
  carrier_code?: string;
  balance?: number;
}

export interface SsService {
  service_code?: string;
  name?: string;
}

/** `POST /v2/rates/estimate`: one package between two places, for the carriers named. */
export interface SsRateEstimateRequest {
  carrier_ids: string[];
  from_country_code: string;
  from_postal_code: string;
  from_city_locality: string;
  from_state_province: string;
  to_country_code: string;
  to_postal_code: string;
  to_city_locality: string;
  to_state_province: string;
  weight: SsPackage['weight'];
  dimensions?: SsPackage['dimensions'];
  address_residential_indicator?: 'unknown' | 'yes' | 'no';
  ship_date: string;
}

/** One service's estimate in the answer (an array, one per service of each carrier). */
export interface SsRateEstimate {
  carrier_id?: string;
  service_code?: string;
  shipping_amount?: SsMonetaryValue;
  insurance_amount?: SsMonetaryValue;
  confirmation_amount?: SsMonetaryValue;
  other_amount?: SsMonetaryValue;
  tax_amount?: SsMonetaryValue;
  validation_status?: string;
  error_messages?: string[];
}

export interface SsAddressValidationResult {
  status: 'unverified' | 'verified' | 'warning' | 'error';
  messages: Array<{ code: string; message: string; type: 'error' | 'warning' | 'info'; detail_code: string | null }>;
}

/** ShipStation's error answer: `{request_id, errors: [...]}`. */
export interface SsErrorBody {
  request_id?: string;
  errors?: Array<{ error_source?: string; error_type?: string; error_code?: string; message?: string; field_name?: string }>;
}
