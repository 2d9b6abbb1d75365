import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { coerceQueryValue, coerceScalar, type OpenApiParameter, pathMatcher } from './openapi-parameters';
import { type JsonSchema, OpenApiSchemaNormalizer, type SchemaMode } from './openapi-schema.normalizer';

export type { OpenApiParameter } from './openapi-parameters';

/** One operation of the document. */
export interface OpenApiOperation {
  operationId: string;
  /** Upper case: `GET`, `POST`, ... */
  method: string;
  /** The path template of the document, e.g. `/v1/labels/{label_id}`. */
  path: string;
  parameters: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

export type RouteMatch =
  | { operation: OpenApiOperation; pathParams: Record<string, string> }
  | { problem: 'unknown_route' | 'method_not_allowed'; allowed?: string[] };

export interface ParameterCheck {
  problems: string[];
  /** Path and query parameters coerced to their declared types. */
  path: Record<string, unknown>;
  query: Record<string, unknown>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const MAX_PROBLEMS = 12;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Ajv errors as short sentences: `body/shipment: must NOT have additional property 'foo'`. */
export function describeAjvErrors(errors: ErrorObject[] | null | undefined, where: string): string[] {
  const out = new Set<string>();
  for (const e of errors ?? []) {
    const at = `${where}${e.instancePath}`;
    const p = e.params as Record<string, unknown>;
    let message = e.message ?? e.keyword;
    if (e.keyword === 'additionalProperties') message = `must NOT have additional property '${String(p.additionalProperty)}'`;
    else if (e.keyword === 'enum') message += `: ${JSON.stringify(p.allowedValues)}`;
    out.add(`${at}: ${message}`);
    if (out.size >= MAX_PROBLEMS) break;
  }
  return [...out];
}

/**
 * A loaded OpenAPI 3.0 or 3.1 document: its operations, a router, and validators for
 * parameters, request bodies and responses, compiled lazily per operation and cached.
 */
export class OpenApiDocument {
  readonly version: '3.0' | '3.1';
  readonly operations: OpenApiOperation[];
  private readonly normalizer: OpenApiSchemaNormalizer;
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly byId = new Map<string, OpenApiOperation>();
  private readonly routes: Array<{ template: string; regex: RegExp; names: string[]; literalSegments: number; operations: OpenApiOperation[] }> = [];

  constructor(readonly raw: Record<string, unknown>, readonly source = '(inline)') {
    const declared = String(raw.openapi ?? '');
    if (!/^3\.[01]\./.test(declared)) throw new Error(`openapi: ${source} is not an OpenAPI 3.0 or 3.1 document (openapi: '${declared}')`);
    this.version = declared.startsWith('3.1') ? '3.1' : '3.0';
    this.normalizer = new OpenApiSchemaNormalizer(raw);
    const options = { strict: false, allErrors: true, logger: false as const };
    this.ajv = this.version === '3.1' ? new Ajv2020(options) : new Ajv(options);
    addFormats(this.ajv);
    this.addOpenApiFormats();
    this.operations = this.readOperations();
    for (const op of this.operations) this.byId.set(op.operationId, op);
  }

  operation(operationId: string): OpenApiOperation {
    const op = this.byId.get(operationId);
    if (!op) throw new Error(`openapi: ${this.source} has no operation '${operationId}'`);
    return op;
  }

  /** The operation for a method and a path of the document (the spec's prefix, e.g. `/v1/...`). */
  match(method: string, path: string): RouteMatch {
    const candidates = this.routes.filter((r) => r.regex.test(path)).sort((a, b) => b.literalSegments - a.literalSegments);
    if (candidates.length === 0) return { problem: 'unknown_route' };
    for (const route of candidates) {
      const op = route.operations.find((o) => o.method === method.toUpperCase());
      if (!op) continue;
      const m = route.regex.exec(path) as RegExpExecArray;
      const pathParams = Object.fromEntries(route.names.map((n, i) => [n, decodeOrRaw(m[i + 1])]));
      return { operation: op, pathParams };
    }
    return { problem: 'method_not_allowed', allowed: [...new Set(candidates.flatMap((r) => r.operations.map((o) => o.method)))] };
  }

  /** A normalized schema for a `$ref` (`#/components/schemas/x`) or a component schema name. */
  schema(refOrName: string, mode: SchemaMode): JsonSchema {
    const ref = refOrName.startsWith('#') ? refOrName : `#/components/schemas/${refOrName}`;
    return this.normalizer.forMode(this.normalizer.ref(ref), mode);
  }

