import { existsSync } from 'node:fs';
import { providerSpec, providerSpecFile } from './provider-spec';

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
