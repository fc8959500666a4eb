#!/usr/bin/env node
// CommonJS on purpose (bin/package.json): the pre-commit hook's exact call,
// `spreeflo-scan staged`, loads one CommonJS bundle, which Node starts in less time
// than a graph of ES modules; everything else goes to the ES module CLI.
if (process.argv.length === 3 && process.argv[2] === 'staged') require('../dist/hook.cjs');
else import('../dist/cli.js');
