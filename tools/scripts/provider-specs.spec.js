'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { stringify } = require('yaml');
const { formatSubset, subsetOpenApi } = require('./provider-specs.subset');
const { findSharedProviders, run } = require('./provider-specs');

const ref = (name, kind = 'schemas') => ({ $ref: `#/components/${kind}/${name}` });

/** A small OpenAPI 3.0 document with prose everywhere, a chain of $refs, a cycle and unused parts. */
function aDocument() {
  return {
    openapi: '3.0.3',
    info: { title: 'Acme', version: '7', description: 'About Acme', contact: { name: 'x' }, 'x-logo': { url: 'https://x' } },
    servers: [{ url: 'https://api.acme.test', description: 'production' }],
    security: [{ key: [] }],
    tags: [{ name: 'labels', description: 'Labels' }],
    externalDocs: { url: 'https://docs.acme.test' },
    paths: {
      '/labels/{id}': {
        summary: 'One label',
        parameters: [{ name: 'id', in: 'path', required: true, description: 'The id', example: 'l-1', schema: ref('id') }],
        get: {
          operationId: 'get_label',
          summary: 'Get a label',
          description: 'Gets it',
          tags: ['labels'],
          'x-code-samples': [{ lang: 'sh', source: 'curl' }],
          parameters: [ref('Version', 'parameters')],
          responses: { '404': ref('NotFound', 'responses'), '200': { description: 'The label', content: { 'application/json': { schema: ref('label'), examples: { a: { value: {} } } } } } },
        },
        delete: { operationId: 'delete_label', responses: { '204': { description: 'gone' } }, security: [{ other: [] }] },
      },
      '/labels': {
        post: {
          operationId: 'create_label',
          requestBody: { description: 'What to buy', required: true, content: { 'application/json': { schema: ref('label_request') } } },
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: ref('label') } } } },
        },
      },
      '/unused': { get: { operationId: 'unused', responses: { '200': { description: 'ok', content: { 'application/json': { schema: ref('unused') } } } } } },
    },
    components: {
      securitySchemes: { key: { type: 'apiKey', name: 'API-Key', in: 'header', description: 'Your key' }, other: { type: 'http', scheme: 'basic' }, spare: { type: 'http', scheme: 'bearer' } },
      parameters: { Version: { name: 'Acme-Version', in: 'header', description: 'The version', schema: { type: 'string', example: '7' } } },
      responses: { NotFound: { description: 'Not there', content: { 'application/json': { schema: ref('error') } } } },
      schemas: {
        id: { type: 'string', title: 'An id', pattern: '^l-', example: 'l-1' },
        label: {
          type: 'object',
          description: 'A label',
          externalDocs: { url: 'https://x' },
          'x-internal': true,
          properties: {
            id: ref('id'),
            description: { type: 'string', description: 'What is in the parcel', maxLength: 10 },
            example: { type: 'boolean' },
            'x-foo': { type: 'string' },
            parcel: { allOf: [ref('parcel')], description: 'The parcel' },
            carrier: { oneOf: [ref('usps'), ref('ups')], discriminator: { propertyName: 'code', mapping: { usps: '#/components/schemas/usps', ups: 'ups' } } },
            status: { type: 'string', enum: ['description', 'summary'], default: 'description' },
            extra: { type: 'object', default: { description: 'data, not prose', summary: 'also data' } },
          },
        },
        parcel: { type: 'object', properties: { weight: ref('weight'), inner: ref('parcel') } },
        weight: { type: 'number', description: 'In ounces' },
        usps: { type: 'object', properties: { code: { type: 'string' } } },
        ups: { type: 'object', properties: { code: { type: 'string' } } },
        label_request: { type: 'object', required: ['description'], properties: { description: { type: 'string' } }, additionalProperties: ref('weight') },
        error: { type: 'object', properties: { message: { type: 'string' } } },
        error_body: { type: 'object', description: 'An error body', properties: { code: { type: 'string' } } },
        unused: { type: 'object', properties: { u: ref('never') } },
        never: { type: 'string' },
      },
    },
  };
}

