import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DomainError, UnavailableError } from '@shipbatch/shipping/domain';
import { ApiError, type ApiErrorItem, type ErrorType } from './api-error';
import { allowedMethods } from './allowed-methods';

const TYPE_BY_STATUS: Record<number, ErrorType> = {
  400: 'validation',
  401: 'security',
  403: 'security',
  404: 'validation',
  405: 'validation',
  409: 'business_rules',
  413: 'validation',
  415: 'validation',
  422: 'validation',
  429: 'system',
};

/** The code of an HttpException's answer by its status (ShipStation's `rate_limit_exceeded` for the request limits' 429). */
const ERROR_CODE_BY_STATUS: Record<number, string> = { 401: 'unauthorized', 404: 'not_found', 429: 'rate_limit_exceeded' };

const DOMAIN_STATUS = { conflict: 409, not_found: 404, invalid_input: 400, unavailable: 503 } as const;

/** Seconds a 503 asks the client to wait when the provider did not say. */
export const DEFAULT_UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

/** The error answer's code (its first error's `error_code`), left in `res.locals` for the request log line. */
export const ERROR_CODE_LOCAL = 'error_code';

/** Every error leaves in ShipStation's shape: `{ request_id, errors: [...] }`. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const { status, items, headers } = this.describe(exception, req);
    if (status >= 500) {
      // The request log (pino-http) writes the request's one line with this error; without it, log here.
      (res as { err?: unknown }).err = exception instanceof Error ? exception : new Error(String(exception));
      if ((req as { log?: unknown }).log === undefined) this.logger.error(`${req.method} ${req.path}: ${exception instanceof Error ? exception.stack : exception}`);
    }
    // The id the request log gave the request (X-Request-ID when sane, else a UUID), so a client's report finds its log line.
    const logId = (req as Request & { id?: unknown }).id;
    // The log's id is the one X-Request-Id carries: the caller's X-Request-ID only when it was accepted.
    const sent = res.getHeader('X-Request-Id');
    const requestId = typeof logId === 'string' ? logId : typeof sent === 'string' ? sent : randomUUID();
    if (items[0]) res.locals[ERROR_CODE_LOCAL] = items[0].error_code;
    if (exception instanceof UnavailableError) {
      const seconds = exception.retryAfterMs !== undefined ? Math.ceil(exception.retryAfterMs / 1000) : DEFAULT_UNAVAILABLE_RETRY_AFTER_SECONDS;
      res.setHeader('Retry-After', String(Math.max(1, seconds)));
    }
    for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
    res.status(status).json({ request_id: requestId, errors: items });
  }

  private describe(exception: unknown, req: Request): { status: number; items: ApiErrorItem[]; headers?: Record<string, string> } {
    if (exception instanceof ApiError) return { status: exception.getStatus(), items: exception.items };
    if (exception instanceof DomainError) {
      const status = DOMAIN_STATUS[exception.kind];
      return {
        status,
        items: [
          {
            error_source: 'shipbatch',
            error_type: TYPE_BY_STATUS[status] ?? 'system',
            error_code: exception.code,
            message: exception.message,
            ...(exception.field ? { field_name: exception.field } : {}),
          },
        ],
      };
    }
    const e = exception as { type?: string; status?: number; message?: string };
    // Errors from the JSON body parser (express) arrive before any route.
    if (e?.type === 'entity.parse.failed') {
      return this.one(400, 'invalid_json', `the request body is not valid JSON: ${e.message}`, 'body');
    }
    if (e?.type === 'entity.too.large' || e?.status === 413) {
      return this.one(413, 'request_too_large', 'the request body is larger than 32 MB');
    }
    if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') {
      const header = e.type === 'charset.unsupported' ? 'Content-Type' : 'Content-Encoding';
      return this.one(415, 'unsupported_media_type', `the request body must be JSON in UTF-8, not compressed: ${e.message}`, header);
    }
    // Any other 400 of the body parser (an aborted body, a Content-Length that does not match).
    if (typeof e?.type === 'string' && e.status === 400 && !(exception instanceof HttpException)) {
      return this.one(400, 'invalid_body', `the request body could not be read: ${e.message}`, 'body');
    }
    // The router could not percent-decode a path segment (`%zz`, `%FF`, an encoded lone surrogate).
    if (e?.status === 400 && typeof e.message === 'string' && e.message.startsWith('Failed to decode param')) {
      return this.one(400, 'invalid_field_value', `the URL path is not valid percent-encoded UTF-8: ${e.message.replace(/^Failed to decode param /, '')}`, 'path');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Nest maps the JSON body parser's SyntaxError to a plain 400 carrying its message.
      if (status === 400 && /JSON/i.test(exception.message)) {
        return this.one(400, 'invalid_json', `the request body is not valid JSON: ${exception.message}`, 'body');
      }
      // Nest's router found no route: its final handler throws exactly `Cannot <METHOD> <url>`
      // (req.route cannot tell, since app-wide middleware such as the request logger sets it).
      // A handler's own 404s keep their message.
      if (status === 404 && exception.message === `Cannot ${req.method} ${req.originalUrl ?? req.url}`) {
        // The path is a route, the method is not one of its: 405 with `Allow`.
        const allow = allowedMethods(req);
        if (allow.length > 0) {
          return { ...this.one(405, 'method_not_allowed', `${req.path} answers ${allow.join(', ')}, not ${req.method}`), headers: { Allow: allow.join(', ') } };
        }
        return this.one(404, 'route_not_found', `there is no route ${req.method} ${req.path}; the API's routes are listed at /docs`);
      }
      const body = exception.getResponse();
      const message =
        typeof body === 'string'
          ? body
          : Array.isArray((body as { message?: unknown }).message)
            ? ((body as { message: string[] }).message.join('; '))
            : String((body as { message?: unknown }).message ?? exception.message);
      const code = ERROR_CODE_BY_STATUS[status] ?? `http_${status}`;
      return this.one(status, code, message);
    }
    return this.one(HttpStatus.INTERNAL_SERVER_ERROR, 'internal_error', 'an unexpected error occurred');
  }

  private one(status: number, code: string, message: string, field?: string) {
    return {
      status,
      items: [
        {
          error_source: 'shipbatch' as const,
          error_type: TYPE_BY_STATUS[status] ?? 'system',
          error_code: code,
          message,
          ...(field ? { field_name: field } : {}),
        },
      ],
    };
  }
}
