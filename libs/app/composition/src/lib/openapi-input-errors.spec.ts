import type { OpenAPIObject } from '@nestjs/swagger';
import { documentMalformedInput } from './openapi-input-errors';

const ERROR = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
const doc = (paths: Record<string, unknown>) => ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths }) as unknown as OpenAPIObject;

describe('documentMalformedInput', () => {
  it('adds a 400 for parameters (every route: unknown query parameters), and 400, 413 and 415 for bodies, each in the error shape', () => {
    const out = documentMalformedInput(
      doc({
        '/health': { get: { responses: { 200: { description: 'ok' } } } },
        '/things/{id}': {
          get: { parameters: [{ in: 'path', name: 'id' }], responses: { 404: { description: 'No thing' } } },
          delete: { parameters: [{ in: 'path', name: 'id' }], responses: { 204: { description: 'gone' } } },
        },
      }),
    );
    const health = out.paths['/health'].get?.responses as Record<string, { description: string; content: unknown }>;
    expect(Object.keys(health)).toEqual(['200', '400']);
    expect(health['400']).toEqual({ description: expect.stringMatching(/^A query parameter the route does not take/), content: ERROR });
    const get = out.paths['/things/{id}'].get?.responses as Record<string, { description: string; content: unknown }>;
    expect(get['400']).toEqual({ description: expect.stringMatching(/^A path or query parameter holds a NUL character.*; A query parameter the route does not take/), content: ERROR });
    const del = out.paths['/things/{id}'].delete?.responses as Record<string, { description: string; content: unknown }>;
    expect(Object.keys(del).sort()).toEqual(['204', '400', '413', '415']);
    expect(del['400'].description).toMatch(/parameter.*; The body is not valid JSON, nests arrays and objects more than 32 deep/);
  });

  it("keeps a route's own reasons, folding in its shorter words for the same thing", () => {
    const out = documentMalformedInput(
      doc({
        '/things': {
          post: {
            responses: {
              400: { description: 'A field is invalid (named in field_name); The body is not valid JSON', content: ERROR },
              413: { description: 'The body is larger than 32 MB', content: ERROR },
            },
          },
        },
      }),
    );
    const post = out.paths['/things'].post?.responses as Record<string, { description: string }>;
    expect(post['400'].description).toMatch(/^A field is invalid \(named in field_name\); The body is not valid JSON, nests arrays/);
    expect(post['400'].description.match(/not valid JSON/g)).toHaveLength(1);
    expect(post['413'].description).toBe('The body is larger than 32 MB');
  });
});
