/** Carriers and services the fake ShipStation offers, their names and fixed prices. */

export type FakeCarrierCode = 'stamps_com' | 'ups' | 'fedex';

export interface FakeServiceInfo {
  name: string;
  /** Fixed price of one label, in cents. */
  priceCents: number;
  domestic: boolean;
  international: boolean;
}

export const FAKE_SHIPSTATION_SERVICES: Readonly<Record<FakeCarrierCode, Readonly<Record<string, FakeServiceInfo>>>> = {
  stamps_com: {
    usps_first_class_mail: { name: 'USPS First Class Mail', priceCents: 475, domestic: true, international: false },
    usps_priority_mail: { name: 'USPS Priority Mail', priceCents: 758, domestic: true, international: false },
    usps_priority_mail_express: { name: 'USPS Priority Mail Express', priceCents: 2875, domestic: true, international: false },
    usps_ground_advantage: { name: 'USPS Ground Advantage', priceCents: 540, domestic: true, international: false },
    usps_media_mail: { name: 'USPS Media Mail', priceCents: 392, domestic: true, international: false },
  },
  ups: {
    ups_ground: { name: 'UPS Ground', priceCents: 1120, domestic: true, international: false },
    ups_3_day_select: { name: 'UPS 3 Day Select', priceCents: 1985, domestic: true, international: false },
    ups_2nd_day_air: { name: 'UPS 2nd Day Air', priceCents: 2460, domestic: true, international: false },
    ups_next_day_air: { name: 'UPS Next Day Air', priceCents: 4830, domestic: true, international: false },
  },
  fedex: {
    fedex_ground: { name: 'FedEx Ground', priceCents: 1095, domestic: true, international: false },
    fedex_2day: { name: 'FedEx 2Day', priceCents: 2340, domestic: true, international: false },
    fedex_standard_overnight: { name: 'FedEx Standard Overnight', priceCents: 5210, domestic: true, international: false },
  },
};

export const FAKE_CARRIER_NAMES: Readonly<Record<FakeCarrierCode, string>> = { stamps_com: 'Stamps.com', ups: 'UPS', fedex: 'FedEx' };

/** The carrier printed on the label (the mock renderer's carrier token). */
export const FAKE_LABEL_CARRIER: Readonly<Record<FakeCarrierCode, string>> = { stamps_com: 'usps', ups: 'ups', fedex: 'fedex' };

/** Tracking numbers in each carrier's style: USPS 22 digits, UPS `1Z` + 16, FedEx 12 digits. */
export function fakeTrackingNumber(carrierCode: FakeCarrierCode, serial: number): string {
  const digits = (n: number, width: number) => String(n).padStart(width, '0').slice(-width);
  if (carrierCode === 'ups') return `1ZFAKE03${digits(serial, 10)}`;
  if (carrierCode === 'fedex') return `7${digits(serial, 11)}`;
  return `9400111${digits(serial, 15)}`;
}

/** ShipEngine's label_format x label_layout to the mock renderer's file type; undefined when the pair is not offered. */
export function fakeLabelFileType(format: string, layout: string): 'PDF' | 'PDF_4x6' | 'PDF_A4' | 'PDF_A6' | 'PNG' | 'ZPLII' | undefined {
  if (format === 'pdf') return ({ '4x6': 'PDF_4x6', letter: 'PDF', A4: 'PDF_A4', A6: 'PDF_A6' } as const)[layout];
  if (format === 'png') return layout === '4x6' ? 'PNG' : undefined;
  if (format === 'zpl') return layout === '4x6' ? 'ZPLII' : undefined;
  return undefined;
}
