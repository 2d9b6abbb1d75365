import type { LabelFileType, PurchaseLabelCommand, PurchasedLabel } from './provider.models';

/** A provider's message about one shipment of its batch, kept as the provider wrote it. */
export interface NativeBatchMessage {
  source: string;
  code: string;
  text: string;
}

/**
 * Whether a shipment may go through the provider's batch API, and with which others: shipments
 * of one `group` share a provider batch (ShipStation: one ship-from address, one warehouse);
 * a `refused` one is bought by a single purchase (a documented batch rule excludes it: a label
 * format or layout the batch API cannot make, ...), the reason logged.
 */
export type NativeBatchAdmission = { group: string } | { refused: string };

/** One shipment of a share as the core hands it to the provider batch. */
export interface NativeBatchMember {
  /** The purchase, its `reference` our batch shipment id. */
  command: PurchaseLabelCommand;
  /** The provider's shipment id, when `prepare` made one (ShipStation); absent otherwise. */
  providerShipmentId?: string;
}

/** What `prepare` did with one shipment: made (or found again) on the provider, or refused there. */
export type NativeBatchPrepared =
  | { reference: string; providerShipmentId: string }
  | { reference: string; rejected: NativeBatchMessage[] };

/**
 * A provider batch's status, as the core needs it:
 * - VALIDATING: the provider is still checking the shipments (poll again);
 * - READY: it can be purchased (after `review`, when the port has one);
 * - PURCHASING: the purchase was asked for and is running (poll again);
 * - PURCHASED: the purchase is over; the lists say what each shipment became;
 * - FAILED: the provider batch can neither be purchased nor finish. Before the purchase the
 *   share goes back to single purchases; after it, the lists are read for what was bought.
 */
export type NativeBatchStatus = 'VALIDATING' | 'READY' | 'PURCHASING' | 'PURCHASED' | 'FAILED';

/** A shipment the provider found invalid while validating its batch (`review`). */
export interface NativeBatchRejected {
  reference: string;
  providerShipmentId: string;
  /** The provider's reasons; the shipment is failed with them and removed before the purchase. */
  messages: NativeBatchMessage[];
}

/**
 * What one shipment of a purchased provider batch became, as a list page tells it:
 * - `label`: bought, and listed with its label (ShipStation lists labels by batch);
 * - `bought`: bought; its label is read with `label(labelRef)` (Shippo: the transaction id);
 * - `failed`: not bought, for good (the provider's text and code kept);
 * - `buy_alone`: not bought by the batch but buyable alone (insufficient funds: the funding
 *   policy applies to its single purchase); never a second purchase of the provider batch;
 * - `unsettled`: neither bought nor failed as far as the provider tells: bought alone, after a
 *   lookup by reference.
 */
export type NativeBatchOutcome =
  | { reference: string; kind: 'label'; label: PurchasedLabel }
  | { reference: string; kind: 'bought'; labelRef: string }
  | { reference: string; kind: 'failed'; messages: NativeBatchMessage[] }
  | { reference: string; kind: 'buy_alone'; messages: NativeBatchMessage[] }
  | { reference: string; kind: 'unsettled' };

/**
 * The lists a purchased provider batch is read from, each in pages: `labels` (what was bought,
 * and at Shippo what failed) and `errors` (ShipStation's `/errors`: failures reported apart).
 */
export type NativeBatchList = 'labels' | 'errors';

/** One page of a list (pages count from 1). */
export interface NativeBatchListPage {
  items: NativeBatchOutcome[];
  /** How many pages the list has (at least 1; an empty list has one empty page). */
  pages: number;
}

/**
 * A provider's batch API, driven by the core as one resumable sequence (the same for every
 * provider; no step is named after one):
 *
 *   admit     (optional) which shipments may go, and in which groups; one provider batch a group
 *   prepare   (optional) make the shipments on the provider, `prepareChunkSize` at a time (ShipStation's bulk create)
 *   create    make the provider batch (buys nothing); `find` finds it again by our reference
 *   status    poll until READY
 *   review    (optional) the shipments found invalid; `remove` takes them out
 *   purchase  buy it: recorded by the core before it is sent, never sent twice
 *   status    poll until PURCHASED
 *   list      read each list's pages (any worker, any order, each page safe to read again)
 *   label     (when a list answers `bought`) read one label by its reference
 *
 * Every call but `purchase` is safe to repeat, and every create is found again by our
 * reference: `prepare` repeated finds the shipments it made (never makes a second one), `find`
 * finds a batch whose `create` answer was lost. Failures are ProviderError subclasses.
 */
export interface NativeBatchPort {
  /** The smallest group worth a provider batch (the account's `native_batch_min_size`); default 50. */
  readonly minSize?: number;
  /** Shipments per `prepare` call (required with `prepare`). */
  readonly prepareChunkSize?: number;
  /** The lists `list` reads after the purchase: `['labels']`, or `['labels', 'errors']`. */
  readonly lists: readonly NativeBatchList[];

  /** Absent: every shipment may go, all in one group. Pure (no call to the provider). */
  admit?(labelFileType: LabelFileType, command: PurchaseLabelCommand): NativeBatchAdmission;

  /**
   * Makes these shipments on the provider (their references as the provider's external ids),
   * or finds them again when an earlier call made them. Safe to repeat. Buys nothing.
   */
  prepare?(input: { reference: string; labelFileType: LabelFileType; commands: PurchaseLabelCommand[] }): Promise<NativeBatchPrepared[]>;

  /**
   * Creates the provider batch of these shipments, with `reference` (our native batch id, one
   * per provider batch) as its external id where the provider keeps one, and `batchReference`
   * (our batch's id, shared by the provider batches of one batch) in its notes or metadata.
   * Buys nothing.
   */
  create(input: { reference: string; batchReference: string; labelFileType: LabelFileType; members: NativeBatchMember[] }): Promise<{ providerBatchId: string }>;

  /**
   * The provider batch made for `reference` by an earlier `create` whose answer was lost; null
   * when there is none. Absent when the provider cannot look batches up (a repeated create
   * then leaves an unpurchased provider batch behind: nothing is bought through it).
   */
  find?(reference: string): Promise<{ providerBatchId: string } | null>;

  /** The provider batch's status (one cheap read). */
  status(providerBatchId: string): Promise<NativeBatchStatus>;

  /**
   * Once READY, before the purchase: the shipments the provider found invalid (none when its
   * batch is valid as a whole). A shipment of ours the batch does not hold is found after the
   * purchase, on no page of the lists, and bought alone after a lookup.
   */
  review?(providerBatchId: string): Promise<NativeBatchRejected[]>;

  /** Takes shipments out before the purchase (those `review` found invalid). Safe to repeat. */
  remove?(providerBatchId: string, providerShipmentIds: string[]): Promise<void>;

  /** Asks the provider to buy the batch. The core records the request first and never sends it twice. */
  purchase(providerBatchId: string, input: { labelFileType: LabelFileType }): Promise<void>;

  /** One page of one of `lists`, once PURCHASED (or FAILED after the purchase). */
  list(providerBatchId: string, list: NativeBatchList, page: number): Promise<NativeBatchListPage>;

  /** The label of a `bought` outcome, with its document or document URL. Required when `list` answers `bought`. */
  label?(labelRef: string, reference: string): Promise<PurchasedLabel>;
}
