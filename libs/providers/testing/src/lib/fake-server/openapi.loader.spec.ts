import Ajv from 'ajv';
import { aSampleLabelRequest } from './sample-label-request';
import { OpenApiDocument } from './openapi.document';
import { providerSpec } from './provider-spec';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const shipEngine = () => providerSpec('shipstation');
const shipment = (body: Json) => body.shipment as Json;

function inlineDocument(openapi: string, schemas: Json, paths: Json = {}): OpenApiDocument {
  return new OpenApiDocument({ openapi, info: { title: 't', version: '1' }, paths, components: { schemas } });
}

describe("OpenApiDocument on ShipEngine's description (OpenAPI 3.0, the part ShipStation's adapter uses)", () => {
  it('reads the operations with their methods and path templates', () => {
    const doc = shipEngine();
    expect(doc.version).toBe('3.0');
    expect(doc.operation('create_label')).toMatchObject({ method: 'POST', path: '/v1/labels' });
    expect(doc.operation('void_label')).toMatchObject({ method: 'PUT', path: '/v1/labels/{label_id}/void' });
    expect(doc.match('GET', '/v1/labels/external_shipment_id/abc')).toMatchObject({ operation: { operationId: 'get_label_by_external_shipment_id' }, pathParams: { external_shipment_id: 'abc' } });
    expect(doc.match('GET', '/v1/labels/se-1')).toMatchObject({ operation: { operationId: 'get_label_by_id' }, pathParams: { label_id: 'se-1' } });
    expect(doc.match('GET', '/v1/nothing')).toEqual({ problem: 'unknown_route' });
    expect(doc.match('PATCH', '/v1/labels')).toMatchObject({ problem: 'method_not_allowed' });
  });

  it('accepts a valid create_label request', () => {
    expect(shipEngine().validateRequestBody('create_label', aSampleLabelRequest())).toEqual([]);
  });

  it('merges allOf: properties of the whole and of the closed part are both allowed, others are not', () => {
    const doc = shipEngine();
    const schema = doc.schema('create_label_request_body', 'request') as Json;
    expect(schema.allOf).toBeUndefined();
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['ship_to_service_point_id', 'shipment', 'label_format', 'label_layout']));
    const body = { ...aSampleLabelRequest(), ship_to_service_point_id: 'sp-1', display_scheme: 'label' };
    expect(doc.validateRequestBody('create_label', body)).toEqual([]);
    // A validator that does not merge first rejects the same valid request.
    const raw = (doc.raw.components as Json).schemas as Json;
    const naive = new Ajv({ strict: false }).compile({ ...raw.create_label_request_body, allOf: [{ ...raw.label_request, properties: { label_format: {}, label_layout: {}, shipment: {} } }] });
    expect(naive(body)).toBe(false);
  });

  it('names wrong types, unknown properties and missing required fields', () => {
    const doc = shipEngine();
    const wrongType = aSampleLabelRequest();
    shipment(wrongType).packages[0].weight.value = 'heavy';
    expect(doc.validateRequestBody('create_label', wrongType)).toContain('body/shipment/packages/0/weight/value: must be number');

    const unknown = aSampleLabelRequest();
    shipment(unknown).ship_to.favourite_colour = 'blue';
    expect(doc.validateRequestBody('create_label', { ...unknown, surprise: 1 })).toEqual(
      expect.arrayContaining(["body: must NOT have additional property 'surprise'", "body/shipment/ship_to: must NOT have additional property 'favourite_colour'"]),
    );

    const missing = aSampleLabelRequest();
    delete shipment(missing).ship_to;
    delete shipment(missing).ship_from.city_locality;
    expect(doc.validateRequestBody('create_label', missing)).toEqual(
      expect.arrayContaining(["body/shipment: must have required property 'ship_to'", "body/shipment/ship_from: must have required property 'city_locality'"]),
    );

    const badEnum = { ...aSampleLabelRequest(), label_format: 'gif' };
    expect(doc.validateRequestBody('create_label', badEnum)).toEqual([expect.stringMatching(/^body\/label_format: must be equal to one of the allowed values: \["pdf","png","zpl"\]/)]);
    expect(doc.validateRequestBody('create_label', undefined)).toEqual(['body: is required']);
  });

  it('lets a nullable field be null, and nothing else', () => {
    const doc = shipEngine();
    const body = { ...aSampleLabelRequest(), ship_to_service_point_id: null, label_image_id: null };
    shipment(body).external_order_id = null;
    shipment(body).warehouse_id = null;
    expect(doc.validateRequestBody('create_label', body)).toEqual([]);
    shipment(body).service_code = null;
    expect(doc.validateRequestBody('create_label', body)).toEqual(['body/shipment/service_code: must be string']);
  });

  it('checks responses: readOnly fields are required in answers, writeOnly ones are not', () => {
    const doc = shipEngine();
    expect(doc.validateResponse('void_label', 200, { approved: true, message: 'ok' })).toEqual([]);
    expect(doc.validateResponse('void_label', 200, { approved: 'yes' })).toEqual(expect.arrayContaining(['answer 200 body/approved: must be boolean', "answer 200 body: must have required property 'message'"]));
    expect(doc.validateResponse('create_label', 200, { label_id: 'se-1' })).toContain("answer 200 body: must have required property 'tracking_number'");
    expect(doc.validateResponse('create_label', 200, { label_id: 'se-1' }).join('\n')).not.toMatch(/'shipment'/);
    expect(doc.validateResponse('void_label', 418, {})).toEqual([expect.stringMatching(/status 418 is not declared/)]);
    expect(doc.validateResponse('void_label', 401, { request_id: 'x', errors: [] }, { fallbackSchema: 'error_response_body' })).toContain('answer 401 body/request_id: must match format "uuid"');
  });

  it('checks path parameters against their schemas', () => {
    const doc = shipEngine();
    expect(doc.checkParameters('get_label_by_id', { path: { label_id: 'se-1' }, query: new URLSearchParams('label_download_type=url'), headers: {} })).toEqual({ problems: [], path: { label_id: 'se-1' }, query: { label_download_type: 'url' } });
    expect(doc.checkParameters('get_label_by_id', { path: { label_id: 'NOT AN ID' }, query: new URLSearchParams(), headers: {} }).problems).toEqual([`path parameter 'label_id': must match pattern "^se(-[a-z0-9]+)+$"`]);
  });
});

