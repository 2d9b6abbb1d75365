import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { extractApiKey } from '../api-key.guard';
import { tenantOfRequest } from '../request-tenant';
import { REQUEST_LIMITER } from '../tokens';
import { TenantsService } from '../tenants.service';
import type { RequestLimiter } from './request-limiter';

/**
 * Paths never counted and answered without the X-RateLimit-* headers: the probes and metrics an
 * operator's tools poll (`/health`, `/health/*`, `/metrics`) and the loopback-only local routes
 * of `npm run demo-key` (`/local/*`), matched as the router matches (any case, a trailing slash).
 */
export function isExemptFromRequestLimits(path: string): boolean {
  const p = path.toLowerCase().replace(/\/+$/, '');
  return p === '/health' || p.startsWith('/health/') || p === '/metrics' || p === '/local' || p.startsWith('/local/');
}

/**
 * The API's request limits, as Express middleware ahead of the body parser and the router, so
 * every answer (a 401, a 404 for a route that does not exist, a refused body) carries the
 * X-RateLimit-* headers and a flood is refused before its body is read. The key is the tenant
 * of a valid API key (`tenant:<id>`), else the client's address (`ip:<address>`, as Express
 * gives `req.ip`): requests without a key or with a wrong one, the admin routes and signed file
 * links. Past the limit: a 429 (`rate_limit_exceeded`, rendered by the API's exception filter)
 * with `Retry-After`. With no limiter (`API_RATE_LIMIT_PER_MINUTE=0`) it does nothing.
 */
@Injectable()
export class RateLimitMiddleware {
  constructor(
    @Inject(REQUEST_LIMITER) private readonly limiter: RequestLimiter | null,
    private readonly tenants: TenantsService,
  ) {}

  handler(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      this.check(req, res).then(
        (refusal) => next(refusal),
        (error: unknown) => next(error),
      );
    };
  }

  /** Sets the headers; answers the 429 to pass on, or undefined to go on. */
  private async check(req: Request, res: Response): Promise<HttpException | undefined> {
    const limiter = this.limiter;
    if (!limiter || isExemptFromRequestLimits(req.path)) return undefined;
    const { key, tenant } = await this.keyOf(req);
    const verdict = await limiter.take(key);
    if (!verdict) return undefined; // Redis cannot be reached: served unlimited (the limiter warns)
    res.setHeader('X-RateLimit-Limit', String(verdict.limit));
    res.setHeader('X-RateLimit-Remaining', String(verdict.remaining));
    res.setHeader('X-RateLimit-Reset', String(verdict.resetSeconds));
    if (verdict.allowed) return undefined;
    res.setHeader('Retry-After', String(verdict.resetSeconds));
    const who = tenant ? 'this tenant' : 'this client address (no valid API key)';
    return new HttpException(
      `too many requests: ${who} may make ${verdict.limit} requests a minute; try again in ${verdict.resetSeconds} s (Retry-After)`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  private async keyOf(req: Request): Promise<{ key: string; tenant: boolean }> {
    const apiKey = extractApiKey(req);
    if (apiKey) {
      // The database down: counted by address; the guard then answers as it does.
      const tenant = await tenantOfRequest(req, apiKey, this.tenants).catch(() => null);
      if (tenant) return { key: `tenant:${tenant.id}`, tenant: true };
    }
    return { key: `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`, tenant: false };
  }
}
