'use strict';
// The part of an OpenAPI 3.0 / 3.1 document that a list of operations uses: those operations,
// every component they reference (the `$ref` closure), and the security schemes they name, with
// the prose stripped (`description`, `summary`, `title` of schemas, `externalDocs`, examples,
// `x-*` extensions). Pure functions; tools/scripts/provider-specs.js reads and writes the files.
//
// The walk knows the OpenAPI object types: it strips prose only where a key is a keyword, never
// inside a map of names (a schema property called `description` is data and stays) or inside a
// value (`enum`, `const`, `default`). Keys it does not know are copied as they are; a `$ref`
// copied that way is caught by the final check that every `$ref` of the result resolves.

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Keywords that are prose or examples in every OpenAPI object. */
const PROSE = new Set(['description', 'summary', 'externalDocs', 'example', 'examples']);
/** More prose keywords of schema objects. */
const SCHEMA_PROSE = new Set(['title', '$comment']);
/** Parts of an operation or a response that no fake or adapter reads. */
const UNUSED = new Set(['tags', 'callbacks', 'links', 'servers']);
const COMPONENT_KINDS = ['schemas', 'responses', 'parameters', 'requestBodies', 'headers', 'securitySchemes', 'pathItems'];
const ONE_SCHEMA = ['additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'additionalItems', 'unevaluatedProperties', 'unevaluatedItems', 'contentSchema'];
const SCHEMA_LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const isExtension = (key) => key.startsWith('x-');

/** `#/components/schemas/a~1b` -> ['components', 'schemas', 'a/b']. */
function decodePointer(ref) {
  return ref
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolvePointer(document, ref) {
  let node = document;
  for (const segment of decodePointer(ref)) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = node[segment];
    if (node === undefined) return undefined;
  }
  return node;
}

/** Copies an object: prose and extensions dropped, `children[key]` walks a key's value, others copied. */
function walk(node, ctx, children = {}, drop = new Set()) {
  if (!isObject(node)) return clone(node);
  if (typeof node.$ref === 'string') ctx.ref(node.$ref);
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (PROSE.has(key) || drop.has(key) || isExtension(key)) continue;
    out[key] = children[key] ? children[key](value, ctx) : clone(value);
  }
  return out;
}

/** A map of names (properties, media types, status codes): every name kept, every value walked. */
const mapOf =
  (fn, { extensions = false } = {}) =>
  (value, ctx) =>
    isObject(value) ? Object.fromEntries(Object.entries(value).filter(([k]) => !(extensions && isExtension(k))).map(([k, v]) => [k, fn(v, ctx)])) : clone(value);
const listOf = (fn) => (value, ctx) => (Array.isArray(value) ? value.map((v) => fn(v, ctx)) : clone(value));

const schemaChildren = {};
function schema(value, ctx) {
  return isObject(value) ? walk(value, ctx, schemaChildren, SCHEMA_PROSE) : clone(value);
}
for (const k of ONE_SCHEMA) schemaChildren[k] = schema;
for (const k of SCHEMA_LIST) schemaChildren[k] = listOf(schema);
for (const k of SCHEMA_MAP) schemaChildren[k] = mapOf(schema);
schemaChildren.items = (value, ctx) => (Array.isArray(value) ? value.map((v) => schema(v, ctx)) : schema(value, ctx));
schemaChildren.dependencies = mapOf((v, ctx) => (isObject(v) ? schema(v, ctx) : clone(v)));
schemaChildren.discriminator = (value, ctx) => {
  if (!isObject(value)) return clone(value);
  // A mapping names schemas by $ref or by component name: both belong to the closure.
  for (const target of Object.values(value.mapping ?? {})) if (typeof target === 'string') ctx.ref(target.startsWith('#') ? target : `#/components/schemas/${target}`);
  return walk(value, ctx);
};

const header = (value, ctx) => walk(value, ctx, { schema, content: mapOf(media) });
const encoding = (value, ctx) => walk(value, ctx, { headers: mapOf(header) });
function media(value, ctx) {
  return walk(value, ctx, { schema, encoding: mapOf(encoding) });
}
const parameter = (value, ctx) => walk(value, ctx, { schema, content: mapOf(media) });
const requestBody = (value, ctx) => walk(value, ctx, { content: mapOf(media) });
function response(value, ctx) {
  const out = walk(value, ctx, { headers: mapOf(header), content: mapOf(media) }, UNUSED);
  // OpenAPI requires a response's description; the prose itself is not kept.
  return isObject(value) && value.$ref === undefined ? { description: '', ...out } : out;
}
const operation = (value, ctx) => walk(value, ctx, { parameters: listOf(parameter), requestBody, responses: mapOf(response, { extensions: true }) }, UNUSED);
const securityScheme = (value, ctx) => walk(value, ctx);
const pathItem = (value, ctx) => walk(value, ctx, { parameters: listOf(parameter), ...Object.fromEntries(METHODS.map((m) => [m, operation])) }, UNUSED);
const COMPONENT_WALKERS = { schemas: schema, responses: response, parameters: parameter, requestBodies: requestBody, headers: header, securitySchemes: securityScheme, pathItems: pathItem };

