/**
 * The ProviderError family. Every adapter maps its provider's failures onto these, so the
 * purchase pipeline can decide what to do (retry, slow down, fail the shipment) without
 * knowing which provider it talks to.
 */
export type ProviderErrorCode =
  | 'auth'
  | 'validation'
  | 'rate_limited'
  | 'unavailable'
  | 'insufficient_funds'
  | 'not_found'
  | 'outcome_unknown';

export interface ProviderErrorOptions {
  cause?: unknown;
  retryAfterMs?: number;
  /** Provider-side details to show to the tenant (field, provider code). */
  details?: Record<string, unknown>;
  /**
   * The request was sent and may have taken effect although no answer says so (a timeout, a
   * reset connection or a 5xx after a purchase was sent): look the purchase up by reference
   * before buying it again.
   */
  possiblyCommitted?: boolean;
}

export abstract class ProviderError extends Error {
  abstract readonly code: ProviderErrorCode;
  abstract readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly details?: Record<string, unknown>;
  readonly possiblyCommitted: boolean;

  constructor(message: string, options: ProviderErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
    this.possiblyCommitted = options.possiblyCommitted ?? false;
  }
}

/** Credentials rejected. Retrying will not help until the account is fixed. */
export class ProviderAuthError extends ProviderError {
  readonly code = 'auth' as const;
  readonly retryable = false;
}

/** The provider refused the request's content (address, service, parcel). */
export class ProviderValidationError extends ProviderError {
  readonly code = 'validation' as const;
  readonly retryable = false;
}

/** Too many requests; `retryAfterMs` says when to come back if the provider told us. */
export class ProviderRateLimitedError extends ProviderError {
  readonly code = 'rate_limited' as const;
  readonly retryable = true;
}

/** Network failure, timeout or 5xx. The request may or may not have taken effect. */
export class ProviderUnavailableError extends ProviderError {
  readonly code = 'unavailable' as const;
  readonly retryable = true;
}

/** The prepaid balance does not cover the purchase. */
export class ProviderInsufficientFundsError extends ProviderError {
  readonly code = 'insufficient_funds' as const;
  readonly retryable = false;
}

/** The object asked for does not exist at the provider. */
export class ProviderNotFoundError extends ProviderError {
  readonly code = 'not_found' as const;
  readonly retryable = false;
}

/**
 * A lookup could not tell whether an earlier attempt bought the label (the provider has no
 * lookup by our reference and its listing did not reach back far enough). The shipment must
 * not be bought blind: it fails with `purchase_outcome_unknown`.
 */
export class ProviderOutcomeUnknownError extends ProviderError {
  readonly code = 'outcome_unknown' as const;
  readonly retryable = false;
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
