import { setFlagsFromString } from 'node:v8';
import { exitWhenFlushed } from './cli/exit.js';

// A scan lasts a second or two, and with V8's default interrupt budget a fifth of that went to
// optimising functions that run only a few hundred times (a walk callback, a PEM decode):
// with a budget 7.5 times larger (the default is 132 KiB) only code that stays hot is
// optimised, a little later than before. Set before the CLI loads, so every
// function and every worker thread (V8 flags are the process's) counts with it; the
// library (index.ts) leaves its host's settings alone. bench/README.md, "Issue 13: V8's
// tiering", has the figures.
setFlagsFromString('--interrupt-budget=1000000');

// A scan of a large tree starts its workers first: they boot while the CLI loads. No
// top-level await: the build makes this one CommonJS file (dist/cli.cjs), whose
// import()s of its own modules only run their code, in this order.
const started = process.argv[2] === 'scan' ? import('./scan/prestart.js').then((m) => m.prestartWorkers(process.argv.slice(3))) : Promise.resolve();
void started.then(() => import('./cli/main.js')).then((m) => m.main(process.argv)).then(exitWhenFlushed);
