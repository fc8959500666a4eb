// `spreeflo-scan history [REV-RANGE]`: keys anywhere in git history.
import { resolve } from 'node:path';
import type { CommonOptions } from './flags.js';
import { prepareScan } from './options.js';
import { HistorySource } from '../sources/history-source.js';
import { runPipeline } from '../scan/pipeline.js';
import { createProgress } from './progress.js';
import { emitReport } from './emit.js';
import { git, gitOk } from '../git/run.js';
import { UsageError } from '../errors.js';
import { rangeBase, settingsAt } from '../git/approved-settings.js';

export interface HistoryCommandOptions extends CommonOptions {
  maxFileSize?: number;
}

export async function historyCommand(range: string | undefined, opts: HistoryCommandOptions): Promise<number> {
  const [root, objects] = (await gitOk(['rev-parse', '--show-toplevel', '--git-path', 'objects'], process.cwd())).toString('utf8').trim().split('\n');
  const objectsDir = resolve(process.cwd(), objects!);
  // A range is a gate: checked with the settings its base approved, never with its own.
  if (range) await checkRange(root!, range);
  const base = range ? await rangeBase(root!, range) : null;
  const progress = createProgress(opts.progress, 'objects');
  const setup = await prepareScan(root!, opts, {
    ...(opts.maxFileSize ? { maxFileSize: opts.maxFileSize } : {}),
    onProgress: (n, bytes) => progress.update(n, bytes),
    gate: range !== undefined,
    scoped: true,
    ocrByDefault: false,
    ...(base ? { approved: await settingsAt(root!, base) } : {}),
  });
  const result = await runPipeline({ sources: [new HistorySource(root!, { range: range ?? null, objectsDir })], ...setup });
  progress.stop();
  return emitReport(result, setup, opts);
}

/** Each revision a range names (`a..b` -> a, b) must exist: a typo is a usage error, not a clean scan. */
async function checkRange(root: string, range: string): Promise<void> {
  const ends = range.split(/\.\.\.?/).filter(Boolean);
  await Promise.all(
    ends.map(async (end) => {
      const res = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${end}^{commit}`], root);
      if (res.code !== 0) throw new UsageError(`unknown revision "${end}" in range ${range}`);
    }),
  );
}
