import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { accountHandlers } from '../fakes/fake-shipstation.accounts';
import { labelHandlers } from '../fakes/fake-shipstation.labels';
import { rateHandlers } from '../fakes/fake-shipstation.rates';
import { FakeShipStationState } from '../fakes/fake-shipstation.state';
import { batchHandlers } from '../fakes/fake-shippo.batches';
import { FakeShippoState } from '../fakes/fake-shippo.state';
import { transactionHandlers } from '../fakes/fake-shippo.transactions';
import { providerSpec, providerSpecFile } from './provider-spec';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The operationIds each fake has a handler for. */
const HANDLED: Record<string, () => string[]> = {
  shippo: () => {
    const runtime = { baseUrl: () => '', owner: 'o', queued: { left: 0, polls: 1 }, refundStatus: 'QUEUED' as const, batchPendingReads: 1 };
    return [...Object.keys(transactionHandlers(new FakeShippoState(), runtime).handlers), ...Object.keys(batchHandlers(new FakeShippoState(), runtime))];
  },
  shipstation: () => [...Object.keys(labelHandlers(new FakeShipStationState(), () => '').handlers), ...Object.keys(accountHandlers(new FakeShipStationState())), ...Object.keys(rateHandlers(new FakeShipStationState()))],
};

/** Every key of the document with the path to it (`components/schemas/x/properties/description`). */
function keysOf(value: unknown, at: string[] = [], out: Array<{ key: string; at: string[]; value: unknown }> = []) {
  if (Array.isArray(value)) value.forEach((v, i) => keysOf(v, [...at, String(i)], out));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      out.push({ key, at, value: v });
      keysOf(v, [...at, key], out);
    }
  }
  return out;
}

function resolve(document: Json, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, segment) => (node as Json | undefined)?.[segment], document);
}

describe('providerSpecFile', () => {
  it("finds a provider's kept description in the adapter's own library", () => {
    const file = providerSpecFile('shipstation');
    expect(file).toMatch(/libs[/\\]providers[/\\]shipstation[/\\]openapi[/\\]shipstation\.openapi\.json$/);
    expect(existsSync(file)).toBe(true);
  });

  it('names the missing file and the command that makes it, and refuses what is not a folder name', () => {
    expect(() => providerSpecFile('acme-post')).toThrow(/acme-post\.openapi\.json does not exist; list the operations .* in acme-post\.operations\.json .*node tools\/scripts\/provider-specs\.js/);
    expect(() => providerSpecFile('../shippo')).toThrow(/'\.\.\/shippo' is not a provider library's folder name/);
  });
});

describe.each(['shippo', 'shipstation'])('the kept description of %s', (library) => {
  const doc = () => providerSpec(library);
  const raw = () => doc().raw as Json;
  const list = () => JSON.parse(readFileSync(join(dirname(providerSpecFile(library)), `${library}.operations.json`), 'utf8')) as { source: string; operations: string[]; schemas?: string[] };

  it('has exactly the operations its fake handles', () => {
    expect(doc().operations.map((o) => o.operationId).sort()).toEqual(HANDLED[library]().sort());
  });

  it('has exactly the operations its list names, and says where it came from', () => {
    const kept = doc().operations.map((o) => `${o.method} ${o.path}`);
    expect(kept.sort()).toEqual(list().operations.map((o) => o.replace(/^(\w+)\s+/, (_, m: string) => `${m.toUpperCase()} `)).sort());
    expect(raw()['x-shipbatch-subset']).toMatchObject({ source: list().source, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), command: 'node tools/scripts/provider-specs.js' });
  });

  it('has every schema its $refs and its list name', () => {
    const refs = keysOf(raw()).filter((k) => k.key === '$ref' && typeof k.value === 'string');
    expect(refs.length).toBeGreaterThan(10);
    expect(refs.filter((r) => resolve(raw(), r.value as string) === undefined)).toEqual([]);
    for (const name of list().schemas ?? []) expect(raw().components.schemas[name]).toBeDefined();
  });

  it('holds no prose: no summaries, examples, titles or extensions, descriptions only as data', () => {
    const keys = keysOf(raw());
    expect(keys.filter((k) => ['summary', 'externalDocs', 'example', 'examples', 'title', 'tags'].includes(k.key) && k.at.join('/') !== 'info' && k.at[k.at.length - 1] !== 'properties')).toEqual([]);
    expect(keys.filter((k) => k.key.startsWith('x-') && k.at.length > 0 && k.at[k.at.length - 1] !== 'properties')).toEqual([]);
    // A `description` is either a property's name (data) or the empty one OpenAPI requires of a response.
    const descriptions = keys.filter((k) => k.key === 'description' && k.at[k.at.length - 1] !== 'properties');
    expect(descriptions.length).toBeGreaterThan(0);
    expect(descriptions.filter((k) => k.value !== '' || k.at[k.at.length - 2] !== 'responses')).toEqual([]);
  });
});

describe('a schema property named description', () => {
  it('is kept and still checked (ShipEngine customs_item, Shippo CustomsItemBase)', () => {
    const long = 'x'.repeat(101);
    expect(providerSpec('shipstation').validateSchema('customs_item', { description: long }, 'request')).toContain('value/description: must NOT have more than 100 characters');
    expect(providerSpec('shipstation').validateSchema('customs_item', { description: 'Gloves' }, 'request')).toEqual([]);
    expect(providerSpec('shippo').validateSchema('CustomsItemBase', { description: 7 }, 'request')).toContain('value/description: must be string');
  });
});