const PROSE = ['description', 'summary', 'title', 'example', 'examples', 'externalDocs', 'tags', 'contact'];

/** Prose keys anywhere in a document, except names in a properties map, values (default, enum), the info's title and the empty response description. */
function proseKeys(value, parent = '', out = []) {
  if (Array.isArray(value)) value.forEach((v) => proseKeys(v, parent, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const allowed = (k === 'description' && v === '') || (parent === 'info' && k === 'title');
      if (parent !== 'properties' && (PROSE.includes(k) || k.startsWith('x-')) && !allowed) out.push(k);
      if (k !== 'default' && k !== 'enum') proseKeys(v, k, out);
    }
  }
  return out;
}

describe('subsetOpenApi', () => {
  const subset = (options = {}) => subsetOpenApi(aDocument(), { operations: ['GET /labels/{id}', 'POST /labels'], ...options });

  it('keeps the listed operations, the path parameters, and every component they reach through $refs (transitively, cycles included)', () => {
    const out = subset({ schemas: ['error_body'] });
    expect(Object.keys(out.paths)).toEqual(['/labels', '/labels/{id}']);
    expect(Object.keys(out.paths['/labels/{id}'])).toEqual(['parameters', 'get']);
    expect(out.paths['/labels/{id}'].get.operationId).toBe('get_label');
    expect(Object.keys(out.components)).toEqual(['parameters', 'responses', 'schemas', 'securitySchemes']);
    expect(Object.keys(out.components.schemas)).toEqual(['error', 'error_body', 'id', 'label', 'label_request', 'parcel', 'ups', 'usps', 'weight']);
    expect(Object.keys(out.components.securitySchemes)).toEqual(['key']);
    expect(out.components.parameters.Version).toEqual({ name: 'Acme-Version', in: 'header', schema: { type: 'string' } });
  });

  it('keeps the security schemes the kept operations name, and nothing of operations not listed', () => {
    const out = subsetOpenApi(aDocument(), { operations: ['DELETE /labels/{id}'] });
    expect(Object.keys(out.paths['/labels/{id}'])).toEqual(['parameters', 'delete']);
    expect(Object.keys(out.components.securitySchemes)).toEqual(['key', 'other']);
    expect(Object.keys(out.components.schemas)).toEqual(['id']);
  });

  it('strips prose, examples and extensions, and keeps data that happens to use those names', () => {
    const out = subset();
    expect(proseKeys(aDocument()).length).toBeGreaterThan(20);
    expect(proseKeys(out)).toEqual([]);
    const label = out.components.schemas.label;
    expect(Object.keys(label.properties)).toEqual(['id', 'description', 'example', 'x-foo', 'parcel', 'carrier', 'status', 'extra']);
    expect(label.properties.description).toEqual({ type: 'string', maxLength: 10 });
    expect(label.properties.status).toEqual({ type: 'string', enum: ['description', 'summary'], default: 'description' });
    expect(label.properties.extra.default).toEqual({ description: 'data, not prose', summary: 'also data' });
    expect(label.properties.parcel).toEqual({ allOf: [ref('parcel')] });
    expect(label.properties.carrier.discriminator).toEqual({ propertyName: 'code', mapping: { usps: '#/components/schemas/usps', ups: 'ups' } });
    expect(out.components.schemas.label_request).toEqual({ type: 'object', required: ['description'], properties: { description: { type: 'string' } }, additionalProperties: ref('weight') });
    expect(out.info).toEqual({ title: 'Acme', version: '7' });
    expect(out.servers).toEqual([{ url: 'https://api.acme.test' }]);
    // OpenAPI requires a response's description: it stays, empty.
    expect(out.paths['/labels/{id}'].get.responses['200']).toEqual({ description: '', content: { 'application/json': { schema: ref('label') } } });
    expect(out.components.responses.NotFound).toEqual({ description: '', content: { 'application/json': { schema: ref('error') } } });
    expect(out.paths['/labels'].post.requestBody).toEqual({ required: true, content: { 'application/json': { schema: ref('label_request') } } });
  });

  it('puts the header first, and writes the same text whatever the order of the source', () => {
    const header = { source: 'acme.yaml', sha256: 'abc' };
    const out = subset({ header });
    expect(Object.keys(out)).toEqual(['x-shipbatch-subset', 'openapi', 'info', 'servers', 'security', 'paths', 'components']);
    expect(out['x-shipbatch-subset']).toEqual(header);
    expect(Object.keys(out.paths['/labels/{id}'].get.responses)).toEqual(['200', '404']);
    const shuffled = aDocument();
    shuffled.paths = Object.fromEntries(Object.entries(shuffled.paths).reverse());
    shuffled.components.schemas = Object.fromEntries(Object.entries(shuffled.components.schemas).reverse());
    expect(formatSubset(subsetOpenApi(shuffled, { operations: ['POST /labels', 'GET /labels/{id}'], header }))).toBe(formatSubset(out));
  });

  it('names what it cannot find: a path, a method, a component, a malformed entry', () => {
    expect(() => subsetOpenApi(aDocument(), { operations: ['GET /nowhere'] })).toThrow("the document has no path '/nowhere' (operation 'GET /nowhere')");
    expect(() => subsetOpenApi(aDocument(), { operations: ['PUT /labels/{id}'] })).toThrow('the document has no operation PUT /labels/{id} (the path has GET, DELETE)');
    expect(() => subsetOpenApi(aDocument(), { operations: ['POST /labels'], schemas: ['nope'] })).toThrow("$ref '#/components/schemas/nope' does not resolve in the document");
    expect(() => subsetOpenApi(aDocument(), { operations: ['labels'] })).toThrow("'labels' is not '<METHOD> <path>'");
    expect(() => subsetOpenApi(aDocument(), { operations: [] })).toThrow('no operations listed');
    expect(() => subsetOpenApi({ swagger: '2.0' }, { operations: ['GET /x'] })).toThrow('not an OpenAPI 3.0 or 3.1 document');
    const broken = aDocument();
    delete broken.components.schemas.weight;
    expect(() => subsetOpenApi(broken, { operations: ['POST /labels'] })).toThrow("$ref '#/components/schemas/weight' does not resolve in the document");
  });
});

