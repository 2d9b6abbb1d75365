import { randomUUID } from 'node:crypto';
import { FAKE_SHIPPO_SERVICE_LEVELS, type FakeShippoCarrier } from './fake-shippo.catalog';
import type { FakeShippoMessage } from './fake-shippo.errors';

type Json = Record<string, unknown>;

export interface FakeShippoCarrierAccountInput {
  /** Shippo's object id of the carrier account (any non-empty string; Shippo's are 32 hex digits). */
  objectId: string;
  carrier: FakeShippoCarrier;
  /** Service level tokens offered; default every one of the carrier in the fake's catalog. */
  serviceLevels?: string[];
}

export interface FakeShippoAccountInput {
  token: string;
  carrierAccounts: FakeShippoCarrierAccountInput[];
}

export interface FakeShippoCarrierAccount {
  objectId: string;
  carrier: FakeShippoCarrier;
  token: string;
  serviceLevels: string[];
}

export type FakeShippoTransactionStatus = 'WAITING' | 'QUEUED' | 'SUCCESS' | 'ERROR' | 'REFUNDED' | 'REFUNDPENDING';

export interface FakeShippoRate {
  objectId: string;
  token: string;
  shipmentId: string;
  carrierAccount: string;
  carrier: FakeShippoCarrier;
  servicelevel: string;
  amountCents: number;
  createdAt: Date;
}

export interface FakeShippoTransaction {
  objectId: string;
  token: string;
  status: FakeShippoTransactionStatus;
  /** GET /transactions/{id} reads left before a QUEUED transaction shows SUCCESS. */
  pollsLeft: number;
  createdAt: Date;
  updatedAt: Date;
  metadata: string;
  carrierAccount: string;
  carrier: FakeShippoCarrier;
  servicelevel: string;
  labelFileType: string;
  rate?: FakeShippoRate;
  trackingNumber: string;
  messages: FakeShippoMessage[];
  /** A label was sold (every status but ERROR). */
  sold: boolean;
  via: 'transaction' | 'batch';
  batchId?: string;
  refunded: boolean;
  shipment: Json;
  document?: Promise<{ contentType: string; bytes: Buffer }>;
}

export interface FakeShippoBatchShipment {
  objectId: string;
  shipmentId: string;
  metadata?: string;
  carrierAccount?: string;
  servicelevel?: string;
  status: 'VALID' | 'INVALID' | 'TRANSACTION_FAILED';
  messages: FakeShippoMessage[];
  transaction?: string;
  shipment: Json;
}

export interface FakeShippoBatch {
  objectId: string;
  token: string;
  status: 'VALIDATING' | 'VALID' | 'INVALID' | 'PURCHASING' | 'PURCHASED';
  createdAt: Date;
  updatedAt: Date;
  metadata?: string;
  defaultCarrierAccount: string;
  defaultServicelevel: string;
  labelFiletype?: string;
  shipments: FakeShippoBatchShipment[];
  /** Validation outcome, shown once the pending reads are used up. */
  validated: FakeShippoBatchShipment[];
  pendingReads: number;
  purchaseCalls: number;
}

/** A row of the sales ledger: every label the fake sold. */
export interface FakeShippoSale {
  object_id: string;
  metadata: string;
  carrier_account: string;
  servicelevel: string;
  tracking_number: string;
  /** Dollars. */
  amount: number;
  via: 'transaction' | 'batch';
  batch?: string;
  refunded: boolean;
  /** When it was sold, ms since the epoch. */
  at: number;
  token: string;
}

export const newShippoId = (): string => randomUUID().replace(/-/g, '');

/** Tokens, carrier accounts, transactions, rates, refunds and batches: the fake Shippo's books. */
export class FakeShippoState {
  private readonly tokens = new Set<string>();
  private readonly carrierAccounts = new Map<string, FakeShippoCarrierAccount>();
  /** In creation order (oldest first). */
  readonly transactions = new Map<string, FakeShippoTransaction>();
  readonly rates = new Map<string, FakeShippoRate>();
  readonly batches = new Map<string, FakeShippoBatch>();
  /** Transaction ids refunded. */
  readonly refunds = new Map<string, string>();
  /** Metadata whose next purchase fails (single or in a batch), with the carrier's text. */
  readonly failing = new Map<string, string>();
  /** Metadata a batch's validation finds invalid (the carrier's address check), with its text. */
  readonly invalidating = new Map<string, string>();
  private serial = 0;

  addAccount(input: FakeShippoAccountInput): void {
    if (!input.token) throw new Error('fake Shippo: an account needs a token');
    this.tokens.add(input.token);
    for (const a of input.carrierAccounts) {
      if (!a.objectId) throw new Error('fake Shippo: a carrier account needs an objectId');
      if (this.carrierAccounts.has(a.objectId)) throw new Error(`fake Shippo: carrier account ${a.objectId} exists already`);
      const catalog = FAKE_SHIPPO_SERVICE_LEVELS[a.carrier];
      if (!catalog) throw new Error(`fake Shippo: unknown carrier '${a.carrier}' (usps, ups, fedex)`);
      const serviceLevels = a.serviceLevels ?? Object.keys(catalog);
      const unknown = serviceLevels.filter((s) => !catalog[s]);
      if (unknown.length) throw new Error(`fake Shippo: ${a.carrier} has no service level ${unknown.join(', ')}`);
      this.carrierAccounts.set(a.objectId, { objectId: a.objectId, carrier: a.carrier, token: input.token, serviceLevels });
    }
  }

  hasToken(token: string | undefined): token is string {
    return token !== undefined && this.tokens.has(token);
  }

  carrierAccountOf(token: string, objectId: string | undefined): FakeShippoCarrierAccount | undefined {
    const a = objectId === undefined ? undefined : this.carrierAccounts.get(objectId);
    return a && a.token === token ? a : undefined;
  }

  transactionOf(token: string, id: string): FakeShippoTransaction | undefined {
    const t = this.transactions.get(id);
    return t && t.token === token ? t : undefined;
  }

  batchOf(token: string, id: string): FakeShippoBatch | undefined {
    const b = this.batches.get(id);
    return b && b.token === token ? b : undefined;
  }

  nextSerial(): number {
    this.serial += 1;
    return this.serial;
  }

  sales(): FakeShippoSale[] {
    return [...this.transactions.values()]
      .filter((t) => t.sold)
      .map((t) => ({
        object_id: t.objectId,
        metadata: t.metadata,
        carrier_account: t.carrierAccount,
        servicelevel: t.servicelevel,
        tracking_number: t.trackingNumber,
        amount: (t.rate?.amountCents ?? 0) / 100,
        via: t.via,
        ...(t.batchId ? { batch: t.batchId } : {}),
        refunded: t.refunded,
        at: t.createdAt.getTime(),
        token: t.token,
      }));
  }
}
