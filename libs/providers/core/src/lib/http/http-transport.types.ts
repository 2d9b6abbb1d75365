import type { ProviderError } from '../provider.errors';
import type { PaceOptions, ProviderPacer, RateBudget } from '../pacing';
import type { RetryPolicy } from './retry-policy';

/** What an adapter gives its HttpTransport once, when the instance is made. */
export interface HttpTransportOptions {
  /** The provider's key (`shipstation`), used in error messages: `shipstation: ...`. */
  provider: string;
  /** Base URL of the provider's API, without a trailing slash (`https://api.shipstation.com`). */
  baseUrl: string;
  /** Headers sent with every request to `baseUrl`, credentials included (`API-Key: ...`). */
  headers?: Record<string, string>;
  /**
   * Values that must never appear in an error, a log line or a cause: API keys, tokens, the
   * values of credential headers. Every text the transport produces is redacted of them.
   */
  secrets?: readonly string[];
  /** Per-request timeout in ms (default 30 000). */
  timeoutMs?: number;
  /**
   * How passing failures (refused or reset connection, timeout, 5xx, 408) are tried again, for
   * requests that are safe to repeat; default DEFAULT_RETRY_POLICY (3 tries, 250 ms doubling,
   * at most 5 s apart). `{ attempts: 1 }` never repeats.
   */
  retry?: Partial<RetryPolicy>;
  /** The rate budget every request to `baseUrl` is paced under; none: not paced. */
  budget?: RateBudget;
  /** Default UNPACED. */
  pacer?: ProviderPacer;
  /**
   * Turns a non-2xx answer into the provider's own error (for example ShipStation's
   * `errors[].error_code: insufficient_funds` into ProviderInsufficientFundsError). Return
   * undefined to keep the transport's default mapping (`fallback`). The body is parsed JSON when
   * the answer was JSON, else the text. Whatever it returns is redacted like everything else.
   */
  mapError?: (answer: HttpErrorAnswer) => ProviderError | undefined;
  /** Told of every try (metrics); default none. What it throws is ignored. */
  observer?: HttpObserver;
}

/** One try of a request or a download, as the transport's observer sees it: no URL, no body, no credential. */
export interface HttpExchange {
  /** HttpTransportOptions.provider (`shipstation`). */
  provider: string;
  kind: 'request' | 'download';
  method: string;
  /** The answer's status; absent when none came (refused, reset, timeout). */
  status?: number;
  /** The network error code when no answer came (`ECONNREFUSED`, `ETIMEDOUT`). */
  networkError?: string;
  /** From sending to the answer or the failure, in ms (pacing excluded). */
  durationMs: number;
  /** How long the pacer held this try before it was sent, in ms (0 when not paced). */
  pacedMs: number;
}

/** Sees every HTTP try a transport makes (for example to count them by provider and status). */
export interface HttpObserver {
  exchanged(exchange: HttpExchange): void;
}

export interface HttpErrorAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** The transport's default mapping of this answer, for the adapter to keep or refine. */
  fallback: ProviderError;
  request: { method: string; path: string };
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under baseUrl, starting with `/` (`/v2/labels`). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /**
   * Whether repeating the request is harmless. Default: true for GET, PUT and DELETE, false for
   * POST and PATCH. An idempotent request is tried again after a passing failure (see
   * `HttpTransportOptions.retry`); a non-idempotent one only when it never reached the provider
   * (refused connection, DNS failure) or was answered 408. A failure of a non-idempotent request
   * after it was sent (timeout, reset, 5xx) is marked `possiblyCommitted`.
   */
  idempotent?: boolean;
  timeoutMs?: number;
  /** Pacing for this request (for example a short maxWaitMs for purchases). */
  pace?: PaceOptions;
  /**
   * The budget this request is paced under, for providers that limit each kind of call on its
   * own (Shippo: purchases, reads, listings, batch calls); default the transport's `budget`.
   * A 429 pauses this budget only.
   */
  budget?: RateBudget;
}

export interface HttpAnswer<T> {
  status: number;
  data: T;
  headers: Record<string, string>;
}

export interface DownloadOptions {
  /** Largest body accepted, in bytes (default 10 MiB); a larger file is refused. */
  maxBytes?: number;
  timeoutMs?: number;
}

export interface DownloadedFile {
  content: Buffer;
  /** The answer's content type without parameters (`application/pdf`), or '' when none. */
  contentType: string;
}
