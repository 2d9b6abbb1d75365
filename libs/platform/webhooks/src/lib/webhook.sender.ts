import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import axios, { type AxiosResponse } from 'axios';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { signWebhook } from './webhook-signature';
import type { WebhookUrlPolicy } from './webhook-url.policy';

/** The contract's delivery timeout. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_USER_AGENT = 'Shipbatch-Webhooks/1';
/** At most this much of a receiver's answer is read (and then discarded, never logged). */
export const WEBHOOK_MAX_RESPONSE_BYTES = 64 * 1024;

export interface WebhookSenderOptions {
  policy: WebhookUrlPolicy;
  /** Whole attempt: connect, request, answer. Default 10 s. */
  timeoutMs?: number;
  userAgent?: string;
}

export interface WebhookSendInput {
  url: string;
  /** The webhook's `is_test` (allows plain http). */
  isTest: boolean;
  /** The delivery's id, the same on every retry (`webhook-id`). */
  id: string;
  /** `whsec_<base64>`. */
  secret: string;
  /** The JSON body, sent byte for byte as signed. */
  body: string;
  /** Signing time; defaults to now. */
  timestamp?: Date;
}

/**
 * - `succeeded`: a 2xx answer;
 * - `gone`: 410, the receiver asks for the webhook to be disabled;
 * - `failed`: anything else the receiver or the network did (3xx, 4xx, 5xx, timeout, refused
 *   or reset connection, DNS failure, TLS error, a connect-time address refusal): retry later;
 * - `refused`: the URL policy refused the URL; no connection was made.
 */
export type WebhookAttemptOutcome = 'succeeded' | 'failed' | 'gone' | 'refused';

export interface WebhookAttemptResult {
  outcome: WebhookAttemptOutcome;
  /** The receiver's HTTP status, when it answered. */
  statusCode?: number;
  /** Short, safe to store and show (`HTTP 500`, `timeout after 10000 ms`, ...); no response body. */
  error?: string;
  durationMs: number;
}

/**
 * Sends one signed delivery attempt. Never throws for anything the receiver or the network
 * does; the caller records the result and schedules a retry (see `retryDelayMs`).
 */
export class WebhookSender {
  private readonly policy: WebhookUrlPolicy;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  // Connect-time check: the agents validate every address the lookup returns and connect to
  // that very address, so a DNS answer that changes after the policy check is still refused.
  // Everything ipaddr.js does not call `unicast` is denied (cloud-metadata addresses included:
  // they are link-local, unique-local or carrier-grade NAT). Connections are kept alive between
  // deliveries to a receiver: a kept socket stays connected to the address checked when it was
  // opened, so reusing it reaches nothing a fresh lookup could redirect.
  private readonly filteringHttpAgent: RequestFilteringHttpAgent;
  private readonly filteringHttpsAgent: RequestFilteringHttpsAgent;
  // Hosts in WEBHOOK_ALLOWED_HOSTS skip the address check entirely.
  private readonly plainHttpAgent: http.Agent;
  private readonly plainHttpsAgent: https.Agent;

  constructor(options: WebhookSenderOptions) {
    this.policy = options.policy;
    this.timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    this.userAgent = options.userAgent ?? WEBHOOK_USER_AGENT;
    // Idle connections close after 4 s, before the 5 s most servers (Node's default) allow.
    const agent = { keepAlive: true, maxFreeSockets: 16, timeout: 4_000 };
    const filtering = { ...agent, allowPrivateIPAddress: false, allowMetaIPAddress: false };
    this.filteringHttpAgent = new RequestFilteringHttpAgent(filtering);
    this.filteringHttpsAgent = new RequestFilteringHttpsAgent(filtering);
    this.plainHttpAgent = new http.Agent(agent);
    this.plainHttpsAgent = new https.Agent(agent);
  }

  /** Closes the kept-alive connections; Nest calls it on shutdown when the sender is a provider. */
  onApplicationShutdown(): void {
    for (const a of [this.filteringHttpAgent, this.filteringHttpsAgent, this.plainHttpAgent, this.plainHttpsAgent]) a.destroy();
  }

