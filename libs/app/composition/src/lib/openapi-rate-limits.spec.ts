import type { OpenAPIObject } from '@nestjs/swagger';
import { documentRateLimits, RATE_LIMIT_HEADERS } from './openapi-rate-limits';

const ERROR = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
const doc = (paths: Record<string, unknown>) => ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths }) as unknown as OpenAPIObject;
type Responses = Record<string, { description: string; content?: unknown; headers?: Record<string, unknown> }>;
const REFS = {
  'X-RateLimit-Limit': { $ref: '#/components/headers/X-RateLimit-Limit' },
  'X-RateLimit-Remaining': { $ref: '#/components/headers/X-RateLimit-Remaining' },
  'X-RateLimit-Reset': { $ref: '#/components/headers/X-RateLimit-Reset' },
};

describe('documentRateLimits', () => {
  it('adds the X-RateLimit-* headers to every answer and a 429 in the error shape, but not on /health*, /metrics and /local', () => {
    const out = documentRateLimits(
      doc({
        '/health': { get: { responses: { 200: { description: 'ok' } } } },
        '/health/ready': { get: { responses: { 200: { description: 'ok' } } } },
        '/local/api_keys': { post: { responses: { 201: { description: 'made' } } } },
        '/things/{id}': {
          get: { responses: { 200: { description: 'the thing' }, 503: { description: 'away', headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' } } } } },
        },
      }),
    );
    for (const path of ['/health', '/health/ready']) expect(out.paths[path].get?.responses).toEqual({ 200: { description: 'ok' } });
    expect(out.paths['/local/api_keys'].post?.responses).toEqual({ 201: { description: 'made' } });
    const get = out.paths['/things/{id}'].get?.responses as Responses;
    expect(Object.keys(get).sort()).toEqual(['200', '429', '503']);
    expect(get['200'].headers).toEqual(REFS);
    expect(get['503'].headers).toEqual({ 'Retry-After': { $ref: '#/components/headers/Retry-After' }, ...REFS });
    expect(get['429']).toEqual({ description: expect.stringMatching(/^Too many requests: .*rate_limit_exceeded/), content: ERROR, headers: REFS });
    expect(out.components?.headers).toEqual(RATE_LIMIT_HEADERS);
  });
});
