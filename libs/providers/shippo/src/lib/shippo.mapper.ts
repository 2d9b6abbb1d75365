import type { MoneyAmount, PortAddress, PortParcel, PortShipment, PurchasedLabel } from '@shipbatch/providers/core';
import type { ShAddress, ShCoreRate, ShMessage, ShParcel, ShRate, ShShipment, ShTransaction } from './shippo.types';

/** Shared by every adapter (providers/core); still exported here for this library's callers. */
export { contentTypeOf, documentExtension } from '@shipbatch/providers/core';

/** A trimmed, non-empty string or undefined. */
function text(value: string | undefined): string | undefined {
  const t = typeof value === 'string' ? value.trim() : '';
  return t === '' ? undefined : t;
}

/** A port address as Shippo's inline AddressCreateRequest; absent fields are left out. */
export function toShAddress(a: PortAddress): ShAddress {
  const out: ShAddress = { country: (text(a.country) ?? '').toUpperCase() };
  for (const key of ['name', 'company', 'street1', 'street2', 'city', 'state', 'zip', 'phone', 'email'] as const) {
    const value = text(a[key]);
    if (value) out[key] = value;
  }
  if (a.isResidential !== undefined) out.is_residential = a.isResidential;
  return out;
}

/** Shippo takes dimensions and weight as decimal strings, in the port's units (Shippo has them all). */
export function toShParcel(p: PortParcel): ShParcel {
  return { length: String(p.length), width: String(p.width), height: String(p.height), distance_unit: p.distanceUnit, weight: String(p.weight), mass_unit: p.massUnit };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A shipment date as Shippo's `shipment_date` (`2014-01-18T00:35:03.463Z`); undefined when none or unreadable. */
export function toShipmentDate(value: string | undefined): string | undefined {
  const t = text(value);
  if (!t) return undefined;
  const ms = Date.parse(DATE.test(t) ? `${t}T00:00:00Z` : t);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function toShShipment(s: PortShipment): ShShipment {
  const out: ShShipment = { address_from: toShAddress(s.addressFrom), address_to: toShAddress(s.addressTo), parcels: s.parcels.map(toShParcel) };
  if (s.addressReturn) out.address_return = toShAddress(s.addressReturn);
  const date = toShipmentDate(s.shipmentDate);
  if (date) out.shipment_date = date;
  // Shippo's own vocabulary: the extras go as the client sent them.
  if (s.extra && Object.keys(s.extra).length > 0) out.extra = { ...s.extra };
  return out;
}

/** Shippo's decimal amount (`"7.58"`) and currency (`USD`) -> integer minor units, lower-case currency. */
export function toMoney(amount: string | undefined, currency: string | undefined): MoneyAmount {
  const n = Number(amount);
  return { amountMinor: Number.isFinite(n) ? Math.round(n * 100) : 0, currency: (currency || 'usd').toLowerCase() };
}

/** What a label cost and which service it was, from the transaction's rate (inline, or read by its id). */
export interface RateFacts {
  cost: MoneyAmount;
  serviceLevelToken?: string;
}

export function rateFacts(rate: ShCoreRate | ShRate): RateFacts {
  const token = 'servicelevel_token' in rate && rate.servicelevel_token ? rate.servicelevel_token : (rate as ShRate).servicelevel?.token;
  return { cost: toMoney(rate.amount, rate.currency), serviceLevelToken: token || undefined };
}

/** Shippo's messages as the port's `{source, code, text}` (absent parts as empty strings). */
export function toMessages(messages: ShMessage[] | undefined): Array<{ source: string; code: string; text: string }> {
  return (Array.isArray(messages) ? messages : []).map((m) => ({ source: String(m?.source ?? ''), code: String(m?.code ?? ''), text: String(m?.text ?? '') }));
}

/** A SUCCESS transaction -> the port's PurchasedLabel; the document is served at `label_url`. */
export function toPurchasedLabel(t: ShTransaction, facts: RateFacts, reference: string, carrier: string, serviceLevelToken: string): PurchasedLabel {
  const out: PurchasedLabel = {
    providerLabelId: t.object_id,
    reference,
    trackingNumber: t.tracking_number ?? '',
    carrier,
    serviceLevelToken: facts.serviceLevelToken ?? serviceLevelToken,
    cost: facts.cost,
    createdAt: t.object_created ?? new Date().toISOString(),
  };
  if (text(t.label_url)) out.documentUrl = t.label_url;
  return out;
}
