/** How long an `Idempotency-Key` and its first answer are kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/** A request still running under a key for longer than this is taken to have died. */
export const IDEMPOTENCY_IN_PROGRESS_TIMEOUT_MS = 5 * 60 * 1000;

export interface IdempotencyRecord {
  requestHash: string;
  state: 'in_progress' | 'done';
  statusCode: number | null;
  response: unknown;
}

/** The answers given under `Idempotency-Key`s, per tenant. */
export interface IdempotencyStore {
  /**
   * Claims `key` for a request. Null when the caller now owns the key (it was free, had
   * expired, or a request under it died); otherwise the record that holds it.
   */
  begin(tenantId: string, key: string, requestHash: string): Promise<IdempotencyRecord | null>;
  /** Stores the answer to replay. */
  complete(tenantId: string, key: string, statusCode: number, response: unknown): Promise<void>;
  /** Frees the key after a request that stored nothing (an error answer). */
  release(tenantId: string, key: string): Promise<void>;
}
