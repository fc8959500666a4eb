// `spreeflo-scan scan [PATH…]`: files on disk.
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CommonOptions } from './flags.js';
import { prepareScan, type ScanSetup } from './options.js';
import { FileSource } from '../sources/file-source.js';
import { checkRoot } from '../sources/files.js';
import { runPipeline, type ScanResult } from '../scan/pipeline.js';
import { createProgress } from './progress.js';
import { emitReport } from './emit.js';
import { UsageError } from '../errors.js';
import { maskKeys } from '../detect/names.js';
import { forTerminal } from '../report/printed.js';
import { defaultCacheDir, ownCacheFolder } from '../scan/images.js';
import { frameworkHookAdvice } from '../report/blocked.js';
import { printable } from '../sources/names.js';

const MISSING = 'listed in --files-from but not found (a deleted file? git diff --diff-filter=d leaves those out)';

/**
 * The paths a --files-from list names, split into those that exist and those that do not:
 * a missing one is not read, which fails the run (a gate), never a silent skip. A listed
 * `-` is a file of that name; empty entries (a trailing newline) name nothing.
 */
function readList(file: string, nul: boolean): { found: string[]; missing: string[] } {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot read --files-from ${printable(file)}: ${code === 'ENOENT' ? 'not found' : message}`);
  }
  const entries = text.split(nul ? '\0' : '\n').filter((p) => p !== '').map((p) => (p === '-' ? './-' : p));
  const found: string[] = [];
  const missing: string[] = [];
  for (const path of entries) (isMissing(path) ? missing : found).push(path);
  return { found, missing };
}

/** Not there at all (a broken symlink is there: the scan reports it); other errors are checkRoot's to word. */
function isMissing(path: string): boolean {
  try {
    lstatSync(path);
    return false;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR';
  }
}

export interface ScanOptions extends CommonOptions {
  exclude?: string[];
  include?: string[];
  gitignore?: boolean;
  followSymlinks?: boolean;
  includeDeps?: boolean;
  maxFileSize?: number;
  writeRedacted?: string;
  stdinName?: string;
  /** A file listing more paths to scan (`-`: standard input), one a line, or NUL-separated with `null`. */
  filesFrom?: string;
  null?: boolean;
  /** Run by the pre-commit framework: a blocked result is worded for its commit or push. */
  hook?: boolean;
}

/**
 * The paths a scan reads: those named and those a --files-from list holds, else (no list)
 * the current folder; `-` (standard input, which can be read once) at most once.
 */
export function rootsOf(paths: string[], listed: string[] | null = null, stdinList = false): string[] {
  // A list (of changed files) that is empty scans nothing, never the whole folder.
  const named = listed ? [...paths, ...listed] : paths;
  const roots = named.length || listed ? named : ['.'];
  if (roots.filter((r) => r === '-').length + Number(stdinList) > 1) throw new UsageError('standard input (-) can be named once');
  for (const root of roots) if (root !== '-') checkRoot(root);
  return outermost(roots);
}

/**
 * The roots less those inside another root or named twice (`scan /usr/share
 * /usr/share/go-1.19/src`): their files would be read, counted and reported twice.
 * Ancestors are looked up in a set, as a --files-from list can hold many thousands.
 */
function outermost(roots: string[]): string[] {
  const named = new Set(roots.filter((r) => r !== '-').map((r) => resolve(r)));
  const kept = new Set<string>();
  return roots.filter((root) => {
    if (root === '-') return true;
    const abs = resolve(root);
    if (kept.has(abs)) return false;
    for (let up = abs; up !== dirname(up); ) {
      up = dirname(up);
      if (named.has(up)) return false;
    }
    kept.add(abs);
    return true;
  });
}

/** The folder whose config and ignore file apply: the first path when it is a folder, else the current one. */
function homeOf(roots: string[]): string {
  return roots[0] !== undefined && roots[0] !== '-' && statSync(roots[0]).isDirectory() ? roots[0] : '.';
}

export interface ScanRun {
  onProgress?: (files: number, bytes: number) => void;
  /** What was not read fails the run. */
  gate?: boolean;
  /** Told the settings before anything is read: it may refuse them (throw). */
  check?: (setup: ScanSetup) => void;
}

/** The scan itself, reporting nothing: the command line's and the library's. */
export async function scanRoots(roots: string[], opts: ScanOptions, run: ScanRun = {}): Promise<{ result: ScanResult; setup: ScanSetup; source: FileSource }> {
  const setup = await prepareScan(homeOf(roots), opts, {
    ...(opts.maxFileSize ? { maxFileSize: opts.maxFileSize } : {}),
    ...(run.onProgress ? { onProgress: run.onProgress } : {}),
    gate: run.gate === true,
    ...(opts.hook ? { hook: true } : {}),
  });
  run.check?.(setup);
  const { config } = setup;
  const source = new FileSource(roots, {
    include: [...config.include, ...(opts.include ?? [])],
    exclude: [...config.exclude, ...(opts.exclude ?? [])],
    gitignore: opts.gitignore ?? config.gitignore,
    followSymlinks: opts.followSymlinks ?? config.followSymlinks,
    includeDeps: opts.includeDeps ?? config.includeDeps,
    // Left out even with --no-cache: it is the same folder, holding nothing to find.
    skipFolders: ownCacheFolder(opts.cacheDir ?? defaultCacheDir()),
  }, opts.stdinName);
  return { result: await runPipeline({ sources: [source], ...setup }), setup, source };
}

export async function scanCommand(paths: string[], opts: ScanOptions): Promise<number> {
  if (opts.null && opts.filesFrom === undefined) throw new UsageError('-z (--null) says how a --files-from list is separated: give --files-from too');
  const listed = opts.filesFrom === undefined ? null : readList(opts.filesFrom, opts.null === true);
  const roots = rootsOf(paths, listed?.found ?? null, opts.filesFrom === '-');
  const redact = opts.writeRedacted ? await import('../report/redact-images.js') : null;
  if (redact) redact.checkRedactDir(opts.writeRedacted!, roots);
  const progress = createProgress(opts.progress);
  // Stopped even when the settings are refused: no progress line is left on the terminal.
  const { result, setup, source } = await scanRoots(roots, opts, {
    onProgress: (files, bytes) => progress.update(files, bytes),
    // A list of changed files is a gate, as `staged` is: what was not read fails it.
    gate: listed !== null,
    check: (settings) => {
      if (redact && settings.context.ocr === null) {
        throw new UsageError('--write-redacted needs OCR to find the keys in pictures: drop --no-ocr, or give --ocr over the config\'s `ocr: false`');
      }
    },
  }).finally(() => progress.stop());
  for (const path of listed?.missing ?? []) result.skipped.push({ path: printable(path), reason: MISSING });
  if (redact) {
    const outcome = await redact.writeRedactedCopies({
      findings: result.findings,
      suppressed: result.suppressed.map((s) => s.finding),
      locate: (path) => source.locate(path),
      copyName: (path) => maskKeys(path, setup.rules),
      dir: opts.writeRedacted!,
    });
    const lines = redact.describeOutcome(outcome, opts.writeRedacted!);
    result.notes.push(...lines);
    const shown = opts.showSecrets ? lines : lines.map((line) => maskKeys(line, setup.rules));
    if (opts.output || opts.format !== 'text') for (const line of shown) process.stderr.write(`spreeflo-scan: ${forTerminal(line)}\n`);
  }
  return emitReport(result, setup, opts, opts.hook ? frameworkHookAdvice(process.env) : undefined, roots);
}
