import { BODY_VALUES, FIELD_VALUES, HUGE_BODY, PATH_VALUES, QUERY_VALUES, RawJson } from './fuzz-values';
import { Prng } from './prng';

/** One request the fuzzer sends. `url` is relative to the service and already encoded. */
export interface FuzzCase {
  /** `POST /batches/{id}/add_shipments` */
  operation: string;
  method: string;
  url: string;
  body?: string | Buffer;
  contentType?: string;
  /** What was changed from a valid request: `body batch_shipments[0].shipment.parcels = [[]]`. */
  label: string;
  /** The security scheme names the operation accepts (from the document). */
  security: string[];
}

/** A valid request of one operation, the fuzzer's starting point (what is missing is made up from the document). */
export interface OperationInput {
  path?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

interface Parameter {
  name: string;
  in: string;
  schema?: Record<string, unknown>;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> };
  security?: Array<Record<string, unknown>>;
}

export interface OpenApiLike {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Record<string, unknown>> };
  security?: Array<Record<string, unknown>>;
}

export interface CaseOptions {
  /** Valid inputs by operation (`POST /batches`) or path template (`/batches/{id}`, for its path parameters). */
  inputs: Record<string, OperationInput>;
  seed: number;
  /** Requests that combine 2 or 3 random field values at once, on top of the enumerated ones. */
  randomCases?: number;
  /** Keep only this many of all cases (a seeded sample); default all. */
  sample?: number;
  /** Send one body over 32 MB (to the first body route). */
  hugeBody?: boolean;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every malformed request of the run, ordered so that routes that change or delete the fixtures come last. */
export function buildCases(doc: OpenApiLike, options: CaseOptions): FuzzCase[] {
  const prng = new Prng(options.seed);
  const cases: FuzzCase[] = [];
  const bodyBases: Array<{ make: (body: unknown, label: string) => FuzzCase; body: unknown }> = [];
  let huge = options.hugeBody ?? false;
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const operation = `${method.toUpperCase()} ${template}`;
      const input = { ...options.inputs[template], ...options.inputs[operation] };
      const security = (op.security ?? doc.security ?? []).flatMap((s) => Object.keys(s));
      const params = op.parameters ?? [];
      const pathValues: Record<string, string> = {};
      for (const p of params.filter((p) => p.in === 'path')) pathValues[p.name] = input.path?.[p.name] ?? `fuzz_missing_${p.name}`;
      const query: Record<string, string> = { ...input.query };
      const schema = op.requestBody?.content?.['application/json']?.schema;
      const body = input.body !== undefined ? input.body : schema ? sampleOf(schema, doc) : undefined;

      const url = (path: Record<string, string>, q: string) => {
        const p = template.replace(/\{(\w+)\}/g, (_, name: string) => path[name] ?? '');
        return q ? `${p}?${q}` : p;
      };
      // A slash stays a slash: `/files/{path}` takes a storage key that holds them.
      const encoded = (path: Record<string, string>) =>
        Object.fromEntries(Object.entries(path).map(([k, val]) => [k, encodeURIComponent(val).replaceAll('%2F', '/')]));
      const queryText = (q: Record<string, string>) => new URLSearchParams(q).toString();
      const base = { operation, method: method.toUpperCase(), security };
      const withBody = (b: unknown): Pick<FuzzCase, 'body' | 'contentType'> =>
        b === undefined ? {} : { body: toJsonText(b), contentType: 'application/json' };
      const make = (overrides: Partial<FuzzCase> & { label: string }): FuzzCase => ({
        ...base,
        url: url(encoded(pathValues), queryText(query)),
        ...withBody(body),
        ...overrides,
      });

      cases.push(make({ label: 'valid' }));
      for (const name of Object.keys(pathValues)) {
        for (const pv of PATH_VALUES) {
          const path = { ...encoded(pathValues), [name]: pv.value.replace('{id}', encoded(pathValues)[name]) };
          cases.push(make({ url: url(path, queryText(query)), label: `path ${name} = ${pv.label}` }));
        }
      }
      const queryParams = params.filter((p) => p.in === 'query').map((p) => p.name);
      for (const name of queryParams) {
        const rest = queryText(Object.fromEntries(Object.entries(query).filter(([k]) => k !== name)));
        for (const qv of QUERY_VALUES) {
          const q = [rest, qv.value.replaceAll('{name}', encodeURIComponent(name))].filter(Boolean).join('&');
          cases.push(make({ url: url(encoded(pathValues), q), label: `query ${name} = ${qv.label}` }));
        }
      }
      cases.push(
        make({ url: url(encoded(pathValues), [queryText(query), 'zz_unknown=1'].filter(Boolean).join('&')), label: 'query unknown parameter zz_unknown' }),
        make({ url: url(encoded(pathValues), [queryText(query), 'zz%00=1'].filter(Boolean).join('&')), label: 'query name with NUL' }),
      );

      if (method === 'get') continue;
      if (body !== undefined) {
        for (const node of nodesOf(body)) {
          for (const fv of FIELD_VALUES) {
            cases.push(make({ ...withBody(replaceAt(body, node.path, fv.value)), label: `body ${node.label} = ${fv.label}` }));
          }
          if (node.path.length > 0 && typeof node.path[node.path.length - 1] === 'string') {
            cases.push(make({ ...withBody(replaceAt(body, node.path, REMOVE)), label: `body ${node.label} removed` }));
          }
          if (node.isObject) {
            cases.push(make({ ...withBody(replaceAt(body, [...node.path, 'zz_unknown'], 1)), label: `body ${node.label} + unknown field zz_unknown` }));
          }
        }
        bodyBases.push({ body, make: (b, label) => make({ ...withBody(b), label }) });
        if (huge) {
          cases.push(make({ body: HUGE_BODY(), contentType: 'application/json', label: 'body over 32 MB' }));
          huge = false;
        }
      }
      for (const bv of BODY_VALUES) {
        cases.push(make({ body: bv.value.body, contentType: bv.value.contentType, label: `whole body ${bv.label}` }));
      }
    }
  }
  for (let i = 0; i < (options.randomCases ?? 0) && bodyBases.length > 0; i++) {
    const { body, make } = prng.pick(bodyBases);
    const nodes = nodesOf(body);
    let changed = body;
    const labels: string[] = [];
    for (let k = 0, n = 2 + prng.below(2); k < n; k++) {
      const node = prng.pick(nodes);
      const fv = prng.pick(FIELD_VALUES);
      const next = replaceAt(changed, node.path, fv.value, true);
      if (next === NOT_THERE) continue;
      changed = next;
      labels.push(`${node.label} = ${fv.label}`);
    }
    cases.push(make(changed, `random body ${labels.join(', ')}`));
  }
  const chosen = options.sample !== undefined ? prng.sample(cases, options.sample) : cases;
  return chosen
    .map((c, i) => ({ c, i, rank: destructiveRank(c) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map(({ c }) => c);
}

/** Routes that use up or remove the fixtures run last, in this order. */
function destructiveRank(c: FuzzCase): number {
  if (c.method === 'DELETE') return 4;
  if (c.operation.endsWith('/void')) return 3;
  if (c.operation.endsWith('/purchase')) return 2;
  if (c.operation.endsWith('/remove_shipments')) return 1;
  return 0;
}

/** JSON text, with `RawJson` values written as they are. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `@@fuzz-raw-${raws.length - 1}@@`;
    }
    return v;
  });
  return text.replace(/"@@fuzz-raw-(\d+)@@"/g, (_, i: string) => raws[Number(i)]);
}

interface Node {
  path: Array<string | number>;
  label: string;
  isObject: boolean;
}

/** Every value in a body (the body itself, objects, arrays' first items, leaves), with its field path. */
function nodesOf(body: unknown): Node[] {
  const out: Node[] = [];
  const walk = (value: unknown, path: Array<string | number>) => {
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof RawJson);
    out.push({ path, label: labelOf(path), isObject });
    if (Array.isArray(value) && value.length > 0) walk(value[0], [...path, 0]);
    if (isObject) for (const [k, child] of Object.entries(value as Record<string, unknown>)) walk(child, [...path, k]);
  };
  walk(body, []);
  return out;
}

function labelOf(path: Array<string | number>): string {
  if (path.length === 0) return '(body)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

const REMOVE = Symbol('remove');
const NOT_THERE = Symbol('not there');

/** A copy of `body` with the value at `path` replaced (or removed). */
function replaceAt(body: unknown, path: Array<string | number>, value: unknown, strict = false): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  // An earlier change may have replaced a container with something else.
  if (body === null || typeof body !== 'object' || body instanceof RawJson || Array.isArray(body) !== (typeof head === 'number')) {
    return strict ? NOT_THERE : body;
  }
  const copy = (Array.isArray(body) ? [...(body as unknown[])] : { ...(body as Record<string, unknown>) }) as Record<string | number, unknown>;
  if (rest.length === 0) {
    if (value === REMOVE) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const next = replaceAt(copy[head], rest, value, strict);
  if (next === NOT_THERE) return NOT_THERE;
  copy[head] = next;
  return copy;
}

/** A value of the schema (examples, defaults and enums first), for routes given no valid input. */
function sampleOf(schema: Record<string, unknown>, doc: OpenApiLike, depth = 0): unknown {
  if (depth > 8) return undefined;
  const ref = schema['$ref'];
  if (typeof ref === 'string') return sampleOf(doc.components?.schemas?.[ref.split('/').pop() ?? ''] ?? {}, doc, depth + 1);
  const allOf = schema['allOf'] as Array<Record<string, unknown>> | undefined;
  if (allOf?.length) return sampleOf(allOf[0], doc, depth + 1);
  if (schema['example'] !== undefined) return schema['example'];
  if (schema['default'] !== undefined) return schema['default'];
  const enumValues = schema['enum'] as unknown[] | undefined;
  if (enumValues?.length) return enumValues[0];
  switch (schema['type']) {
    case 'object': {
      const props = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
      return Object.fromEntries(Object.entries(props).map(([k, s]) => [k, sampleOf(s, doc, depth + 1)]));
    }
    case 'array':
      return [sampleOf((schema['items'] ?? {}) as Record<string, unknown>, doc, depth + 1)];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'string':
      return 'fuzz';
    default:
      return {};
  }
}
