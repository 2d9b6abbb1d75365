/** ShipStation API v1 shapes the adapter sends and reads (see openapi/shipstation-v1.source.yaml). */

export interface V1Address {
  name: string;
  company?: string | null;
  street1: string;
  street2?: string | null;
  city: string;
  state: string;
  postalCode: string;
  country: string;
  phone?: string | null;
  residential?: boolean | null;
}

export interface V1Weight {
  value: number;
  units: 'pounds' | 'ounces' | 'grams';
}

export interface V1Dimensions {
  length: number;
  width: number;
  height: number;
  units: 'inches' | 'centimeters';
}

export type V1Confirmation = 'none' | 'delivery' | 'signature' | 'adult_signature' | 'direct_signature';

export interface V1AdvancedOptions {
  /** The Ship From Location (warehouse) the label ships from. */
  warehouseId?: number;
  saturdayDelivery?: boolean;
  customField1?: string;
  customField2?: string;
  customField3?: string;
}

export type V1OrderStatus = 'awaiting_payment' | 'awaiting_shipment' | 'pending_fulfillment' | 'shipped' | 'on_hold' | 'cancelled';

export interface V1OrderRequest {
  orderNumber: string;
  orderKey: string;
  orderDate: string;
  orderStatus: V1OrderStatus;
  billTo: V1Address;
  shipTo: V1Address;
  carrierCode: string;
  serviceCode: string;
  packageCode: string;
  confirmation: V1Confirmation;
  shipDate: string;
  weight: V1Weight;
  dimensions: V1Dimensions;
  advancedOptions?: V1AdvancedOptions;
  internalNotes?: string;
}

export interface V1Order {
  orderId: number;
  orderNumber: string;
  orderKey: string;
  orderStatus: V1OrderStatus;
}

export interface V1CreateLabelForOrderRequest {
  orderId: number;
  carrierCode: string;
  serviceCode: string;
  packageCode: string;
  confirmation: V1Confirmation;
  shipDate: string;
  weight: V1Weight;
  dimensions: V1Dimensions;
  advancedOptions?: V1AdvancedOptions;
  testLabel: boolean;
}

/** The answer of createlabelfororder (and a shipment of GET /shipments, which has no labelData). */
export interface V1Shipment {
  shipmentId: number;
  orderId?: number | null;
  orderKey?: string | null;
  orderNumber?: string | null;
  createDate?: string | null;
  shipDate?: string | null;
  shipmentCost: number;
  insuranceCost?: number;
  trackingNumber: string;
  carrierCode?: string | null;
  serviceCode?: string | null;
  voided?: boolean;
  labelData?: string | null;
}

export interface V1ShipmentList {
  shipments: V1Shipment[];
  total: number;
  page: number;
  pages: number;
}

export interface V1Service {
  carrierCode: string;
  code: string;
  name: string;
  domestic?: boolean;
  international?: boolean;
}

export type V1Package = V1Service;

export interface V1Carrier {
  name?: string;
  code: string;
  balance: number;
}

export interface V1VoidAnswer {
  approved: boolean;
  message: string;
}

/** ShipStation's error answers: ASP.NET Web API shapes. */
export interface V1ErrorBody {
  Message?: string;
  ExceptionMessage?: string | null;
  ExceptionType?: string | null;
}

export interface V1WarehouseRequest {
  warehouseName: string;
  originAddress: V1Address;
  returnAddress?: V1Address;
  isDefault: boolean;
}

export interface V1Warehouse {
  warehouseId: number;
  warehouseName?: string | null;
  isDefault?: boolean;
}
