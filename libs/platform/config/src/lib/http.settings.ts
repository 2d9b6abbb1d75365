import { ConfigError } from './config.errors';

/** How the API answers browsers and proxies (README, "Configuration"; API-CONTRACT.md, "Operating the service"). */
export interface HttpSettings {
  /**
   * Origins allowed to call the API from a browser (`CORS_ORIGINS`, comma-separated, each
   * `scheme://host[:port]`, or `*` for any). Empty (the default): CORS is off, no
   * `Access-Control-*` header is sent and a preflight `OPTIONS` is not answered.
   */
  corsOrigins: string[];
  /**
   * `TRUST_PROXY=true`: the service runs behind a proxy that sets `X-Forwarded-Host`,
   * `X-Forwarded-Proto` and `X-Forwarded-For`, and those headers are believed. Default false.
   */
  trustProxy: boolean;
  /**
   * `PUBLIC_BASE_URL` as the operator set it (no trailing slash): the base of every link.
   * Unset: links follow the request's own origin (see `linkBase`).
   */
  publicBaseUrl?: string;
}

/** Reads `CORS_ORIGINS`, `TRUST_PROXY` and `PUBLIC_BASE_URL`; names the variable that is wrong. */
export function httpSettings(env: NodeJS.ProcessEnv): HttpSettings {
  const base = publicBaseUrl(env['PUBLIC_BASE_URL']);
  return { corsOrigins: corsOrigins(env['CORS_ORIGINS']), trustProxy: trustProxy(env['TRUST_PROXY']), ...(base ? { publicBaseUrl: base } : {}) };
}

function corsOrigins(raw: string | undefined): string[] {
  const items = (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const item of items) {
    if (item === '*') continue;
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new ConfigError(`CORS_ORIGINS must list origins such as https://app.example.com (or *), got '${item}'`);
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== item.replace(/\/+$/, '')) {
      throw new ConfigError(`CORS_ORIGINS must list origins (scheme://host[:port], no path), got '${item}'`);
    }
  }
  return [...new Set(items.map((item) => item.replace(/\/+$/, '')))];
}

function trustProxy(raw: string | undefined): boolean {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new ConfigError(`TRUST_PROXY must be true or false, got '${raw}'`);
}

function publicBaseUrl(raw: string | undefined): string | undefined {
  const value = (raw ?? '').trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`PUBLIC_BASE_URL must be an http(s) URL such as https://api.example.com, got '${raw}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`PUBLIC_BASE_URL must be an http(s) URL, got '${raw}'`);
  return value.replace(/\/+$/, '');
}
