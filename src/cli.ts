import { DEFAULTS } from './cli/defaults.js';
import { runTask } from './cli/run.js';
import { exitWhenFlushed } from './cli/exit.js';
import { startStagedGit } from './git/staged-start.js';

/** The pre-commit hook's exact call: no flags to parse, so the parser never loads; git starts before the scanner's code does. */
async function hookCall(): Promise<number> {
  const git = startStagedGit(process.cwd());
  return runTask(async () => (await import('./cli/staged-command.js')).stagedCommand({ ...DEFAULTS }, git));
}

const args = process.argv.slice(2);
const isHookCall = args.length === 1 && args[0] === 'staged';
exitWhenFlushed(isHookCall ? await hookCall() : await (await import('./cli/main.js')).main(process.argv));
