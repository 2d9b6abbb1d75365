import { FakeShipStationBatchBook } from './fake-shipstation.batch.state';
import { FAKE_SHIPSTATION_SERVICES, type FakeCarrierCode } from './fake-shipstation.catalog';

export interface FakeShipStationCarrierInput {
  /** ShipStation's carrier id, e.g. `se-123` (must match `^se(-[a-z0-9]+)+$`). */
  carrierId: string;
  /** Default `stamps_com` (USPS). */
  carrierCode?: FakeCarrierCode;
  /** Prepaid balance in dollars; default 100. */
  balance?: number;
  /** Service codes offered; default every service of the carrier code. */
  services?: string[];
  nickname?: string;
}

export interface FakeShipStationAccountInput {
  apiKey: string;
  carriers: FakeShipStationCarrierInput[];
}

export interface FakeCarrierState {
  carrierId: string;
  carrierCode: FakeCarrierCode;
  apiKey: string;
  nickname: string;
  balanceCents: number;
  services: string[];
  fundsAdded: Array<{ amount: number; at: number }>;
}

/** One label the fake sold (request fields kept as sent, for the label answer and the document). */
export interface FakeLabelState {
  labelId: string;
  shipmentId: string;
  apiKey: string;
  carrierId: string;
  carrierCode: FakeCarrierCode;
  serviceCode: string;
  packageCode: string;
  externalShipmentId: string | null;
  externalOrderId: string | null;
  trackingNumber: string;
  costCents: number;
  createdAt: Date;
  shipDate: string;
  labelFormat: 'pdf' | 'png' | 'zpl';
  labelLayout: string;
  fileType: string;
  voided: boolean;
  voidedAt: Date | null;
  /** The batch that bought it; null for a label bought alone. */
  batchId: string | null;
  shipTo: Record<string, unknown>;
  shipFrom: Record<string, unknown>;
  packages: Array<Record<string, unknown>>;
  document?: Promise<{ contentType: string; bytes: Buffer }>;
}

/** A row of the sales ledger. */
export interface FakeShipStationSale {
  label_id: string;
  external_shipment_id: string | null;
  carrierId: string;
  service_code: string;
  tracking_number: string;
  /** Dollars. */
  cost: number;
  /** When it was sold, ms since the epoch. */
  at: number;
  voided: boolean;
  apiKey: string;
  /** The ShipStation batch that bought it; null when bought alone. */
  batch: string | null;
}

/** Accounts, carriers and their balances, and every label sold: the fake ShipStation's books. */
export class FakeShipStationState {
  private readonly keys = new Set<string>();
  private readonly carriers = new Map<string, FakeCarrierState>();
  readonly labels = new Map<string, FakeLabelState>();
  /** Shipments, warehouses and batches. */
  readonly book = new FakeShipStationBatchBook();
  private serial = 0;

  addAccount(input: FakeShipStationAccountInput): void {
    if (!input.apiKey) throw new Error('fake ShipStation: an account needs an apiKey');
    this.keys.add(input.apiKey);
    for (const c of input.carriers) {
      if (!/^se(-[a-z0-9]+)+$/.test(c.carrierId)) throw new Error(`fake ShipStation: carrier id '${c.carrierId}' is not a ShipStation id (se-...)`);
      if (this.carriers.has(c.carrierId)) throw new Error(`fake ShipStation: carrier ${c.carrierId} exists already`);
      const carrierCode = c.carrierCode ?? 'stamps_com';
      const catalog = FAKE_SHIPSTATION_SERVICES[carrierCode];
      if (!catalog) throw new Error(`fake ShipStation: unknown carrier code '${carrierCode}' (stamps_com, ups, fedex)`);
      const services = c.services ?? Object.keys(catalog);
      const unknown = services.filter((s) => !catalog[s]);
      if (unknown.length) throw new Error(`fake ShipStation: ${carrierCode} has no service ${unknown.join(', ')}`);
      this.carriers.set(c.carrierId, {
        carrierId: c.carrierId,
        carrierCode,
        apiKey: input.apiKey,
        nickname: c.nickname ?? `${carrierCode} ${c.carrierId}`,
        balanceCents: Math.round((c.balance ?? 100) * 100),
        services,
        fundsAdded: [],
      });
    }
  }

  hasKey(apiKey: string | undefined): apiKey is string {
    return apiKey !== undefined && this.keys.has(apiKey);
  }

  /** The carrier when it belongs to this key. */
  carrierOf(apiKey: string, carrierId: string): FakeCarrierState | undefined {
    const c = this.carriers.get(carrierId);
    return c && c.apiKey === apiKey ? c : undefined;
  }

  carrier(carrierId: string): FakeCarrierState {
    const c = this.carriers.get(carrierId);
    if (!c) throw new Error(`fake ShipStation: no carrier ${carrierId}`);
    return c;
  }

  labelOf(apiKey: string, labelId: string): FakeLabelState | undefined {
    const l = this.labels.get(labelId);
    return l && l.apiKey === apiKey ? l : undefined;
  }

  /** The latest label not voided with this external_shipment_id for this key. */
  latestByExternalId(apiKey: string, externalShipmentId: string): FakeLabelState | undefined {
    let found: FakeLabelState | undefined;
    for (const l of this.labels.values()) if (l.apiKey === apiKey && !l.voided && l.externalShipmentId === externalShipmentId) found = l;
    return found;
  }

  nextSerial(): number {
    this.serial += 1;
    return this.serial;
  }

  sales(): FakeShipStationSale[] {
    return [...this.labels.values()].map((l) => ({
      label_id: l.labelId,
      external_shipment_id: l.externalShipmentId,
      carrierId: l.carrierId,
      service_code: l.serviceCode,
      tracking_number: l.trackingNumber,
      cost: l.costCents / 100,
      at: l.createdAt.getTime(),
      voided: l.voided,
      apiKey: l.apiKey,
      batch: l.batchId,
    }));
  }
}
