#!/usr/bin/env node
// Builds dist/out-tsc with `tsc -p tsconfig.build.json`, unless nothing it reads changed since
// the last successful build. Usage: node tools/scripts/build.js [--always] [--check]
//   --always  always run tsc (what `npm run build` does); the stamp is refreshed afterwards
//   --check  only say whether a build is needed (exit 0: up to date, 1: needed); builds nothing
// After compiling it also makes the embedded database's data directory template
// (tools/scripts/embedded-template.js).
//
// "Changed" is decided by content, not by timestamps: the stamp (dist/out-tsc/.build-stamp.json)
// holds a SHA-256 of every input of the last build, and a start rebuilds when any differs,
// appears or disappears. The inputs are:
//   - every file the tsconfig's `include`/`exclude` select now (so new files count),
//   - every workspace file the last build compiled (from tsc's own .tsbuildinfo: this catches
//     files pulled in by an import from outside `include`),
//   - the tsconfig and every tsconfig it extends, package.json and package-lock.json (compiler
//     options, the TypeScript version and the installed type packages).
// A compiled .js missing from dist/out-tsc rebuilds too. Files are hashed before tsc runs, so an
// edit made while it compiles makes the next start rebuild. Hashing the ~250 inputs takes about
// 40 ms; `tsc --incremental` on an unchanged tree still loads the whole program (15-30 s on the
// shared 2-core machine), hence this script.
'use strict';
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const TSCONFIG = 'tsconfig.build.json';
const STAMP_VERSION = 1;

/** A tsconfig as JSON (they may hold comments and trailing commas). */
function readJsonc(file) {
  const text = fs.readFileSync(file, 'utf8');
  // Strip comments outside strings, then trailing commas.
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2);
      if (i < 0) break;
      i++;
    } else out += c;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

/** The tsconfig chain (this file and what it extends, relative paths only) and the merged settings. */
function loadTsconfig(rel) {
  const chain = [];
  let include;
  let exclude;
  let outDir;
  let tsBuildInfoFile;
  let file = path.join(ROOT, rel);
  for (;;) {
    chain.push(path.relative(ROOT, file));
    const json = readJsonc(file);
    const dir = path.dirname(file);
    const abs = (p) => path.relative(ROOT, path.resolve(dir, p));
    include ??= json.include?.map(abs);
    exclude ??= json.exclude?.map(abs);
    outDir ??= json.compilerOptions?.outDir && abs(json.compilerOptions.outDir);
    tsBuildInfoFile ??= json.compilerOptions?.tsBuildInfoFile && abs(json.compilerOptions.tsBuildInfoFile);
    if (!json.extends || typeof json.extends !== 'string' || !json.extends.startsWith('.')) break;
    file = path.resolve(dir, json.extends.endsWith('.json') ? json.extends : `${json.extends}.json`);
  }
  if (!include || !outDir || !tsBuildInfoFile) {
    throw new Error(`${rel} must set include, compilerOptions.outDir and compilerOptions.tsBuildInfoFile`);
  }
  return { chain, include, exclude: exclude ?? [], outDir, tsBuildInfoFile };
}

/** tsconfig-style glob (`*`, `**`, `?`) to a RegExp over '/'-separated relative paths. */
function globToRegExp(glob) {
  let re = '';
  const parts = glob.split('/');
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    if (part === '**') {
      re += last ? '.*' : '(?:[^/]+/)*';
      return;
    }
    re += part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
    if (!last) re += '/';
  });
  return new RegExp(`^${re}$`);
}

/** The files `include` selects minus `exclude` (an exclude also drops whatever lies under a matching directory). */
function selectedFiles(include, exclude) {
  const excludes = exclude.map(globToRegExp);
  const excluded = (rel) => {
    const segs = rel.split('/');
    for (let n = 1; n <= segs.length; n++) {
      const prefix = segs.slice(0, n).join('/');
      if (excludes.some((re) => re.test(prefix))) return true;
    }
    return false;
  };
  const files = new Set();
  for (const pattern of include) {
    const re = globToRegExp(pattern);
    const segs = pattern.split('/');
    const firstGlob = segs.findIndex((s) => /[*?]/.test(s));
    const base = firstGlob < 0 ? segs.join('/') : segs.slice(0, firstGlob).join('/');
    const walk = (rel) => {
      let entries;
      try {
        entries = fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (excluded(child)) continue;
        if (e.isDirectory()) walk(child);
        else if (e.isFile() && re.test(child) && /\.(ts|tsx|mts|cts)$/.test(e.name)) {
          files.add(child);
        }
      }
    };
    if (firstGlob < 0) {
      if (fs.existsSync(path.join(ROOT, base)) && !excluded(base)) files.add(base);
    } else walk(base);
  }
  return files;
}

