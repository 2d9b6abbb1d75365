import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { type ProviderPacer, UNPACED } from '../pacing';
import {
  ProviderAuthError,
  type ProviderError,
  type ProviderErrorOptions,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderUnavailableError,
  ProviderValidationError,
} from '../provider.errors';
import type {
  DownloadedFile,
  DownloadOptions,
  HttpAnswer,
  HttpExchange,
  HttpErrorAnswer,
  HttpRequest,
  HttpTransportOptions,
} from './http-transport.types';
import { plainCause, redactError, redactSecrets } from './redact';
import { parseRetryAfterMs } from './retry-after';
import { retryDelayMs, type RetryPolicy, retryPolicy } from './retry-policy';
import {
  afterAttempts,
  bodySummary,
  headerSecrets,
  NETWORK_WORDING,
  networkCode,
  NOT_SENT_CODES,
  parseBody,
  plainHeaders,
  TIMEOUT_CODES,
  withoutQuery,
} from './http-answer';

export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
export const DEFAULT_DOWNLOAD_MAX_BYTES = 10 * 1024 * 1024;
const SUMMARY_MAX_CHARS = 500;

type Answer = AxiosResponse<string | ArrayBuffer>;
/** One try: the answer, or the error and whether another try is safe and may help. */
type Tried<T> = { answer: HttpAnswer<T>; error?: undefined } | { answer?: undefined; error: ProviderError; repeatable: boolean };
interface Attempt {
  method: string;
  /** What error messages name: the path, never the query. */
  path: string;
  timeoutMs: number;
  /** A failure after sending may have taken effect (non-idempotent request). */
  mayCommit: boolean;
}

/**
 * The HTTP client of a provider adapter, on its own axios instance: paces every request under
 * the adapter's budget, never follows redirects, maps every failure onto the ProviderError
 * family (with `possiblyCommitted` where a non-idempotent request may have taken effect), and
 * keeps credentials out of every error it produces.
 */
