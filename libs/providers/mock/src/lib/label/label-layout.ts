import { StandardFontEmbedder } from '@cantoo/pdf-lib';
import type { LabelFileType, MassUnit, PortAddress, PortShipment } from '@shipbatch/providers/core';
import { CODE128_QUIET_ZONE, type Code128Symbol, code128Modules, encodeCode128 } from './code128';

/** The printed address fields. */
export type LabelAddress = Pick<PortAddress, 'name' | 'company' | 'street1' | 'street2' | 'city' | 'state' | 'zip' | 'country'>;

/** What a label prints from the shipment: addresses and total weight. */
export interface MockLabelParties {
  from?: LabelAddress;
  to?: LabelAddress;
  /** Total weight of the shipment's parcels, in the first parcel's unit. */
  weight?: { value: number; unit: MassUnit };
  /** The shipment extras the mock honours, as printed (signature, references); absent when none. */
  notes?: string[];
}

/** What a mock label prints. */
export interface MockLabelContent extends MockLabelParties {
  trackingNumber: string;
  carrier: string;
  serviceLevelToken: string;
  /** Our reference (the batch shipment id). */
  reference: string;
}

const GRAMS: Readonly<Record<MassUnit, number>> = { g: 1, oz: 28.349523125, lb: 453.59237, kg: 1000 };

function labelAddress(a: PortAddress): LabelAddress {
  const { name, company, street1, street2, city, state, zip, country } = a;
  return Object.fromEntries(Object.entries({ name, company, street1, street2, city, state, zip, country }).filter(([, v]) => v)) as LabelAddress;
}

/** The addresses and the parcels' total weight (in the first parcel's unit) of a shipment. */
export function labelParties(shipment: PortShipment): MockLabelParties {
  const parcels = shipment.parcels ?? [];
  const unit = parcels[0]?.massUnit;
  const grams = parcels.reduce((sum, p) => sum + p.weight * (GRAMS[p.massUnit] ?? 1), 0);
  return {
    from: shipment.addressFrom ? labelAddress(shipment.addressFrom) : undefined,
    to: shipment.addressTo ? labelAddress(shipment.addressTo) : undefined,
    weight: unit ? { value: Math.round((grams / GRAMS[unit]) * 100) / 100, unit } : undefined,
    ...extraNotes(shipment),
  };
}

/** What the mock prints of the extras it declares (MOCK_SHIPMENT_EXTRAS): the signature asked for and the references. */
function extraNotes(shipment: PortShipment): Pick<MockLabelParties, 'notes'> {
  const extra = shipment.extra ?? {};
  const notes = [
    extra.signature_confirmation ? `SIGNATURE REQUIRED (${extra.signature_confirmation})` : '',
    extra.reference_1 ? `Ref 1 ${extra.reference_1}` : '',
    extra.reference_2 ? `Ref 2 ${extra.reference_2}` : '',
  ].filter(Boolean);
  return notes.length > 0 ? { notes } : {};
}

export type LabelElement =
  /** Text; `y` is the baseline, measured from the top of the label. */
  | { kind: 'text'; x: number; y: number; size: number; bold: boolean; text: string }
  /** A filled black rectangle (rules); top-left corner. */
  | { kind: 'rule'; x: number; y: number; w: number; h: number }
  /** A Code 128 symbol: bars from `x` (the first bar), `module` units per module, `h` high. */
  | { kind: 'barcode'; x: number; y: number; h: number; module: number; box: { x: number; w: number }; symbol: Code128Symbol };

/** A label laid out once, drawn by the PDF, PNG and ZPL writers. Units: PostScript points, y down. */
export interface LabelLayout {
  width: number;
  height: number;
  elements: LabelElement[];
}

/** Page sizes in PostScript points (1/72 in), width x height. */
export const LABEL_PAGE_POINTS: Readonly<Record<LabelFileType, readonly [number, number]>> = {
  PDF: [612, 792], // US letter
  'PDF_2.3x7.5': [165.6, 540],
  PDF_4x6: [288, 432],
  PDF_4x8: [288, 576],
  PDF_A4: [595.28, 841.89],
  PDF_A5: [419.53, 595.28],
  PDF_A6: [297.64, 419.53],
  PNG: [288, 432],
  'PNG_2.3x7.5': [165.6, 540],
  ZPLII: [288, 432],
};

// pdf-lib's FontNames enum is not exported; its values are the standard font names.
type FontName = Parameters<typeof StandardFontEmbedder.for>[0];
/** Metrics and WinAnsi encoding of the standard fonts (the PDF writer names the same fonts). */
export const HELVETICA = StandardFontEmbedder.for('Helvetica' as FontName);
const HELVETICA_BOLD = StandardFontEmbedder.for('Helvetica-Bold' as FontName);
const LARGEST_MODULE = 1.6; // points, about 22 mil

/** Width of `text` in Helvetica (bold) at `size` points. */
export function textWidth(text: string, size: number, bold: boolean): number {
  return (bold ? HELVETICA_BOLD : HELVETICA).widthOfTextAtSize(text, size);
}