/** `POST /v1/labels` -> { method: 'post', path: '/v1/labels' }. */
function parseOperation(entry) {
  const m = /^([A-Za-z]+)\s+(\/\S*)$/.exec(String(entry).trim());
  if (!m || !METHODS.includes(m[1].toLowerCase())) throw new Error(`'${entry}' is not '<METHOD> <path>' (e.g. 'POST /v1/labels')`);
  return { method: m[1].toLowerCase(), path: m[2] };
}

/** Names of the security schemes a list of security requirements uses. */
const schemesOf = (requirements) => (Array.isArray(requirements) ? requirements.flatMap((r) => (isObject(r) ? Object.keys(r) : [])) : []);

const sortKeys = (object, order) => Object.fromEntries(Object.keys(object).sort(order).map((k) => [k, object[k]]));
const methodOrder = (a, b) => (METHODS.indexOf(a) + 1 || -1) - (METHODS.indexOf(b) + 1 || -1) || a.localeCompare(b);
const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** Every `$ref` string of a value, with where it is. */
function refsOf(value, at = '#', out = []) {
  if (Array.isArray(value)) value.forEach((v, i) => refsOf(v, `${at}/${i}`, out));
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push({ ref: v, at });
      else refsOf(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
    }
  }
  return out;
}

/**
 * The subset of `document` that `operations` (`'<METHOD> <path>'`, paths as the document writes
 * them) and the extra component `schemas` (named, e.g. an error body a fake checks undeclared
 * statuses against) use. `header` becomes the document's first field, `x-shipbatch-subset`.
 * Throws, naming it, for an operation or a component the document does not have.
 */
function subsetOpenApi(document, { operations, schemas = [], header } = {}) {
  if (!isObject(document) || !/^3\.[01]\./.test(String(document.openapi ?? ''))) throw new Error(`not an OpenAPI 3.0 or 3.1 document (openapi: '${document?.openapi}')`);
  if (!Array.isArray(operations) || operations.length === 0) throw new Error('no operations listed');
  const pending = [];
  const seen = new Set();
  const ctx = {
    ref(ref) {
      if (!ref.startsWith('#')) throw new Error(`only internal $refs are supported, got '${ref}'`);
      const [root, kind, name] = decodePointer(ref);
      if (root !== 'components' || !COMPONENT_KINDS.includes(kind) || name === undefined) throw new Error(`$ref '${ref}' does not point into components`);
      const key = `${kind}/${name}`;
      if (seen.has(key)) return;
      seen.add(key);
      pending.push({ kind, name, ref });
    },
  };

  const paths = {};
  const securityNames = new Set(schemesOf(document.security));
  for (const entry of operations) {
    const { method, path } = parseOperation(entry);
    const item = document.paths?.[path];
    if (!isObject(item)) throw new Error(`the document has no path '${path}' (operation '${entry}')`);
    if (!isObject(item[method])) throw new Error(`the document has no operation ${method.toUpperCase()} ${path} (the path has ${METHODS.filter((m) => isObject(item[m])).map((m) => m.toUpperCase()).join(', ') || 'none'})`);
    if (item.$ref !== undefined) throw new Error(`path '${path}' is a $ref: not supported`);
    const kept = (paths[path] ??= item.parameters ? { parameters: listOf(parameter)(item.parameters, ctx) } : {});
    kept[method] = operation(item[method], ctx);
    for (const name of schemesOf(item[method].security)) securityNames.add(name);
  }
  for (const name of schemas) ctx.ref(`#/components/schemas/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  for (const name of securityNames) ctx.ref(`#/components/securitySchemes/${name}`);

  const components = {};
  while (pending.length) {
    const { kind, name, ref } = pending.shift();
    const source = document.components?.[kind]?.[name];
    if (source === undefined) throw new Error(`$ref '${ref}' does not resolve in the document`);
    (components[kind] ??= {})[name] = COMPONENT_WALKERS[kind](source, ctx);
  }

  const out = {};
  if (header) out['x-shipbatch-subset'] = header;
  out.openapi = document.openapi;
  out.info = { title: document.info?.title, version: document.info?.version };
  if (document.jsonSchemaDialect) out.jsonSchemaDialect = document.jsonSchemaDialect;
  if (Array.isArray(document.servers)) out.servers = document.servers.map((s) => walk(s, ctx, { variables: mapOf((v, c) => walk(v, c)) }));
  if (document.security) out.security = clone(document.security);
  out.paths = Object.fromEntries(Object.entries(sortKeys(paths, byName)).map(([p, item]) => [p, sortKeys(item, methodOrder)]));
  const sortedComponents = sortKeys(components, byName);
  for (const kind of Object.keys(sortedComponents)) sortedComponents[kind] = sortKeys(sortedComponents[kind], byName);
  out.components = sortedComponents;
  for (const item of Object.values(out.paths)) for (const m of METHODS) if (item[m]?.responses) item[m].responses = sortKeys(item[m].responses, byName);

  const dangling = refsOf(out).filter(({ ref }) => resolvePointer(out, ref) === undefined);
  if (dangling.length) throw new Error(`the subset has $refs that do not resolve: ${dangling.slice(0, 5).map((d) => `${d.ref} (at ${d.at})`).join(', ')}`);
  return out;
}

/** The subset as the file holds it: JSON, two-space indent, a final newline. */
const formatSubset = (subset) => `${JSON.stringify(subset, null, 2)}\n`;

module.exports = { subsetOpenApi, formatSubset, refsOf, resolvePointer, parseOperation };
