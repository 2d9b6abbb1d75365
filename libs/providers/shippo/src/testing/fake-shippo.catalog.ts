/** Carriers and service levels the fake Shippo sells (Shippo's own tokens), their names and fixed prices. */

export type FakeShippoCarrier = 'usps' | 'ups' | 'fedex';

export interface FakeShippoServiceLevel {
  name: string;
  /** Fixed price of one label, in cents (USD). */
  priceCents: number;
}

export const FAKE_SHIPPO_SERVICE_LEVELS: Readonly<Record<FakeShippoCarrier, Readonly<Record<string, FakeShippoServiceLevel>>>> = {
  usps: {
    usps_priority: { name: 'Priority Mail', priceCents: 758 },
    usps_priority_express: { name: 'Priority Mail Express', priceCents: 2875 },
    usps_ground_advantage: { name: 'Ground Advantage', priceCents: 540 },
    usps_media_mail: { name: 'Media Mail', priceCents: 392 },
  },
  ups: {
    ups_ground: { name: 'UPS Ground', priceCents: 1120 },
    ups_3_day_select: { name: 'UPS 3 Day Select', priceCents: 1985 },
    ups_second_day_air: { name: 'UPS 2nd Day Air', priceCents: 2460 },
    ups_next_day_air: { name: 'UPS Next Day Air', priceCents: 4830 },
  },
  fedex: {
    fedex_ground: { name: 'FedEx Ground', priceCents: 1095 },
    fedex_2_day: { name: 'FedEx 2Day', priceCents: 2340 },
    fedex_standard_overnight: { name: 'FedEx Standard Overnight', priceCents: 5210 },
  },
};

/** The name Shippo prints as a rate's `provider`. */
export const FAKE_SHIPPO_PROVIDER_NAMES: Readonly<Record<FakeShippoCarrier, string>> = { usps: 'USPS', ups: 'UPS', fedex: 'FedEx' };

/** Tracking numbers in each carrier's style: USPS 22 digits, UPS `1Z` + 16, FedEx 12 digits. */
export function fakeShippoTrackingNumber(carrier: FakeShippoCarrier, serial: number): string {
  const digits = (n: number, width: number) => String(n).padStart(width, '0').slice(-width);
  if (carrier === 'ups') return `1ZSHPO03${digits(serial, 10)}`;
  if (carrier === 'fedex') return `8${digits(serial, 11)}`;
  return `9205500${digits(serial, 15)}`;
}

/** Shippo's label file type -> the renderer's format and page layout. */
export function fakeShippoLabelFormat(fileType: string): { format: 'pdf' | 'png' | 'zpl'; layout: string } {
  if (fileType.startsWith('PNG')) return { format: 'png', layout: '4x6' };
  if (fileType === 'ZPLII') return { format: 'zpl', layout: '4x6' };
  const layouts: Record<string, string> = { PDF: 'letter', PDF_A4: 'A4', PDF_A6: 'A6' };
  return { format: 'pdf', layout: layouts[fileType] ?? '4x6' };
}
