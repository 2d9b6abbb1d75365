import type { Request, Response } from 'express';
import { ApiError } from './api-error';
import { JSON_MEDIA_TYPE, jsonOnlyBodies } from './json-only-bodies.middleware';
import { boundedQueryParameters, MAX_QUERY_PARAMETERS } from './bounded-query-parameters.middleware';

/** What the middleware passed on: nothing (go on) or the error it refused with. */
function run(middleware: (req: Request, res: Response, next: (error?: unknown) => void) => void, req: Partial<Request>): ApiError | undefined {
  let passed: unknown = 'not called';
  middleware(req as Request, {} as Response, (error?: unknown) => (passed = error));
  if (passed === 'not called') throw new Error('the middleware neither went on nor refused');
  return passed as ApiError | undefined;
}

describe('jsonOnlyBodies', () => {
  const post = (headers: Record<string, string>) => run(jsonOnlyBodies(), { method: 'POST', headers });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/merge-patch+json'])('lets a body in %s through', (type) => {
    expect(post({ 'content-type': type, 'content-length': '2' })).toBeUndefined();
    expect(JSON_MEDIA_TYPE.test(type)).toBe(true);
  });

  it('lets requests without a body through, whatever their type', () => {
    expect(post({})).toBeUndefined();
    expect(post({ 'content-type': 'text/plain', 'content-length': '0' })).toBeUndefined();
  });

  it.each([
    [{ 'content-type': 'text/plain', 'content-length': '2' }, 'text/plain'],
    [{ 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' }, 'application/x-www-form-urlencoded'],
    [{ 'content-type': 'application/jsonx', 'content-length': '2' }, 'application/jsonx'],
    [{ 'content-length': '2' }, 'no Content-Type'],
  ])('refuses a body sent as %j with 415 naming what came and what is expected', (headers, named) => {
    const error = post(headers);
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.getStatus()).toBe(415);
    expect(error?.items[0]).toMatchObject({ error_code: 'unsupported_media_type', field_name: 'Content-Type' });
    expect(error?.items[0].message).toContain(named);
    expect(error?.items[0].message).toContain('application/json');
  });
});

describe('boundedQueryParameters', () => {
  const get = (url: string) => run(boundedQueryParameters(), { method: 'GET', url, originalUrl: url });

  it('lets distinct parameters through', () => {
    expect(get('/v2/labels?page=1&page_size=25')).toBeUndefined();
    expect(get('/v2/labels')).toBeUndefined();
  });

  it(`refuses more than ${MAX_QUERY_PARAMETERS} parameters`, () => {
    const many = Array.from({ length: MAX_QUERY_PARAMETERS + 1 }, (_, i) => `p${i}=1`).join('&');
    expect(get(`/addresses?${many}`)?.items[0]).toMatchObject({ error_code: 'too_many_parameters', field_name: 'query' });
    const enough = Array.from({ length: MAX_QUERY_PARAMETERS }, (_, i) => `p${i}=1`).join('&');
    expect(get(`/addresses?${enough}`)).toBeUndefined();
  });
});
