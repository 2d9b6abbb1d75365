import { join } from 'node:path';
import { formatFiles, generateFiles, names, type Tree, updateJson } from '@nx/devkit';

export interface ProviderGeneratorSchema {
  /** The provider's key: carrier accounts name it in `provider` (e.g. `shipstation`). */
  name: string;
  /** Class-name stem (e.g. `ShipStation`); default from the name. */
  className?: string;
  displayName?: string;
  baseUrl?: string;
  rateLimitPerMinute?: number;
}

/** Where the one registration line goes. */
export const REGISTRY_FILE = 'libs/providers/registry/src/lib/providers.ts';
const ARRAY_START = /PROVIDER_DEFINITIONS[^=]*=\s*\[/;

/** The names every template uses, derived once from the options. */
export function providerNames(options: ProviderGeneratorSchema) {
  if (!/^[a-z][a-z0-9_-]*$/.test(options.name)) {
    throw new Error(`provider name '${options.name}' must be lower case letters, digits, _ or - (it is the key carrier accounts use)`);
  }
  const n = names(options.name.replace(/_/g, '-'));
  const className = options.className ?? n.className;
  const propertyName = className.charAt(0).toLowerCase() + className.slice(1);
  return {
    key: options.name,
    fileName: n.fileName,
    className,
    propertyName,
    constantName: n.constantName,
    displayName: options.displayName ?? className,
    baseUrl: (options.baseUrl ?? 'https://api.example.com').replace(/\/+$/, ''),
    baseUrlEnv: `${n.constantName}_BASE_URL`,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 60,
    projectName: `providers-${n.fileName}`,
    importPath: `@shipbatch/providers/${n.fileName}`,
    testingImportPath: `@shipbatch/providers/${n.fileName}/testing`,
    root: `libs/providers/${n.fileName}`,
    definition: `${propertyName}ProviderDefinition`,
  };
}

/**
 * `npx nx g @shipbatch/workspace-plugin:provider <name>`: a provider adapter library (definition,
 * capabilities, options, client, error mapper, validator, mapper, provider, contract spec,
 * operations list, README), its `testing` entry point (a fake server on the fake-server kit, with
 * the check of its kept OpenAPI description), its two import aliases in tsconfig.base.json, and
 * its line in the registry. The contract suite of the new library fails, naming what is missing.
 */
export async function providerGenerator(tree: Tree, options: ProviderGeneratorSchema): Promise<void> {
  const n = providerNames(options);
  if (tree.exists(n.root)) throw new Error(`${n.root} already exists`);

  generateFiles(tree, join(__dirname, 'files'), n.root, { ...n, tmpl: '' });

  updateJson(tree, 'tsconfig.base.json', (json) => {
    const paths = (json.compilerOptions.paths ??= {});
    for (const alias of [n.importPath, n.testingImportPath]) {
      if (paths[alias]) throw new Error(`tsconfig.base.json already maps ${alias}`);
    }
    paths[n.importPath] = [`${n.root}/src/index`];
    paths[n.testingImportPath] = [`${n.root}/src/testing/index`];
    return json;
  });

  register(tree, n.definition, n.importPath);
  await formatFiles(tree);
}

/** Adds the import and the one entry to PROVIDER_DEFINITIONS. */
function register(tree: Tree, definition: string, importPath: string): void {
  const source = tree.read(REGISTRY_FILE, 'utf-8');
  if (source === null) throw new Error(`${REGISTRY_FILE} is missing: cannot register the provider`);
  const start = source.search(ARRAY_START);
  if (start < 0) throw new Error(`${REGISTRY_FILE} has no PROVIDER_DEFINITIONS array to add the provider to`);
  const close = source.indexOf('];', start);
  if (close < 0) throw new Error(`${REGISTRY_FILE}: PROVIDER_DEFINITIONS is not closed by '];'`);
  const lastImport = source.lastIndexOf('\nimport ', start);
  const importEnd = source.indexOf('\n', source.indexOf(';', lastImport < 0 ? 0 : lastImport + 1)) + 1;
  const entries = source.slice(source.indexOf('[', start) + 1, close).trimEnd();
  const separator = entries === '' || entries.endsWith(',') ? '' : ',';
  const updated =
    source.slice(0, importEnd) +
    `import { ${definition} } from '${importPath}';\n` +
    source.slice(importEnd, source.indexOf('[', start) + 1) +
    entries +
    separator +
    `\n  ${definition},\n` +
    source.slice(close);
  tree.write(REGISTRY_FILE, updated);
}

export default providerGenerator;
