// `spreeflo-scan staged`: the pre-commit check. Reads the index, never the work tree.
import type { CommonOptions } from './flags.js';
import { prepareScan } from './options.js';
import { StagedSource } from '../sources/staged-source.js';
import type { StagedGit } from '../git/staged-start.js';
import { runPipeline } from '../scan/pipeline.js';
import { emitReport } from './emit.js';
import { blockedCommitAdvice } from '../report/blocked.js';

export interface StagedOptions extends CommonOptions {
  allStaged?: boolean;
}

/** `git` was started by the command line (startStagedGit) before this module loaded. */
export async function stagedCommand(opts: StagedOptions, git: StagedGit): Promise<number> {
  // The root first: outside a repository its error ("not a git repository") is the one to show.
  const root = await git.root;
  const files = await git.files;
  const setup = await prepareScan(root, opts, { gate: true, scoped: true, hook: true, approved: await git.settings });
  const result = await runPipeline({ sources: [new StagedSource(root, files, opts.allStaged === true)], ...setup });
  return emitReport(result, setup, opts, blockedCommitAdvice);
}
