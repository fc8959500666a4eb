// `spreeflo-scan staged` with no flags, the pre-commit hook's exact call, built on its
// own as one CommonJS file (dist/hook.cjs): Node starts that faster than a graph of ES
// modules, and it holds no argument parser. git starts before anything else runs;
// readers and OCR are in the file too but only evaluated when a commit holds a
// document or a picture. No top-level await: CommonJS has none.
import { DEFAULTS } from './cli/defaults.js';
import { runTask } from './cli/run.js';
import { exitWhenFlushed } from './cli/exit.js';
import { startStagedGit } from './git/staged-start.js';
import { stagedCommand } from './cli/staged-command.js';

const git = startStagedGit(process.cwd());
// No sweep of stale temporary folders here: the hook runs at every commit, and a readdir of
// a busy /tmp costs it milliseconds; the next other command sweeps them.
void runTask(() => stagedCommand({ ...DEFAULTS }, git), false).then(exitWhenFlushed);