describe('query parameters', () => {
  it("are coerced to their declared types before they are checked (Shippo's ListTransactions)", () => {
    const doc = providerSpec('shippo');
    const ok = doc.checkParameters('ListTransactions', { path: {}, query: new URLSearchParams('page=2&results=50&object_status=SUCCESS'), headers: {} });
    expect(ok).toEqual({ problems: [], path: {}, query: { page: 2, results: 50, object_status: 'SUCCESS' } });
    const bad = doc.checkParameters('ListTransactions', { path: {}, query: new URLSearchParams('page=abc&results=500&object_status=LOST'), headers: {} });
    expect(bad.problems).toEqual([
      expect.stringMatching(/^query parameter 'object_status': must be equal to one of the allowed values/),
      "query parameter 'page': must be integer",
      "query parameter 'results': must be <= 100",
    ]);
  });

  it('split a comma-separated array (style form, explode false) into its typed items', () => {
    const status = { type: 'string', enum: ['pending', 'approved', 'rejected'] };
    const doc = inlineDocument('3.0.3', {}, {
      '/labels': { get: { operationId: 'list', parameters: [{ name: 'refund_status', in: 'query', style: 'form', explode: false, schema: { type: 'array', items: status } }, { name: 'page', in: 'query', schema: { type: 'integer' } }], responses: { '200': { description: '' } } } },
    });
    expect(doc.checkParameters('list', { path: {}, query: new URLSearchParams('refund_status=pending,approved&page=3'), headers: {} })).toEqual({ problems: [], path: {}, query: { refund_status: ['pending', 'approved'], page: 3 } });
    expect(doc.checkParameters('list', { path: {}, query: new URLSearchParams('refund_status=pending,lost'), headers: {} }).problems).toEqual([expect.stringMatching(/^query parameter 'refund_status'\/1: must be equal to one of the allowed values/)]);
  });
});