  /** Problems of a value against a component schema (e.g. `error_response_body`); empty when it conforms. */
  validateSchema(refOrName: string, value: unknown, mode: SchemaMode, where = 'value'): string[] {
    const validate = this.compiled(`schema:${mode}:${refOrName}`, () => this.schema(refOrName, mode));
    return validate(value) ? [] : describeAjvErrors(validate.errors, where);
  }

  /** Checks and coerces path, query and header parameters. */
  checkParameters(operationId: string, input: { path: Record<string, string>; query: URLSearchParams; headers: Record<string, string | undefined> }): ParameterCheck {
    const op = this.operation(operationId);
    const result: ParameterCheck = { problems: [], path: {}, query: {} };
    for (const p of op.parameters) {
      if (p.in === 'cookie') continue;
      const raw = p.in === 'path' ? input.path[p.name] : p.in === 'query' ? (input.query.has(p.name) ? input.query.getAll(p.name) : undefined) : input.headers[p.name.toLowerCase()];
      if (raw === undefined) {
        if (p.required || p.in === 'path') result.problems.push(`${p.in} parameter '${p.name}': is required`);
        continue;
      }
      const key = `param:${operationId}:${p.in}:${p.name}`;
      const validate = this.compiled(key, () => this.normalizer.forMode(this.normalizer.normalize(p.schema ?? {}), 'request'));
      const schema = validate.schema as JsonSchema;
      const value = Array.isArray(raw) ? coerceQueryValue(raw, p, schema) : coerceScalar(raw, schema);
      if (!validate(value)) result.problems.push(...describeAjvErrors(validate.errors, `${p.in} parameter '${p.name}'`));
      if (p.in === 'path') result.path[p.name] = value;
      if (p.in === 'query') result.query[p.name] = value;
    }
    return result;
  }

  /** Problems of a request body (undefined when none was sent); empty when it conforms. */
  validateRequestBody(operationId: string, body: unknown, contentType = 'application/json'): string[] {
    const op = this.operation(operationId);
    if (!op.requestBody) return body === undefined ? [] : ['body: the operation declares no request body'];
    if (body === undefined) return op.requestBody.required ? ['body: is required'] : [];
    const media = pickMedia(op.requestBody.content, contentType);
    if (!media) return [`body: content type '${contentType}' is not one of ${Object.keys(op.requestBody.content).join(', ')}`];
    if (media.schema === undefined) return [];
    const validate = this.compiled(`body:${operationId}:${media.type}`, () => this.normalizer.forMode(this.normalizer.normalize(media.schema), 'request'));
    return validate(body) ? [] : describeAjvErrors(validate.errors, 'body');
  }

  /** True when the operation declares this status (exactly, as `4XX`, or `default`). */
  declaresStatus(operationId: string, status: number): boolean {
    return this.responseFor(this.operation(operationId), status) !== undefined;
  }

  /**
   * Problems of an answer against the operation's response for that status (or `NXX`, or
   * `default`). An undeclared status is a problem, unless `fallbackSchema` (a component schema,
   * e.g. the provider's error body) is given for statuses of 400 and above.
   */
  validateResponse(operationId: string, status: number, body: unknown, options: { contentType?: string; fallbackSchema?: string } = {}): string[] {
    const op = this.operation(operationId);
    const response = this.responseFor(op, status);
    if (!response) {
      if (options.fallbackSchema && status >= 400) return this.validateSchema(options.fallbackSchema, body, 'response', `answer ${status} body`);
      return [`answer: status ${status} is not declared (declared: ${Object.keys(op.responses).join(', ')})`];
    }
    const content = response.content ?? {};
    const media = pickMedia(content, options.contentType ?? 'application/json');
    if (!media) {
      if (body === undefined) return [];
      return Object.keys(content).length === 0 ? [`answer ${status}: has a body but the document declares none`] : [];
    }
    if (!media.type.includes('json') || media.schema === undefined) return [];
    if (body === undefined) return [`answer ${status}: has no body, the document declares ${media.type}`];
    const validate = this.compiled(`response:${operationId}:${status}:${media.type}`, () => this.normalizer.forMode(this.normalizer.normalize(media.schema), 'response'));
    return validate(body) ? [] : describeAjvErrors(validate.errors, `answer ${status} body`);
  }