export class HttpTransport {
  private readonly http: AxiosInstance;
  private readonly baseUrl: string;
  private readonly origin: string;
  private readonly secrets: readonly string[];
  private readonly pacer: ProviderPacer;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: HttpTransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.retry = retryPolicy(options.retry);
    this.origin = new URL(this.baseUrl).origin;
    this.pacer = options.pacer ?? UNPACED;
    this.secrets = [...(options.secrets ?? []), ...Object.values(options.headers ?? {}).flatMap(headerSecrets)];
    this.http = axios.create({
      maxRedirects: 0,
      validateStatus: () => true,
      timeout: options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: false },
    });
  }

  /** `text` with every secret of this transport (options.secrets, header values) replaced. */
  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  /**
   * Sends `req` and answers its 2xx, or throws its ProviderError. A passing failure (refused or
   * reset connection, timeout, 5xx, 408) is tried again under the retry policy when that is
   * safe: the request is idempotent, or it never reached the provider. Each try is paced.
   */
  async request<T>(req: HttpRequest): Promise<HttpAnswer<T>> {
    const idempotent = req.idempotent ?? (req.method !== 'POST' && req.method !== 'PATCH');
    for (let attempt = 1; ; attempt++) {
      const tried = await this.tryOnce<T>(req, idempotent);
      if (tried.answer) return tried.answer;
      const delay = tried.repeatable ? retryDelayMs(this.retry, attempt, tried.error.retryAfterMs) : undefined;
      if (delay === undefined) throw attempt > 1 ? afterAttempts(tried.error, attempt) : tried.error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async tryOnce<T>(req: HttpRequest, idempotent: boolean): Promise<Tried<T>> {
    const budget = req.budget ?? this.options.budget;
    const pacingFrom = Date.now();
    if (budget) await this.pacer.acquire(budget, req.pace);
    const sentAt = Date.now();
    const seen = { kind: 'request', method: req.method, pacedMs: sentAt - pacingFrom } as const;
    const attempt: Attempt = {
      method: req.method,
      path: req.path,
      timeoutMs: req.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
      mayCommit: !idempotent,
    };
    let answer: Answer;
    try {
      answer = await this.http.request<string>({
        method: req.method,
        url: this.url(req),
        headers: { Accept: 'application/json', ...this.options.headers },
        data: req.body,
        timeout: attempt.timeoutMs,
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
      });
    } catch (error) {
      const mapped = this.networkError(error, attempt);
      this.observe({ ...seen, networkError: String(mapped.details?.['network_error']), durationMs: Date.now() - sentAt });
      // A network failure is worth another try when repeating is harmless or nothing was sent.
      return { error: mapped, repeatable: idempotent || NOT_SENT_CODES.has(String(mapped.details?.['network_error'])) };
    }
    this.observe({ ...seen, status: answer.status, durationMs: Date.now() - sentAt });
    const headers = plainHeaders(answer.headers);
    const body = parseBody(answer.data, headers['content-type']);
    if (answer.status >= 200 && answer.status < 300) {
      return { answer: { status: answer.status, data: body as T, headers } };
    }
    const error = this.statusError(answer.status, body, headers, attempt);
    if (error instanceof ProviderRateLimitedError && budget) {
      // Every worker holds off; a failing pause must not hide the 429 itself.
      await this.pacer.pause(budget, error.retryAfterMs ?? 0).catch(() => undefined);
    }
    // A 5xx may have been processed (repeat only what is idempotent); a 408 was not.
    const passing = answer.status >= 500 || answer.status === 408;
    return { error, repeatable: error.code === 'unavailable' && passing && (idempotent || answer.status === 408) };
  }

  /**
   * Downloads a file by absolute http(s) URL: not paced, never redirected, at most `maxBytes`.
   * The credential headers go only to the origin of `baseUrl` (a CDN never sees them).
   */
  async download(url: string, options: DownloadOptions = {}): Promise<DownloadedFile> {
    const target = this.downloadUrl(url);
    const maxBytes = options.maxBytes ?? DEFAULT_DOWNLOAD_MAX_BYTES;
    const attempt: Attempt = {
      method: 'GET',
      path: target.origin === this.origin ? target.pathname : `${target.origin}${target.pathname}`,
      timeoutMs: options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
      mayCommit: false,
    };
    let answer: Answer;
    const sentAt = Date.now();
    const seen = { kind: 'download', method: 'GET', pacedMs: 0 } as const;
    try {
      answer = await this.http.request<ArrayBuffer>({
        method: 'GET',
        url: target.toString(),
        headers: target.origin === this.origin ? { ...this.options.headers } : {},
        timeout: attempt.timeoutMs,
        responseType: 'arraybuffer',
        maxContentLength: maxBytes,
        maxBodyLength: maxBytes,
      });
    } catch (error) {
      this.observe({ ...seen, networkError: error instanceof Error ? networkCode(error) : 'unknown', durationMs: Date.now() - sentAt });
      if (error instanceof AxiosError && /maxContentLength/.test(error.message)) {
        throw new ProviderValidationError(
          this.message(attempt, `failed: the file is larger than the limit of ${maxBytes} bytes`),
          { details: { max_bytes: maxBytes } },
        );
      }
      throw this.networkError(error, attempt);
    }
    this.observe({ ...seen, status: answer.status, durationMs: Date.now() - sentAt });
    const headers = plainHeaders(answer.headers);
    const content = Buffer.from(answer.data as ArrayBuffer);
    if (answer.status >= 200 && answer.status < 300) {
      return { content, contentType: (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() };
    }
    throw this.statusError(answer.status, parseBody(content.toString('utf8'), headers['content-type']), headers, attempt);
  }

  private observe(exchange: Omit<HttpExchange, 'provider'>): void {
    try {
      this.options.observer?.exchanged({ provider: this.options.provider, ...exchange });
    } catch {
      // Metrics never fail a request.
    }
  }

  private url(req: HttpRequest): string {
    const path = req.path.startsWith('/') ? req.path : `/${req.path}`;
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) query.append(name, String(value));
    }
    const search = query.toString();
    return `${this.baseUrl}${path}${search ? `?${search}` : ''}`;
  }

  private downloadUrl(url: string): URL {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new ProviderValidationError(`${this.options.provider}: download refused: not an absolute URL`);
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new ProviderValidationError(
        this.redact(`${this.options.provider}: download refused: only http and https URLs (got ${target.protocol})`),
      );
    }
    return target;
  }

  /** The default mapping of a non-2xx answer, then the adapter's own (`mapError`), redacted. */
  private statusError(status: number, body: unknown, headers: Record<string, string>, attempt: Attempt): ProviderError {
    const fallback = this.defaultStatusError(status, body, headers, attempt);
    const answer: HttpErrorAnswer = { status, body, headers, fallback, request: { method: attempt.method, path: attempt.path } };
    const mapped = this.options.mapError?.(answer);
    return redactError(mapped ?? fallback, this.secrets);
  }

  private defaultStatusError(
    status: number,
    body: unknown,
    headers: Record<string, string>,
    attempt: Attempt,
  ): ProviderError {
    const details = { http_status: status };
    if (status >= 300 && status < 400) {
      const location = headers['location'] ? ` to ${withoutQuery(headers['location'])}` : '';
      return new ProviderUnavailableError(this.message(attempt, `answered ${status}: unexpected redirect${location}`), {
        details,
      });
    }
    const summary = this.summary(body);
    const message = this.message(attempt, `answered ${status}${summary ? `: ${summary}` : ''}`);
    if (status === 401 || status === 403) return new ProviderAuthError(message, { details });
    if (status === 404) return new ProviderNotFoundError(message, { details });
    if (status === 429) {
      return new ProviderRateLimitedError(message, { details, retryAfterMs: parseRetryAfterMs(headers['retry-after']) });
    }
    // 408: the provider gave up waiting for the request, so it was not processed.
    if (status === 408) return new ProviderUnavailableError(message, { details });
    if (status >= 400 && status < 500) return new ProviderValidationError(message, { details });
    // A 503 may say when to come back; without the header nothing is assumed.
    const retryAfterMs = status === 503 && headers['retry-after'] ? parseRetryAfterMs(headers['retry-after']) : undefined;
    return new ProviderUnavailableError(message, { details, retryAfterMs, possiblyCommitted: status >= 500 && attempt.mayCommit });
  }

  private networkError(error: unknown, attempt: Attempt): ProviderError {
    if (!(error instanceof Error)) throw error;
    const code = networkCode(error);
    let what: string;
    let possiblyCommitted = attempt.mayCommit;
    if (TIMEOUT_CODES.has(code)) {
      what = `timeout after ${attempt.timeoutMs} ms`;
    } else if (code === 'ECONNRESET' || /socket hang up/i.test(error.message)) {
      what = `${/socket hang up/i.test(error.message) ? 'socket hang up' : 'connection reset'} (${code})`;
    } else {
      what = `${NETWORK_WORDING[code] ?? this.redact(error.message)} (${code})`;
      if (NOT_SENT_CODES.has(code)) possiblyCommitted = false;
    }
    const options: ProviderErrorOptions = {
      cause: plainCause(error, this.secrets),
      details: { network_error: code },
      possiblyCommitted,
    };
    return new ProviderUnavailableError(this.message(attempt, `failed: ${what}`), options);
  }

  private message(attempt: Attempt, what: string): string {
    return this.redact(`${this.options.provider}: ${attempt.method} ${attempt.path} ${what}`);
  }

  /** First of errors[0].message, message, detail, error, a string body; redacted, at most 500 chars. */
  private summary(body: unknown): string {
    const text = bodySummary(body);
    if (!text) return '';
    const redacted = this.redact(text.replace(/\s+/g, ' ').trim());
    return redacted.length > SUMMARY_MAX_CHARS ? `${redacted.slice(0, SUMMARY_MAX_CHARS - 1)}…` : redacted;
  }
}
