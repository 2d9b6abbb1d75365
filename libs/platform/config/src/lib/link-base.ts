import { AsyncLocalStorage } from 'node:async_hooks';

/** The origin (`scheme://host[:port]`) the request being handled was addressed to, if any. */
const requestOrigins = new AsyncLocalStorage<string>();

/** What `linkBase` reads: the fallback base (`publicBaseUrl`) and, when set, the operator's `PUBLIC_BASE_URL`. */
export interface LinkBaseSettings {
  /** `PUBLIC_BASE_URL`, else `http://localhost:$PORT`: the base outside any request (a worker's webhook bodies). */
  publicBaseUrl: string;
  http?: { publicBaseUrl?: string };
}

/**
 * Runs `fn` (an HTTP request's handling) with `origin` as the base of the links it builds; the
 * API's first middleware calls it with the request's own origin (see `linkBase`).
 */
export function runWithRequestOrigin<T>(origin: string | undefined, fn: () => T): T {
  return origin === undefined ? fn() : requestOrigins.run(origin, fn);
}

/**
 * The base of absolute links (pagination `next`/`previous`, label and merged-file URLs): the
 * operator's `PUBLIC_BASE_URL` when set; else, while a request is handled, the origin the
 * request was addressed to (its `Host`, or `X-Forwarded-Host`/`-Proto` with `TRUST_PROXY=true`);
 * else `http://localhost:$PORT`.
 */
export function linkBase(settings: LinkBaseSettings): string {
  return settings.http?.publicBaseUrl ?? requestOrigins.getStore() ?? settings.publicBaseUrl;
}
