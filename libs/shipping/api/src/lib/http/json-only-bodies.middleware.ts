import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error';

/** The media types the API reads a body in: `application/json` and the `application/*+json` family, any charset parameter. */
export const JSON_MEDIA_TYPE = /^application\/(?:json|[a-z0-9!#$&^_.-]+\+json)\s*(?:;|$)/i;

/**
 * Express middleware, before the JSON body parser: a request that carries a body (a non-zero
 * `Content-Length`, or `Transfer-Encoding`) in any other type than JSON, or in none, is answered
 * 415 naming the expected type. Without it the parser skips such a body, and the handler would
 * run as if nothing had been sent (`POST /addresses` making an empty address).
 */
export function jsonOnlyBodies() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!hasBody(req)) return next();
    const type = req.headers['content-type'];
    if (type !== undefined && JSON_MEDIA_TYPE.test(type)) return next();
    const given = type === undefined ? 'no Content-Type' : `Content-Type ${type.split(';')[0].trim() || '(empty)'}`;
    next(
      new ApiError(415, [
        {
          error_source: 'shipbatch',
          error_type: 'validation',
          error_code: 'unsupported_media_type',
          message: `the request body must be JSON, sent with Content-Type: application/json (got ${given})`,
          field_name: 'Content-Type',
        },
      ]),
    );
  };
}

function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0' && length.trim() !== '0';
}
