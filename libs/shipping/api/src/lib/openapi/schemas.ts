import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { LABEL_FILE_TYPES } from '@shipbatch/providers/core';
import {
  BATCH_SHIPMENT_STATUSES,
  BATCH_STATUSES,
  LABEL_STATUSES,
  WEBHOOK_DELIVERY_STATES,
  WEBHOOK_EVENTS,
} from '@shipbatch/shipping/domain';

/**
 * The answers of the public API as OpenAPI 3.0 schemas, the single description of what each
 * route returns: the controllers reference them in their `@ApiResponse` decorators, and the
 * end-to-end suite validates every answer it receives against `/docs-json`.
 *
 * A schema marked with `x-component` is published once under `components.schemas` (named by
 * it) and referenced from every operation that answers it; `hoistComponents` in
 * `@shipbatch/app/composition` does that when the document is built.
 *
 * Rules: `required` lists what is always present; `nullable` where null happens; objects stay
 * open (`additionalProperties` unset) so adding a field is not a breaking change.
 */
export type Schema = SchemaObject & { 'x-component'?: string };

const component = (name: string, schema: SchemaObject): Schema => ({ ...schema, 'x-component': name, title: name });

const str = (description?: string): SchemaObject => (description ? { type: 'string', description } : { type: 'string' });
const nullableStr = (description?: string): SchemaObject => ({ ...str(description), nullable: true });
const dateTime = (description?: string): SchemaObject => ({ type: 'string', format: 'date-time', ...(description ? { description } : {}) });
const nullableDateTime = (description?: string): SchemaObject => ({ ...dateTime(description), nullable: true });
const int = (description?: string): SchemaObject => ({ type: 'integer', minimum: 0, ...(description ? { description } : {}) });
const url = (description?: string): SchemaObject => ({ type: 'string', format: 'uri', ...(description ? { description } : {}) });
const nullableUrl = (description?: string): SchemaObject => ({ ...url(description), nullable: true });

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export const ERROR_ITEM_SCHEMA = component('ErrorItem', {
  type: 'object',
  required: ['error_source', 'error_type', 'error_code', 'message'],
  properties: {
    error_source: { type: 'string', enum: ['shipbatch'] },
    error_type: { type: 'string', enum: ['validation', 'security', 'business_rules', 'system'] },
    error_code: str('machine-readable, e.g. invalid_field_value, not_found, unauthorized, batch_not_valid'),
    message: str('for people'),
    field_name: str('the field (or query parameter, header) the error is about, e.g. batch_shipments[3].shipment.address_to'),
  },
});

/** ShipStation's error shape, used by every error answer (API-CONTRACT.md, "Errors and limits"). */
export const ERROR_SCHEMA = component('Error', {
  type: 'object',
  required: ['request_id', 'errors'],
  properties: {
    request_id: str('the X-Request-Id header when given, else a new UUID'),
    errors: { type: 'array', minItems: 1, items: ERROR_ITEM_SCHEMA },
  },
});

// ---------------------------------------------------------------------------------------------
// Shippo shapes: lists, batches, batch shipments, transactions
// ---------------------------------------------------------------------------------------------

/** Shippo's paginated list: `{count?, next, previous, results}`; `next`/`previous` are absolute URLs or null. */
export function shippoPage(item: SchemaObject, options: { count?: boolean } = {}): SchemaObject {
  const withCount = options.count !== false;
  return {
    type: 'object',
    required: [...(withCount ? ['count'] : []), 'next', 'previous', 'results'],
    properties: {
      ...(withCount ? { count: int('how many objects match, over all pages') } : {}),
      next: nullableUrl('the next page, or null'),
      previous: nullableUrl('the previous page, or null'),
      results: { type: 'array', items: item },
    },
  };
}

/** The same, for files that also import the presenters' `shippoPage` (which renders a page). */
export const shippoPageSchema = shippoPage;

export const SHIPMENT_MESSAGE_SCHEMA = component('ShipmentMessage', {
  type: 'object',
  required: ['source', 'code', 'text'],
  properties: {
    source: str('who said it: shipbatch or the provider (e.g. mock, shipstation, shippo)'),
    code: str('e.g. address_incomplete, insufficient_funds, purchase_outcome_unknown'),
    text: str(),
  },
});