/** Workspace files (not node_modules) that tsc compiled in the last build, from its .tsbuildinfo. */
function compiledFiles(tsBuildInfoFile) {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(ROOT, tsBuildInfoFile), 'utf8'));
    const dir = path.dirname(path.join(ROOT, tsBuildInfoFile));
    return (info.fileNames ?? [])
      .map((f) => path.relative(ROOT, path.resolve(dir, f)).split(path.sep).join('/'))
      .filter((f) => !f.startsWith('..') && !f.split('/').includes('node_modules'));
  } catch {
    return [];
  }
}

function hashFile(rel) {
  try {
    return createHash('sha256').update(fs.readFileSync(path.join(ROOT, rel))).digest('hex');
  } catch {
    return 'missing';
  }
}

function hashAll(files) {
  const out = {};
  for (const f of [...files].sort()) out[f] = hashFile(f);
  return out;
}

/**
 * What a build reads: the tsconfig chain, the package files, what `include` selects now, plus
 * `extra` (the last stamp's files, which hold what the last build compiled) and, right after a
 * build, the files tsc reports in its .tsbuildinfo.
 */
function inputs(config, extra = [], { afterBuild = false } = {}) {
  return new Set([
    ...config.chain,
    'package.json',
    'package-lock.json',
    ...selectedFiles(config.include, config.exclude),
    ...(afterBuild ? compiledFiles(config.tsBuildInfoFile) : []),
    ...extra,
  ]);
}

function readStamp(stampFile) {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    return stamp.version === STAMP_VERSION ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/** The first input that differs from the stamp, or undefined when the build is up to date. */
function staleReason(config, stamp) {
  if (!stamp) return 'no previous build';
  if (!fs.existsSync(path.join(ROOT, config.tsBuildInfoFile))) return 'no .tsbuildinfo';
  const now = hashAll(inputs(config, Object.keys(stamp.hashes)));
  for (const [file, hash] of Object.entries(now)) {
    if (stamp.hashes[file] === hash) continue;
    if (stamp.hashes[file] === undefined) return `new file ${file}`;
    return hash === 'missing' ? `${file} deleted` : `${file} changed`;
  }
  // The outputs too: a removed .js (tsc --incremental would not notice) means a rebuild.
  for (const file of Object.keys(stamp.hashes)) {
    if (!/\.[mc]?ts$/.test(file) || /\.d\.[mc]?ts$/.test(file)) continue;
    const js = path.join(ROOT, config.outDir, file.replace(/\.([mc]?)ts$/, '.$1js'));
    if (!fs.existsSync(js)) return `${path.relative(ROOT, js)} is missing`;
  }
  return undefined;
}

function main() {
  const always = process.argv.includes('--always');
  const checkOnly = process.argv.includes('--check');
  const config = loadTsconfig(TSCONFIG);
  const stampFile = path.join(ROOT, config.outDir, '.build-stamp.json');
  const stamp = readStamp(stampFile);
  const reason = always ? 'asked to (--always)' : staleReason(config, stamp);
  if (checkOnly) {
    console.log(reason ? `build needed: ${reason}` : 'build up to date');
    process.exit(reason ? 1 : 0);
  }
  if (!reason) {
    console.log(`build: up to date (${TSCONFIG} inputs unchanged)`);
    return;
  }
  // Hash before compiling: a file edited while tsc runs must make the next start rebuild.
  const before = hashAll(inputs(config, stamp ? Object.keys(stamp.hashes) : [], { afterBuild: true }));
  console.log(`build: tsc -p ${TSCONFIG} (${reason})`);
  fs.rmSync(stampFile, { force: true });
  const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  const result = spawnSync(process.execPath, [tsc, '-p', TSCONFIG], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  const after = hashAll(inputs(config, Object.keys(before), { afterBuild: true }));
  const raced = Object.keys(before).find((f) => after[f] !== before[f]);
  if (raced) {
    console.log(`build: ${raced} changed while compiling; the next start rebuilds`);
    return;
  }
  // A file that no longer exists is no input; if it comes back, it is new (or unused) then.
  const hashes = Object.fromEntries(Object.entries(after).filter(([, h]) => h !== 'missing'));
  fs.writeFileSync(stampFile, JSON.stringify({ version: STAMP_VERSION, tsconfig: TSCONFIG, hashes }) + '\n');
  prepareEmbeddedTemplate();
}

/**
 * After a build: the embedded database's data directory template, made here in a process of
 * its own so that the service's first start copies it instead of running PGlite's initdb
 * (about 760 MB for 2 s). Only after compiling: a start with nothing to build stays fast, and
 * a template missing then is made by the service on its first empty DATA_DIR.
 */
function prepareEmbeddedTemplate() {
  spawnSync(process.execPath, [path.join(__dirname, 'embedded-template.js')], { cwd: ROOT, stdio: 'inherit' });
}

module.exports = { globToRegExp, selectedFiles, loadTsconfig, compiledFiles };

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`build: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