  async send(input: WebhookSendInput): Promise<WebhookAttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);

    const check = await this.policy.check(input.url, { isTest: input.isTest });
    if (!check.ok) {
      // An unresolvable host may resolve later: a failed attempt, retried. A refused URL is not.
      return { outcome: check.kind === 'dns_error' ? 'failed' : 'refused', error: check.reason, durationMs: elapsed() };
    }

    let headers: Record<string, string>;
    try {
      headers = signWebhook({ secret: input.secret, id: input.id, timestamp: input.timestamp ?? new Date(), body: input.body });
    } catch {
      // A malformed secret is our problem, not the receiver's; still, never throw from send.
      return { outcome: 'refused', error: 'secret: not a valid whsec_ secret', durationMs: elapsed() };
    }

    const allowed = this.policy.isAllowedHost(new URL(input.url).hostname);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const timeoutError = `timeout after ${this.timeoutMs} ms`;

    try {
      let response: AxiosResponse<Readable>;
      const request = () =>
        axios.request<Readable>({
          method: 'POST',
          url: input.url,
          data: Buffer.from(input.body, 'utf8'),
          // The body goes out exactly as signed: no re-encoding, no trimming.
          transformRequest: [(data) => data],
          headers: { ...headers, 'content-type': 'application/json', 'user-agent': this.userAgent },
          adapter: 'http',
          httpAgent: allowed ? this.plainHttpAgent : this.filteringHttpAgent,
          httpsAgent: allowed ? this.plainHttpsAgent : this.filteringHttpsAgent,
          // Environment proxies would make the agents check the proxy's address instead.
          proxy: false,
          maxRedirects: 0,
          validateStatus: () => true,
          timeout: this.timeoutMs,
          signal: controller.signal,
          responseType: 'stream',
          decompress: false,
        });
      try {
        try {
          response = await request();
        } catch (error) {
          // A kept-alive connection the receiver closed while it was idle: the request never
          // reached it; once more on a new connection (Node's advice for reused sockets).
          if (timedOut || !closedWhileIdle(error)) throw error;
          response = await request();
        }
      } catch (error) {
        return { outcome: 'failed', error: timedOut ? timeoutError : describeRequestError(error, timeoutError), durationMs: elapsed() };
      }

      // Drain a bounded part of the answer so the exchange ends cleanly; its content is dropped.
      // The timeout covers this too; a slow body does not change the outcome the status decided.
      await readAtMost(response.data, WEBHOOK_MAX_RESPONSE_BYTES, controller.signal);

      const statusCode = response.status;
      if (statusCode >= 200 && statusCode < 300) return { outcome: 'succeeded', statusCode, durationMs: elapsed() };
      if (statusCode === 410) return { outcome: 'gone', statusCode, error: 'HTTP 410 Gone', durationMs: elapsed() };
      const error = statusCode >= 300 && statusCode < 400 ? `redirect not followed (${statusCode})` : `HTTP ${statusCode}`;
      return { outcome: 'failed', statusCode, error, durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Reads up to `limit` bytes of a stream, then stops it; resolves on end, error or abort. */
function readAtMost(stream: Readable, limit: number, signal: AbortSignal): Promise<number> {
  return new Promise((resolve) => {
    let received = 0;
    const finish = () => {
      signal.removeEventListener('abort', finish);
      stream.removeAllListeners('data');
      stream.destroy();
      resolve(received);
    };
    if (signal.aborted) return finish();
    signal.addEventListener('abort', finish, { once: true });
    stream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= limit) finish();
    });
    stream.once('end', finish);
    stream.on('error', finish);
    stream.once('close', finish);
  });
}

const CONNECT_TIME_REFUSAL = /is not allowed\. Because/;

/** A request that failed at once on a reused keep-alive socket the other end had closed. */
function closedWhileIdle(error: unknown): boolean {
  const e = error as { code?: unknown; request?: { reusedSocket?: unknown }; response?: unknown };
  return e?.request?.reusedSocket === true && e.response === undefined && (e.code === 'ECONNRESET' || e.code === 'EPIPE' || (error instanceof Error && /socket hang up/.test(error.message)));
}

/** A short description of a transport failure; never the URL, headers or any response content. */
function describeRequestError(error: unknown, timeoutError: string): string {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const message = error instanceof Error ? error.message : '';
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  const causeMessage = typeof cause?.message === 'string' ? cause.message : '';
  if (CONNECT_TIME_REFUSAL.test(message) || CONNECT_TIME_REFUSAL.test(causeMessage)) {
    return 'address refused at connect time (host resolved to a non-public address)';
  }
  switch (code) {
    case 'ECONNABORTED':
    case 'ETIMEDOUT':
    case 'ERR_CANCELED':
      return timeoutError;
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
      return `dns lookup failed (${code})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `host unreachable (${code})`;
    case 'ERR_BAD_RESPONSE':
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_HEADER_TOKEN':
      return 'invalid HTTP response';
  }
  if (code && /CERT|SSL|TLS|SELF_SIGNED/.test(code)) return `tls error (${code})`;
  return code ? `request failed (${code})` : 'request failed';
}
