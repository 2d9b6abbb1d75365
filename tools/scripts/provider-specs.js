#!/usr/bin/env node
// Keeps, in each provider adapter's library, the part of the provider's published OpenAPI
// description that the adapter and its fake use, so that the repository holds everything its
// tests need. The full descriptions are read from shared/spec/providers/ (in a folder above the
// repository, or beside it: <x>/main and <x>/shared); only this script looks there.
//
// Every libs/providers/<lib>/openapi/<lib>.operations.json names its source file and the
// operations kept. A provider that publishes no OpenAPI file (ShipStation's legacy v1 API) keeps a
// description written by hand from its documentation in its own library: a source file found
// beside the list (libs/providers/<lib>/openapi/<source>) is read there instead of in shared/, and
// is checked whether shared/ is present or not. The operations kept ('<METHOD> <path>', paths as the source writes them), and may name extra
// component schemas; the script writes libs/providers/<lib>/openapi/<lib>.openapi.json beside
// it (see provider-specs.subset.js for what is kept and stripped).
//
// Usage: node tools/scripts/provider-specs.js [--check]
//   (no flag)  writes every kept file (fails when shared/spec/providers is absent and no
//              library keeps its own source)
//   --check    writes nothing; exits 1 naming each kept file that is missing or differs from
//              what the full files give now; when shared/spec/providers is absent it says so
//              and exits 0 (the kept files are then all there is to check against)
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('yaml');
const { formatSubset, subsetOpenApi } = require('./provider-specs.subset');

const ROOT = path.resolve(__dirname, '../..');
const PROVIDERS = path.join('libs', 'providers');
const COMMAND = 'node tools/scripts/provider-specs.js';
const LIST_KEYS = new Set(['$comment', 'source', 'operations', 'schemas']);

/** shared/spec/providers in the root or a folder above it (itself or beside it); undefined when none. */
function findSharedProviders(root) {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'spec', 'providers');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Every libs/providers/<lib>/openapi/<lib>.operations.json, read and checked. */
function readLists(root) {
  const base = path.join(root, PROVIDERS);
  const lists = [];
  for (const lib of fs.existsSync(base) ? fs.readdirSync(base).sort() : []) {
    const file = path.join(base, lib, 'openapi', `${lib}.operations.json`);
    if (!fs.existsSync(file)) continue;
    const rel = path.relative(root, file);
    let list;
    try {
      list = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${rel}: not JSON (${error.message})`);
    }
    const unknown = Object.keys(list).filter((k) => !LIST_KEYS.has(k));
    if (unknown.length) throw new Error(`${rel}: unknown field(s) ${unknown.join(', ')} (known: ${[...LIST_KEYS].join(', ')})`);
    if (typeof list.source !== 'string' || !/^[\w.-]+$/.test(list.source)) throw new Error(`${rel}: 'source' must be the file name of the provider's OpenAPI description`);
    if (!Array.isArray(list.operations) || list.operations.length === 0 || !list.operations.every((o) => typeof o === 'string')) throw new Error(`${rel}: 'operations' must list '<METHOD> <path>' strings`);
    if (list.schemas !== undefined && !(Array.isArray(list.schemas) && list.schemas.every((s) => typeof s === 'string'))) throw new Error(`${rel}: 'schemas' must list component schema names`);
    lists.push({ lib, listFile: rel, keptFile: path.join(PROVIDERS, lib, 'openapi', `${lib}.openapi.json`), ...list });
  }
  return lists;
}

/** Kept files with no operations list beside them (left behind when a list was removed). */
function orphans(root, lists) {
  const base = path.join(root, PROVIDERS);
  const listed = new Set(lists.map((l) => l.keptFile));
  const found = [];
  for (const lib of fs.existsSync(base) ? fs.readdirSync(base).sort() : []) {
    const dir = path.join(base, lib, 'openapi');
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const rel = path.join(PROVIDERS, lib, 'openapi', name);
      if (name.endsWith('.openapi.json') && !listed.has(rel)) found.push(rel);
    }
  }
  return found;
}

/** A source kept in the library beside its list (written by hand from the provider's documentation), or undefined. */
function librarySource(root, list) {
  const file = path.join(root, path.dirname(list.listFile), list.source);
  return fs.existsSync(file) ? file : undefined;
}

/** The kept file's text for one list, from the full description in `shared` (or the one kept beside the list). */
function render(list, shared, root = ROOT) {
  const sourceFile = librarySource(root, list) ?? (shared ? path.join(shared, list.source) : undefined);
  if (!sourceFile || !fs.existsSync(sourceFile)) throw new Error(`${list.listFile}: ${list.source} is not beside it${shared ? ` nor in ${shared}` : ''}`);
  const bytes = fs.readFileSync(sourceFile);
  const text = bytes.toString('utf8');
  const document = /\.json$/i.test(sourceFile) ? JSON.parse(text) : parse(text, { maxAliasCount: -1 });
  const header = {
    note: `Generated: do not edit. The part of the provider's published OpenAPI description that the adapter and its fake use, prose stripped. Edit ${path.basename(list.listFile)} and run the command.`,
    command: COMMAND,
    source: list.source,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  try {
    return formatSubset(subsetOpenApi(document, { operations: list.operations, schemas: list.schemas, header }));
  } catch (error) {
    throw new Error(`${list.listFile}: ${list.source}: ${error.message}`);
  }
}

/**
 * Writes (or, with `check`, compares) every kept file. Returns the exit code; `log` gets the
 * lines to print. `shared` defaults to the folder found above `root`.
 */
function run({ root = ROOT, check = false, shared = findSharedProviders(root), log = console.log } = {}) {
  const lists = readLists(root);
  const stale = orphans(root, lists).map((f) => `${f}: no operations list beside it (remove it, or add ${path.basename(f).replace(/\.openapi\.json$/, '.operations.json')})`);
  const local = lists.filter((list) => librarySource(root, list));
  if (!shared && !check && local.length === 0) {
    log(`provider-specs: no shared/spec/providers folder in or above ${root}: nothing to generate from`);
    return 1;
  }
  if (!shared) {
    const also = local.length ? ` (those whose source is kept with their library are: ${local.length})` : '';
    log(`provider-specs: no shared/spec/providers folder in or above ${root}: the kept descriptions are not compared with the full ones${also}`);
  }
  for (const list of shared ? lists : local) {
    const text = render(list, shared, root);
    const file = path.join(root, list.keptFile);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (current === text) continue;
    if (check) stale.push(`${list.keptFile}: ${current === undefined ? 'missing' : `out of date with ${list.source}`}`);
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      log(`provider-specs: wrote ${list.keptFile} (${Buffer.byteLength(text)} bytes, ${list.operations.length} operations from ${list.source})`);
    }
  }
  if (stale.length) {
    for (const line of stale) log(`provider-specs: ${line}`);
    if (check) log(`provider-specs: run '${COMMAND}' and commit the result`);
    return 1;
  }
  if (!shared && local.length === 0) return 0;
  log(`provider-specs: ${shared ? lists.length : local.length} kept description(s) ${check ? 'up to date with' : 'made from'} ${shared ?? 'their libraries'}`);
  return 0;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length) {
    console.error(`provider-specs: unknown argument(s) ${unknown.join(' ')}; usage: ${COMMAND} [--check]`);
    process.exit(2);
  }
  try {
    process.exitCode = run({ check: args.includes('--check') });
  } catch (error) {
    console.error(`provider-specs: ${error.message}`);
    process.exitCode = 1;
  }
}

module.exports = { run, findSharedProviders, readLists, render };
