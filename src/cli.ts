import { DEFAULTS } from './cli/defaults.js';
import { runTask } from './cli/run.js';
import { startStagedGit } from './git/staged-start.js';

const args = process.argv.slice(2);
if (args.length === 1 && args[0] === 'staged') {
  // The pre-commit hook's exact call: no flags to parse, so the parser never loads.
  const git = startStagedGit(process.cwd());
  process.exitCode = await runTask(async () => (await import('./cli/staged-command.js')).stagedCommand({ ...DEFAULTS }, git));
} else {
  process.exitCode = await (await import('./cli/main.js')).main(process.argv);
}
