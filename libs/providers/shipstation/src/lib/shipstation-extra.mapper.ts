import type { ShipmentExtra, ShipmentExtraSupportMap, SignatureConfirmation } from '@shipbatch/providers/core';
import type { SsShipmentOptions } from './shipstation.types';

/** Shippo's signature_confirmation values ShipStation has a `confirmation` for. */
const CONFIRMATIONS: Partial<Record<SignatureConfirmation, SsShipmentOptions['confirmation']>> = {
  STANDARD: 'signature',
  ADULT: 'adult_signature',
};

/**
 * The shipment extras ShipStation v2 can carry, and how far (the service refuses the rest):
 * - `signature_confirmation` STANDARD / ADULT -> `confirmation` signature / adult_signature;
 * - `insurance` (amount, currency, provider) -> the first package's `insured_value` (the whole
 *   declared value: one label's insurance is the sum over its packages) and `insurance_provider`
 *   `carrier` when a carrier is named, else `shipsurance` (ShipStation's own, as Shippo's own
 *   when it names none); `content` has no field in ShipStation's request and is refused;
 * - `reference_1` / `reference_2` -> `advanced_options.custom_field1` / `custom_field2`;
 * - `saturday_delivery` -> `advanced_options.saturday_delivery`.
 */
export const SHIPSTATION_SHIPMENT_EXTRAS: ShipmentExtraSupportMap = {
  signature_confirmation: { values: Object.keys(CONFIRMATIONS) },
  insurance: { fields: ['amount', 'currency', 'provider'] },
  reference_1: true,
  reference_2: true,
  saturday_delivery: true,
};

/** ShipStation's shipment fields for the extras, with the first package's insured value; `{}` without extras. */
export function toSsShipmentOptions(extra: ShipmentExtra | undefined): SsShipmentOptions {
  const out: SsShipmentOptions = {};
  if (!extra) return out;
  const confirmation = extra.signature_confirmation && CONFIRMATIONS[extra.signature_confirmation];
  if (confirmation) out.confirmation = confirmation;
  if (extra.insurance) {
    out.insurance_provider = extra.insurance.provider ? 'carrier' : 'shipsurance';
    out.insured_value = { amount: Number(extra.insurance.amount), currency: extra.insurance.currency.toLowerCase() };
  }
  const advanced: NonNullable<SsShipmentOptions['advanced_options']> = {};
  if (extra.reference_1 !== undefined) advanced.custom_field1 = extra.reference_1;
  if (extra.reference_2 !== undefined) advanced.custom_field2 = extra.reference_2;
  if (extra.saturday_delivery !== undefined) advanced.saturday_delivery = extra.saturday_delivery;
  if (Object.keys(advanced).length > 0) out.advanced_options = advanced;
  return out;
}

/** Puts the extras on a shipment request (single purchase or batch): its own fields, and the insured value on its first package. */
export function withShipmentOptions<T extends { packages: Array<{ insured_value?: { amount: number; currency: string } }> }>(
  shipment: T,
  extra: ShipmentExtra | undefined,
): T {
  const { insured_value, ...fields } = toSsShipmentOptions(extra);
  Object.assign(shipment, fields);
  if (insured_value && shipment.packages[0]) shipment.packages[0].insured_value = insured_value;
  return shipment;
}