export const BATCH_SHIPMENT_SCHEMA = component('BatchShipment', {
  type: 'object',
  required: ['object_id', 'object_status', 'status', 'shipment', 'transaction', 'carrier_account', 'servicelevel_token', 'metadata', 'messages'],
  properties: {
    object_id: str(),
    object_status: { type: 'string', enum: [...BATCH_SHIPMENT_STATUSES], description: 'PENDING until validated' },
    status: { type: 'string', enum: [...BATCH_SHIPMENT_STATUSES], description: 'the same as object_status (today’s Shippo name)' },
    shipment: nullableStr('the shipment object id, once validation stored it'),
    transaction: nullableStr('the transaction (label) object id, once bought'),
    carrier_account: nullableStr('the override given for this shipment, else null (the batch default applies)'),
    servicelevel_token: nullableStr('the override given for this shipment, else null (the batch default applies)'),
    metadata: str(),
    messages: { type: 'array', items: SHIPMENT_MESSAGE_SCHEMA },
  },
});

export const OBJECT_RESULTS_SCHEMA = component('BatchObjectResults', {
  type: 'object',
  required: ['purchase_succeeded', 'purchase_failed', 'creation_failed', 'creation_succeeded'],
  properties: {
    purchase_succeeded: int(),
    purchase_failed: int(),
    creation_failed: int(),
    creation_succeeded: int(),
  },
});

export const BATCH_SCHEMA = component('Batch', {
  type: 'object',
  required: [
    'object_id',
    'object_owner',
    'object_status',
    'status',
    'object_created',
    'object_updated',
    'metadata',
    'default_carrier_account',
    'default_servicelevel_token',
    'label_filetype',
    'batch_shipments',
    'object_results',
    'label_url',
  ],
  properties: {
    object_id: str(),
    object_owner: str('the tenant'),
    object_status: { type: 'string', enum: [...BATCH_STATUSES] },
    status: { type: 'string', enum: [...BATCH_STATUSES], description: 'the same as object_status (today’s Shippo name)' },
    object_created: nullableDateTime(),
    object_updated: nullableDateTime(),
    metadata: str(),
    default_carrier_account: str(),
    default_servicelevel_token: str(),
    label_filetype: { type: 'string', enum: [...LABEL_FILE_TYPES] },
    batch_shipments: {
      ...shippoPage(BATCH_SHIPMENT_SCHEMA),
      description: 'one page of the batch shipments (100 a page, in request order); empty in the answer to POST /batches and in lists',
    },
    object_results: OBJECT_RESULTS_SCHEMA,
    label_url: { type: 'array', items: url(), description: 'signed links to merged label files of at most 100 labels each, in batch order' },
  },
});

export const BATCH_LIST_SCHEMA: SchemaObject = shippoPage(BATCH_SCHEMA);

/** Shippo's transaction: one bought label (`GET /transactions/{id}`, webhook `data`). */
export const TRANSACTION_SCHEMA = component('Transaction', {
  type: 'object',
  required: [
    'object_id',
    'object_owner',
    'object_state',
    'object_status',
    'status',
    'object_created',
    'object_updated',
    'test',
    'rate',
    'shipment',
    'batch',
    'carrier_account',
    'servicelevel_token',
    'tracking_number',
    'tracking_status',
    'tracking_url_provider',
    'eta',
    'label_url',
    'label_file_type',
    'commercial_invoice_url',
    'amount',
    'currency',
    'messages',
    'metadata',
  ],
  properties: {
    object_id: str(),
    object_owner: str('the tenant'),
    object_state: { type: 'string', enum: ['VALID'] },
    object_status: { type: 'string', enum: ['SUCCESS', 'REFUNDED'] },
    status: { type: 'string', enum: ['SUCCESS', 'REFUNDED'], description: 'the same as object_status' },
    object_created: nullableDateTime(),
    object_updated: nullableDateTime(),
    test: { type: 'boolean' },
    rate: { type: 'string', nullable: true, description: 'always null: batches buy without a rate object' },
    shipment: nullableStr(),
    batch: nullableStr(),
    carrier_account: str(),
    servicelevel_token: str(),
    tracking_number: str(),
    tracking_status: str('UNKNOWN (tracking is not followed)'),
    tracking_url_provider: str(),
    eta: nullableDateTime(),
    label_url: str('a signed link to the label file (empty when there is none)'),
    label_file_type: { type: 'string', enum: [...LABEL_FILE_TYPES] },
    commercial_invoice_url: nullableUrl(),
    amount: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', description: 'decimal string, e.g. "5.25"' },
    currency: str('ISO 4217, upper case'),
    messages: { type: 'array', items: { type: 'object' } },
    metadata: str(),
  },
});

