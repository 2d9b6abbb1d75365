import type { MoneyAmount, PortParcel, PortShipment } from '@shipbatch/providers/core';
import { toMinor, toShipDate, toSsAddress, toSsPackage } from './shipstation.mapper';
import type { SsRateEstimate, SsRateEstimateRequest } from './shipstation.types';

/**
 * The estimate's `ship_date`: the shipment's date when it is still ahead, else now (ShipStation
 * prices shipments from today on).
 */
export function estimateShipDate(shipmentDate: string | undefined, now: Date = new Date()): string {
  const date = toShipDate(shipmentDate);
  return date && Date.parse(date) > now.getTime() ? date : now.toISOString();
}

/** `POST /v2/rates/estimate` for one package of the shipment, priced by this carrier only. */
export function toRateEstimateRequest(carrierId: string, shipment: PortShipment, parcel: PortParcel, shipDate: string): SsRateEstimateRequest {
  const from = toSsAddress(shipment.addressFrom);
  const to = toSsAddress(shipment.addressTo);
  const pkg = toSsPackage(parcel);
  const body: SsRateEstimateRequest = {
    carrier_ids: [carrierId],
    from_country_code: from.country_code,
    from_postal_code: from.postal_code,
    from_city_locality: from.city_locality,
    from_state_province: from.state_province,
    to_country_code: to.country_code,
    to_postal_code: to.postal_code,
    to_city_locality: to.city_locality,
    to_state_province: to.state_province,
    weight: pkg.weight,
    dimensions: pkg.dimensions,
    ship_date: shipDate,
  };
  if (to.address_residential_indicator) body.address_residential_indicator = to.address_residential_indicator;
  return body;
}

/**
 * What an estimate says the label costs, in integer minor units: shipping, insurance,
 * confirmation, other charges and taxes. Undefined when it has no shipping amount or names errors.
 */
export function rateEstimateCost(rate: SsRateEstimate): MoneyAmount | undefined {
  if (!rate.shipping_amount || (rate.error_messages?.length ?? 0) > 0) return undefined;
  const parts = [rate.shipping_amount, rate.insurance_amount, rate.confirmation_amount, rate.other_amount, rate.tax_amount];
  const amountMinor = parts.reduce((sum, part) => sum + (part && part.amount > 0 ? toMinor(part.amount) : 0), 0);
  return { amountMinor, currency: rate.shipping_amount.currency.toLowerCase() };
}

/** The shipment's parcels with identical ones counted once (an estimate prices one package). */
export function distinctParcels(parcels: PortParcel[]): Array<{ parcel: PortParcel; count: number }> {
  const byKey = new Map<string, { parcel: PortParcel; count: number }>();
  for (const parcel of parcels) {
    const key = JSON.stringify([parcel.length, parcel.width, parcel.height, parcel.distanceUnit, parcel.weight, parcel.massUnit]);
    const seen = byKey.get(key);
    if (seen) seen.count += 1;
    else byKey.set(key, { parcel, count: 1 });
  }
  return [...byKey.values()];
}
