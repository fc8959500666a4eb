// The pre-commit hook's full scan (dist/hook-scan.cjs), which src/hook.ts loads only when
// its first look at the staged files finds something that needs one. It gets the git
// work that entry started; readers and OCR are in this file too but only evaluated when a
// commit holds a document or a picture. No top-level await: CommonJS has none.
import { DEFAULTS } from './cli/defaults.js';
import { runTask } from './cli/run.js';
import { stagedCommand } from './cli/staged-command.js';
import type { StagedGit } from './git/staged-start.js';

/** Errors are reported here, by this bundle's own runTask, which knows its own UsageError. */
export function runStaged(git: StagedGit): Promise<number> {
  return runTask(() => stagedCommand({ ...DEFAULTS }, git), false);
}
