// `spreeflo-scan history [REV-RANGE]`: keys anywhere in git history.
import { resolve } from 'node:path';
import type { CommonOptions } from './flags.js';
import { prepareScan, type ScanSetup } from './options.js';
import { HistorySource } from '../sources/history-source.js';
import { runPipeline, type ScanResult } from '../scan/pipeline.js';
import { createProgress } from './progress.js';
import { emitReport } from './emit.js';
import { git, gitOk } from '../git/run.js';
import { UsageError } from '../errors.js';
import { rangeBase, settingsAt } from '../git/approved-settings.js';

export interface HistoryCommandOptions extends CommonOptions {
  maxFileSize?: number;
}

/** The scan of the history of the repository at `cwd`, reporting nothing: the command line's and the library's. */
export async function scanHistory(
  range: string | undefined,
  opts: HistoryCommandOptions,
  cwd: string,
  onProgress?: (objects: number, bytes: number) => void,
): Promise<{ result: ScanResult; setup: ScanSetup }> {
  const { root, objects, base } = await resolveRange(range, cwd);
  const objectsDir = resolve(cwd, objects);
  const setup = await prepareScan(root!, opts, {
    ...(opts.maxFileSize ? { maxFileSize: opts.maxFileSize } : {}),
    ...(onProgress ? { onProgress } : {}),
    gate: range !== undefined,
    scoped: true,
    ocrByDefault: false,
    ...(base ? { approved: await settingsAt(root!, base) } : {}),
  });
  return { result: await runPipeline({ sources: [new HistorySource(root!, { range: range ?? null, objectsDir })], ...setup }), setup };
}

export async function historyCommand(range: string | undefined, opts: HistoryCommandOptions): Promise<number> {
  const progress = createProgress(opts.progress, 'objects');
  const { result, setup } = await scanHistory(range, opts, process.cwd(), (n, bytes) => progress.update(n, bytes));
  progress.stop();
  return emitReport(result, setup, opts);
}

/**
 * The repository and, for a range, the commit it is measured against. One rev-parse
 * for all of it (each git process costs this command about 10 ms); when that fails,
 * the checks one by one say what is wrong.
 */
async function resolveRange(range: string | undefined, cwd: string): Promise<{ root: string; objects: string; base: string | null }> {
  const ends = range ? range.split(/\.\.\.?/).filter(Boolean) : [];
  const res = await git(['rev-parse', '--show-toplevel', '--git-path', 'objects', '--end-of-options', ...ends.map((end) => `${end}^{commit}`)], cwd);
  // git 2.39 echoes --end-of-options among the answers (as it does any flag it passes through).
  const lines = res.stdout.toString('utf8').trim().split('\n').filter((line) => line !== '--end-of-options');
  if (res.code !== 0 || lines.length !== 2 + ends.length) {
    const [root, objects] = (await gitOk(['rev-parse', '--show-toplevel', '--git-path', 'objects'], cwd)).toString('utf8').trim().split('\n');
    if (range) await checkRange(root!, range);
    return { root: root!, objects: objects!, base: range ? await rangeBase(root!, range) : null };
  }
  const [root, objects] = lines as [string, string];
  // A range is a gate: checked with the settings its base approved, never with its own.
  // `A..B`'s base is A, resolved above; `A...B` (a merge base) and `..B` (HEAD) are asked for.
  const twoDot = range !== undefined && !range.includes('...') && /^.+?\.\./.test(range);
  const base = !range ? null : twoDot ? lines[2]! : await rangeBase(root, range);
  return { root, objects, base };
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
