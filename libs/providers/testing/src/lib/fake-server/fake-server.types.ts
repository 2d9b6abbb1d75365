import type { OpenApiDocument } from './openapi.document';
import type { FaultInjector } from './fault-injector';

/** A request as a handler sees it: already matched to an operation and checked against the document. */
export interface FakeRequest {
  method: string;
  /** The path as served (e.g. `/v2/labels/se-1`). */
  path: string;
  /** Path parameters, coerced to their declared types. */
  params: Record<string, unknown>;
  /** Query parameters: declared ones coerced to their types, others as sent (string, or string[] when repeated). */
  query: Record<string, unknown>;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  /** Parsed JSON, or undefined when no body was sent. */
  body: unknown;
  /** The operation of the document, or the `id` of an extra route. */
  operationId: string;
}

/** What a handler answers. `raw` sends bytes as they are (a file download) instead of `body` as JSON. */
export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: { contentType: string; bytes: Uint8Array };
}

export type FakeHandler = (req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;

/** A route that is not in the document (e.g. label file downloads); it is not validated. */
export interface FakeExtraRoute {
  id: string;
  method: string;
  /** Exact path, or a RegExp whose named groups become `params`. */
  path: string | RegExp;
  handler: FakeHandler;
}

export type Fault =
  /** Waits `ms`, then the request is handled normally. */
  | { kind: 'latency'; ms: number }
  /** Answers this instead; the handler does not run. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Reads the request and never answers: the socket is held until the client gives up or the server closes. */
  | { kind: 'timeout' }
  /** Destroys the socket before the handler runs: nothing is committed. */
  | { kind: 'reset' }
  /** Runs the handler (its effects are committed), then destroys the socket without answering. */
  | { kind: 'lost_answer' };

export type FaultKind = Fault['kind'];

export interface FaultMatch {
  /** Only requests with this method (any case). */
  method?: string;
  /** Only requests whose served path equals this string or matches this RegExp. */
  path?: string | RegExp;
  /** Only requests of this operation (or extra route id). */
  operationId?: string;
  /** How many matching requests it hits; default 1, `Infinity` for all. */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Parsed JSON when it parsed, the text otherwise, undefined when empty. */
  body: unknown;
  headers: Record<string, string | undefined>;
  /** Arrival time, ms since the epoch. */
  at: number;
  operationId?: string;
  /** The status answered; undefined when no answer was sent (timeout, reset, lost_answer) or yet. */
  status?: number;
  /** The fault that hit this request, if any. */
  fault?: FaultKind;
}

export interface FakeServerOptions {
  document: OpenApiDocument;
  /** The document's paths start with `spec`, the server serves them under `served`, e.g. `{ spec: '/v1', served: '/v2' }`. */
  pathPrefix?: { spec: string; served: string };
  handlers: Record<string, FakeHandler>;
  extraRoutes?: FakeExtraRoute[];
  /**
   * Runs for every matched request (operations and extra routes) before validation and the
   * handler, e.g. authentication or rate limits; an answer it returns is sent instead (and is
   * validated like a handler's). Not run for requests hit by a `status`, `timeout` or `reset` fault.
   */
  before?: (req: FakeRequest) => FakeAnswer | undefined | Promise<FakeAnswer | undefined>;
  /** Shapes the 400 for a request that does not conform, and the 404/405 for an unknown route. Default `{ message, problems }`. */
  rejection?: (kind: 'invalid_request' | 'unknown_route' | 'method_not_allowed', problems: string[], req: { method: string; path: string }) => FakeAnswer;
  /** A component schema that answers of 400 and above validate against when the operation does not declare their status (e.g. `error_response_body`). */
  errorSchema?: string;
  /**
   * Problems that are the document's fault, not the fake's: where the real provider answers
   * something its own document rejects (ShipStation's `batch_id: ''` on a label bought alone,
   * which the spec's own example shows), the fake answers like the provider and lists the
   * deviation here; where the document's request schema refuses every request the provider
   * takes (`in: 'request'`), the fake accepts what the provider accepts. A problem matching
   * `problem` (for `operationId`, or any; of answers unless `in` says `request`) is not a
   * violation, and a request whose only problems are known deviations reaches its handler.
   */
  knownDeviations?: Array<{ operationId?: string; problem: RegExp; reason: string; in?: 'request' | 'answer' }>;
  /** Added to every answer (before it is written). */
  latencyMs?: number;
}

export interface FakeServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  document: OpenApiDocument;
  /** Every request received, in arrival order. */
  requests(): RecordedRequest[];
  /** Requests that do not conform to the document, answers that do not (the fake's own bugs), unknown routes, handler errors. */
  violations(): string[];
  faults: FaultInjector;
  /** Ends held and open sockets and stops listening. */
  close(): Promise<void>;
}
