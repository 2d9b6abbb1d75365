import { RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from '@shipbatch/platform/config';

/**
 * Where the API's exception filter leaves an error answer's code in `res.locals` for the request
 * log line (shipping/api's ERROR_CODE_LOCAL, pinned equal by logging.spec.ts). Spelled here so
 * the worker, which logs through this file too, never loads the HTTP library.
 */
export const ERROR_CODE_LOCAL = 'error_code';

/**
 * Logs (README, "Logs"): one pino logger per process, behind nestjs-pino, so the `new Logger(ctx)`
 * of @nestjs/common everywhere writes through it.
 *
 * - Not a terminal (a file, a pipe, a log collector): one JSON object a line, no colour codes.
 * - A terminal: readable lines (pino-pretty), coloured unless NO_COLOR is set.
 *
 * Structured fields: a logging call passes the ids of what it is about as a plain object after
 * the message, `this.logger.log('batch 42 validated: VALID', { batch_id, tenant_id })`; they
 * become fields of the JSON line (`batch_id`, `batch_shipment_id`, `transaction_id`, `tenant_id`,
 * `carrier_account_id`, ...) and the message keeps its wording. Nest's own console logger (unit
 * tests) prints that object after the message. A line without them that names `batch <id>` or
 * `shipment <id>` in its message gets `batch_id` / `batch_shipment_id` from it.
 *
 * Secrets: request and response headers are never logged (requests are logged as method, path
 * and status), the paths in LOG_REDACT_PATHS are replaced by `[Redacted]`, and message text is
 * scrubbed of API keys (`sb_...`), webhook secrets (`whsec_...`), `ShippoToken`/`Bearer`/`Basic`
 * credentials and URL signatures.
 *
 * nestjs-pino keeps ONE logger for logs outside an HTTP request per process (the first app built
 * in it): several apps built in one process (the e2e harness) share its level and destination.
 */

/** Where the log lines go and what is kept. */
export interface LogOptions {
  /** `false`: errors only (tests that want quiet output). Default: the configured LOG_LEVEL. */
  logger?: boolean;
  /** Default process.stdout. A stream whose `isTTY` is true gets readable lines, any other JSON lines. */
  logStream?: NodeJS.WritableStream;
}

export type ProcessName = 'api' | 'worker';

/** Probes and scrapes, every few seconds: not logged when they answer below 400. */
const QUIET_PATHS = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/** Values of these paths never reach a log line (pino `redact`). */
export const LOG_REDACT_PATHS: readonly string[] = [
  // Request and response headers, should a raw request ever be logged.
  'req.headers.authorization',
  'req.headers["api-key"]',
  'req.headers.cookie',
  'req.headers["x-admin-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["api-key"]',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers["api-key"]',
  '*.headers.cookie',
  // Tenants' keys, webhook secrets, the operator's secrets.
  'authorization',
  'apiKey',
  'api_key',
  'api_token',
  'secret',
  'password',
  'adminToken',
  'encryptionKey',
  '*.apiKey',
  '*.api_key',
  '*.api_token',
  '*.secret',
  '*.password',
  '*.adminToken',
  '*.encryptionKey',
  // Carrier account parameters hold the provider's credentials (api_key, api_token, ...).
  'parameters',
  '*.parameters',
];

const REDACTED = '[Redacted]';

const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Tenant API keys: `sb_` and 32 random bytes in base64url (see newApiKey).
  [/\bsb_[A-Za-z0-9_-]{16,}/g, `sb_${REDACTED}`],
  // Webhook signing secrets.
  [/\bwhsec_[A-Za-z0-9+/=_-]{8,}/g, `whsec_${REDACTED}`],
  // Shippo API tokens.
  [/\bshippo_(test|live)_[A-Za-z0-9]+/g, `shippo_$1_${REDACTED}`],
  // Credentials as they travel in an Authorization header.
  [/\b(ShippoToken|Bearer|Basic)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  // Signed file URLs (a signature is a download credential) and keys in query strings.
  [/([?&](?:signature|api_key|apikey|token|secret)=)[^&\s"']*/gi, `$1${REDACTED}`],
];

/** The text with every secret it is known to carry replaced. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  code?: unknown;
}

/**
 * Errors keep their type, message, stack and code, scrubbed; nothing else (an HTTP client's error
 * carries the request it made, Authorization header included).
 */
function serializeError(error: unknown): SerializedError | unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? scrubSecrets(error) : error;
  const out: SerializedError = { type: error.constructor?.name ?? 'Error', message: scrubSecrets(error.message) };
  if (error.stack) out.stack = scrubSecrets(error.stack);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  return out;
}

/**
 * Nest's own contexts whose `info` lines are `debug` here: RoutesResolver and RouterExplorer
 * write one line per controller and per route at every start (about 60), which says nothing
 * about this run. `LOG_LEVEL=debug` shows them.
 */
const DEBUG_CONTEXTS: ReadonlySet<string> = new Set(['RoutesResolver', 'RouterExplorer']);

/**
 * Each logging call, before pino formats it: a plain object after the message (the ids the line is
 * about) becomes fields of the line; every string is scrubbed of secrets. Info lines of
 * DEBUG_CONTEXTS go to `debug`.
 */
function logMethod(this: pino.Logger, args: unknown[], method: pino.LogFn, level: number): void {
  if (level === pino.levels.values['info'] && isPlainObject(args[0]) && DEBUG_CONTEXTS.has(args[0]['context'] as string)) {
    (this.debug as (...a: unknown[]) => void)(...args);
    return;
  }
  let parts = args;
  // nestjs-pino hands `log('text', { batch_id }, 'Ctx')` over as (merge object, 'text', { batch_id }).
  if (parts.length === 3 && isPlainObject(parts[0]) && typeof parts[1] === 'string' && isPlainObject(parts[2]) && !/%[sdifjoO]/.test(parts[1])) {
    parts = [{ ...parts[0], ...parts[2] }, parts[1]];
  }
  parts = withIdsOfMessage(parts);
  const scrubbed = parts.map((part) => {
    if (typeof part === 'string') return scrubSecrets(part);
    if (isPlainObject(part) && typeof part['msg'] === 'string') return { ...part, msg: scrubSecrets(part['msg']) };
    return part;
  });
  (method as (...a: unknown[]) => void).apply(this, scrubbed);
}

/** Object ids as the service makes them (newObjectId): 32 lower-case hex characters. */
const IDS_IN_MESSAGES: ReadonlyArray<[RegExp, string]> = [
  [/\bbatch ([0-9a-f]{32})\b/, 'batch_id'],
  [/\bshipment ([0-9a-f]{32})\b/, 'batch_shipment_id'],
];

/**
 * A safety net for lines logged without fields: `batch <id>` / `shipment <id>` in the message
 * becomes `batch_id` / `batch_shipment_id` when the line does not carry that field already.
 */
function withIdsOfMessage(parts: unknown[]): unknown[] {
  const [first, second] = parts;
  const merge = isPlainObject(first) ? first : undefined;
  const message = merge ? (typeof second === 'string' ? second : merge['msg']) : first;
  if (typeof message !== 'string') return parts;
  let found: Record<string, string> | undefined;
  for (const [pattern, field] of IDS_IN_MESSAGES) {
    if (merge && merge[field] !== undefined) continue;
    const id = message.match(pattern)?.[1];
    if (id) found = { ...found, [field]: id };
  }
  if (!found) return parts;
  return merge ? [{ ...found, ...merge }, ...parts.slice(1)] : [found, ...parts];
}

/** The path and a scrubbed query of a request, for a log line. */
function requestPath(url: string | undefined): string {
  return scrubSecrets(url ?? '');
}

/** The batch a request is about, when its path names one (`/batches/{id}...`). */
function batchIdOf(url: string | undefined): string | undefined {
  return url?.match(/^\/batches\/([0-9a-f]{32})(?:[/?]|$)/)?.[1];
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

interface LoggedRequest extends IncomingMessage {
  originalUrl?: string;
  tenant?: { id?: string };
}

interface LoggedResponse extends ServerResponse {
  locals?: Record<string, unknown>;
}

/** The process's root logger: JSON lines, or readable lines on a terminal. */
export function createRootLogger(options: { level: LogLevel; name: ProcessName; stream?: NodeJS.WritableStream }): pino.Logger {
  const stream = options.stream ?? process.stdout;
  const tty = (stream as { isTTY?: boolean }).isTTY === true;
  const destination: pino.DestinationStream = tty
    ? pretty({
        destination: stream,
        colorize: !process.env['NO_COLOR'],
        singleLine: true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,name,context',
        messageFormat: '{if context}[{context}] {end}{msg}',
        sync: true,
      })
    : (stream as pino.DestinationStream);
  return pino(
    {
      name: `shipbatch-${options.name}`,
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...LOG_REDACT_PATHS], censor: REDACTED },
      serializers: { err: serializeError, error: serializeError },
      hooks: { logMethod },
    },
    destination,
  );
}

/**
 * LoggerModule's parameters: the root logger and the request log. One line a request, when it
 * ends: `POST /batches 201`, its id (`reqId`, from X-Request-ID or a new UUID, also sent back as
 * X-Request-Id), the tenant and, for /batches/{id}..., the batch. 4xx are `warn`, 5xx `error` with
 * the error, both with the answer's `error_code`; a healthy /health, /health/live, /health/ready or /metrics is not logged. Lines logged while a request is handled carry its
 * `reqId`.
 */
export function loggerParams(level: LogLevel, name: ProcessName, options: LogOptions = {}): Params {
  const logger = createRootLogger({ level: options.logger === false ? 'error' : level, name, stream: options.logStream });
  return {
    // Express 5 path syntax for "every route" (nestjs-pino's default `*` makes Nest warn).
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: {
      logger,
      quietReqLogger: true,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: { method?: string; url?: string }) => ({ method: req.method, url: requestPath(req.url) }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
      customLogLevel: (req: IncomingMessage, res: ServerResponse, error?: Error) => {
        if (error || res.statusCode >= 500) return 'error';
        if (res.statusCode >= 400) return 'warn';
        if (QUIET_PATHS.has(((req as LoggedRequest).originalUrl ?? req.url ?? '').split('?')[0])) return 'silent';
        return 'info';
      },
      // Called when the request starts (nothing known yet) and when it ends.
      customProps: (req: IncomingMessage, res: ServerResponse) => {
        if (!res.headersSent) return {};
        const r = req as LoggedRequest;
        const url = r.originalUrl ?? r.url;
        const props: Record<string, string> = {};
        if (r.tenant?.id) props['tenant_id'] = r.tenant.id;
        const batchId = batchIdOf(url);
        if (batchId) props['batch_id'] = batchId;
        // The error answer's code (`errors[0].error_code`), left by the API's exception filter.
        const errorCode = (res as LoggedResponse).locals?.[ERROR_CODE_LOCAL];
        if (res.statusCode >= 400 && typeof errorCode === 'string') props['error_code'] = errorCode;
        return props;
      },
      customSuccessMessage: (req: IncomingMessage, res: ServerResponse) =>
        `${req.method} ${requestPath((req as LoggedRequest).originalUrl ?? req.url)} ${res.writableEnded ? res.statusCode : 'aborted'}`,
      customErrorMessage: (req: IncomingMessage, res: ServerResponse) =>
        `${req.method} ${requestPath((req as LoggedRequest).originalUrl ?? req.url)} ${res.statusCode}`,
    },
  };
}