describe('schema normalization rules (inline documents)', () => {
  it('allOf keeps additionalProperties false only when the whole or every part with properties says so', () => {
    const closed = { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } };
    const closedB = { type: 'object', additionalProperties: false, properties: { b: { type: 'string' } } };
    const open = { type: 'object', properties: { b: { type: 'string' } } };
    const doc = inlineDocument('3.0.3', {
      wholeClosed: { additionalProperties: false, properties: { c: { type: 'string' } }, allOf: [closed, open] },
      partsClosed: { allOf: [closed, closedB] },
      oneOpen: { allOf: [closed, open] },
    });
    expect(doc.validateSchema('wholeClosed', { a: 'x', b: 'y', c: 'z' }, 'request')).toEqual([]);
    expect(doc.validateSchema('wholeClosed', { d: 1 }, 'request')).toEqual(["value: must NOT have additional property 'd'"]);
    expect(doc.validateSchema('partsClosed', { a: 'x', b: 'y' }, 'request')).toEqual([]);
    expect(doc.validateSchema('partsClosed', { d: 1 }, 'request')).toEqual(["value: must NOT have additional property 'd'"]);
    expect(doc.validateSchema('oneOpen', { a: 'x', b: 'y', d: 1 }, 'request')).toEqual([]);
    expect(doc.validateSchema('oneOpen', { a: 1 }, 'request')).toEqual(['value/a: must be string']);
  });

  it('drops readOnly properties from required for requests and writeOnly ones for responses', () => {
    const doc = inlineDocument('3.0.3', {
      user: { type: 'object', required: ['id', 'name', 'password'], properties: { id: { type: 'string', readOnly: true }, name: { type: 'string' }, password: { type: 'string', writeOnly: true, nullable: true } } },
    });
    expect(doc.validateSchema('user', { name: 'n', password: 'p' }, 'request')).toEqual([]);
    expect(doc.validateSchema('user', { id: '1', name: 'n' }, 'response')).toEqual([]);
    expect(doc.validateSchema('user', { name: 'n' }, 'request')).toEqual(["value: must have required property 'password'"]);
    expect(doc.validateSchema('user', { name: 'n' }, 'response')).toEqual(["value: must have required property 'id'"]);
  });

  it('handles nullable without a type, nullable enums and OpenAPI-only keywords', () => {
    const doc = inlineDocument('3.0.3', {
      colour: { type: 'string', enum: ['red', 'blue'], example: 'red', 'x-internal': true },
      thing: { type: 'object', discriminator: { propertyName: 'kind' }, xml: { name: 'thing' }, externalDocs: { url: 'https://x' }, properties: { colour: { nullable: true, allOf: [{ $ref: '#/components/schemas/colour' }] }, any: { nullable: true, deprecated: true, minLength: 2 } } },
    });
    expect(doc.validateSchema('thing', { colour: null, any: null }, 'request')).toEqual([]);
    expect(doc.validateSchema('thing', { colour: 'red', any: 'ab' }, 'request')).toEqual([]);
    expect(doc.validateSchema('thing', { colour: 'green' }, 'request')).toEqual([expect.stringMatching(/^value\/colour: must be equal to one of the allowed values/)]);
  });

  it('reads OpenAPI 3.1 documents (JSON Schema 2020-12: type lists, $ref with siblings, prefixItems)', () => {
    const doc = inlineDocument(
      '3.1.0',
      {
        base: { type: 'object', properties: { name: { type: ['string', 'null'] } }, required: ['name'] },
        extended: { $ref: '#/components/schemas/base', properties: { tags: { type: 'array', prefixItems: [{ type: 'integer' }] } }, required: ['tags'] },
      },
      { '/things': { post: { operationId: 'create_thing', requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/extended' } } } }, responses: { '201': { description: 'ok' } } } } },
    );
    expect(doc.version).toBe('3.1');
    expect(doc.validateRequestBody('create_thing', { name: null, tags: [1, 'x'] })).toEqual([]);
    expect(doc.validateRequestBody('create_thing', { name: 'n', tags: ['x'] })).toEqual(['body/tags/0: must be integer']);
    expect(doc.validateRequestBody('create_thing', { tags: [] })).toEqual(["body: must have required property 'name'"]);
  });

  it("reads Shippo's description (OpenAPI 3.1) and checks a request against it", () => {
    const doc = providerSpec('shippo');
    expect(doc.version).toBe('3.1');
    expect(doc.operation('CreateRefund')).toMatchObject({ method: 'POST', path: '/refunds' });
    expect(doc.validateRequestBody('CreateRefund', { transaction: 'a'.repeat(32), async: false })).toEqual([]);
    expect(doc.validateRequestBody('CreateRefund', { async: 'no' })).toEqual(["body: must have required property 'transaction'", 'body/async: must be boolean']);
  });

  it('refuses what is not OpenAPI 3.0 or 3.1', () => {
    expect(() => new OpenApiDocument({ swagger: '2.0' })).toThrow(/not an OpenAPI 3.0 or 3.1 document/);
  });
});
