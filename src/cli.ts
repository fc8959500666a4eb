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

/** The command line's exit code. */
async function run(): Promise<number> {
  if (process.argv[2] === 'scan') {
    const prestart = await import('./scan/prestart.js');
    if (prestart.namesBigTree(process.argv.slice(3))) {
      // A scan of a large tree runs in a lean child node (cli/node-child.ts).
      const child = (await import('./cli/node-child.js')).inLeanNode('scan');
      // A child that cannot start costs only the memory it would have saved: the scan runs here.
      const code = child && (await child.catch(() => null));
      if (code !== null) return code;
      // Here (the child, or a process that could not start one) the workers start first: they boot while the CLI loads.
      prestart.prestartWorkers();
    }
  }
  return (await import('./cli/main.js')).main(process.argv);
}

// No top-level await: the build makes this file and all it imports one CommonJS file
// (dist/cli.cjs), where an import() of its own modules only runs their code.
void run().then(exitWhenFlushed);
