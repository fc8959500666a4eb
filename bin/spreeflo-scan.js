#!/usr/bin/env node
// CommonJS on purpose (bin/package.json): the pre-commit hook's exact call,
// `spreeflo-scan staged`, loads one CommonJS bundle, which Node starts in less time
// than a graph of ES modules; everything else goes to the ES module CLI. `staged --`
// (the end of options, as hook entries write it) is the same call.
const args = process.argv.slice(2);
if (args[0] === 'staged' && (args.length === 1 || (args.length === 2 && args[1] === '--'))) require('../dist/hook.cjs');
else import('../dist/cli.js');
