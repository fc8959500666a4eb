// `spreeflo-scan staged`: the pre-commit check. Reads the index, never the work tree.
import type { CommonOptions } from './flags.js';
import { buildFilters, loadConfigFor, loadRules } from './options.js';
import { StagedSource } from '../sources/staged-source.js';
import { runPipeline } from '../scan/pipeline.js';
import { emitReport } from './emit.js';
import { gitOk } from '../git/run.js';
import { blockedCommitAdvice } from '../report/blocked.js';

export interface StagedOptions extends CommonOptions {
  allStaged?: boolean;
}

export async function stagedCommand(opts: StagedOptions): Promise<number> {
  const root = (await gitOk(['rev-parse', '--show-toplevel'], process.cwd())).toString('utf8').trim();
  const config = await loadConfigFor(root, opts.config);
  const rules = await loadRules(config);
  const result = await runPipeline({
    sources: [new StagedSource(root, opts.allStaged === true)],
    context: { rules, ruleById: new Map(rules.map((r) => [r.id, r])), maxFileSize: config.maxFileSize },
    filters: buildFilters(root, opts, config),
  });
  return emitReport(result, rules, opts, blockedCommitAdvice);
}
