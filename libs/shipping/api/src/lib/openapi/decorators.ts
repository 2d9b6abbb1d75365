import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiHeader, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ERROR_SCHEMA } from '../http/api-error.schema';

/**
 * The three forms a tenant's API key is accepted in (ApiKeyGuard), as the document's security
 * schemes: any one of them authorizes a tenant route. The schemes themselves are declared in
 * `@shipbatch/app/composition` (openapi.ts) under these names.
 */
export const TENANT_SECURITY_SCHEMES = ['ShippoToken', 'Bearer', 'API-Key'] as const;

/** `Authorization: Bearer <ADMIN_TOKEN>` on the operator routes (/admin/...). */
export const ADMIN_SECURITY_SCHEME = 'AdminToken';

type ErrorStatus = 400 | 401 | 404 | 409 | 413 | 415 | 422 | 503;

/** What a status means on one route; the route's own reasons, the shared ones are added. */
export type ErrorDescriptions = Partial<Record<ErrorStatus, string>>;

const IDEMPOTENCY_409 = 'a request with the same Idempotency-Key is still being processed';
const IDEMPOTENCY_422 = 'the Idempotency-Key was used with a different request in the last 24 hours';
const INVALID_IDEMPOTENCY_KEY = 'the Idempotency-Key header is not 1 to 255 printable characters';

/**
 * Tenant routes: the three key forms as alternatives (any one authorizes). Put it on the
 * controller class; each route's `ApiErrors` adds the 401 (on by default).
 */
export function ApiTenantAuth(): ClassDecorator & MethodDecorator {
  return applyDecorators(...TENANT_SECURITY_SCHEMES.map((name) => ApiSecurity(name)));
}

/**
 * A route that needs no credentials (health, signed file links): its operation gets
 * `security: []` when the document is built (`@shipbatch/app/composition`, which refuses any
 * other operation without security).
 */
export function ApiPublic(): MethodDecorator {
  return ApiExtension('x-public', true);
}

/** A success answer with its schema. */
export function ApiAnswer(status: number, schema: SchemaObject, description: string): MethodDecorator {
  return ApiResponse({ status, description, schema });
}

/**
 * The error answers of one route, each with the shared error shape: the route's own reasons,
 * plus 401 on tenant routes, the body answers (malformed JSON: 400, over 32 MB: 413) when it
 * takes a body, 415 for a body in another type than JSON, Idempotency-Key's answers (400, 409, 422)
 * on POST, and 500.
 */
export function ApiErrors(
  own: ErrorDescriptions,
  options: { tenant?: boolean; body?: boolean; idempotent?: boolean } = {},
): MethodDecorator {
  const { tenant = true, body = false, idempotent = false } = options;
  const reasons = new Map<number, string[]>();
  const add = (status: number, reason: string | undefined) => {
    if (!reason) return;
    reasons.set(status, [...(reasons.get(status) ?? []), reason]);
  };
  for (const [status, reason] of Object.entries(own)) add(Number(status), reason);
  if (tenant) add(401, 'no API key, or a key that is not valid (Authorization: ShippoToken <key> | Bearer <key>, or API-Key: <key>)');
  if (body) {
    add(400, 'the body is not valid JSON');
    add(413, 'the body is larger than 32 MB');
  }
  // A body in another type than JSON (or in none) is refused before any route, on every POST and PUT.
  if (body || idempotent) add(415, 'the body is not sent as JSON (Content-Type: application/json or application/*+json)');
  if (idempotent) {
    add(400, INVALID_IDEMPOTENCY_KEY);
    add(409, IDEMPOTENCY_409);
    add(422, IDEMPOTENCY_422);
  }
  add(500, 'an unexpected error (logged with the request id)');
  const decorators: MethodDecorator[] = [...reasons].map(([status, list]) =>
    ApiResponse({
      status,
      description: list.map((r) => r.charAt(0).toUpperCase() + r.slice(1)).join('; '),
      schema: ERROR_SCHEMA,
    }),
  );
  if (idempotent) {
    decorators.push(
      ApiHeader({
        name: 'Idempotency-Key',
        required: false,
        description: 'the same key with the same body within 24 hours replays the first answer (with Idempotent-Replayed: true)',
      }),
    );
  }
  return applyDecorators(...decorators);
}