describe('provider-specs run()', () => {
  let base;
  let lines;
  const log = (line) => lines.push(line);
  const repo = () => path.join(base, 'checkout');
  const shared = () => path.join(base, 'shared', 'spec', 'providers');
  const kept = () => path.join(repo(), 'libs', 'providers', 'acme', 'openapi', 'acme.openapi.json');

  beforeEach(() => {
    lines = [];
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'provider-specs-'));
    fs.mkdirSync(path.dirname(kept()), { recursive: true });
    fs.writeFileSync(path.join(path.dirname(kept()), 'acme.operations.json'), JSON.stringify({ $comment: 'x', source: 'acme.yaml', operations: ['POST /labels'] }));
    fs.mkdirSync(shared(), { recursive: true });
    fs.writeFileSync(path.join(shared(), 'acme.yaml'), stringify(aDocument()));
  });

  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('finds shared/spec/providers beside the checkout, and nothing where there is none', () => {
    expect(findSharedProviders(repo())).toBe(shared());
    fs.rmSync(path.join(base, 'shared'), { recursive: true });
    expect(findSharedProviders(repo())).toBeUndefined();
  });

  it('writes the kept file with its source and sha256; --check then passes', () => {
    expect(run({ root: repo(), log })).toBe(0);
    const doc = JSON.parse(fs.readFileSync(kept(), 'utf8'));
    expect(doc['x-shipbatch-subset']).toMatchObject({ command: 'node tools/scripts/provider-specs.js', source: 'acme.yaml', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Object.keys(doc.paths)).toEqual(['/labels']);
    expect(run({ root: repo(), check: true, log })).toBe(0);
    expect(lines.at(-1)).toMatch(/1 kept description\(s\) up to date with /);
  });

  it('--check names a kept file that is missing or out of date with the full file, and writes nothing', () => {
    expect(run({ root: repo(), check: true, log })).toBe(1);
    expect(lines).toContain(`provider-specs: ${path.join('libs', 'providers', 'acme', 'openapi', 'acme.openapi.json')}: missing`);
    expect(fs.existsSync(kept())).toBe(false);
    run({ root: repo(), log });
    const changed = aDocument();
    changed.components.schemas.weight.minimum = 0;
    fs.writeFileSync(path.join(shared(), 'acme.yaml'), stringify(changed));
    lines = [];
    expect(run({ root: repo(), check: true, log })).toBe(1);
    expect(lines[0]).toBe(`provider-specs: ${path.join('libs', 'providers', 'acme', 'openapi', 'acme.openapi.json')}: out of date with acme.yaml`);
  });

  it('without shared/spec/providers: --check says so and passes, generating fails', () => {
    fs.rmSync(path.join(base, 'shared'), { recursive: true });
    expect(run({ root: repo(), check: true, log })).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/no shared\/spec\/providers folder in or above .*: the kept descriptions are not compared with the full ones/)]);
    expect(run({ root: repo(), log })).toBe(1);
  });

  it('reads a source kept beside the list (a description written by hand) instead of shared/, and checks it without shared/', () => {
    const dir = path.dirname(kept());
    fs.writeFileSync(path.join(dir, 'acme.source.yaml'), stringify(aDocument()));
    fs.writeFileSync(path.join(dir, 'acme.operations.json'), JSON.stringify({ source: 'acme.source.yaml', operations: ['POST /labels'] }));
    fs.rmSync(path.join(base, 'shared'), { recursive: true });
    expect(run({ root: repo(), log })).toBe(0);
    expect(JSON.parse(fs.readFileSync(kept(), 'utf8'))['x-shipbatch-subset']).toMatchObject({ source: 'acme.source.yaml' });
    expect(run({ root: repo(), check: true, log })).toBe(0);
    const changed = aDocument();
    changed.components.schemas.weight.minimum = 0;
    fs.writeFileSync(path.join(dir, 'acme.source.yaml'), stringify(changed));
    lines = [];
    expect(run({ root: repo(), check: true, log })).toBe(1);
    expect(lines).toContain(`provider-specs: ${path.join('libs', 'providers', 'acme', 'openapi', 'acme.openapi.json')}: out of date with acme.source.yaml`);
  });

  it('refuses a list with unknown fields or no operations, and flags a kept file without a list', () => {
    const list = path.join(path.dirname(kept()), 'acme.operations.json');
    fs.writeFileSync(list, JSON.stringify({ source: 'acme.yaml', operations: ['POST /labels'], paths: [] }));
    expect(() => run({ root: repo(), log })).toThrow(/acme\.operations\.json: unknown field\(s\) paths/);
    fs.writeFileSync(list, JSON.stringify({ source: 'acme.yaml', operations: [] }));
    expect(() => run({ root: repo(), log })).toThrow(/'operations' must list '<METHOD> <path>' strings/);
    fs.rmSync(list);
    fs.writeFileSync(kept(), '{}');
    expect(run({ root: repo(), check: true, log })).toBe(1);
    expect(lines).toContain(`provider-specs: ${path.join('libs', 'providers', 'acme', 'openapi', 'acme.openapi.json')}: no operations list beside it (remove it, or add acme.operations.json)`);
  });
});
