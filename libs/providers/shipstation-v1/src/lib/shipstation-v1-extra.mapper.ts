import type { ShipmentExtra, ShipmentExtraSupportMap, SignatureConfirmation } from '@shipbatch/providers/core';
import type { V1AdvancedOptions, V1Confirmation } from './shipstation-v1.types';

/** Shippo's signature_confirmation values ShipStation v1 has a `confirmation` for. */
const CONFIRMATIONS: Partial<Record<SignatureConfirmation, V1Confirmation>> = {
  STANDARD: 'signature',
  ADULT: 'adult_signature',
};

/**
 * The shipment extras ShipStation v1 can carry (the service refuses the rest):
 * `signature_confirmation` STANDARD / ADULT -> `confirmation` signature / adult_signature;
 * `reference_1` / `reference_2` -> `advancedOptions.customField1` / `customField2` (printed on
 * some carriers' labels; not searchable, so never our reference); `saturday_delivery` ->
 * `advancedOptions.saturdayDelivery`.
 */
export const SHIPSTATION_V1_SHIPMENT_EXTRAS: ShipmentExtraSupportMap = {
  signature_confirmation: { values: Object.keys(CONFIRMATIONS) },
  reference_1: true,
  reference_2: true,
  saturday_delivery: true,
};

/** The order's and label's `confirmation` (`none` without a signature). */
export function toConfirmation(extra: ShipmentExtra | undefined): V1Confirmation {
  return (extra?.signature_confirmation && CONFIRMATIONS[extra.signature_confirmation]) || 'none';
}

/** `advancedOptions` for the extras; undefined when none applies. */
export function toAdvancedOptions(extra: ShipmentExtra | undefined): V1AdvancedOptions | undefined {
  if (!extra) return undefined;
  const out: V1AdvancedOptions = {};
  if (extra.reference_1 !== undefined) out.customField1 = String(extra.reference_1);
  if (extra.reference_2 !== undefined) out.customField2 = String(extra.reference_2);
  if (extra.saturday_delivery !== undefined) out.saturdayDelivery = Boolean(extra.saturday_delivery);
  return Object.keys(out).length ? out : undefined;
}
