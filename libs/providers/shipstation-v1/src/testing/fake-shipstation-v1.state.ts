/** A carrier of a fake account: its code, prepaid balance (cents) and services. */
export interface FakeShipStationV1Carrier {
  code: string;
  balanceCents: number;
  services: string[];
  fundsAdded: Array<{ amount: number; at: number }>;
}

export interface FakeShipStationV1AccountInput {
  apiKey: string;
  apiSecret: string;
  /** Default one `stamps_com` carrier with 100 dollars. */
  carriers?: Array<{ code: string; balance?: number; services?: string[] }>;
}

export interface FakeShipStationV1Order {
  orderId: number;
  orderNumber: string;
  orderKey: string;
  orderStatus: 'awaiting_shipment' | 'shipped' | 'cancelled' | 'awaiting_payment' | 'on_hold' | 'pending_fulfillment';
  orderDate: string;
  createDate: string;
  modifyDate: string;
  request: Record<string, unknown>;
}

/** A Ship From Location (warehouse) of an account. */
export interface FakeShipStationV1Warehouse {
  warehouseId: number;
  warehouseName: string;
  originAddress: Record<string, unknown>;
  returnAddress: Record<string, unknown>;
  createDate: string;
  isDefault: boolean;
}

/** A label the fake sold (a shipment, in v1's words). */
export interface FakeShipStationV1Sale {
  shipmentId: number;
  orderId: number;
  orderNumber: string;
  orderKey: string;
  /** The API key (not the secret) of the account that bought it. */
  apiKey: string;
  carrierCode: string;
  serviceCode: string;
  trackingNumber: string;
  /** The Ship From Location the label ships from (the order's advancedOptions.warehouseId). */
  warehouseId: number;
  cost: number;
  createDate: string;
  shipDate: string;
  voided: boolean;
  at: number;
}

/** The services of the fake's carriers, with the fixed price of a label in dollars. */
export const FAKE_SHIPSTATION_V1_SERVICES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  stamps_com: { usps_first_class_mail: 4.75, usps_priority_mail: 7.58, usps_priority_mail_express: 28.75, usps_ground_advantage: 5.4, usps_media_mail: 3.92 },
  ups_walleted: { ups_ground: 12.1, ups_3_day_select: 18.4, ups_2nd_day_air: 24.9, ups_next_day_air: 41.3 },
  fedex: { fedex_ground: 11.2, fedex_2day: 22.6, fedex_standard_overnight: 39.9 },
};

/** What the fake ShipStation v1 keeps: accounts (key and secret) with their carriers, orders and labels. */
export class FakeShipStationV1State {
  private readonly accounts = new Map<string, { apiSecret: string; carriers: Map<string, FakeShipStationV1Carrier> }>();
  /** Orders by API key, then orderKey. */
  readonly orders = new Map<string, Map<string, FakeShipStationV1Order>>();
  readonly sales: FakeShipStationV1Sale[] = [];
  /** Ship From Locations by API key; every account starts with a default one. */
  readonly warehouses = new Map<string, FakeShipStationV1Warehouse[]>();
  /** Purchases of these order numbers fail with the text (a carrier refusal). */
  readonly failures = new Map<string, string>();
  private serial = 0;

  nextId(): number {
    this.serial += 1;
    return 70_000_000 + this.serial;
  }

  addAccount(input: FakeShipStationV1AccountInput): void {
    const carriers = new Map<string, FakeShipStationV1Carrier>();
    for (const c of input.carriers ?? [{ code: 'stamps_com' }]) {
      carriers.set(c.code, {
        code: c.code,
        balanceCents: Math.round((c.balance ?? 100) * 100),
        services: c.services ?? Object.keys(FAKE_SHIPSTATION_V1_SERVICES[c.code] ?? FAKE_SHIPSTATION_V1_SERVICES['stamps_com']),
        fundsAdded: [],
      });
    }
    this.accounts.set(input.apiKey, { apiSecret: input.apiSecret, carriers });
    this.orders.set(input.apiKey, this.orders.get(input.apiKey) ?? new Map());
    if (!this.warehouses.has(input.apiKey)) {
      const home = { name: 'Default Location', company: null, street1: '1 Default Way', street2: null, street3: null, city: 'Austin', state: 'TX', postalCode: '78703', country: 'US', phone: '5125555555', residential: false };
      this.warehouses.set(input.apiKey, [{ warehouseId: this.nextId(), warehouseName: 'Default Location', originAddress: home, returnAddress: home, createDate: '2026-01-01T00:00:00.0000000', isDefault: true }]);
    }
  }

  /** The API key when the pair is an account's, else undefined. */
  authenticate(apiKey: string, apiSecret: string): string | undefined {
    const account = this.accounts.get(apiKey);
    return account && account.apiSecret === apiSecret ? apiKey : undefined;
  }

  carrierOf(apiKey: string, code: string): FakeShipStationV1Carrier | undefined {
    return this.accounts.get(apiKey)?.carriers.get(code);
  }

  carrier(code: string, apiKey?: string): FakeShipStationV1Carrier {
    for (const [key, account] of this.accounts) {
      if (apiKey !== undefined && key !== apiKey) continue;
      const c = account.carriers.get(code);
      if (c) return c;
    }
    throw new Error(`fake ShipStation v1: no carrier ${code}${apiKey ? ` for key ${apiKey}` : ''}`);
  }

  ordersOf(apiKey: string): Map<string, FakeShipStationV1Order> {
    let m = this.orders.get(apiKey);
    if (!m) {
      m = new Map();
      this.orders.set(apiKey, m);
    }
    return m;
  }

  price(carrierCode: string, serviceCode: string): number | undefined {
    return (FAKE_SHIPSTATION_V1_SERVICES[carrierCode] ?? FAKE_SHIPSTATION_V1_SERVICES['stamps_com'])[serviceCode];
  }

  trackingNumber(carrierCode: string, n: number): string {
    const digits = String(n).padStart(10, '0');
    if (carrierCode.startsWith('ups')) return `1Z999AA1${digits}`;
    if (carrierCode.startsWith('fedex')) return `7${digits.slice(-11).padStart(11, '0')}`;
    return `94001118992${digits.padStart(11, '0')}`;
  }
}
