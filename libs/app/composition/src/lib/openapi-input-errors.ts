import type { OpenAPIObject } from '@nestjs/swagger';
import { MAX_JSON_DEPTH } from '@shipbatch/shipping/api';

type Responses = Record<string, { description?: string; content?: unknown }>;
type Operation = { parameters?: Array<{ in?: string }>; responses?: Responses };

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
/** Methods whose requests may carry a body (the JSON parser reads it whatever the route). */
const WITH_BODY = new Set(['post', 'put', 'patch', 'delete']);
const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'];

const PARAMS_400 = 'a path or query parameter holds a NUL character (%00) or is not valid percent-encoded UTF-8 (named in field_name)';
const BODY_400 =
  `the body is not valid JSON, nests arrays and objects more than ${MAX_JSON_DEPTH} deep, ` +
  'or holds a NUL character or an unpaired UTF-16 surrogate in a string or a field name (named in field_name)';
const BODY_413 = 'the body is larger than 32 MB';
const QUERY_400 = 'a query parameter the route does not take, or one given twice that is not a list (named in field_name)';
const BODY_415 = 'the body is JSON in a charset other than UTF-8, or compressed (Content-Encoding)';

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Adds `reason` to the operation's answer `status` (made with the error shape when it has none),
 * unless it says so already; a shorter `replaces` already there (a route's own words) gives way to it.
 */
function add(responses: Responses, status: string, reason: string, replaces?: string): void {
  const existing = responses[status];
  if (!existing) {
    responses[status] = { description: capital(reason), content: ERROR_CONTENT };
    return;
  }
  const description = existing.description ?? '';
  const lower = description.toLowerCase();
  if (lower.includes(reason.toLowerCase())) return;
  const at = replaces ? lower.indexOf(replaces.toLowerCase()) : -1;
  if (at >= 0) {
    const upper = description.charAt(at) !== description.charAt(at).toLowerCase();
    existing.description = description.slice(0, at) + (upper ? capital(reason) : reason) + description.slice(at + (replaces as string).length);
    return;
  }
  existing.description = description ? `${description}; ${capital(reason)}` : capital(reason);
}

/**
 * The answers every route gives to malformed input, which one place checks for all routes
 * (the JSON body parser, `storableJsonBody`, `StorableParamsPipe`, the router), documented on
 * every operation they apply to: parameters that cannot be stored or decoded (400) on routes
 * with parameters; a query parameter the route does not take, or repeated (400), on every route; a body that is not JSON, too deep or not storable (400), too large (413) or
 * not UTF-8 (415) on every route of a method that may carry one. Changes `document` in place.
 */
export function documentMalformedInput(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const responses = (op.responses ??= {});
      if ((op.parameters ?? []).some((p) => p.in === 'path' || p.in === 'query')) add(responses, '400', PARAMS_400);
      // Every route refuses unknown and repeated query parameters (QueryParametersInterceptor), those without any included.
      add(responses, '400', QUERY_400);
      if (WITH_BODY.has(method)) {
        add(responses, '400', BODY_400, 'the body is not valid JSON');
        add(responses, '413', BODY_413);
        add(responses, '415', BODY_415);
      }
    }
  }
  return document;
}
