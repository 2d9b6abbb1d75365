/**
 * The shapes of ShipStation API v2's batch path (shipments in bulk, warehouses, batches, their
 * errors, labels listed by batch), as ShipEngine's published OpenAPI description names them (the
 * part kept in `openapi/shipstation.openapi.json`). Only the fields used here.
 */
import type { SsAddress, SsLabel, SsLabelFormat, SsLabelLayout, SsPackage, SsShipmentOptions } from './shipstation.types';

/**
 * One shipment of `POST /v2/shipments` (`address_validating_shipment`). A shipment meant for a
 * batch names its `warehouse_id` instead of `ship_from` (ShipStation's batch requirement).
 */
export interface SsShipmentCreate extends Omit<SsShipmentOptions, 'insured_value'> {
  validate_address: 'no_validation';
  carrier_id: string;
  service_code: string;
  /** Our reference; ShipStation keeps it unique per account and refuses a second shipment with it. */
  external_shipment_id: string;
  warehouse_id: string;
  ship_date?: string;
  ship_to: SsAddress;
  return_to?: SsAddress;
  packages: SsPackage[];
}

export interface SsCreateShipmentsRequest {
  shipments: SsShipmentCreate[];
}

/** A shipment as ShipStation answers it (created in bulk, got by external id, listed). */
export interface SsShipment {
  shipment_id: string;
  carrier_id?: string;
  service_code?: string;
  external_shipment_id?: string | null;
  warehouse_id?: string | null;
  created_at?: string;
  shipment_status?: 'pending' | 'processing' | 'label_purchased' | 'cancelled';
  /** Only in a create answer: what went wrong with this shipment (ShipStation's text). */
  errors?: string[] | null;
}

/** `POST /v2/shipments`: `has_errors` when any shipment of the request failed. */
export interface SsCreateShipmentsAnswer {
  has_errors: boolean;
  shipments: SsShipment[];
}

export interface SsOptionalLink {
  href?: string;
  type?: string;
}

export interface SsPaginationLinks {
  first?: SsOptionalLink;
  last?: SsOptionalLink;
  prev?: SsOptionalLink;
  next?: SsOptionalLink;
}

/** `GET /v2/shipments`. */
export interface SsListShipmentsAnswer {
  shipments: SsShipment[];
  total: number;
  page: number;
  pages: number;
  links?: SsPaginationLinks;
}

export interface SsListShipmentsQuery {
  created_at_start?: string;
  shipment_status?: SsShipment['shipment_status'];
  batch_id?: string;
  page?: number;
  page_size?: number;
  sort_by?: 'created_at' | 'modified_at';
  sort_dir?: 'asc' | 'desc';
}

/** A warehouse (ship-from location): `origin_address` is where rates are counted from, `return_address` is printed on the label. */
export interface SsWarehouse {
  warehouse_id: string;
  name: string;
  created_at?: string;
  is_default?: boolean | null;
  origin_address: SsAddress;
  return_address?: SsAddress;
}

export interface SsCreateWarehouseRequest {
  name: string;
  is_default: false;
  origin_address: SsAddress;
  return_address: SsAddress;
}

/**
 * A batch's status: `open` (made, not processed), `queued` and `processing` (labels being
 * bought), `notifying` (telling order sources), `completed`, `completed_with_errors`,
 * `invalid` (cannot be processed), `archived`.
 */
export type SsBatchStatus = 'open' | 'queued' | 'processing' | 'completed' | 'completed_with_errors' | 'archived' | 'notifying' | 'invalid';

/** One of ShipStation's error objects, as in an error answer or a batch's `process_errors`. */
export interface SsErrorItem {
  error_source?: string;
  error_type?: string;
  error_code?: string;
  message?: string;
  field_name?: string;
}

/** A batch as `POST /v2/batches` and the `GET /v2/batches/...` reads answer it. */
export interface SsBatch {
  batch_id: string;
  batch_number?: string;
  external_batch_id?: string | null;
  status: SsBatchStatus;
  created_at?: string;
  processed_at?: string | null;
  /** Shipments that failed. */
  errors: number;
  warnings?: number;
  /** Labels made. */
  completed: number;
  /** errors + warnings + completed. */
  count: number;
  label_format?: SsLabelFormat | null;
  label_layout?: SsLabelLayout | null;
  /** Batch-level errors (with codes), when processing the batch as a whole failed. */
  process_errors?: SsErrorItem[] | null;
}

/** `POST /v2/batches`: every field optional; shipments may be added later. */
export interface SsCreateBatchRequest {
  external_batch_id: string;
  batch_notes?: string;
  shipment_ids: string[];
}

/** `POST /v2/batches/{id}/process/labels`: one format and layout for every label of the batch. */
export interface SsProcessBatchRequest {
  label_format: SsLabelFormat;
  label_layout: SsLabelLayout;
  ship_date?: string;
}

/** One shipment's failure in `GET /v2/batches/{id}/errors`: ShipStation's text only, no code. */
export interface SsBatchError {
  error?: string;
  shipment_id?: string;
  external_shipment_id?: string;
}

export interface SsBatchErrorsAnswer {
  errors: SsBatchError[];
  links?: SsPaginationLinks;
}

/** A label as `GET /v2/labels` lists it (the single-label shape, with the shipment it was made for). */
export interface SsListedLabel extends SsLabel {
  shipment_id?: string;
  batch_id?: string;
}

/** `GET /v2/labels`. */
export interface SsListLabelsAnswer {
  labels: SsListedLabel[];
  total?: number;
  page?: number;
  pages?: number;
  links?: SsPaginationLinks;
}
