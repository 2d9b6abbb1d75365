/**
 * Normalized models that cross the provider port. Amounts are integer minor units
 * (cents) with an ISO currency code in lower case, as ShipStation prints them.
 */
export interface MoneyAmount {
  /** Integer minor units, e.g. 1849 for $18.49. */
  amountMinor: number;
  currency: string;
}

export interface PortAddress {
  name?: string;
  company?: string;
  street1?: string;
  street2?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
  phone?: string;
  email?: string;
  isResidential?: boolean;
}

export type DistanceUnit = 'cm' | 'in' | 'ft' | 'mm' | 'm' | 'yd';
export type MassUnit = 'g' | 'oz' | 'lb' | 'kg';

export interface PortParcel {
  length: number;
  width: number;
  height: number;
  distanceUnit: DistanceUnit;
  weight: number;
  massUnit: MassUnit;
}

export interface PortShipment {
  addressFrom: PortAddress;
  addressTo: PortAddress;
  addressReturn?: PortAddress;
  parcels: PortParcel[];
  shipmentDate?: string;
}

/** Shippo's label file types; the service's single vocabulary for label formats. */
export const LABEL_FILE_TYPES = [
  'PNG',
  'PNG_2.3x7.5',
  'PDF',
  'PDF_2.3x7.5',
  'PDF_4x6',
  'PDF_4x8',
  'PDF_A4',
  'PDF_A5',
  'PDF_A6',
  'ZPLII',
] as const;
export type LabelFileType = (typeof LABEL_FILE_TYPES)[number];

export interface ValidateShipmentCommand {
  /** The provider-side carrier (usps, ups, ...) of the carrier account. */
  carrier: string;
  serviceLevelToken: string;
  shipment: PortShipment;
}

export interface ValidationProblem {
  /** Where the problem is, e.g. `address_to.zip`; absent for whole-shipment problems. */
  field?: string;
  code: string;
  text: string;
  /** INCOMPLETE when something required is missing, INVALID when something is wrong. */
  severity: 'INCOMPLETE' | 'INVALID';
}

export interface PurchaseLabelCommand {
  /** Our stable reference for this purchase (the batch shipment id). Never reused. */
  reference: string;
  carrier: string;
  serviceLevelToken: string;
  shipment: PortShipment;
  labelFileType: LabelFileType;
}

export interface LabelDocument {
  /** MIME type of `content`, e.g. application/pdf. */
  contentType: string;
  /** File extension without the dot: pdf, png, zpl. */
  extension: string;
  content: Buffer;
}

export interface PurchasedLabel {
  /** The provider's id for the label / transaction. */
  providerLabelId: string;
  /** Our reference, echoed back. */
  reference: string;
  trackingNumber: string;
  carrier: string;
  serviceLevelToken: string;
  cost: MoneyAmount;
  /** When the provider sold the label (ISO 8601). */
  createdAt: string;
  /** The label file itself when the provider returns it inline. */
  document?: LabelDocument;
  /** Where the provider serves the label file when it is not inline. */
  documentUrl?: string;
}

export interface VoidResult {
  approved: boolean;
  message: string;
}

export interface Balance {
  amount: MoneyAmount;
}
