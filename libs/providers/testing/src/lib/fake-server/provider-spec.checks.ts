import { providerOperations, providerSpec } from './provider-spec';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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

function resolveRef(document: Json, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, segment) => (node as Json | undefined)?.[segment], document);
}

/** The library's operations list; throws, naming the file and the command, while it lists none. */
export function requireListedOperations(library: string, providerLibraries?: string): ReturnType<typeof providerOperations> {
  const list = providerOperations(library, providerLibraries);
  if (list.operations.length === 0) {
    throw new Error(`${library}: the kept OpenAPI description lists no operations: add them to openapi/${library}.operations.json and run node tools/scripts/provider-specs.js`);
  }
  return list;
}

/**
 * The spec-file checks of a provider adapter library's kept OpenAPI description (call it at the
 * top level of a spec file in the adapter's `testing` entry point): it has exactly the operations
 * its fake has handlers for (`handled`: the operationIds), exactly those its operations list names,
 * every schema its `$ref`s and its list name, and no prose.
 */
export function describeProviderSpec(library: string, handled: () => string[]): void {
  describe(`the kept description of ${library}`, () => {
    // Each case first requires a non-empty list, so a new library's cases all fail naming it.
    const doc = () => {
      requireListedOperations(library);
      return providerSpec(library);
    };
    const raw = () => doc().raw as Json;

    it('lists at least one operation', () => {
      expect(requireListedOperations(library).operations.length).toBeGreaterThan(0);
    });

    it('has exactly the operations its fake handles', () => {
      const kept = doc().operations.map((o) => o.operationId).sort();
      const ids = handled().sort();
      const unhandled = kept.filter((id) => !ids.includes(id));
      const unknown = ids.filter((id) => !kept.includes(id));
      if (unhandled.length > 0 || unknown.length > 0) {
        throw new Error(
          [
            unhandled.length > 0 ? `${library}: the fake has no handler for ${unhandled.join(', ')} (kept in openapi/${library}.openapi.json)` : '',
            unknown.length > 0 ? `${library}: the fake handles ${unknown.join(', ')}, which openapi/${library}.operations.json does not list` : '',
          ]
            .filter(Boolean)
            .join('; '),
        );
      }
      expect(kept).toEqual(ids);
    });

    it('has exactly the operations its list names, and says where it came from', () => {
      const list = requireListedOperations(library);
      const kept = doc().operations.map((o) => `${o.method} ${o.path}`);
      expect(kept.sort()).toEqual(list.operations.map((o) => o.replace(/^(\w+)\s+/, (_, m: string) => `${m.toUpperCase()} `)).sort());
      expect(raw()['x-shipbatch-subset']).toMatchObject({ source: list.source, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), command: 'node tools/scripts/provider-specs.js' });
    });

    it('has every schema its $refs and its list name', () => {
      const refs = keysOf(raw()).filter((k) => k.key === '$ref' && typeof k.value === 'string');
      expect(refs.length).toBeGreaterThan(0);
      expect(refs.filter((r) => resolveRef(raw(), r.value as string) === undefined)).toEqual([]);
      for (const name of requireListedOperations(library).schemas ?? []) expect(raw()['components']?.['schemas']?.[name]).toBeDefined();
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
}
