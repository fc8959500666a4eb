// Runs a command and turns what went wrong into exit code 2 and one line on stderr.
import { UsageError } from '../errors.js';
import { owned } from '../scan/stall.js';
import { loadBuiltinRules } from '../detect/rule-files.js';
import { maskKeys } from '../detect/names.js';
import { sweepStaleTempDirs } from '../scan/temp-dirs.js';
import { forTerminal } from '../report/printed.js';

export const EXIT_ERROR = 2;

/** Messages quote paths and arguments: a key in one is masked, and the whole escaped, as in the text report. */
export async function fail(message: string): Promise<number> {
  let shown = message;
  try {
    shown = maskKeys(message, await loadBuiltinRules());
  } catch {
    // Without the rules (a broken install) the error itself is the news.
  }
  process.stderr.write(`spreeflo-scan: ${forTerminal(shown)}\n`);
  return EXIT_ERROR;
}

/** `sweep`: also remove what runs killed outright left behind (a video's copy), while this one works. */
export async function runTask(task: () => Promise<number>, sweep = true): Promise<number> {
  const swept = sweep ? sweepStaleTempDirs() : undefined;
  try {
    // A wait nobody can settle would otherwise end the process with code 0 and no report.
    return await owned('the scan', task(), { outer: true });
  } catch (err) {
    if (err instanceof UsageError) return fail(err.message);
    if (process.env.SPREEFLO_SCAN_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return fail(`error: ${(err as Error).message ?? String(err)}`);
  } finally {
    await swept;
  }
}
