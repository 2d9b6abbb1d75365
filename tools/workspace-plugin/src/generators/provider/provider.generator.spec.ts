import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { providerGenerator, REGISTRY_FILE } from './provider.generator';

const REGISTRY = `import type { ProviderDefinition } from '@shipbatch/providers/core';
import { mockProviderDefinition } from '@shipbatch/providers/mock';

/** Every registered provider. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const PROVIDER_DEFINITIONS: ReadonlyArray<ProviderDefinition<any>> = [
  mockProviderDefinition,
];
`;

describe('provider generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('tsconfig.base.json', JSON.stringify({ compilerOptions: { paths: { '@shipbatch/providers/mock': ['libs/providers/mock/src/index'] } } }));
    tree.write(REGISTRY_FILE, REGISTRY);
  });

  it('creates the library with its tags, configs, sources, contract spec and README', async () => {
    await providerGenerator(tree, { name: 'acme_post', className: 'AcmePost', displayName: 'Acme Post', baseUrl: 'https://api.acme.test/', rateLimitPerMinute: 120 });
    const root = 'libs/providers/acme-post';
    for (const file of [
      'project.json',
      'tsconfig.json',
      'jest.config.cjs',
      'README.md',
      'src/index.ts',
      'src/lib/acme-post.definition.ts',
      'src/lib/acme-post.capabilities.ts',
      'src/lib/acme-post-provider.options.ts',
      'src/lib/acme-post.client.ts',
      'src/lib/acme-post.mapper.ts',
      'src/lib/acme-post.provider.ts',
      'src/lib/acme-post.contract.spec.ts',
      'openapi/acme-post.operations.json',
    ]) {
      expect({ file, exists: tree.exists(`${root}/${file}`) }).toEqual({ file, exists: true });
    }
    expect(tree.children(`${root}/src/lib`).some((f) => f.endsWith('.template'))).toBe(false);

    const project = readJson(tree, `${root}/project.json`);
    expect(project).toMatchObject({ name: 'providers-acme-post', tags: ['type:provider', 'scope:providers'], projectType: 'library' });
    expect(Object.keys(project.targets)).toEqual(['lint', 'test']);

    const definition = tree.read(`${root}/src/lib/acme-post.definition.ts`, 'utf-8');
    expect(definition).toContain(`key: 'acme_post'`);
    expect(definition).toContain(`export const acmePostProviderDefinition`);
    expect(definition).toContain(`baseUrl: { env: 'ACME_POST_BASE_URL', default: 'https://api.acme.test' }`);
    expect(tree.read(`${root}/src/lib/acme-post-provider.options.ts`, 'utf-8')).toContain('rate_limit_per_minute?: number = 120');
    const contract = tree.read(`${root}/src/lib/acme-post.contract.spec.ts`, 'utf-8');
    expect(contract).toContain('describeProviderContract(');
    expect(contract).toContain(`startFakeServer({ document: providerSpec('acme-post'), handlers: {} })`);
    // The operations list the kept OpenAPI description is made from: its source named, its operations still to be listed.
    expect(readJson(tree, `${root}/openapi/acme-post.operations.json`)).toMatchObject({ source: 'acme-post-openapi.yaml', operations: [] });
    expect(tree.read(`${root}/jest.config.cjs`, 'utf-8')).toContain(`displayName: 'providers-acme-post'`);
    const readme = tree.read(`${root}/README.md`, 'utf-8');
    expect(readme).toContain('## Service codes');
    expect(readme).toContain('| Shippo token | Acme Post code |');
  });

  it('adds the import alias', async () => {
    await providerGenerator(tree, { name: 'acme_post' });
    expect(readJson(tree, 'tsconfig.base.json').compilerOptions.paths).toEqual({
      '@shipbatch/providers/mock': ['libs/providers/mock/src/index'],
      '@shipbatch/providers/acme-post': ['libs/providers/acme-post/src/index'],
    });
  });

  it('registers the definition with one import and one entry in the registry', async () => {
    await providerGenerator(tree, { name: 'acme_post' });
    await providerGenerator(tree, { name: 'zeta' });
    const registry = tree.read(REGISTRY_FILE, 'utf-8') ?? '';
    expect(registry).toContain(`import { acmePostProviderDefinition } from '@shipbatch/providers/acme-post';`);
    expect(registry).toContain(`import { zetaProviderDefinition } from '@shipbatch/providers/zeta';`);
    const array = registry.slice(registry.indexOf('= ['));
    expect(array.match(/\w+ProviderDefinition/g)).toEqual(['mockProviderDefinition', 'acmePostProviderDefinition', 'zetaProviderDefinition']);
    // The imports stay above the code.
    expect(registry.indexOf('import { zeta')).toBeLessThan(registry.indexOf('export const PROVIDER_DEFINITIONS'));
  });

  it('refuses a bad name, an existing library and a registry it cannot edit', async () => {
    await expect(providerGenerator(tree, { name: 'Acme Post' })).rejects.toThrow(/lower case/);
    await providerGenerator(tree, { name: 'acme' });
    await expect(providerGenerator(tree, { name: 'acme' })).rejects.toThrow(/already exists/);
    tree.write(REGISTRY_FILE, 'export const nothing = 1;\n');
    await expect(providerGenerator(tree, { name: 'other' })).rejects.toThrow(/no PROVIDER_DEFINITIONS/);
  });
});
