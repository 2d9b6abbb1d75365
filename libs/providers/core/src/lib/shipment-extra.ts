/**
 * A shipment's extra services, in Shippo's vocabulary (its `ShipmentExtra`): the service's one
 * spelling of them, as the client sends them and as every adapter receives them
 * (`PortShipment.extra`). An adapter maps the options it supports onto its provider's request
 * and declares them in its capabilities (`shipmentExtras`); the service refuses, naming the
 * field, an option the shipment's provider does not declare. Adapters never refuse or drop one.
 */
export const SHIPMENT_EXTRA_OPTIONS = [
  'accounts_receivable_customer_account',
  'alcohol',
  'ancillary_endorsement',
  'appropriation_number',
  'authority_to_leave',
  'bill_of_lading_number',
  'billing',
  'bypass_address_validation',
  'carbon_neutral',
  'carrier_hub_id',
  'carrier_hub_travel_time',
  'COD',
  'cod_number',
  'container_type',
  'critical_pull_time',
  'customer_branch',
  'customer_reference',
  'dangerous_goods',
  'dangerous_goods_code',
  'dealer_order_number',
  'delivery_instructions',
  'dept_number',
  'dry_ice',
  'fda_product_code',
  'fulfillment_center',
  'insurance',
  'invoice_number',
  'is_return',
  'lasership_attrs',
  'lasership_declared_value',
  'manifest_number',
  'model_number',
  'part_number',
  'po_number',
  'preferred_delivery_timeframe',
  'premium',
  'production_code',
  'purchase_request_number',
  'qr_code_requested',
  'reference_1',
  'reference_2',
  'request_retail_rates',
  'return_service_type',
  'rma_number',
  'saturday_delivery',
  'salesperson_number',
  'serial_number',
  'signature_confirmation',
  'store_number',
  'transaction_reference_number',
] as const;
export type ShipmentExtraOption = (typeof SHIPMENT_EXTRA_OPTIONS)[number];

export const SIGNATURE_CONFIRMATIONS = ['STANDARD', 'ADULT', 'CERTIFIED', 'INDIRECT', 'CARRIER_CONFIRMATION'] as const;
export type SignatureConfirmation = (typeof SIGNATURE_CONFIRMATIONS)[number];

/** Shippo's `insurance`: the declared value (a decimal string) and its currency; `provider` asks for the carrier's own insurance. */
export interface ShipmentInsurance {
  amount: string;
  currency: string;
  content?: string;
  provider?: string;
}

/** The options as sent (values in Shippo's shapes); only the typed ones are read by name. */
export type ShipmentExtra = Readonly<Partial<Record<ShipmentExtraOption, unknown>>> & {
  readonly signature_confirmation?: SignatureConfirmation;
  readonly insurance?: ShipmentInsurance;
  readonly reference_1?: string;
  readonly reference_2?: string;
  readonly saturday_delivery?: boolean;
};

/**
 * How far an adapter honours one option: `true`, any value the API accepts; `values`, only
 * these (an enumerated option); `fields`, only these sub-fields (an object option).
 */
export type ShipmentExtraSupport = true | { readonly values?: readonly string[]; readonly fields?: readonly string[] };

/** An adapter's declared options (capabilities.shipmentExtras); an option it does not name is refused. */
export type ShipmentExtraSupportMap = Readonly<Partial<Record<ShipmentExtraOption, ShipmentExtraSupport>>>;

/** Every option with any value: for adapters that pass `extra` through to a provider that takes Shippo's vocabulary. */
export const EVERY_SHIPMENT_EXTRA: ShipmentExtraSupportMap = Object.freeze(Object.fromEntries(SHIPMENT_EXTRA_OPTIONS.map((o) => [o, true as const])));