// ---------------------------------------------------------------------------------------------
// Reusable objects (objects.controller.ts): addresses, parcels, carrier accounts, shipments
// ---------------------------------------------------------------------------------------------

export const ADDRESS_SCHEMA = component('Address', {
  type: 'object',
  required: [
    'object_id',
    'object_owner',
    'object_created',
    'object_updated',
    'is_complete',
    'name',
    'company',
    'street1',
    'street2',
    'city',
    'state',
    'zip',
    'country',
    'phone',
    'email',
    'is_residential',
    'metadata',
  ],
  properties: {
    object_id: str(),
    object_owner: str('the tenant'),
    object_created: nullableDateTime(),
    object_updated: nullableDateTime(),
    is_complete: { type: 'boolean', description: 'street1, city, zip and country are given' },
    name: str(),
    company: str(),
    street1: str(),
    street2: str(),
    street3: str(),
    city: str(),
    state: str(),
    zip: str(),
    country: str('ISO 3166-1 alpha-2'),
    phone: str(),
    email: str(),
    is_residential: { type: 'boolean', nullable: true },
    metadata: str(),
    test: { type: 'boolean' },
    validation_results: { type: 'object' },
  },
});

const decimalString = (description?: string): SchemaObject => ({ type: 'string', pattern: '^\\d+(\\.\\d+)?$', ...(description ? { description } : {}) });

export const PARCEL_SCHEMA = component('Parcel', {
  type: 'object',
  required: ['object_id', 'object_owner', 'object_created', 'object_updated', 'length', 'width', 'height', 'distance_unit', 'weight', 'mass_unit', 'metadata'],
  properties: {
    object_id: str(),
    object_owner: str('the tenant'),
    object_state: { type: 'string', enum: ['VALID'] },
    object_created: nullableDateTime(),
    object_updated: nullableDateTime(),
    length: decimalString(),
    width: decimalString(),
    height: decimalString(),
    distance_unit: { type: 'string', enum: ['cm', 'in', 'ft', 'mm', 'm', 'yd'] },
    weight: decimalString(),
    mass_unit: { type: 'string', enum: ['g', 'oz', 'lb', 'kg'] },
    metadata: str(),
    test: { type: 'boolean' },
  },
});

export const MONEY_SCHEMA = component('Money', {
  type: 'object',
  required: ['currency', 'amount'],
  properties: { currency: str('ISO 4217, lower case'), amount: { type: 'number' } },
});

/** `GET /carrier_accounts/{id}/balance`, `POST /carrier_accounts/{id}/add_funds`. */
export const BALANCE_SCHEMA = component('Balance', MONEY_SCHEMA);

export const FUNDING_POLICY_SCHEMA = component('FundingPolicy', {
  type: 'object',
  required: ['enabled', 'min_balance', 'top_up_amount', 'daily_cap'],
  properties: {
    enabled: { type: 'boolean' },
    min_balance: { type: 'number' },
    top_up_amount: { type: 'number' },
    daily_cap: { type: 'number' },
  },
});

/** Credentials (`parameters`) are never returned. */
export const CARRIER_ACCOUNT_SCHEMA = component('CarrierAccount', {
  type: 'object',
  required: ['object_id', 'object_owner', 'object_created', 'object_updated', 'provider', 'carrier', 'account_id', 'active', 'test', 'metadata', 'funding'],
  properties: {
    object_id: str(),
    object_owner: str('the tenant'),
    object_created: nullableDateTime(),
    object_updated: nullableDateTime(),
    provider: str('mock, shipstation, shippo, shipstation_v1 or another registered provider'),
    carrier: str('e.g. usps'),
    account_id: str(),
    active: { type: 'boolean' },
    test: { type: 'boolean' },
    metadata: str(),
    funding: FUNDING_POLICY_SCHEMA,
  },
});

