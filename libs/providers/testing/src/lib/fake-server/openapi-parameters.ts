import type { JsonSchema } from './openapi-schema.normalizer';

/** One parameter of an operation, `$ref`s resolved, path-level and operation-level merged. */
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  /** The raw (not normalized) schema of the document. */
  schema?: unknown;
  style?: string;
  explode?: boolean;
}

/** The first non-null type a (normalized) schema declares, looking into `anyOf`/`oneOf`. */
export function primaryType(schema: JsonSchema | undefined): string | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') as string | undefined;
  for (const key of ['anyOf', 'oneOf']) {
    const list = schema[key];
    if (Array.isArray(list)) {
      for (const s of list) {
        const t = primaryType(s as JsonSchema);
        if (t) return t;
      }
    }
  }
  return undefined;
}

/** Coerces one string value to the type a schema declares; leaves it a string when it cannot. */
export function coerceScalar(raw: string, schema: JsonSchema | undefined): unknown {
  const type = primaryType(schema);
  if (type === 'integer' || type === 'number') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (type === 'null' && raw === '') return null;
  return raw;
}

/**
 * A query parameter's value from its raw occurrences, coerced to the declared type: arrays
 * from repeated keys (`form`, explode) or comma-separated (`explode: false`), scalars from the
 * last occurrence.
 */
export function coerceQueryValue(raw: string[], parameter: OpenApiParameter, schema: JsonSchema): unknown {
  if (primaryType(schema) === 'array') {
    const items = typeof schema === 'object' ? (schema.items as JsonSchema | undefined) : undefined;
    const explode = parameter.explode ?? (parameter.style ?? 'form') === 'form';
    const values = explode ? raw : raw.flatMap((r) => r.split(','));
    return values.map((v) => coerceScalar(v, items));
  }
  return coerceScalar(raw[raw.length - 1], schema);
}

/** Compiles a path template (`/v1/labels/{label_id}`) into a matcher. */
export function pathMatcher(template: string): { regex: RegExp; names: string[]; literalSegments: number } {
  const names: string[] = [];
  let literalSegments = 0;
  const source = template
    .split('/')
    .map((segment) => {
      if (!segment.includes('{')) {
        if (segment) literalSegments++;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      return segment.replace(/\{([^}]+)\}|([^{]+)/g, (_m, name: string | undefined, text: string | undefined) => {
        if (name) {
          names.push(name);
          return '([^/]+)';
        }
        return (text ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      });
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`), names, literalSegments };
}
