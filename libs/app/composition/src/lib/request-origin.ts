import type { NextFunction, Request, Response } from 'express';
import { runWithRequestOrigin } from '@shipbatch/platform/config';

/** A host as a client may address it: a name or IPv4 address, or a bracketed IPv6 one, and a port. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The origin a request was addressed to: `req.protocol` and `req.host`, which Express reads off
 * `X-Forwarded-Proto` and `X-Forwarded-Host` only when `trust proxy` is on (TRUST_PROXY=true),
 * else off the connection and the `Host` header. Undefined when the host is not one (links then
 * use the configured base).
 */
export function requestOrigin(req: Request): string | undefined {
  const host = req.host;
  if (typeof host !== 'string' || !HOST.test(host)) return undefined;
  const protocol = req.protocol === 'https' ? 'https' : 'http';
  return `${protocol}://${host}`;
}

/** Express middleware: the rest of the request is handled with its origin as the base of links (`linkBase`). */
export function requestOriginLinks() {
  return (req: Request, _res: Response, next: NextFunction): void => runWithRequestOrigin(requestOrigin(req), next);
}
