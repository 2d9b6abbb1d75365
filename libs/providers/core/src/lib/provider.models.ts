import type { ShipmentExtra } from './shipment-extra';
/**
 * Normalized models that cross the provider port. Amounts are integer minor units
 * (cents) with an ISO currency code in lower case, as ShipStation prints them.
 */
export interface MoneyAmount {
  /** Integer minor units, e.g. 1849 for $18.49. */
  amountMinor: number;
  currency: string;
}

/** The fields of an address that every shape of it spells alike: the port's, the API's and Shippo's. */
export interface AddressLines {
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
}

/** An address as it crosses the port. */
export interface PortAddress extends AddressLines {
  isResidential?: boolean;
}

/**
 * An address in Shippo's spelling (its AddressCreateRequest): the service's API takes addresses in
 * this shape (it speaks Shippo's vocabulary, as LABEL_FILE_TYPES) and the Shippo adapter sends it.
 */
export interface ShippoAddress extends AddressLines {
  street3?: string;
  is_residential?: boolean;
  metadata?: string;
}

export type DistanceUnit = 'cm' | 'in' | 'ft' | 'mm' | 'm' | 'yd';
export type MassUnit = 'g' | 'oz' | 'lb' | 'kg';

/** A parcel's size and weight, numbers in the port (`N` = number), decimal strings in Shippo's spelling. */
export interface ParcelMeasures<N> {
  length: N;
  width: N;
  height: N;
  weight: N;
}

/** A parcel as it crosses the port: numbers, in known units. */
export interface PortParcel extends ParcelMeasures<number> {
  distanceUnit: DistanceUnit;
  massUnit: MassUnit;
}

/**
 * A parcel in Shippo's spelling (its ParcelCreateRequest: decimal strings, units as given): what
 * the service's API takes, kept as sent until validation reads it, and what the Shippo adapter sends.
 */
export interface ShippoParcel extends ParcelMeasures<string> {
  distance_unit: string;
  mass_unit: string;
  metadata?: string;
}

export interface PortShipment {
  addressFrom: PortAddress;
  addressTo: PortAddress;
  addressReturn?: PortAddress;
  parcels: PortParcel[];
  shipmentDate?: string;
  /** Extra services (signature, insurance, references...), in Shippo's vocabulary; only options the adapter declares in `capabilities.shipmentExtras` reach it. */
  extra?: ShipmentExtra;
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
