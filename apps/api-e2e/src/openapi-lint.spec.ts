import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Document, Spectral } from '@stoplight/spectral-core';
import { Json as JsonParser } from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { OpenApiDocument } from '@shipbatch/providers/testing';
import { type Harness, startEmbedded } from './harness';

/**
 * Warnings of Redocly's `recommended` rules the document keeps, each for a reason:
 * - no-ambiguous-paths: `/v2/labels/external_shipment_id/{id}` and `/v2/labels/{label_id}/void`
 *   are ShipStation's own routes (the literal segment wins, as in ShipStation's API).
 * (`GET /health` has its 400 too: a query parameter it does not take.)
 */
const ALLOWED_REDOCLY_WARNINGS = ['no-ambiguous-paths #/paths/~1v2~1labels~1{label_id}~1void'];

/**
 * `/docs-json` lints clean, the way an integrator's tools see it: Redocly's `recommended` rules
 * (through @redocly/openapi-core, the library behind @redocly/cli), Spectral's `spectral:oas`,
 * and every component schema compiles with ajv (OpenAPI 3.0's `nullable` needs a `type`), both
 * as is and as the answer checks read it (`OpenApiDocument`, openapi-check.ts).
 */
describe('/docs-json lints clean', () => {
  let h: Harness;
  let text: string;
  let doc: Record<string, any>;

  beforeAll(async () => {
    h = await startEmbedded();
    const res = await fetch(`${h.baseUrl}/docs-json`);
    expect(res.status).toBe(200);
    text = await res.text();
    doc = JSON.parse(text);
  });

  afterAll(async () => {
    await h?.close();
  });

  it("has no error and only the known warnings under Redocly's recommended rules", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: text, absoluteRef: `${h.baseUrl}/docs-json`, config });
    const found = problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`);
    expect(found.filter((p) => p.startsWith('error'))).toEqual([]);
    const warnings = problems.filter((p) => p.severity === 'warn').map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}`);
    expect(warnings.sort()).toEqual([...ALLOWED_REDOCLY_WARNINGS].sort());
  });

  it('has no finding under spectral:oas', async () => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas as never, 'recommended']] });
    const results = await spectral.run(new Document(text, JsonParser, '/docs-json'));
    expect(results.map((r) => `${r.code} ${r.path.join('.')}: ${r.message}`)).toEqual([]);
  });

  it('compiles every component schema with ajv (strict false), as is and as the answer checks read it', () => {
    const names = Object.keys(doc.components.schemas);
    expect(names).toEqual(expect.arrayContaining(['Label', 'LabelList', 'Shipment', 'FundingEvent']));
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...doc, $id: 'docs-json' });
    const failures: string[] = [];
    const checked = new OpenApiDocument(doc, '/docs-json');
    for (const name of names) {
      try {
        ajv.compile({ $ref: `docs-json#/components/schemas/${name}` });
        checked.validateSchema(name, {}, 'response');
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('names every operation readably and gives each a summary, a description and security', () => {
    const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item as Record<string, any>).map(([method, op]) => ({ where: `${method} ${path}`, op })));
    expect(ops.length).toBeGreaterThan(30);
    for (const { where, op } of ops) {
      expect({ where, id: /^[a-z][A-Za-z]+$/.test(op.operationId), summary: !!op.summary, description: !!op.description, security: Array.isArray(op.security) }).toEqual({
        where,
        id: true,
        summary: true,
        description: true,
        security: true,
      });
    }
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });
});
