// `spreeflo-scan staged` with no flags, the pre-commit hook's exact call, built on its
// own as one small CommonJS file (dist/hook.cjs): Node starts that faster than a graph of
// ES modules, and it holds no argument parser. git starts before anything else runs.
// A commit of plain text in which the detector finds nothing (sources/staged-glance.ts) is reported
// clean from here; any other loads the full scan (dist/hook-scan.cjs, src/hook-scan.ts),
// handing it the git work already done. Loading the full scan's 400 KB cost a clean
// commit 28.6 ms of its 178 (bench/README.md).
import { DEFAULTS } from './cli/defaults.js';
import { fail, runTask } from './cli/run.js';
import { exitWhenFlushed } from './cli/exit.js';
import { startStagedGit } from './git/staged-start.js';
import { loadBuiltinRules } from './detect/rule-files.js';
import { nothingFound } from './sources/staged-glance.js';
import { EXIT_CLEAN, textReport } from './cli/emit.js';
import { writeStdout } from './report/write-file.js';
import { blockedCommitAdvice } from './report/blocked.js';
import type { ScanResult } from './scan/pipeline.js';

const git = startStagedGit(process.cwd());

/** Not an exit code: the commit needs the full scan. */
const SCAN = -1;

async function glance(): Promise<number> {
  // Made while git starts; awaited after git's answers, whose errors come first.
  const ready = loadBuiltinRules().then((rules) => ({ rules, check: nothingFound(rules) }));
  ready.catch(() => undefined);
  // In scanStaged's order: outside a repository the root's error is the one to show.
  await git.root;
  const files = await git.files;
  const settings = await git.settings;
  const started = Date.now();
  const { rules, check } = await ready;
  const bytes = check(files, settings);
  if (bytes === null) return SCAN;
  const result: ScanResult = { findings: [], suppressed: [], skipped: [], notes: [], stats: { files: files.length, bytes, seconds: (Date.now() - started) / 1000 } };
  // The report emitReport writes for the hook's call (text, to stdout) when nothing was found
  // or skipped; the gate's unread mode changes nothing in it. Only the text report is bundled here.
  await writeStdout(await textReport(result, rules, { ...DEFAULTS }, true, blockedCommitAdvice, 'fail'));
  return EXIT_CLEAN;
}

// No sweep of stale temporary folders here: the hook runs at every commit, and a readdir of
// a busy /tmp costs it milliseconds; the next other command sweeps them.
// The full scan runs outside this bundle's runTask: each bundle has its own stall watch,
// and this one's would fail the whole scan where the full scan's fails one stalled reader.
void runTask(glance, false)
  .then((code) => (code === SCAN ? (require('./hook-scan.cjs') as typeof import('./hook-scan.js')).runStaged(git) : code))
  // Only loading the full scan can throw here (a broken install): runStaged reports its own errors.
  .catch((err: Error) => fail(`error: ${err.message}`))
  .then(exitWhenFlushed);
