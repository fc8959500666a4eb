// `spreeflo-scan staged`: the pre-commit check. Reads the index, never the work tree.
import type { CommonOptions } from './flags.js';
import { prepareScan, type ScanSetup } from './options.js';
import { StagedSource } from '../sources/staged-source.js';
import type { StagedGit } from '../git/staged-start.js';
import { runPipeline, type ScanResult } from '../scan/pipeline.js';
import { emitReport } from './emit.js';
import { blockedCommitAdvice } from '../report/blocked.js';

export interface StagedOptions extends CommonOptions {
  allStaged?: boolean;
}

/** The scan of what is staged, reporting nothing: the command line's and the library's. */
export async function scanStaged(opts: StagedOptions, git: StagedGit): Promise<{ result: ScanResult; setup: ScanSetup }> {
  // The root first: outside a repository its error ("not a git repository") is the one to show.
  const root = await git.root;
  const files = await git.files;
  const setup = await prepareScan(root, opts, { gate: true, scoped: true, hook: true, approved: await git.settings });
  return { result: await runPipeline({ sources: [new StagedSource(root, files, opts.allStaged === true)], ...setup }), setup };
}

/** `git` was started by the command line (startStagedGit) before this module loaded. */
export async function stagedCommand(opts: StagedOptions, git: StagedGit): Promise<number> {
  const { result, setup } = await scanStaged(opts, git);
  return emitReport(result, setup, opts, blockedCommitAdvice);
}
