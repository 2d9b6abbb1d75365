import { SHIPMENT_EXTRA_OPTIONS, type ShipmentExtra, type ShipmentExtraSupportMap } from '@shipbatch/providers/core';

/** A value of each option the contract knows how to fill in; an option without one is left out of the sample. */
const SAMPLES: Readonly<Record<string, unknown>> = {
  reference_1: 'PO 1234',
  reference_2: 'Dept 7',
  saturday_delivery: true,
  insurance: { amount: '25.00', currency: 'USD' },
};

/**
 * Every declared option the contract can sample, each at a value the declaration allows (the
 * first listed value of an enumerated option, only listed sub-fields of an object): what the
 * service would let through to this adapter.
 */
export function sampleExtras(declared: ShipmentExtraSupportMap): ShipmentExtra {
  const out: Record<string, unknown> = {};
  for (const [option, support] of Object.entries(declared)) {
    if (!support) continue;
    if (support !== true && support.values) {
      out[option] = support.values[0];
      continue;
    }
    const sample = option === 'signature_confirmation' ? 'STANDARD' : SAMPLES[option];
    if (sample === undefined) continue;
    out[option] =
      support !== true && support.fields && typeof sample === 'object' && sample !== null
        ? Object.fromEntries(Object.entries(sample).filter(([k]) => support.fields?.includes(k)))
        : sample;
  }
  return out as ShipmentExtra;
}

/** Declared options that are not Shippo's (the service's one vocabulary), or whose declaration is empty. */
export function misdeclaredExtras(declared: ShipmentExtraSupportMap): string[] {
  const known = new Set<string>(SHIPMENT_EXTRA_OPTIONS);
  return Object.entries(declared)
    .filter(([option, support]) => !known.has(option) || (support !== true && (!support || (support.values?.length === 0 || support.fields?.length === 0))))
    .map(([option]) => option);
}