export const FUNDING_EVENT_SCHEMA = component('FundingEvent', {
  type: 'object',
  required: ['object_id', 'carrier_account', 'amount', 'balance_before', 'balance_after', 'reason', 'status', 'message', 'object_created'],
  properties: {
    object_id: str(),
    carrier_account: str(),
    amount: MONEY_SCHEMA,
    balance_before: { allOf: [MONEY_SCHEMA], nullable: true },
    balance_after: { allOf: [MONEY_SCHEMA], nullable: true },
    reason: { type: 'string', enum: ['pre_purchase', 'insufficient_funds', 'manual'] },
    status: { type: 'string', enum: ['succeeded', 'failed'] },
    message: str(),
    object_created: nullableDateTime(),
  },
});

/**
 * Shippo's shipment as validation stored it (`GET /shipments/{id}`, `GET /shipments`): its
 * addresses and parcels resolved to objects. Nothing is rated before purchase: `rates` is empty.
 */
export const SHIPMENT_SCHEMA = component('Shipment', {
  type: 'object',
  required: [
    'object_id',
    'object_owner',
    'object_created',
    'object_updated',
    'status',
    'address_from',
    'address_to',
    'address_return',
    'parcels',
    'shipment_date',
    'extra',
    'customs_declaration',
    'carrier_accounts',
    'rates',
    'messages',
    'metadata',
    'test',
  ],
  properties: {
    object_id: str(),
    object_owner: str('the tenant'),
    object_created: nullableDateTime(),
    object_updated: nullableDateTime(),
    status: { type: 'string', enum: ['WAITING', 'QUEUED', 'SUCCESS', 'ERROR'], description: 'SUCCESS: the shipment exists and is complete' },
    address_from: { allOf: [ADDRESS_SCHEMA], nullable: true, description: 'null when the address no longer resolves' },
    address_to: { allOf: [ADDRESS_SCHEMA], nullable: true, description: 'null when the address no longer resolves' },
    address_return: { allOf: [ADDRESS_SCHEMA], nullable: true },
    parcels: { type: 'array', items: PARCEL_SCHEMA },
    shipment_date: nullableDateTime(),
    extra: { type: 'object' },
    customs_declaration: { type: 'object', nullable: true },
    carrier_accounts: { type: 'array', items: { type: 'string' } },
    rates: { type: 'array', items: { type: 'object' }, description: 'always empty: nothing is rated before purchase' },
    messages: { type: 'array', items: { type: 'object' } },
    metadata: str(),
    test: { type: 'boolean' },
  },
});

// ---------------------------------------------------------------------------------------------
// ShipStation v2 labels
// ---------------------------------------------------------------------------------------------

const LINK_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['href'],
  properties: { href: url(), type: str() },
};

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
    alternative_identifiers: { type: 'array', items: { type: 'object' } },
  },
});

const ALTERNATIVE_IDENTIFIER_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['type', 'value'],
  properties: { type: str(), value: str() },
};

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
    requested_comparison_amount: { allOf: [MONEY_SCHEMA], nullable: true, description: 'null: no comparison rate is requested' },
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
    label_layout: str('4x6, letter, 2.3x7.5, 4x8, A4, A5, A6'),
    trackable: { type: 'boolean' },
    label_image_id: nullableStr('null: no custom label image is used'),
    carrier_code: str(),
    tracking_status: str('unknown (tracking is not followed)'),
    label_download: LABEL_DOWNLOAD_SCHEMA,
    form_download: { ...LINK_SCHEMA, nullable: true },
    paperless_download: { type: 'object', nullable: true, description: 'null: labels are not paperless' },
    insurance_claim: { ...LINK_SCHEMA, nullable: true },
    packages: { type: 'array', items: LABEL_PACKAGE_SCHEMA, description: 'the label’s package (one a label)' },
    alternative_identifiers: { type: 'array', nullable: true, items: ALTERNATIVE_IDENTIFIER_SCHEMA },
    tracking_url: nullableUrl('null: no tracking link is known'),
  },
});

