#!/usr/bin/env node
// CommonJS on purpose (bin/package.json): the pre-commit hook's exact call,
// `spreeflo-scan staged`, loads one CommonJS bundle, which Node starts in less time
// than a graph of ES modules; everything else goes to the ES module CLI. `staged --`
// (the end of options, as hook entries write it) is the same call.
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire, wrap } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

// A checkout that was never built (a branch, not a release tag, installed from git) has no dist/:
// say so instead of a module-not-found stack. Checked only after a load fails: a run pays nothing.
function unbuilt(err) {
  if (existsSync(join(__dirname, '..', 'dist', 'cli.js'))) throw err;
  process.stderr.write(
    'spreeflo-scan: this copy has no built dist/. In a checkout: npm install && npm run build.\n' +
      'With the pre-commit framework: set `rev:` to a release tag (vX.Y.Z), whose commit carries dist/.\n',
  );
  process.exit(2);
}

const args = process.argv.slice(2);
if (args[0] === 'staged' && (args.length === 1 || (args.length === 2 && args[1] === '--'))) {
  try {
    runHook(join(__dirname, '..', 'dist', 'hook.cjs'));
  } catch (err) {
    unbuilt(err);
  }
} else import('../dist/cli.js').catch(unbuilt);

/**
 * dist/hook.cjs, compiled from the V8 code cache the build made for it by running it
 * (dist/hook.cjs.cache): the hook runs at every commit, and compiling its half a
 * megabyte of code cost it about 25 ms of CPU. The cache lives beside the code it
 * stands for (whoever can write one can write the other), never in a shared cache
 * folder. It starts with the build's id, the bundle's first line: V8 checks only a
 * cache's Node version, flags and source length, not the source itself. A cache from
 * another build or Node is not used, and the file is compiled as require() would.
 * SPREEFLO_SCAN_MAKE_CODE_CACHE=1 (the build's run) writes the cache at exit.
 */
function runHook(file) {
  const source = readFileSync(file, 'utf8');
  const id = Buffer.from(`${source.slice(0, source.indexOf('\n'))}\n`);
  let cachedData;
  try {
    const cache = readFileSync(`${file}.cache`);
    if (cache.subarray(0, id.length).equals(id)) cachedData = cache.subarray(id.length);
  } catch {
    // no cache: compiled as usual
  }
  const script = new Script(wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (process.env.SPREEFLO_SCAN_MAKE_CODE_CACHE === '1') {
    process.once('exit', () => {
      writeFileSync(`${file}.cache.${process.pid}.tmp`, Buffer.concat([id, script.createCachedData()]));
      renameSync(`${file}.cache.${process.pid}.tmp`, `${file}.cache`);
    });
  }
  const hook = { exports: {}, filename: file, id: file };
  script.runInThisContext()(hook.exports, createRequire(file), hook, file, dirname(file));
}
