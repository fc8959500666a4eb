// `spreeflo-scan staged`: the pre-commit check. Reads the index, never the work tree.
import type { CommonOptions } from './flags.js';
import { prepareScan } from './options.js';
import { StagedSource } from '../sources/staged-source.js';
import { stagedFiles, type StagedFile } from '../git/staged-diff.js';
import { CatFile } from '../git/cat-file.js';
import { runPipeline } from '../scan/pipeline.js';
import { emitReport } from './emit.js';
import { gitOk } from '../git/run.js';
import { blockedCommitAdvice } from '../report/blocked.js';

export interface StagedOptions extends CommonOptions {
  allStaged?: boolean;
}

export async function stagedCommand(opts: StagedOptions): Promise<number> {
  // git reports staged paths from the top of the work tree wherever it runs, so the
  // diff need not wait for the top-level lookup.
  // cat-file starts now and waits for ids, so its start-up overlaps the diff.
  const catFile = new CatFile(process.cwd());
  let top: Buffer;
  let files: StagedFile[];
  try {
    [top, files] = await Promise.all([gitOk(['rev-parse', '--show-toplevel'], process.cwd()), stagedFiles(process.cwd())]);
  } catch (err) {
    catFile.close();
    throw err;
  }
  const root = top.toString('utf8').trim();
  const setup = await prepareScan(root, opts);
  const result = await runPipeline({ sources: [new StagedSource(catFile, files, opts.allStaged === true)], ...setup });
  return emitReport(result, setup.rules, opts, blockedCommitAdvice);
}
