/** The fake ShipStation's shipments, warehouses and batches (the batch API's books). */

type Json = Record<string, unknown>;

export type FakeShipmentStatus = 'pending' | 'processing' | 'label_purchased' | 'cancelled';

/** A shipment: made by `POST /v2/shipments`, or by a label bought alone (`POST /v2/labels`). */
export interface FakeShipmentState {
  shipmentId: string;
  apiKey: string;
  carrierId: string;
  serviceCode: string;
  externalShipmentId: string | null;
  warehouseId: string | null;
  shipDate: string;
  createdAt: Date;
  modifiedAt: Date;
  status: FakeShipmentStatus;
  shipTo: Json;
  /** As sent, or the warehouse's origin address. */
  shipFrom: Json;
  /** As sent, or the warehouse's return address. */
  returnTo: Json;
  packages: Json[];
  /** The batch it is in, if any. */
  batchId: string | null;
  /** Its label, once bought (not voided). */
  labelId: string | null;
}

export interface FakeWarehouseState {
  warehouseId: string;
  apiKey: string;
  name: string;
  createdAt: Date;
  isDefault: boolean;
  originAddress: Json;
  returnAddress: Json;
}

export type FakeBatchStatus = 'open' | 'queued' | 'processing' | 'completed' | 'completed_with_errors' | 'archived' | 'notifying' | 'invalid';

export interface FakeBatchError {
  error: string;
  shipmentId: string;
  externalShipmentId: string | null;
}

export interface FakeBatchState {
  batchId: string;
  batchNumber: string;
  apiKey: string;
  externalBatchId: string | null;
  notes: string | null;
  createdAt: Date;
  processedAt: Date | null;
  status: FakeBatchStatus;
  /** Its shipments, in the order they were added. */
  shipmentIds: string[];
  /** The warehouse every shipment of the batch ships from (the first shipment's). */
  warehouseId: string | null;
  labelFormat: 'pdf' | 'png' | 'zpl';
  labelLayout: string;
  /** Every `process/labels` call received for it, refused ones included. */
  processCalls: number;
  /** Reads of the batch since it was processed (its status moves on with them). */
  readsSinceProcess: number;
  errors: FakeBatchError[];
  /** Labels made, in the order they were made. */
  labelIds: string[];
}

/** A view of a batch for tests. */
export interface FakeShipStationBatchView {
  batchId: string;
  externalBatchId: string | null;
  apiKey: string;
  status: FakeBatchStatus;
  shipmentIds: string[];
  processCalls: number;
  errors: Array<{ error: string; shipment_id: string; external_shipment_id: string | null }>;
}

/** Shipments, warehouses and batches per API key, with ShipStation's uniqueness rules. */
export class FakeShipStationBatchBook {
  readonly shipments = new Map<string, FakeShipmentState>();
  readonly warehouses = new Map<string, FakeWarehouseState>();
  readonly batches = new Map<string, FakeBatchState>();
  private readonly byExternalShipmentId = new Map<string, string>();
  private readonly byExternalBatchId = new Map<string, string>();
  /** Purchases that fail, by external_shipment_id (a test's knob): the text ShipStation answers. */
  readonly failures = new Map<string, string>();

  /** The shipment (of this key) with this external_shipment_id: ShipStation keeps it unique per account. */
  shipmentByExternalId(apiKey: string, externalShipmentId: string): FakeShipmentState | undefined {
    const id = this.byExternalShipmentId.get(`${apiKey}\u0000${externalShipmentId}`);
    return id ? this.shipments.get(id) : undefined;
  }

  addShipment(s: FakeShipmentState): void {
    if (s.externalShipmentId !== null) {
      const key = `${s.apiKey}\u0000${s.externalShipmentId}`;
      if (this.byExternalShipmentId.has(key)) throw new Error(`fake ShipStation: external_shipment_id ${s.externalShipmentId} is taken`);
      this.byExternalShipmentId.set(key, s.shipmentId);
    }
    this.shipments.set(s.shipmentId, s);
  }

  shipmentOf(apiKey: string, shipmentId: string): FakeShipmentState | undefined {
    const s = this.shipments.get(shipmentId);
    return s && s.apiKey === apiKey ? s : undefined;
  }

  warehouseOf(apiKey: string, warehouseId: string): FakeWarehouseState | undefined {
    const w = this.warehouses.get(warehouseId);
    return w && w.apiKey === apiKey ? w : undefined;
  }

  warehousesOf(apiKey: string): FakeWarehouseState[] {
    return [...this.warehouses.values()].filter((w) => w.apiKey === apiKey);
  }

  batchOf(apiKey: string, batchId: string): FakeBatchState | undefined {
    const b = this.batches.get(batchId);
    return b && b.apiKey === apiKey ? b : undefined;
  }

  batchByExternalId(apiKey: string, externalBatchId: string): FakeBatchState | undefined {
    const id = this.byExternalBatchId.get(`${apiKey}\u0000${externalBatchId}`);
    return id ? this.batches.get(id) : undefined;
  }

  addBatch(b: FakeBatchState): void {
    if (b.externalBatchId !== null) {
      const key = `${b.apiKey}\u0000${b.externalBatchId}`;
      if (this.byExternalBatchId.has(key)) throw new Error(`fake ShipStation: external_batch_id ${b.externalBatchId} is taken`);
      this.byExternalBatchId.set(key, b.batchId);
    }
    this.batches.set(b.batchId, b);
  }

  views(): FakeShipStationBatchView[] {
    return [...this.batches.values()].map((b) => ({
      batchId: b.batchId,
      externalBatchId: b.externalBatchId,
      apiKey: b.apiKey,
      status: b.status,
      shipmentIds: b.shipmentIds.slice(),
      processCalls: b.processCalls,
      errors: b.errors.map((e) => ({ error: e.error, shipment_id: e.shipmentId, external_shipment_id: e.externalShipmentId })),
    }));
  }
}
