import { ServiceCodeTable } from '@shipbatch/providers/core';
import type {
  DistanceUnit,
  LabelFileType,
  MassUnit,
  MoneyAmount,
  PortAddress,
  PortParcel,
  PurchasedLabel,
} from '@shipbatch/providers/core';
import type { SsAddress, SsDimensionUnit, SsLabel, SsLabelFormat, SsLabelLayout, SsMonetaryValue, SsPackage, SsWeightUnit } from './shipstation.types';

/** Shippo service level tokens -> ShipStation API v2 service codes. ShipStation's own codes pass through. */
export const SERVICE_CODES: Readonly<Record<string, string>> = {
  usps_priority: 'usps_priority_mail',
  usps_priority_express: 'usps_priority_mail_express',
  usps_first_class: 'usps_first_class_mail',
  usps_ground_advantage: 'usps_ground_advantage',
  usps_media_mail: 'usps_media_mail',
  ups_ground: 'ups_ground',
  ups_second_day_air: 'ups_2nd_day_air',
  ups_next_day_air: 'ups_next_day_air',
  ups_3_day_select: 'ups_3_day_select',
  fedex_ground: 'fedex_ground',
  fedex_2_day: 'fedex_2day',
  fedex_standard_overnight: 'fedex_standard_overnight',
};

const TABLE = new ServiceCodeTable(SERVICE_CODES);

/** The ShipStation code for a Shippo token; a ShipStation code (or anything unknown) is returned unchanged. */
export const toServiceCode = (token: string): string => TABLE.toCode(token);

/** The Shippo token for a ShipStation code when the table has one, else the code itself. */
export const fromServiceCode = (code: string): string => TABLE.fromCode(code);

/** The tokens of the table grouped by carrier (the token's prefix): `{ usps: [...], ups: [...], fedex: [...] }`. */
export const serviceLevelsByCarrier = (): Record<string, string[]> => TABLE.byCarrier();

/** The label file types ShipStation makes, as `label_format` + `label_layout`. */
export const LABEL_FORMATS: Readonly<Partial<Record<LabelFileType, { format: SsLabelFormat; layout: SsLabelLayout }>>> = {
  PDF_4x6: { format: 'pdf', layout: '4x6' },
  PDF: { format: 'pdf', layout: 'letter' },
  PNG: { format: 'png', layout: '4x6' },
  ZPLII: { format: 'zpl', layout: '4x6' },
};

/** A trimmed, non-empty string or undefined (ShipStation refuses empty strings: minLength 1). */
function text(value: string | undefined): string | undefined {
  const t = typeof value === 'string' ? value.trim() : '';
  return t === '' ? undefined : t;
}

/**
 * A port address as ShipStation's `ship_to` / `ship_from` / `return_to`. Absent optional fields
 * are left out; required ones are checked before (shipstation-shipment.validator.ts).
 */
export function toSsAddress(a: PortAddress): SsAddress {
  const out: SsAddress = {
    name: text(a.name) ?? '',
    address_line1: text(a.street1) ?? '',
    city_locality: text(a.city) ?? '',
    state_province: text(a.state) ?? '',
    postal_code: text(a.zip) ?? '',
    country_code: (text(a.country) ?? '').toUpperCase(),
  };
  const phone = text(a.phone);
  if (phone) out.phone = phone;
  const email = text(a.email);
  if (email) out.email = email;
  const company = text(a.company);
  if (company) out.company_name = company;
  const line2 = text(a.street2);
  if (line2) out.address_line2 = line2;
  if (a.isResidential !== undefined) out.address_residential_indicator = a.isResidential ? 'yes' : 'no';
  return out;
}

const MASS: Readonly<Record<MassUnit, SsWeightUnit>> = { lb: 'pound', oz: 'ounce', g: 'gram', kg: 'kilogram' };
/** Distance units ShipStation lacks, as a factor onto one it has. */
const DISTANCE: Readonly<Record<DistanceUnit, { unit: SsDimensionUnit; factor: number }>> = {
  in: { unit: 'inch', factor: 1 },
  ft: { unit: 'inch', factor: 12 },
  yd: { unit: 'inch', factor: 36 },
  cm: { unit: 'centimeter', factor: 1 },
  mm: { unit: 'centimeter', factor: 0.1 },
  m: { unit: 'centimeter', factor: 100 },
};

/** Rounds to 4 decimals, so that 1.1 yd is 39.6 in and not 39.600000000000001. */
const round4 = (n: number): number => Math.round(n * 10_000) / 10_000;

export function toSsPackage(p: PortParcel): SsPackage {
  const d = DISTANCE[p.distanceUnit];
  const weightUnit = MASS[p.massUnit];
  if (!d) throw new RangeError(`unknown distance unit '${p.distanceUnit}'`);
  if (!weightUnit) throw new RangeError(`unknown mass unit '${p.massUnit}'`);
  return {
    weight: { value: p.weight, unit: weightUnit },
    dimensions: { length: round4(p.length * d.factor), width: round4(p.width * d.factor), height: round4(p.height * d.factor), unit: d.unit },
  };
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[-+]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A shipment date as ShipStation's `ship_date`: an ISO date-time (the spec's format; a bare date
 * becomes midnight UTC of that day); undefined when none or unreadable.
 */
export function toShipDate(value: string | undefined): string | undefined {
  const t = text(value);
  if (!t) return undefined;
  if (DATE_TIME.test(t)) return t;
  if (DATE.test(t)) return `${t}T00:00:00Z`;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Decimal currency units -> integer minor units (ShipStation prints dollars: 7.58 -> 758). */
export function toMinor(amount: number): number {
  return Math.round(amount * 100);
}

export function toMoney(value: SsMonetaryValue): MoneyAmount {
  return { amountMinor: toMinor(value.amount), currency: value.currency.toLowerCase() };
}

/** What a label cost: shipment_cost plus insurance_cost, in integer minor units. */
export function labelCost(label: SsLabel): MoneyAmount {
  const cost = toMoney(label.shipment_cost);
  const insurance = label.insurance_cost;
  if (insurance && insurance.amount > 0) cost.amountMinor += toMinor(insurance.amount);
  return cost;
}

/** Where ShipStation serves the label file: `label_download.href`, else the URL of its format. */
export function labelDocumentUrl(label: SsLabel): string | undefined {
  const d = label.label_download;
  if (!d) return undefined;
  return d.href ?? (label.label_format ? d[label.label_format] : undefined) ?? d.pdf ?? d.png ?? d.zpl;
}

/**
 * ShipStation's label -> the port's PurchasedLabel. `serviceLevelToken` is the token we were
 * asked for (on a lookup: the token the label's service code maps back to).
 */
export function toPurchasedLabel(label: SsLabel, reference: string, carrier: string, serviceLevelToken: string): PurchasedLabel {
  const out: PurchasedLabel = {
    providerLabelId: label.label_id,
    reference,
    trackingNumber: label.tracking_number,
    carrier,
    serviceLevelToken,
    cost: labelCost(label),
    createdAt: label.created_at,
  };
  const url = labelDocumentUrl(label);
  if (url) out.documentUrl = url;
  return out;
}
