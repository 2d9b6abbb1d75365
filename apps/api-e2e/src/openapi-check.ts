import { appendFileSync } from 'node:fs';
import { OpenApiDocument } from '@shipbatch/providers/testing';

/**
 * Every answer the end-to-end suite receives is checked against the service's own OpenAPI
 * document (`/docs-json`), so the document cannot drift from the code: `Client` calls
 * `checkAnswer` for each answer; specs that call the API another way (the Shippo SDK,
 * `fetch`) hook in with `checkedFetch` or `checkAnswer`.
 *
 * - The operation is found by matching the path against the document's path templates (the
 *   most literal one wins, as the router does) and the method.
 * - The status must be documented for the operation, and a JSON answer must validate against
 *   its schema (ajv, with OpenAPI 3.0's `nullable` and `readOnly`/`writeOnly` handled by
 *   `OpenApiDocument`). A non-JSON answer (a label file) is checked by status and content type.
 *   A documented status without content (204) must have no body.
 * - A route the document does not list may only answer the router's 404 `route_not_found`
 *   (or 405 `method_not_allowed` where the path is listed with other methods)
 *   in the error shape (the document says so in its description).
 * - `/docs` and `/docs-json` themselves are not checked.
 *
 * Any mismatch throws an `OpenApiMismatch` naming the operation, the status and ajv's errors.
 */

export class OpenApiMismatch extends Error {
  override readonly name = 'OpenApiMismatch';
}

interface Loaded {
  doc: OpenApiDocument;
  /** Operations that got at least one answer checked: `GET /batches/{id}` -> statuses. */
  seen: Map<string, Set<number>>;
  answers: number;
}

let loading: Promise<Loaded> | undefined;

/** Fetches `/docs-json` from the first service asked (the document is the code's, the same for every instance). */
function load(baseUrl: string): Promise<Loaded> {
  loading ??= (async () => {
    const res = await fetch(`${baseUrl}/docs-json`);
    if (res.status !== 200) throw new Error(`openapi-check: GET ${baseUrl}/docs-json answered ${res.status}`);
    const raw = (await res.json()) as Record<string, unknown>;
    return { doc: new OpenApiDocument(raw, `${baseUrl}/docs-json`), seen: new Map(), answers: 0 };
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}

const UNCHECKED = new Set(['/docs', '/docs-json']);

export interface CheckOptions {
  /** The `Content-Type` header of the answer, if any. */
  contentType?: string | null;
  /** The service, when `url` is relative (else the origin of `url`). */
  baseUrl?: string;
}

/**
 * Validates one answer against `/docs-json` of the service; throws an `OpenApiMismatch` when
 * the route or status is undocumented or the body does not match. `url` is absolute (a link
 * an answer gave) or relative to `options.baseUrl`, with or without a query. `body` is the
 * parsed JSON, the text when not JSON, undefined when empty.
 */
export async function checkAnswer(method: string, url: string, status: number, body: unknown, options: CheckOptions = {}): Promise<void> {
  const parsed = new URL(url, options.baseUrl);
  const pathname = parsed.pathname;
  if (UNCHECKED.has(pathname.replace(/\/+$/, '')) || pathname.startsWith('/docs/')) return;
  const loaded = await load(options.baseUrl ?? parsed.origin);
  const { doc } = loaded;
  const contentType = (options.contentType ?? '').split(';')[0].trim().toLowerCase();
  const where = `${method.toUpperCase()} ${pathname}`;

  // `/files/{path}`: the key may hold slashes, which a path template cannot say.
  const routed = pathname.startsWith('/files/') ? doc.match(method, '/files/x') : doc.match(method, pathname);
  if ('problem' in routed) {
    const problems = doc.validateSchema('Error', body, 'response', `answer ${status} body`);
    const code = (body as { errors?: Array<{ error_code?: string }> } | undefined)?.errors?.[0]?.error_code;
    if (status === 404 && problems.length === 0 && code === 'route_not_found') return record(loaded, `(not in the document) ${method.toUpperCase()}`, status);
    // A path the document lists, with a method it does not: 405 with Allow, in the error shape.
    if (status === 405 && problems.length === 0 && code === 'method_not_allowed') return record(loaded, `(method not in the document) ${method.toUpperCase()}`, status);
    throw new OpenApiMismatch(
      `${where} answered ${status}: the route is not in /docs-json (${routed.problem}); only a 404 route_not_found error may answer there` +
        (problems.length ? `\n  ${problems.join('\n  ')}` : '') +
        `\n  body: ${preview(body)}`,
    );
  }
  const op = routed.operation;
  const name = `${op.method} ${op.path} (${op.operationId})`;
  const response = op.responses[String(status)];
  if (!response) {
    throw new OpenApiMismatch(
      `${name}: answered ${status}, which the document does not list (it lists ${Object.keys(op.responses).join(', ')})\n  request: ${where}\n  body: ${preview(body)}`,
    );
  }
  const declared = Object.keys(response.content ?? {});
  if (declared.length === 0) {
    if (body !== undefined && body !== '') throw new OpenApiMismatch(`${name}: answered ${status} with a body, the document declares none\n  body: ${preview(body)}`);
  } else if (!declared.includes(contentType)) {
    throw new OpenApiMismatch(`${name}: answered ${status} as '${contentType}', the document declares ${declared.join(', ')}\n  request: ${where}`);
  } else if (contentType.includes('json')) {
    const problems = doc.validateResponse(op.operationId, status, body, { contentType });
    if (problems.length > 0) {
      throw new OpenApiMismatch(`${name}: the ${status} answer does not match its schema\n  request: ${where}\n  ${problems.join('\n  ')}\n  body: ${preview(body)}`);
    }
  }
  record(loaded, `${op.method} ${op.path}`, status);
}

/** Counts the answer; with OPENAPI_CHECK_LOG set, also appends `<operation> <status>` to that file. */
function record(loaded: Loaded, operation: string, status: number): void {
  loaded.answers++;
  loaded.seen.set(operation, (loaded.seen.get(operation) ?? new Set()).add(status));
  const log = process.env['OPENAPI_CHECK_LOG'];
  if (log) appendFileSync(log, `${operation} ${status}\n`);
}

function preview(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text === undefined ? '(none)' : text.length > 1500 ? `${text.slice(0, 1500)}...` : text;
}

/**
 * `fetch` that checks each answer of the service at `baseUrl` (other hosts are passed
 * through): give it to an SDK, e.g. `new Shippo({ ..., httpClient: new HTTPClient({ fetcher: checkedFetch(h.baseUrl) }) })`.
 */
export function checkedFetch(baseUrl: string): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  const origin = new URL(baseUrl).origin;
  return async (input, init) => {
    const res = await fetch(input, init);
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request?.url ?? String(input));
    if (url.origin !== origin) return res;
    const method = init?.method ?? request?.method ?? 'GET';
    const text = await res.clone().text();
    const contentType = res.headers.get('content-type');
    let body: unknown = text === '' ? undefined : text;
    if (text !== '' && contentType?.includes('json')) body = JSON.parse(text);
    await checkAnswer(method, url.href, res.status, body, { contentType, baseUrl });
    return res;
  };
}

/** What has been checked so far in this process (for a summary). */
export async function checkedSoFar(): Promise<{ answers: number; operations: number; statuses: Record<string, number[]> } | undefined> {
  if (!loading) return undefined;
  const { answers, seen } = await loading;
  return {
    answers,
    operations: seen.size,
    statuses: Object.fromEntries([...seen].map(([k, v]) => [k, [...v].sort()])),
  };
}
