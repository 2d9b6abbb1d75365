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

  const root = 'libs/providers/acme-post';
  const GENERATED = [
    'project.json',
    'tsconfig.json',
    'jest.config.cjs',
    'README.md',
    'openapi/acme-post.operations.json',
    'src/index.ts',
    'src/lib/acme-post.definition.ts',
    'src/lib/acme-post.capabilities.ts',
    'src/lib/acme-post-provider.options.ts',
    'src/lib/acme-post.client.ts',
    'src/lib/acme-post.errors.ts',
    'src/lib/acme-post-shipment.validator.ts',
    'src/lib/acme-post.mapper.ts',
    'src/lib/acme-post.provider.ts',
    'src/lib/acme-post.contract.spec.ts',
    'src/testing/index.ts',
    'src/testing/fake-acme-post.ts',
    'src/testing/fake-acme-post.handlers.ts',
    'src/testing/fake-acme-post.state.ts',
    'src/testing/fake-acme-post.errors.ts',
    'src/testing/fake-acme-post.openapi.spec.ts',
  ];

  /** Every file under `dir` of the tree, relative to the library's root. */
  const filesUnder = (dir: string): string[] =>
    tree.children(dir).flatMap((name) => (tree.isFile(`${dir}/${name}`) ? [`${dir}/${name}`.slice(root.length + 1)] : filesUnder(`${dir}/${name}`)));

  it('creates exactly the library files: sources, error mapper, validator, contract spec, the testing entry point with the fake, README', async () => {
    await providerGenerator(tree, { name: 'acme_post', className: 'AcmePost', displayName: 'Acme Post', baseUrl: 'https://api.acme.test/', rateLimitPerMinute: 120 });
    expect(filesUnder(root).sort()).toEqual([...GENERATED].sort());

    const project = readJson(tree, `${root}/project.json`);
    expect(project).toMatchObject({ name: 'providers-acme-post', tags: ['type:provider-adapter', 'scope:providers'], projectType: 'library' });
    expect(Object.keys(project.targets)).toEqual(['lint', 'test']);

    const definition = tree.read(`${root}/src/lib/acme-post.definition.ts`, 'utf-8');
    expect(definition).toContain(`key: 'acme_post'`);
    expect(definition).toContain(`export const acmePostProviderDefinition`);
    expect(definition).toContain(`baseUrl: { env: 'ACME_POST_BASE_URL', default: 'https://api.acme.test' }`);
    expect(tree.read(`${root}/src/lib/acme-post-provider.options.ts`, 'utf-8')).toContain('rate_limit_per_minute?: number = 120');
    const contract = tree.read(`${root}/src/lib/acme-post.contract.spec.ts`, 'utf-8');
    expect(contract).toContain('describeProviderContract(');
    expect(contract).toContain(`import { type FakeAcmePost, startFakeAcmePost } from '../testing';`);
    expect(contract).toContain('{ capabilities: acmePostProviderDefinition.capabilities, http: true }');
    // The fake: on the kit, from the kept description, handlers left to fill; its check of the kept description.
    const fake = tree.read(`${root}/src/testing/fake-acme-post.ts`, 'utf-8');
    expect(fake).toContain(`document: providerSpec('acme-post')`);
    expect(fake).toContain('handlers: fakeAcmePostHandlers(state)');
    expect(tree.read(`${root}/src/testing/fake-acme-post.handlers.ts`, 'utf-8')).toContain('return {};');
    expect(tree.read(`${root}/src/testing/fake-acme-post.openapi.spec.ts`, 'utf-8')).toContain(`describeProviderSpec('acme-post', () => Object.keys(fakeAcmePostHandlers(new FakeAcmePostState())))`);
    // Every method still to write names itself and its file; the validator and the error mapper are wired in.
    const provider = tree.read(`${root}/src/lib/acme-post.provider.ts`, 'utf-8');
    expect(provider).toContain('new Error(`acme_post: ${method} is not implemented (src/lib/acme-post.provider.ts)`)');
    expect(provider).toContain(`throw notImplemented('purchaseLabel')`);
    expect(provider).toContain(`throw notImplemented('findPurchase')`);
    expect(provider).toContain('return validateAcmePostShipment(command, this.capabilities.serviceLevels[this.context.carrier] ?? []);');
    expect(tree.read(`${root}/src/lib/acme-post.client.ts`, 'utf-8')).toContain('mapError: mapAcmePostError,');
    expect(tree.read(`${root}/src/lib/acme-post.errors.ts`, 'utf-8')).toContain('export function mapAcmePostError(answer: HttpErrorAnswer): ProviderError | undefined');
    expect(tree.read(`${root}/src/lib/acme-post-shipment.validator.ts`, 'utf-8')).toContain(`code: 'service_level_unknown'`);
    // The operations list the kept OpenAPI description is made from: its source named, its operations still to be listed.
    expect(readJson(tree, `${root}/openapi/acme-post.operations.json`)).toMatchObject({ source: 'acme-post-openapi.yaml', operations: [] });
    expect(tree.read(`${root}/jest.config.cjs`, 'utf-8')).toContain(`displayName: 'providers-acme-post'`);
    const readme = tree.read(`${root}/README.md`, 'utf-8') ?? '';
    expect(readme).toContain('## Service codes');
    expect(readme).toContain('| Shippo token | Acme Post code |');
    expect(readme).toContain('Tagged `type:provider-adapter`, `scope:providers`.');
  });

  it('names in its README every file it makes, and puts the capabilities in capabilities.ts', async () => {
    await providerGenerator(tree, { name: 'acme_post' });
    const readme = tree.read(`${root}/README.md`, 'utf-8') ?? '';
    const named = (file: string) => readme.includes(`\`${file}\``) || readme.includes(`\`${file.split('/').pop()}\``);
    expect(GENERATED.filter((f) => !['project.json', 'tsconfig.json', 'jest.config.cjs', 'README.md'].includes(f) && !named(f))).toEqual([]);
    expect(readme).toContain('fill the capabilities in `acme-post.capabilities.ts`');
    expect(readme).not.toMatch(/capabilities in `[^`]*definition\.ts`/);
    expect(readme).toContain('`@shipbatch/providers/acme-post/testing`');
  });

  it('adds the import alias and the testing entry point\'s', async () => {
    await providerGenerator(tree, { name: 'acme_post' });
    expect(readJson(tree, 'tsconfig.base.json').compilerOptions.paths).toEqual({
      '@shipbatch/providers/mock': ['libs/providers/mock/src/index'],
      '@shipbatch/providers/acme-post': ['libs/providers/acme-post/src/index'],
      '@shipbatch/providers/acme-post/testing': ['libs/providers/acme-post/src/testing/index'],
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
