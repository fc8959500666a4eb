// `spreeflo-scan scan [PATH…]`: files on disk.
import { statSync } from 'node:fs';
import type { CommonOptions } from './flags.js';
import { prepareScan } from './options.js';
import { FileSource } from '../sources/file-source.js';
import { checkRoot } from '../sources/files.js';
import { runPipeline } from '../scan/pipeline.js';
import { createProgress } from './progress.js';
import { emitReport } from './emit.js';
import { UsageError } from '../errors.js';
import { maskKeys } from '../detect/names.js';
import { forTerminal } from '../report/printed.js';
import { defaultCacheDir, ownCacheFolder } from '../scan/images.js';
import { frameworkHookAdvice } from '../report/blocked.js';

export interface ScanOptions extends CommonOptions {
  exclude?: string[];
  include?: string[];
  gitignore?: boolean;
  followSymlinks?: boolean;
  includeDeps?: boolean;
  maxFileSize?: number;
  writeRedacted?: string;
  stdinName?: string;
  /** Run by the pre-commit framework: a blocked result is worded for its commit or push. */
  hook?: boolean;
}

export async function scanCommand(paths: string[], opts: ScanOptions): Promise<number> {
  const roots = paths.length ? paths : ['.'];
  // `-` is standard input, which can be read once.
  if (roots.filter((r) => r === '-').length > 1) throw new UsageError('standard input (-) can be named once');
  for (const root of roots) if (root !== '-') checkRoot(root);
  const home = roots[0] !== '-' && statSync(roots[0]!).isDirectory() ? roots[0]! : '.';
  const redact = opts.writeRedacted ? await import('../report/redact-images.js') : null;
  if (redact) {
    if (opts.ocr === false) throw new UsageError('--write-redacted needs OCR to find the keys in pictures: drop --no-ocr');
    redact.checkRedactDir(opts.writeRedacted!, roots);
  }
  const progress = createProgress(opts.progress);
  const setup = await prepareScan(home, opts, {
    ...(opts.maxFileSize ? { maxFileSize: opts.maxFileSize } : {}),
    onProgress: (files, bytes) => progress.update(files, bytes),
  });
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
  const result = await runPipeline({ sources: [source], ...setup });
  progress.stop();
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
