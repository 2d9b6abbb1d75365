import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { LocalControl } from '@shipbatch/platform/auth';
import type { AppConfig } from '@shipbatch/platform/config';
import { finishDocument } from './openapi-document';
import { documentMalformedInput } from './openapi-input-errors';
import { documentRateLimits } from './openapi-rate-limits';

const DESCRIPTION = [
  'One batch label API in front of many label providers: Shippo-compatible batches and objects, ShipStation-compatible v2 labels.',
  '',
  'Authentication: a tenant key is accepted in any of three forms (the security schemes ShippoToken, Bearer and API-Key); each tenant route takes any one of them.',
  'Operator routes (/admin, tag admin) take `Authorization: Bearer <ADMIN_TOKEN>` (scheme AdminToken) and exist only when ADMIN_TOKEN is set.',
  '',
  'Every error answer has the shape `Error`: `{request_id, errors: [{error_source, error_type, error_code, message, field_name?}]}`.',
  'A request to a route not listed here answers 404 with error_code `route_not_found`.',
  '',
  'Every answer carries `X-Request-Id`; answers replayed for a repeated Idempotency-Key carry `Idempotent-Replayed: true`; 429 and 503 answers carry `Retry-After`.',
  'Request limits: each tenant may make API_RATE_LIMIT_PER_MINUTE requests a minute (6000 unless the operator set it), and each client address as many without a valid API key, shared by every API process.',
  'Every answer but /health*, /metrics and /local carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset (seconds until the window resets); past the limit, 429 with error_code `rate_limit_exceeded` and Retry-After.',
].join('\n');

/**
 * The OpenAPI document of the HTTP API, served at /docs (Swagger UI) and /docs-json: the
 * controllers' decorators (`@shipbatch/shipping/api`), the security schemes, and the response
 * schemas those decorators name (`@shipbatch/shipping/presentation`, one file a resource beside
 * its presenter, `presenters/<resource>.schema.ts`; the error shape in the api's `http/`)
 * published under components.schemas, on every operation the answers to malformed input
 * (./openapi-input-errors), and the request limits' headers and 429 (./openapi-rate-limits).
 */
export function setupOpenApi(app: INestApplication, appConfig: AppConfig): void {
  const config = new DocumentBuilder()
    .setTitle('Shipbatch')
    .setDescription(DESCRIPTION)
    .setVersion('0.1.0')
    .setLicense('UNLICENSED (proprietary)', 'https://spdx.org/licenses/')
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description: 'Shippo style: the whole header value, prefix included: `ShippoToken <key>`',
      },
      'ShippoToken',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'API key', description: '`Authorization: Bearer <key>` (enter the key alone)' }, 'Bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'API-Key', description: 'ShipStation style: `API-Key: <key>`' }, 'API-Key')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'ADMIN_TOKEN', description: 'Operators: `Authorization: Bearer <ADMIN_TOKEN>` (enter the token alone)' },
      'AdminToken',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'local token',
        description: 'Commands on the same machine (embedded mode, /local): `Authorization: Bearer <token of DATA_DIR/service.json>`',
      },
      'LocalToken',
    )
    .addTag('batches', 'Shippo-compatible batches: create, validate in the background, purchase')
    .addTag('labels', 'ShipStation v2-compatible labels, from any provider')
    .addTag('transactions', 'Shippo transactions: the same bought labels in Shippo’s shape')
    .addTag('addresses', 'Shippo address objects, to use by id in batch shipments')
    .addTag('parcels', 'Shippo parcel objects, to use by id in batch shipments')
    .addTag('shipments', 'Shippo shipments: one per batch shipment that validated (read-only)')
    .addTag('carrier_accounts', 'Carrier accounts of any provider, their balance and funding')
    .addTag('webhooks', 'Webhooks, their deliveries and redelivery (Standard Webhooks signatures)')
    .addTag('files', 'Label files behind signed, expiring links (no API key)')
    .addTag('health', 'Liveness and database reachability (no API key)')
    .addTag('admin', 'Operator routes: tenants and their API keys (only when ADMIN_TOKEN is set)')
    .addTag('local', 'Commands on the same machine (embedded mode only): what npm run demo-key calls')
    .build();
  // Routes that are off are left out of the document (and Swagger UI): admin without
  // ADMIN_TOKEN, local outside embedded mode (the routes answer 404 there).
  const hiddenTags = [...(appConfig.adminToken ? [] : ['admin']), ...(app.get(LocalControl, { strict: false }).enabled ? [] : ['local'])];
  // The request limits' headers and 429, where they apply, when they are on.
  const limits = (document: OpenAPIObject) => (appConfig.apiRateLimitPerMinute > 0 ? documentRateLimits(document) : document);
  const finish = (document: OpenAPIObject) => finishDocument(document, { publicBaseUrl: appConfig.http.publicBaseUrl, hiddenTags });
  // Built on the first /docs or /docs-json request, not at start: the walk over every route and
  // schema is start-up time nobody waits for otherwise.
  SwaggerModule.setup('docs', app, () => finish(limits(documentMalformedInput(hoistComponents(SwaggerModule.createDocument(app, config))))), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}

const MARK = 'x-component';
type Json = unknown;

/**
 * Publishes every schema marked `x-component: <Name>` once under components.schemas and
 * replaces each place it appears with `{$ref: '#/components/schemas/<Name>'}`, nested ones
 * too. Two different schemas with one name are a programming error and fail the start.
 * The document is copied, never changed in place (the schemas are shared constants).
 */
export function hoistComponents(document: OpenAPIObject): OpenAPIObject {
  const found = new Map<string, { schema: Json; text: string }>();
  const walk = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const copy: Record<string, Json> = {};
    for (const [key, value] of Object.entries(node)) if (key !== MARK) copy[key] = walk(value);
    const name = (node as Record<string, Json>)[MARK];
    if (typeof name !== 'string') return copy;
    const text = JSON.stringify(copy);
    const seen = found.get(name);
    if (seen && seen.text !== text) throw new Error(`OpenAPI: two different schemas are named ${name}`);
    if (!seen) found.set(name, { schema: copy, text });
    return { $ref: `#/components/schemas/${name}` };
  };
  const out = walk(document) as OpenAPIObject;
  const schemas = (out.components ??= {}).schemas ?? {};
  for (const [name, { schema }] of found) {
    if (name in schemas && JSON.stringify(schemas[name]) !== JSON.stringify(schema)) {
      throw new Error(`OpenAPI: schema ${name} is defined twice`);
    }
    schemas[name] = schema as never;
  }
  out.components.schemas = schemas;
  return out;
}
