import type { OpenAPIObject } from '@nestjs/swagger';

type Json = Record<string, unknown>;
type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Array<{ in?: string; name?: string }>;
  responses?: Record<string, { headers?: Json }>;
  [extension: `x-${string}`]: unknown;
};

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options', 'trace'];

/** Marks an operation that needs no credentials (`ApiPublic` in @shipbatch/shipping/api): its security becomes `[]`. */
export const PUBLIC_MARK = 'x-public';

/** The headers answers carry, published once under components.headers. */
export const RESPONSE_HEADERS = {
  'X-Request-Id': {
    description: 'the id of this request in the service’s log: the caller’s X-Request-ID when it was accepted, else a new UUID (the same as request_id in an error)',
    schema: { type: 'string' },
  },
  'Idempotent-Replayed': {
    description: '`true` when this answer replays the first answer to the same Idempotency-Key and body (nothing was done again); absent otherwise',
    schema: { type: 'string', enum: ['true'] },
  },
  'Retry-After': {
    description: 'seconds to wait before asking again',
    schema: { type: 'integer', minimum: 1 },
  },
} as const;

const ref = (name: keyof typeof RESPONSE_HEADERS) => ({ $ref: `#/components/headers/${name}` });

export interface DocumentOptions {
  /** PUBLIC_BASE_URL when set: the one server; else `/` (the host the document was read from). */
  publicBaseUrl?: string;
  /** Operations under these tags are left out (routes that are off: `admin` without ADMIN_TOKEN, `local` outside embedded mode). */
  hiddenTags?: readonly string[];
}

/**
 * The finishing touches of the served document, changing it in place:
 *
 * - `servers`: PUBLIC_BASE_URL when set, else a relative `/`;
 * - operations of routes that are off (hidden tags) left out, with their tags;
 * - response headers: `X-Request-Id` on every answer, `Idempotent-Replayed` on the successes of
 *   routes that take an Idempotency-Key, `Retry-After` on every 429 and 503;
 * - `security: []` on the operations marked public; any other operation without security,
 *   without an operationId, a summary or a description is a programming error and fails the
 *   build of the document (so the linters' rules hold for every route added later).
 */
export function finishDocument(document: OpenAPIObject, options: DocumentOptions = {}): OpenAPIObject {
  const hidden = new Set(options.hiddenTags ?? []);
  document.servers = [{ url: options.publicBaseUrl ?? '/', description: options.publicBaseUrl ? 'PUBLIC_BASE_URL' : 'the host this document was read from' }];
  const components = (document.components ??= {}) as Json;
  components['headers'] = { ...((components['headers'] as Json | undefined) ?? {}), ...RESPONSE_HEADERS };
  const problems: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const pathItem = item as Record<string, Operation | undefined>;
    for (const method of METHODS) {
      const op = pathItem[method];
      if (!op) continue;
      if ((op.tags ?? []).some((t) => hidden.has(t))) {
        delete pathItem[method];
        continue;
      }
      const where = `${method.toUpperCase()} ${path}`;
      if (op[PUBLIC_MARK]) {
        op.security = [];
        delete op[PUBLIC_MARK];
      }
      if (!op.security) problems.push(`${where} has no security (ApiTenantAuth, ApiSecurity or ApiPublic)`);
      for (const field of ['operationId', 'summary', 'description'] as const) if (!op[field]) problems.push(`${where} has no ${field}`);
      const idempotent = (op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const headers: Json = { ...(response.headers ?? {}), 'X-Request-Id': ref('X-Request-Id') };
        if (idempotent && status.startsWith('2')) headers['Idempotent-Replayed'] = ref('Idempotent-Replayed');
        if (status === '429' || status === '503') headers['Retry-After'] = ref('Retry-After');
        response.headers = headers;
      }
    }
    if (!METHODS.some((m) => pathItem[m])) delete (document.paths as Json)[path];
  }
  if (problems.length > 0) throw new Error(`OpenAPI: ${problems.join('; ')}`);
  document.tags = (document.tags ?? []).filter((t) => !hidden.has(t.name));
  return document;
}
