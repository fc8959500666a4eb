#!/usr/bin/env node
// CommonJS on purpose (bin/package.json): the pre-commit hook's exact call,
// `spreeflo-scan staged`, loads one small CommonJS bundle, which Node starts in less time
// than a graph of ES modules; everything else goes to the CLI, one CommonJS bundle too. `staged --`
// (the end of options, as hook entries write it) is the same call.
const { closeSync, existsSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

// A checkout that was never built (a branch, not a release tag, installed from git) has no dist/:
// say so instead of a module-not-found stack. Checked only after a load fails: a run pays nothing.
function unbuilt(err) {
  if (existsSync(join(__dirname, '..', 'dist', 'cli.cjs'))) throw err;
  process.stderr.write(
    'spreeflo-scan: this copy has no built dist/. In a checkout: npm install && npm run build.\n' +
      'With the pre-commit framework: set `rev:` to a release tag (vX.Y.Z), whose commit carries dist/.\n',
  );
  process.exit(2);
}

/**
 * Runs dist/<name>.cjs (the hook's entry, the CLI) as require() would, compiled from a V8 code
 * cache when one is there: the run then skips compiling the bundle and, for the hook, the
 * functions it runs (bench/README.md). The cache, dist/<name>-<id>.v8cache, is keyed by the
 * build's id of the bundle (its first line), since V8 checks only the source's length, its own
 * version and its flags, and by node's V8 flags (a lean child node has its own). One V8
 * rejects is not used, and is written again when dist/ is writable; a read-only install runs
 * without. The hook's is written at exit, holding every function the run compiled; the CLI's
 * as soon as it is compiled, before the CLI sets V8 flags of its own, which V8 would find
 * changed at the next start. Neither bundle holds an import() (the build turns them into
 * require()), which a script compiled by node:vm cannot run on Node 20 without a flag.
 */
function runCached(name, atExit) {
  const file = join(__dirname, '..', 'dist', `${name}.cjs`);
  const source = readFileSync(file, 'utf8');
  const id = new RegExp(`^// spreeflo-scan ${name} ([0-9a-f]{16})\\r?\\n`).exec(source)?.[1];
  if (!id) {
    require(file);
    return;
  }
  const vm = require('node:vm');
  const cachePath = join(dirname(file), `${name}-${id}${flagsKey()}.v8cache`);
  let cachedData;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    // None yet.
  }
  // On a line of its own, so that stack traces keep the file's line numbers.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, { filename: file, lineOffset: -1, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    // At exit, from a run that scanned (clean or blocked), not one that stopped at an error, so
    // it holds the functions a commit runs: V8 keeps taking the first cache it accepts.
    if (atExit) process.once('exit', (code) => (code === 0 || code === 1) && writeCache(script, cachePath));
    else writeCache(script, cachePath);
  }
  const Module = require('node:module');
  const mod = new Module(file, module);
  mod.filename = file;
  // As require() would: a later require() of the bundle finds it, and tests see what loaded.
  require.cache[file] = mod;
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
}

/** '' for node started without flags, else a short hash of them (FNV-1a), for the cache's name. */
function flagsKey() {
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join('\0');
  if (flags === '') return '';
  let h = 0x811c9dc5;
  for (const c of flags) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return `-${h.toString(16).padStart(8, '0')}`;
}

/** Writes the script's code cache (all it has compiled so far) beside the bundle, by a rename. Failing to write it is no error. */
function writeCache(script, path) {
  const tmp = `${path}.${process.pid}.tmp`;
  let fd;
  try {
    // Opened first: where dist/ is read-only, nothing is serialised for nothing.
    fd = openSync(tmp, 'wx');
  } catch {
    return;
  }
  try {
    writeFileSync(fd, script.createCachedData());
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch {
    try {
      if (fd !== undefined) closeSync(fd);
      unlinkSync(tmp);
    } catch {
      // Left for the next build, which removes every cache.
    }
  }
}

const args = process.argv.slice(2);
if (args[0] === 'staged' && (args.length === 1 || (args.length === 2 && args[1] === '--'))) {
  try {
    runCached('hook', true);
  } catch (err) {
    unbuilt(err);
  }
} else {
  try {
    runCached('cli', false);
  } catch (err) {
    unbuilt(err);
  }
}
