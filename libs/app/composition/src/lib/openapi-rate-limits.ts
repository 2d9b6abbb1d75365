import type { OpenAPIObject } from '@nestjs/swagger';
import { isExemptFromRequestLimits } from '@shipbatch/platform/auth';

type Json = Record<string, unknown>;
type Response = { description?: string; content?: unknown; headers?: Json };
type Operation = { responses?: Record<string, Response> };

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options', 'trace'];
const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
const AWAY = 'absent while the limits cannot be counted (scale-out: Redis unreachable)';

/** The headers of every counted answer (README, "Request limits"), published once under components.headers. */
export const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': {
    description: `requests a minute this tenant (or, without a valid API key, this client address) may make; ${AWAY}`,
    schema: { type: 'integer', minimum: 1 },
  },
  'X-RateLimit-Remaining': { description: `requests left in the current minute's window; ${AWAY}`, schema: { type: 'integer', minimum: 0 } },
  'X-RateLimit-Reset': { description: `seconds until the window resets; ${AWAY}`, schema: { type: 'integer', minimum: 1 } },
} as const;

const TOO_MANY =
  "Too many requests: the tenant's (or, without a valid API key, the client address's) requests of this minute are used up " +
  '(error_code rate_limit_exceeded); Retry-After says when to ask again';

/**
 * The request limits on every operation they apply to (all but /health*, /metrics and /local):
 * the X-RateLimit-* headers on each answer and a 429 in the error shape (finishDocument adds its
 * Retry-After). Only when the limits are on (`API_RATE_LIMIT_PER_MINUTE` not 0). Changes
 * `document` in place.
 */
export function documentRateLimits(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {}) as Json;
  components['headers'] = { ...((components['headers'] as Json | undefined) ?? {}), ...RATE_LIMIT_HEADERS };
  const refs = Object.fromEntries(Object.keys(RATE_LIMIT_HEADERS).map((name) => [name, { $ref: `#/components/headers/${name}` }]));
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (isExemptFromRequestLimits(path.replace(/\{[^}]*\}/g, 'x'))) continue;
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const responses = (op.responses ??= {});
      responses['429'] ??= { description: TOO_MANY, content: ERROR_CONTENT };
      for (const response of Object.values(responses)) response.headers = { ...response.headers, ...refs };
    }
  }
  return document;
}