/** Keeps what WinAnsi (the standard PDF fonts' encoding) can print; other characters become '?'. */
export function printable(text: string): string {
  let out = '';
  for (const ch of text.replace(/\s+/g, ' ').trim()) {
    const cp = ch.codePointAt(0) ?? 63;
    out += cp >= 0x20 && HELVETICA.encoding.canEncodeUnicodeCodePoint(cp) ? ch : '?';
  }
  return out;
}

/** Shortens `text` with '...' until it fits `max` points (binary search on the length kept). */
function fit(text: string, size: number, bold: boolean, max: number): string {
  if (textWidth(text, size, bold) <= max) return text;
  const cut = (n: number) => `${text.slice(0, n).trimEnd()}...`;
  let lo = 0;
  let hi = text.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (textWidth(cut(mid), size, bold) <= max) lo = mid;
    else hi = mid - 1;
  }
  return cut(lo);
}

/** `usps_priority_express` on carrier `usps` -> `PRIORITY EXPRESS`. */
export function serviceName(carrier: string, token: string): string {
  const rest = token.startsWith(`${carrier}_`) ? token.slice(carrier.length + 1) : token;
  return rest.replace(/_/g, ' ').toUpperCase();
}

export function formatWeight(weight: { value: number; unit: MassUnit }): string {
  return `${Number(weight.value.toFixed(2))} ${weight.unit}`;
}

export function addressLines(a: LabelAddress | undefined): string[] {
  if (!a) return [];
  const cityLine = [a.city, [a.state, a.zip].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [a.name, a.company, a.street1, a.street2, cityLine, a.country].filter((l): l is string => !!l && l.trim() !== '');
}

/**
 * Lays the label out for a page of `size` points: carrier and service, FROM, SHIP TO,
 * tracking barcode with its number, weight and reference. Font sizes follow the page width;
 * when the content would not fit the page height, everything is scaled down.
 *
 * `bars: 'width-only'` skips encoding the Code 128 bars (the symbol gets its width and no bars):
 * for ZPL, where the printer draws the symbol from the data.
 */
export function layoutLabel(content: MockLabelContent, size: readonly [number, number], bars: 'encode' | 'width-only' = 'encode'): LabelLayout {
  const [width, height] = size;
  const value = content.trackingNumber;
  const symbol = bars === 'encode' ? encodeCode128(value) : { value, modules: code128Modules(value), bars: [] };
  let layout = layoutAt(content, symbol, width, 1);
  if (layout.bottom > height) {
    const m = margin(width);
    layout = layoutAt(content, symbol, width, (height - 2 * m) / (layout.bottom - 2 * m));
  }
  return { width, height, elements: layout.elements };
}

const margin = (width: number): number => Math.max(8, width * 0.035);

/** `shrink` (<= 1) scales the type and the barcode height down when the page is too short. */
function layoutAt(content: MockLabelContent, symbol: Code128Symbol, width: number, shrink: number) {
  const s = Math.min(16, Math.max(7.5, (width / 288) * 9)) * shrink;
  const m = margin(width);
  const inner = width - 2 * m;
  const elements: LabelElement[] = [];
  let y = m;
  const text = (t: string, size: number, bold = false, indent = 0, lineGap = 1.22): void => {
    y += size * lineGap;
    elements.push({ kind: 'text', x: m + indent, y, size, bold, text: fit(printable(t), size, bold, inner - indent) });
  };
  const rule = (): void => {
    y += s * 0.55;
    const h = Math.max(0.75, s / 9);
    elements.push({ kind: 'rule', x: m, y, w: inner, h });
    y += h;
  };

  text(content.carrier.toUpperCase(), s * 2.2, true, 0, 1.0);
  text(serviceName(content.carrier, content.serviceLevelToken), s * 1.45, true);
  const details = [`Service ${content.serviceLevelToken}`, content.weight ? `Weight ${formatWeight(content.weight)}` : ''];
  text(details.filter(Boolean).join(' - '), s);
  for (const note of content.notes ?? []) text(note, s, true);
  rule();
  text('FROM', s * 0.8, true);
  for (const line of addressLines(content.from)) text(line, s);
  rule();
  text('SHIP TO', s * 0.8, true);
  addressLines(content.to).forEach((line, i) => text(line, s * 1.35, i === 0, s));
  rule();
  text(`${content.carrier.toUpperCase()} TRACKING #`, s * 0.8, true);

  y += s * 0.6;
  const barHeight = Math.min(110, Math.max(50, (width / 288) * 68)) * shrink;
  const module = Math.min(LARGEST_MODULE, inner / (symbol.modules + 2 * CODE128_QUIET_ZONE));
  const x = m + (inner - symbol.modules * module) / 2;
  elements.push({ kind: 'barcode', x, y, h: barHeight, module, box: { x: m, w: inner }, symbol });
  y += barHeight;
  const tn = content.trackingNumber;
  const tnSize = s * 1.2;
  y += tnSize * 1.25;
  elements.push({ kind: 'text', x: m + Math.max(0, (inner - textWidth(tn, tnSize, true)) / 2), y, size: tnSize, bold: true, text: printable(tn) });
  rule();
  text(`Ref ${content.reference}`, s * 0.85);
  text('Shipbatch mock label - not valid for shipping', s * 0.75);
  return { elements, bottom: y + m };
}
