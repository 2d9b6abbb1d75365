import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';

/** Request headers a browser may send: JSON bodies, the three ways of passing a key, idempotency and request ids. */
export const CORS_ALLOWED_HEADERS = ['Content-Type', 'Authorization', 'API-Key', 'Idempotency-Key', 'X-Request-ID'];

/** Answer headers a browser's script may read besides the simple ones. */
export const CORS_EXPOSED_HEADERS = [
  'X-Request-Id',
  'Idempotent-Replayed',
  'Retry-After',
  'Location',
  'Content-Disposition',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
];

/**
 * The `cors` middleware's options (Nest's `enableCors`) for `CORS_ORIGINS`: the listed origins
 * (or any, for `*`) get `Access-Control-Allow-Origin` with their own origin and `Vary: Origin`;
 * others get no CORS header, so their browser refuses the answer. Keys travel in headers, never
 * in cookies: no credentials. A preflight is answered 204 and cached for 10 minutes.
 */
export function corsOptions(origins: readonly string[]): CorsOptions {
  return {
    origin: origins.includes('*') ? true : [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
    optionsSuccessStatus: 204,
  };
}
