import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { LABEL_STATUSES } from '@shipbatch/shipping/domain';
import { component, nullableDateTime, nullableObject, nullableStr, nullableUrl, str, url } from '../openapi/schema.builders';
import { MONEY_SCHEMA } from './money.schema';

const LINK_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['href'],
  properties: { href: url(), type: str() },
};

const ALTERNATIVE_IDENTIFIER_SCHEMA = component('AlternativeIdentifier', {
  type: 'object',
  required: ['type', 'value'],
  properties: { type: str(), value: str() },
});

/** ShipStation's label layouts (one for each of Shippo's label file types). */
export const LABEL_LAYOUTS = ['4x6', 'letter', '2.3x7.5', '4x8', 'A4', 'A5', 'A6'] as const;
/** ShipStation's tracking statuses; Shipbatch does not track parcels, so its labels say `unknown`. */
export const LABEL_TRACKING_STATUSES = ['unknown', 'in_transit', 'error', 'delivered'] as const;

export const LABEL_DOWNLOAD_SCHEMA = component('LabelDownload', {
  type: 'object',
  description: 'signed, expiring links; only the format the label was bought in has a file; {} when there is none',
  properties: { href: url(), pdf: url(), png: url(), zpl: url() },
});

export const LABEL_PACKAGE_SCHEMA = component('LabelPackage', {
  type: 'object',
  required: [
    'package_id',
    'package_code',
    'weight',
    'dimensions',
    'insured_value',
    'tracking_number',
    'label_download',
    'form_download',
    'qr_code_download',
    'paperless_download',
    'label_messages',
    'external_package_id',
    'content_description',
    'sequence',
    'has_label_documents',
    'has_form_documents',
    'has_qr_code_documents',
    'has_paperless_label_documents',
    'alternative_identifiers',
  ],
  properties: {
    package_id: { type: 'integer', nullable: true, description: 'null: packages have no id of their own here' },
    package_code: str('package: a custom or unknown package type'),
    weight: { type: 'object', nullable: true, description: 'null: the label does not record the parcel’s weight' },
    dimensions: { type: 'object', nullable: true, description: 'null: the label does not record the parcel’s dimensions' },
    insured_value: MONEY_SCHEMA,
    tracking_number: str(),
    label_download: LABEL_DOWNLOAD_SCHEMA,
    form_download: { ...LINK_SCHEMA, nullable: true },
    qr_code_download: { ...LINK_SCHEMA, nullable: true },
    paperless_download: { type: 'object', nullable: true },
    label_messages: {
      type: 'object',
      required: ['reference1', 'reference2', 'reference3'],
      properties: { reference1: nullableStr(), reference2: nullableStr(), reference3: nullableStr() },
    },
    external_package_id: nullableStr(),
    content_description: nullableStr(),
    sequence: { type: 'integer', minimum: 1 },
    has_label_documents: { type: 'boolean' },
    has_form_documents: { type: 'boolean' },
    has_qr_code_documents: { type: 'boolean' },
    has_paperless_label_documents: { type: 'boolean' },
    alternative_identifiers: { type: 'array', items: ALTERNATIVE_IDENTIFIER_SCHEMA },
  },
});


/** The fields of a label, in the order the seed's "Get Label by ID" example lists them. */
export const LABEL_FIELDS = [
  'label_id',
  'status',
  'shipment_id',
  'external_shipment_id',
  'ship_date',
  'created_at',
  'shipment_cost',
  'insurance_cost',
  'requested_comparison_amount',
  'rate_details',
  'tracking_number',
  'is_return_label',
  'rma_number',
  'is_international',
  'batch_id',
  'carrier_id',
  'charge_event',
  'service_code',
  'package_code',
  'voided',
  'voided_at',
  'label_format',
  'display_scheme',
  'label_layout',
  'trackable',
  'label_image_id',
  'carrier_code',
  'tracking_status',
  'label_download',
  'form_download',
  'paperless_download',
  'insurance_claim',
  'packages',
  'alternative_identifiers',
  'tracking_url',
] as const;

/** ShipStation's label (v2) plus `external_shipment_id`: every field of the seed's "Get Label by ID" example. */
export const LABEL_SCHEMA = component('Label', {
  type: 'object',
  required: [...LABEL_FIELDS],
  properties: {
    label_id: str(),
    status: { type: 'string', enum: [...LABEL_STATUSES] },
    shipment_id: nullableStr(),
    external_shipment_id: nullableStr('the id the caller gave the shipment, or null'),
    ship_date: nullableDateTime(),
    created_at: nullableDateTime(),
    shipment_cost: MONEY_SCHEMA,
    insurance_cost: MONEY_SCHEMA,
    requested_comparison_amount: nullableObject(MONEY_SCHEMA, 'null: no comparison rate is requested'),
    rate_details: {
      type: 'array',
      items: {
        type: 'object',
        required: ['rate_detail_type', 'carrier_description', 'carrier_billing_code', 'carrier_memo', 'amount', 'billing_source'],
        properties: {
          rate_detail_type: str(),
          carrier_description: nullableStr(),
          carrier_billing_code: nullableStr(),
          carrier_memo: nullableStr(),
          amount: MONEY_SCHEMA,
          billing_source: str(),
        },
      },
    },
    tracking_number: str(),
    is_return_label: { type: 'boolean' },
    rma_number: nullableStr('null: no RMA number is recorded'),
    is_international: { type: 'boolean' },
    batch_id: str('the batch the label was bought in, "" when none'),
    carrier_id: str('the carrier account object id'),
    charge_event: { type: 'string', enum: ['carrier_default', 'on_creation', 'on_carrier_acceptance'] },
    service_code: str(),
    package_code: str(),
    voided: { type: 'boolean' },
    voided_at: nullableDateTime(),
    label_format: { type: 'string', enum: ['pdf', 'png', 'zpl'] },
    display_scheme: { type: 'string', enum: ['label', 'qr_code', 'label_and_qr_code', 'paperless', 'label_and_paperless'] },
    label_layout: { type: 'string', enum: [...LABEL_LAYOUTS] },
    trackable: { type: 'boolean' },
    label_image_id: nullableStr('null: no custom label image is used'),
    carrier_code: str(),
    tracking_status: { type: 'string', enum: [...LABEL_TRACKING_STATUSES], description: 'unknown (tracking is not followed)' },
    label_download: LABEL_DOWNLOAD_SCHEMA,
    form_download: { ...LINK_SCHEMA, nullable: true },
    paperless_download: { type: 'object', nullable: true, description: 'null: labels are not paperless' },
    insurance_claim: { ...LINK_SCHEMA, nullable: true },
    packages: { type: 'array', items: LABEL_PACKAGE_SCHEMA, description: 'the label’s package (one a label)' },
    alternative_identifiers: { type: 'array', nullable: true, items: ALTERNATIVE_IDENTIFIER_SCHEMA },
    tracking_url: nullableUrl('null: no tracking link is known'),
  },
});
