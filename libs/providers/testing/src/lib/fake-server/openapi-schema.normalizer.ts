import mergeAllOf from 'json-schema-merge-allof';
import type { JSONSchema7 } from 'json-schema';

/** A JSON Schema as the validator sees it: an object or a boolean. */
export type JsonSchema = { [keyword: string]: unknown } | boolean;
/** Requests drop `readOnly` properties from `required`; responses drop `writeOnly` ones. */
export type SchemaMode = 'request' | 'response';

type SchemaObject = { [keyword: string]: unknown };

/** OpenAPI-only or documentation-only keywords: dropped before merging and validating. */
const DROPPED = new Set(['example', 'xml', 'discriminator', 'externalDocs', 'deprecated', 'description', '$comment']);
/** Keywords whose value is one schema. */
const ONE_SCHEMA = ['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'additionalItems', 'unevaluatedProperties', 'unevaluatedItems'];
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

const isObject = (v: unknown): v is SchemaObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const anyTrue = (values: unknown[]): boolean => values.some((v) => v === true);
const first = (values: unknown[]): unknown => values[0];

function decodePointer(ref: string): string[] {
  return ref
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** True when the schema (or a member of the `anyOf` that `nullable` produced) carries the flag. */
function hasFlag(schema: unknown, flag: 'readOnly' | 'writeOnly'): boolean {
  if (!isObject(schema)) return false;
  if (schema[flag] === true) return true;
  return Array.isArray(schema.anyOf) && schema.anyOf.some((s) => isObject(s) && s[flag] === true);
}

/**
 * Turns OpenAPI schema objects into plain JSON Schema, lazily and once per component:
 *
 * - internal `$ref`s are inlined (a `$ref` with sibling keywords, allowed in 3.1, becomes an
 *   `allOf` of the target and the siblings); a reference back into a schema being resolved
 *   (recursion) becomes `{}`;
 * - `allOf` is merged with json-schema-merge-allof. `additionalProperties: false` on one part
 *   does not reject the other parts' properties: the merged schema is closed when the composed
 *   whole says `additionalProperties: false`, or when every part that declares properties is
 *   closed (then the union of their properties is the allowed set); otherwise it is open;
 * - OpenAPI 3.0 `nullable: true` becomes `type: [t, 'null']` (and `null` in an `enum`), or
 *   `anyOf: [schema, { type: 'null' }]` when there is no type;
 * - duplicate `enum` values are dropped (ajv refuses such a schema);
 * - OpenAPI-only keywords (`example`, `xml`, `discriminator`, `externalDocs`, `deprecated`,
 *   `x-*`) and `description` are dropped.
 *
 * `forMode` then drops `readOnly` (request) or `writeOnly` (response) properties from `required`.
 */
export class OpenApiSchemaNormalizer {
  private readonly byRef = new Map<string, JsonSchema>();
  private readonly resolving = new Set<string>();
  private readonly modeCopies: Record<SchemaMode, WeakMap<object, JsonSchema>> = { request: new WeakMap(), response: new WeakMap() };

  constructor(private readonly document: unknown) {}

  /** The raw value at a `#/...` pointer of the document. */
  resolvePointer(ref: string): unknown {
    if (!ref.startsWith('#')) throw new Error(`openapi: only internal $refs are supported, got '${ref}'`);
    let node: unknown = this.document;
    for (const segment of decodePointer(ref)) {
      if (!isObject(node) && !Array.isArray(node)) throw new Error(`openapi: $ref '${ref}' does not resolve`);
      node = (node as SchemaObject)[segment];
      if (node === undefined) throw new Error(`openapi: $ref '${ref}' does not resolve`);
    }
    return node;
  }

  /** A normalized component schema by `$ref` (memoized). */
  ref(ref: string): JsonSchema {
    const done = this.byRef.get(ref);
    if (done !== undefined) return done;
    if (this.resolving.has(ref)) return {};
    this.resolving.add(ref);
    try {
      const schema = this.normalize(this.resolvePointer(ref));
      this.byRef.set(ref, schema);
      return schema;
    } finally {
      this.resolving.delete(ref);
    }
  }

  /** A normalized copy of any schema object of the document. */
  normalize(input: unknown): JsonSchema {
    if (typeof input === 'boolean') return input;
    if (!isObject(input)) return {};
    let node: SchemaObject = input;
    if (typeof node.$ref === 'string') {
      const target = this.ref(node.$ref);
      const { $ref: _ref, ...siblings } = node;
      const meaningful = Object.keys(siblings).filter((k) => !DROPPED.has(k) && !k.startsWith('x-'));
      if (meaningful.length === 0) return target;
      node = { ...siblings, allOf: [target, ...(Array.isArray(siblings.allOf) ? siblings.allOf : [])] };
    }
    const out: SchemaObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (DROPPED.has(key) || key.startsWith('x-')) continue;
      if (ONE_SCHEMA.includes(key) && (isObject(value) || typeof value === 'boolean')) out[key] = this.normalize(value);
      else if (key === 'items' && Array.isArray(value)) out[key] = value.map((v) => this.normalize(v));
      else if (SCHEMA_LIST.includes(key) && Array.isArray(value)) out[key] = value.map((v) => this.normalize(v));
      else if (SCHEMA_MAP.includes(key) && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.normalize(v)]));
      else out[key] = value;
    }
    // Duplicate enum values (the ShipEngine file lists one error_code twice) make ajv refuse the schema.
    if (Array.isArray(out.enum)) out.enum = out.enum.filter((v, i, all) => all.findIndex((w) => JSON.stringify(w) === JSON.stringify(v)) === i);
    // OpenAPI 3.0 (draft 4 style) boolean exclusive bounds.
    for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (typeof out[flag] === 'boolean') {
        if (out[flag] === true && typeof out[bound] === 'number') {
          out[flag] = out[bound];
          delete out[bound];
        } else delete out[flag];
      }
    }
    const merged = Array.isArray(out.allOf) ? this.mergeAll(out) : out;
    return this.nullable(merged);
  }

  /** A copy for requests or responses: `readOnly` / `writeOnly` properties are not required. */
  forMode(schema: JsonSchema, mode: SchemaMode): JsonSchema {
    if (!isObject(schema)) return schema;
    const memo = this.modeCopies[mode];
    const done = memo.get(schema);
    if (done !== undefined) return done;
    const copy: SchemaObject = {};
    memo.set(schema, copy);
    for (const [key, value] of Object.entries(schema)) {
      if ((ONE_SCHEMA.includes(key) || key === 'items') && (isObject(value) || typeof value === 'boolean')) copy[key] = this.forMode(value, mode);
      else if ((SCHEMA_LIST.includes(key) || key === 'items') && Array.isArray(value)) copy[key] = value.map((v) => this.forMode(v as JsonSchema, mode));
      else if (SCHEMA_MAP.includes(key) && isObject(value)) copy[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.forMode(v as JsonSchema, mode)]));
      else copy[key] = value;
    }
    if (Array.isArray(copy.required) && isObject(schema.properties)) {
      const props = schema.properties;
      const flag = mode === 'request' ? 'readOnly' : 'writeOnly';
      copy.required = (copy.required as string[]).filter((name) => !hasFlag(props[name], flag));
    }
    return copy;
  }

  private mergeAll(node: SchemaObject): JsonSchema {
    const { allOf, ...whole } = node;
    const parts = (allOf as JsonSchema[]).filter((p) => p !== true);
    if (parts.length === 0) return whole;
    let merged: JsonSchema;
    try {
      merged = mergeAllOf({ ...whole, allOf: parts } as JSONSchema7, {
        ignoreAdditionalProperties: true,
        resolvers: {
          nullable: anyTrue,
          readOnly: anyTrue,
          writeOnly: anyTrue,
          format: first,
          defaultResolver: first,
        } as unknown as mergeAllOf.Options['resolvers'],
      }) as JsonSchema;
    } catch {
      // Parts that cannot be merged (conflicting types): keep the allOf, validated as is.
      return node;
    }
    if (!isObject(merged)) return merged;
    const additional = this.additionalAfterMerge(whole, parts);
    if (additional === undefined) delete merged.additionalProperties;
    else merged.additionalProperties = additional;
    return merged;
  }

  /** The rule for `additionalProperties` of a merged `allOf` (see the class comment). */
  private additionalAfterMerge(whole: SchemaObject, parts: JsonSchema[]): unknown {
    if ('additionalProperties' in whole) return whole.additionalProperties;
    const objectParts = parts.filter((p): p is SchemaObject => isObject(p) && (isObject(p.properties) || 'additionalProperties' in p));
    if (objectParts.length === 0) return undefined;
    if (objectParts.every((p) => p.additionalProperties === false)) return false;
    const values = objectParts.map((p) => JSON.stringify(p.additionalProperties));
    if (values.every((v) => v === values[0]) && objectParts[0].additionalProperties !== undefined) return objectParts[0].additionalProperties;
    return undefined;
  }

  private nullable(schema: JsonSchema): JsonSchema {
    if (!isObject(schema) || !('nullable' in schema)) return schema;
    const { nullable, ...rest } = schema;
    if (nullable !== true) return rest;
    if (Array.isArray(rest.enum) && !rest.enum.includes(null)) rest.enum = [...rest.enum, null];
    if (typeof rest.type === 'string') return { ...rest, type: [rest.type, 'null'] };
    if (Array.isArray(rest.type)) return rest.type.includes('null') ? rest : { ...rest, type: [...rest.type, 'null'] };
    if ('const' in rest) return { anyOf: [rest, { type: 'null' }] };
    if (Array.isArray(rest.enum)) return rest;
    const flags: SchemaObject = {};
    if (rest.readOnly === true) flags.readOnly = true;
    if (rest.writeOnly === true) flags.writeOnly = true;
    return { ...flags, anyOf: [rest, { type: 'null' }] };
  }
}
