import type { DistanceUnit, MassUnit, MoneyAmount, PortAddress, PortParcel, PurchasedLabel } from '@shipbatch/providers/core';
import { ServiceCodeTable } from '@shipbatch/providers/core';
import type { V1Address, V1Dimensions, V1Shipment, V1Weight } from './shipstation-v1.types';

/** Shippo service level tokens -> ShipStation v1 service codes. ShipStation's own codes pass through. */
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

/** The package every label is bought in: ShipStation's generic `package` (the parcel's own sizes). */
export const PACKAGE_CODE = 'package';

const TABLE = new ServiceCodeTable(SERVICE_CODES);

/** The ShipStation code for a Shippo token; a ShipStation code (or anything unknown) is returned unchanged. */
export const toServiceCode = (token: string): string => TABLE.toCode(token);

/** The Shippo token for a ShipStation code when the table has one, else the code itself. */
export const fromServiceCode = (code: string): string => TABLE.fromCode(code);

/** The tokens of the table grouped by carrier (the token's prefix): `{ usps: [...], ups: [...], fedex: [...] }`. */
export const serviceLevelsByCarrier = (): Record<string, string[]> => TABLE.byCarrier();

const text = (value: string | undefined): string | undefined => {
  const t = typeof value === 'string' ? value.trim() : '';
  return t === '' ? undefined : t;
};

/** A port address as ShipStation v1's Address model (required fields checked before). */
export function toV1Address(a: PortAddress): V1Address {
  const out: V1Address = {
    name: text(a.name) ?? '',
    street1: text(a.street1) ?? '',
    city: text(a.city) ?? '',
    state: text(a.state) ?? '',
    postalCode: text(a.zip) ?? '',
    country: (text(a.country) ?? '').toUpperCase(),
  };
  if (text(a.company)) out.company = text(a.company);
  if (text(a.street2)) out.street2 = text(a.street2);
  if (text(a.phone)) out.phone = text(a.phone);
  if (a.isResidential !== undefined) out.residential = a.isResidential;
  return out;
}

const round4 = (n: number): number => Math.round(n * 10_000) / 10_000;
/** Mass units v1 lacks, as a factor onto one it has (pounds, ounces, grams). */
const MASS: Readonly<Record<MassUnit, { units: V1Weight['units']; factor: number }>> = {
  lb: { units: 'pounds', factor: 1 },
  oz: { units: 'ounces', factor: 1 },
  g: { units: 'grams', factor: 1 },
  kg: { units: 'grams', factor: 1000 },
};
/** Distance units v1 lacks, as a factor onto one it has (inches, centimeters). */
const DISTANCE: Readonly<Record<DistanceUnit, { units: V1Dimensions['units']; factor: number }>> = {
  in: { units: 'inches', factor: 1 },
  ft: { units: 'inches', factor: 12 },
  yd: { units: 'inches', factor: 36 },
  cm: { units: 'centimeters', factor: 1 },
  mm: { units: 'centimeters', factor: 0.1 },
  m: { units: 'centimeters', factor: 100 },
};

export function toV1Weight(p: PortParcel): V1Weight {
  const m = MASS[p.massUnit];
  if (!m) throw new RangeError(`unknown mass unit '${p.massUnit}'`);
  return { value: round4(p.weight * m.factor), units: m.units };
}

export function toV1Dimensions(p: PortParcel): V1Dimensions {
  const d = DISTANCE[p.distanceUnit];
  if (!d) throw new RangeError(`unknown distance unit '${p.distanceUnit}'`);
  return { length: round4(p.length * d.factor), width: round4(p.width * d.factor), height: round4(p.height * d.factor), units: d.units };
}

/** The parts of a date in Pacific time (ShipStation v1 reads and writes dates there, without a zone). */
function pacificParts(date: Date): Record<string, string> {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Los_Angeles',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

/** `2026-12-07`: the day in Pacific time. */
export function pacificDate(date: Date): string {
  const p = pacificParts(date);
  return `${p['year']}-${p['month']}-${p['day']}`;
}

/** `2026-12-07T08:46:27.0000000`: the moment in Pacific time, without a zone, as ShipStation v1 writes it. */
export function pacificDateTime(date: Date): string {
  const p = pacificParts(date);
  return `${pacificDate(date)}T${p['hour']}:${p['minute']}:${p['second']}.0000000`;
}

/**
 * The label's ship date (Pacific day): the shipment's date when it is today or later there,
 * else today. ShipStation sells no label dated in the past.
 */
export function toShipDate(shipmentDate: string | undefined, now: Date = new Date()): string {
  const today = pacificDate(now);
  const ms = shipmentDate ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(shipmentDate) ? `${shipmentDate}T12:00:00Z` : shipmentDate) : NaN;
  if (Number.isNaN(ms)) return today;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(shipmentDate ?? '') ? (shipmentDate as string) : pacificDate(new Date(ms));
  return day > today ? day : today;
}

/** Dollars -> integer cents. */
export const toMinor = (dollars: number): number => Math.round(dollars * 100);

/** What a label cost: shipmentCost plus insuranceCost, in cents (ShipStation v1 accounts are in US dollars). */
export function labelCost(shipment: V1Shipment): MoneyAmount {
  return { amountMinor: toMinor(shipment.shipmentCost) + toMinor(shipment.insuranceCost ?? 0), currency: 'usd' };
}

/**
 * A Pacific date-time without a zone (`2026-12-07T08:46:27.0000000`) as ISO 8601 UTC. Pacific
 * time is UTC-8 or UTC-7: the offset is found by formatting the guess back.
 */
export function fromPacific(value: string | null | undefined, fallback: Date = new Date()): string {
  const m = value ? /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?/.exec(value) : null;
  if (!m) return fallback.toISOString();
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  for (const offsetHours of [8, 7]) {
    const candidate = new Date(asUtc + offsetHours * 3_600_000);
    if (pacificDateTime(candidate).startsWith(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}`)) return candidate.toISOString();
  }
  return new Date(asUtc + 8 * 3_600_000).toISOString();
}

/**
 * A v1 shipment (the answer of createlabelfororder, or one listed by GET /shipments) as the port's
 * PurchasedLabel. The label file comes with createlabelfororder's answer (`labelData`, a base64
 * PDF); a listed shipment has none, so a label found again by lookup has no document.
 */
export function toPurchasedLabel(shipment: V1Shipment, reference: string, carrier: string, serviceLevelToken: string): PurchasedLabel {
  const out: PurchasedLabel = {
    providerLabelId: String(shipment.shipmentId),
    reference,
    trackingNumber: shipment.trackingNumber,
    carrier,
    serviceLevelToken,
    cost: labelCost(shipment),
    createdAt: fromPacific(shipment.createDate),
  };
  if (typeof shipment.labelData === 'string' && shipment.labelData.length > 0) {
    out.document = { contentType: 'application/pdf', extension: 'pdf', content: Buffer.from(shipment.labelData, 'base64') };
  }
  return out;
}
