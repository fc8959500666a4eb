#!/usr/bin/env node
// CommonJS on purpose (bin/package.json): the pre-commit hook's exact call,
// `spreeflo-scan staged`, loads one small CommonJS bundle, which Node starts in less time
// than a graph of ES modules; everything else goes to the ES module CLI. `staged --`
// (the end of options, as hook entries write it) is the same call.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

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
    require('../dist/hook.cjs');
  } catch (err) {
    unbuilt(err);
  }
} else import('../dist/cli.js').catch(unbuilt);
