import type { FrozenPurchase } from '../batches/validation.repository';

export type FundingReason = 'pre_purchase' | 'insufficient_funds' | 'manual';
export type FundingStatus = 'succeeded' | 'failed';

/** One top-up, succeeded or failed. */
export interface FundingEventRecord {
  id: string;
  tenantId: string;
  carrierAccountId: string;
  amountMinor: number;
  currency: string;
  balanceBeforeMinor: number | null;
  balanceAfterMinor: number | null;
  reason: FundingReason;
  status: FundingStatus;
  message: string;
  /** Set by the database when recorded. */
  createdAt?: Date;
}

/**
 * Queued shipments of one account and service that a rate cannot tell apart: the same origin and
 * destination (country, postal code, state, city; the recipient's residential flag) and the
 * same parcels.
 */
export interface DemandShape {
  count: number;
  /** The first one's frozen command (batch order). */
  sample: FrozenPurchase;
}

/** A batch's QUEUED shipments of one carrier account and service level: how many, and their most common shapes. */
export interface QueuedDemand {
  carrierAccountId: string;
  serviceLevelToken: string;
  count: number;
  /** The most common shapes first (ties in batch order), at most as many as asked; their counts add up to `count` or less. */
  shapes: DemandShape[];
}

/**
 * Funding's state: the per-account funding lock (a lease: one top-up at a time per account
 * across every worker and process, taken and released by single statements so that no
 * connection is held while the provider is called) and the funding_events log.
 */
export interface FundingRepository {
  /**
   * Takes the account's funding lock for `leaseMs` when it is free or its lease ran out.
   * Returns a token naming this holding, or null when someone else holds it.
   */
  tryLock(carrierAccountId: string, leaseMs: number): Promise<string | null>;
  /** Whether someone holds the account's funding lock (a top-up of the account is in progress). */
  topUpInProgress(carrierAccountId: string): Promise<boolean>;
  /** Releases the lock if this holding still has it. */
  release(carrierAccountId: string, token: string): Promise<void>;
  /** Records the event and releases the lock (if this holding still has it) in one statement. */
  recordAndRelease(event: FundingEventRecord, token: string): Promise<void>;
  /** Succeeded top-ups of the account since the start of the current UTC day (database clock), in minor units. */
  toppedUpToday(carrierAccountId: string): Promise<number>;
  /** Whether a top-up of the account succeeded within the last `withinMs` (database clock). */
  toppedUpRecently(carrierAccountId: string, withinMs: number): Promise<boolean>;
  /** The account's events, newest first, and how many there are. */
  listEvents(
    tenantId: string,
    carrierAccountId: string,
    offset: number,
    limit: number,
  ): Promise<{ total: number; items: FundingEventRecord[] }>;
  /** The price last paid per service level for labels of the account (minor units), for the services asked. */
  lastPrices(carrierAccountId: string, serviceLevelTokens: string[]): Promise<Map<string, number>>;
  /**
   * The batch's QUEUED shipments grouped by carrier account and service level (in batch order of
   * their first shipment), each with its `maxShapes` most common shapes.
   */
  queuedDemand(tenantId: string, batchId: string, maxShapes: number): Promise<QueuedDemand[]>;
  /**
   * What the account still has to pay for, in every batch of the tenant: its shipments QUEUED
   * or PURCHASING, grouped by service level as `queuedDemand` groups them.
   */
  openDemand(tenantId: string, carrierAccountId: string, maxShapes: number): Promise<QueuedDemand[]>;
}