  private responseFor(op: OpenApiOperation, status: number): { content?: Record<string, { schema?: unknown }> } | undefined {
    return op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses[`${String(status)[0]}xx`] ?? op.responses.default;
  }

  private compiled(key: string, schema: () => JsonSchema): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      const s = schema();
      this.registerUnknownFormats(s);
      validate = this.ajv.compile(typeof s === 'boolean' ? (s ? {} : { not: {} }) : s);
      this.validators.set(key, validate);
    }
    return validate;
  }

  private deref<T>(value: unknown): T {
    let node = value;
    for (let i = 0; i < 20 && isObject(node) && typeof node.$ref === 'string'; i++) node = this.normalizer.resolvePointer(node.$ref);
    return node as T;
  }

  private readOperations(): OpenApiOperation[] {
    const paths = isObject(this.raw.paths) ? this.raw.paths : {};
    const operations: OpenApiOperation[] = [];
    for (const [template, rawItem] of Object.entries(paths)) {
      const item = this.deref<Record<string, unknown>>(rawItem);
      if (!isObject(item)) continue;
      const shared = Array.isArray(item.parameters) ? item.parameters : [];
      const here: OpenApiOperation[] = [];
      for (const method of METHODS) {
        const op = item[method];
        if (!isObject(op)) continue;
        const params = new Map<string, OpenApiParameter>();
        for (const p of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
          const param = this.deref<OpenApiParameter>(p);
          if (isObject(param)) params.set(`${param.in}:${param.name}`, { ...param, required: param.required === true || param.in === 'path' });
        }
        const body = op.requestBody ? this.deref<Record<string, unknown>>(op.requestBody) : undefined;
        const responses: OpenApiOperation['responses'] = {};
        for (const [status, r] of Object.entries(isObject(op.responses) ? op.responses : {})) responses[status] = this.deref(r);
        here.push({
          operationId: typeof op.operationId === 'string' ? op.operationId : `${method.toUpperCase()} ${template}`,
          method: method.toUpperCase(),
          path: template,
          parameters: [...params.values()],
          requestBody: body ? { required: body.required === true, content: (body.content ?? {}) as Record<string, { schema?: unknown }> } : undefined,
          responses,
        });
      }
      operations.push(...here);
      this.routes.push({ template, ...pathMatcher(template), operations: here });
    }
    return operations;
  }

  /** OpenAPI's own formats (numbers checked for range, the others accepted) and `url` as a WHATWG URL. */
  private addOpenApiFormats(): void {
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    for (const f of ['float', 'double']) this.ajv.addFormat(f, { type: 'number', validate: (n: number) => Number.isFinite(n) });
    this.ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
    for (const f of ['binary', 'password']) this.ajv.addFormat(f, true);
    // ajv-formats' `url` regex rejects private and loopback hosts (127.0.0.1), where fakes live.
    this.ajv.addFormat('url', (s: string) => {
      try {
        return ['http:', 'https:'].includes(new URL(s).protocol);
      } catch {
        return false;
      }
    });
  }

  /** Formats that neither ajv-formats nor OpenAPI define (`url`, `iso-4217`, ...) are accepted. */
  private registerUnknownFormats(schema: JsonSchema): void {
    const seen = new Set<unknown>();
    const walk = (node: unknown): void => {
      if (typeof node !== 'object' || node === null || seen.has(node)) return;
      seen.add(node);
      const format = (node as Record<string, unknown>).format;
      if (typeof format === 'string' && !this.ajv.formats[format]) this.ajv.addFormat(format, true);
      for (const v of Object.values(node)) walk(v);
    };
    walk(schema);
  }
}

function pickMedia(content: Record<string, { schema?: unknown }>, contentType: string): { type: string; schema?: unknown } | undefined {
  const base = contentType.split(';')[0].trim().toLowerCase();
  const entries = Object.entries(content);
  const exact = entries.find(([t]) => t.toLowerCase() === base);
  const json = base.includes('json') ? entries.find(([t]) => t.toLowerCase().includes('json')) : undefined;
  const wildcard = entries.find(([t]) => t === '*/*' || t === `${base.split('/')[0]}/*`);
  const hit = exact ?? json ?? wildcard;
  return hit ? { type: hit[0], schema: hit[1].schema } : undefined;
}

/** A path segment decoded, or as it is when it is no valid percent-encoding (`%zz`, `%FF`). */
function decodeOrRaw(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