const PAGE_LINK_SCHEMA: SchemaObject = {
  type: 'object',
  description: '{href} or {} when there is no such page',
  properties: { href: url() },
};

export const LABEL_LIST_SCHEMA = component('LabelList', {
  type: 'object',
  required: ['labels', 'total', 'page', 'pages', 'links'],
  properties: {
    labels: { type: 'array', items: LABEL_SCHEMA, description: 'always oldest to newest; sort_dir selects which part of the data the page holds' },
    total: int(),
    page: { type: 'integer', minimum: 1 },
    pages: int(),
    links: {
      type: 'object',
      required: ['first', 'last', 'prev', 'next'],
      properties: { first: PAGE_LINK_SCHEMA, last: PAGE_LINK_SCHEMA, prev: PAGE_LINK_SCHEMA, next: PAGE_LINK_SCHEMA },
    },
  },
});

export const VOID_RESULT_SCHEMA = component('VoidResult', {
  type: 'object',
  required: ['approved', 'message'],
  properties: { approved: { type: 'boolean' }, message: str() },
});

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

export const WEBHOOK_SCHEMA = component('Webhook', {
  type: 'object',
  required: ['object_id', 'url', 'event', 'is_test', 'active', 'object_created', 'object_updated'],
  properties: {
    object_id: str(),
    url: str(),
    event: { type: 'string', enum: [...WEBHOOK_EVENTS] },
    is_test: { type: 'boolean' },
    active: { type: 'boolean' },
    disabled_reason: str('why the service turned the webhook off (a receiver answered 410); absent when it did not'),
    object_created: dateTime(),
    object_updated: dateTime(),
    secret: { type: 'string', pattern: '^whsec_', description: 'only in the answer that created the webhook' },
  },
});

export const WEBHOOK_CREATED_SCHEMA: SchemaObject = {
  allOf: [WEBHOOK_SCHEMA, { type: 'object', required: ['secret'] }],
};

export const WEBHOOK_DELIVERY_SCHEMA = component('WebhookDelivery', {
  type: 'object',
  required: ['object_id', 'webhook', 'event_id', 'event', 'object', 'status', 'attempts', 'last_status_code', 'last_error', 'next_attempt_at', 'object_created'],
  properties: {
    object_id: str('also the webhook-id header of every attempt'),
    webhook: str(),
    event_id: str(),
    event: { type: 'string', enum: WEBHOOK_EVENTS.filter((e) => e !== 'all') },
    object: str('the id of the object the event is about'),
    status: { type: 'string', enum: [...WEBHOOK_DELIVERY_STATES] },
    attempts: int('attempts on this delivery\'s own schedule, those recorded as not sent included'),
    last_status_code: { type: 'integer', nullable: true },
    last_error: nullableStr(),
    next_attempt_at: nullableDateTime('when this delivery is next tried: after a failed attempt, its own backoff (10 s by default, doubling, minus up to 20 % jitter, at most an hour apart)'),
    object_created: dateTime(),
  },
});

export const WEBHOOK_ATTEMPT_SCHEMA = component('WebhookAttempt', {
  type: 'object',
  required: ['attempted_at', 'outcome', 'status_code', 'error', 'duration_ms'],
  properties: {
    attempted_at: dateTime(),
    outcome: { type: 'string', enum: ['succeeded', 'failed', 'gone', 'refused'] },
    status_code: { type: 'integer', nullable: true },
    error: nullableStr(
      'why it failed; `not sent: the receiver could not be reached (<error>, delivery <id>)` when it was recorded without being sent because that delivery, tried in the same round, got no answer',
    ),
    duration_ms: { type: 'number', minimum: 0 },
  },
});

export const WEBHOOK_DELIVERY_DETAIL_SCHEMA: SchemaObject = {
  allOf: [
    WEBHOOK_DELIVERY_SCHEMA,
    {
      type: 'object',
      required: ['attempt_history'],
      properties: { attempt_history: { type: 'array', items: WEBHOOK_ATTEMPT_SCHEMA, description: 'oldest first' } },
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// Health
// ---------------------------------------------------------------------------------------------

export const HEALTH_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] } },
};
