import type { NativeBatchPort } from './native-batch.port';
import type { ShipmentExtraSupportMap } from './shipment-extra';
import type { ProviderPacer } from './pacing';
import type { HttpObserver } from './http/http-transport.types';
import type {
  Balance,
  LabelDocument,
  LabelFileType,
  MoneyAmount,
  PurchaseLabelCommand,
  PurchasedLabel,
  ValidateShipmentCommand,
  ValidationProblem,
  VoidResult,
} from './provider.models';

/** What an adapter can do. The core reads these instead of asking "which provider is this?". */
export interface ProviderCapabilities {
  /** Native batch purchase, and the most shipments one provider batch holds (the core splits larger groups); absent when the provider has none. */
  nativeBatch?: { maxSize: number };
  rates: boolean;
  addressValidation: boolean;
  /**
   * How a purchase whose answer was lost is found again: `lookup` means `findPurchase`
   * can find it by our reference; `none` means the provider cannot tell.
   */
  purchaseDeduplication: 'lookup' | 'none';
  labelFileTypes: readonly LabelFileType[];
  funding: {
    prepaidBalance: boolean;
    addFunds: boolean;
    /** The smallest top-up the provider accepts, in minor units; absent when it names none. */
    minTopUpMinor?: number;
  };
  /** How long after purchase a label may be voided, in hours; absent when it cannot. */
  voidWindowHours?: number;
  /** Carriers reachable through this provider, with their service level tokens. */
  serviceLevels: Readonly<Record<string, readonly string[]>>;
  /**
   * The shipment extras (Shippo's `extra` options) the adapter maps onto its provider's request,
   * and how far; the service refuses any other before it reaches the adapter. `{}`: none.
   */
  shipmentExtras: ShipmentExtraSupportMap;
}

/**
 * The port every provider adapter implements. One instance serves one carrier account.
 * Failures are thrown as ProviderError subclasses; an invalid shipment is an outcome
 * (`validateShipment` returns problems), not an error.
 */
export interface LabelProvider {
  readonly key: string;
  readonly capabilities: ProviderCapabilities;

  validateShipment(command: ValidateShipmentCommand): Promise<ValidationProblem[]>;
  purchaseLabel(command: PurchaseLabelCommand): Promise<PurchasedLabel>;
  /**
   * Finds an earlier purchase by our reference; null when the provider has none. `since` is
   * when the first attempt for this reference was made (a provider that can only list recent
   * purchases scans back to it). Throws ProviderOutcomeUnknownError when it cannot tell.
   */
  findPurchase(reference: string, options?: { since?: Date }): Promise<PurchasedLabel | null>;
  /**
   * What the label would cost, without buying it: the provider's rate for the command. Only for
   * providers whose capabilities declare `rates`. Funding uses it to top up ahead of a batch.
   */
  quote?(command: PurchaseLabelCommand): Promise<MoneyAmount>;
  /**
   * Downloads a label file the provider serves by URL (`PurchasedLabel.documentUrl`), through
   * the adapter's transport (its credentials where the URL is the provider's own, a size limit
   * and a timeout). Required of every adapter that returns `documentUrl`.
   */
  downloadDocument?(url: string): Promise<LabelDocument>;
  /**
   * The provider's own batch API, only for providers whose capabilities declare `nativeBatch`
   * (see NativeBatchPort): the core runs it as one resumable sequence (every step safe to
   * repeat after a crash, every create found again by our reference, `purchase` recorded
   * before it is sent and never sent twice); shipments it cannot buy go back to single purchases.
   */
  nativeBatch?: NativeBatchPort;
  voidLabel?(providerLabelId: string): Promise<VoidResult>;
  getBalance?(): Promise<Balance>;
  addFunds?(amount: MoneyAmount): Promise<Balance>;
  /** Releases connections and timers. */
  close?(): Promise<void>;
}

/** A minimal SQL client, for providers that keep provider-side state (the mock). */
export interface SqlClient {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `work` in one transaction; the client passed in is bound to it. */
  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T>;
}

/** What the service hands a provider factory besides the account's own options. */
export interface ProviderContext {
  /** The service's id of the carrier account this instance serves. */
  carrierAccountId: string;
  /** The provider-side carrier (usps, ups, ...). */
  carrier: string;
  /** Whether the account is a test account. */
  test: boolean;
  /** SQL access for providers that must keep durable state of their own. */
  sql?: SqlClient;
  /**
   * The provider's base URL: the operator's setting (the environment variable the definition
   * names in `baseUrl.env`) or the definition's default. Never tenant input.
   */
  baseUrl?: string;
  /** Paces HTTP calls under the provider's rate limit across every worker; default UNPACED. */
  pacer?: ProviderPacer;
  /** Sees every HTTP try (metrics): an adapter hands it to its HttpTransport (`observer`). */
  observer?: HttpObserver;
}

export type ProviderOptionsClass<T extends object = object> = new () => T;

/**
 * What an adapter library exports: one of these. The registry validates `parameters`
 * against `optionsClass` (class-validator) when a carrier account is saved and at boot.
 */
export interface ProviderDefinition<TOptions extends object = object> {
  key: string;
  displayName: string;
  optionsClass: ProviderOptionsClass<TOptions>;
  capabilities: ProviderCapabilities;
  /** Where the provider's API is: the environment variable an operator sets, and its default. */
  baseUrl?: { env: string; default: string };
  /**
   * Parameter names whose values are secrets (API keys, tokens). They are encrypted at rest
   * like every parameter, and also redacted from every error and log line the adapter writes.
   */
  secretParameters?: readonly string[];
  create(options: TOptions, context: ProviderContext): LabelProvider;
}
