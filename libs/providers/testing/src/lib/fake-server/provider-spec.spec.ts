import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@shipbatch/platform/testing';
import { providerSpec, providerSpecFile } from './provider-spec';
import { requireListedOperations } from './provider-spec.checks';

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

describe('a schema property named description', () => {
  it('is kept and still checked (ShipEngine customs_item, Shippo CustomsItemBase)', () => {
    const long = 'x'.repeat(101);
    expect(providerSpec('shipstation').validateSchema('customs_item', { description: long }, 'request')).toContain('value/description: must NOT have more than 100 characters');
    expect(providerSpec('shipstation').validateSchema('customs_item', { description: 'Gloves' }, 'request')).toEqual([]);
    expect(providerSpec('shippo').validateSchema('CustomsItemBase', { description: 7 }, 'request')).toContain('value/description: must be string');
  });
});

describe('a library whose operations list is still empty (just generated)', () => {
  const libraries = () => {
    const root = tempDir('shipbatch-provider-spec-');
    const write = (library: string, operations: string[]) => {
      mkdirSync(join(root, library, 'openapi'), { recursive: true });
      writeFileSync(join(root, library, 'openapi', `${library}.operations.json`), JSON.stringify({ source: `${library}-openapi.yaml`, operations }));
    };
    write('acme', []);
    write('zeta', ['post /labels']);
    return root;
  };

  it('gets an empty description, so a fake can start and the contract suite name what the adapter lacks', () => {
    const doc = providerSpec('acme', libraries());
    expect(doc.operations).toEqual([]);
    expect(doc.source).toBe('acme: no operations listed yet in openapi/acme.operations.json');
    expect(doc.match('POST', '/labels')).toEqual({ problem: 'unknown_route' });
  });

  it('fails its kept-description checks naming the list and the command', () => {
    expect(() => requireListedOperations('acme', libraries())).toThrow(
      'acme: the kept OpenAPI description lists no operations: add them to openapi/acme.operations.json and run node tools/scripts/provider-specs.js',
    );
    expect(requireListedOperations('zeta', libraries()).operations).toEqual(['post /labels']);
  });

  it('is the only case without a kept file that loads: a listed library without one throws naming it', () => {
    expect(() => providerSpec('zeta', libraries())).toThrow(/zeta\.openapi\.json does not exist; .*node tools\/scripts\/provider-specs\.js/);
    expect(() => providerSpec('nolist', libraries())).toThrow(/nolist\.openapi\.json does not exist/);
  });
});
