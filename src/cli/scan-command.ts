// `spreeflo-scan scan [PATH…]`: files on disk.
import { statSync } from 'node:fs';
import type { CommonOptions } from './flags.js';
import { prepareScan } from './options.js';
import { FileSource } from '../sources/file-source.js';
import { runPipeline } from '../scan/pipeline.js';
import { createProgress } from './progress.js';
import { emitReport } from './emit.js';
import { UsageError } from '../errors.js';

export interface ScanOptions extends CommonOptions {
  exclude?: string[];
  include?: string[];
  gitignore?: boolean;
  followSymlinks?: boolean;
  maxFileSize?: number;
}

export async function scanCommand(paths: string[], opts: ScanOptions): Promise<number> {
  const roots = paths.length ? paths : ['.'];
  for (const root of roots) {
    try {
      statSync(root);
    } catch {
      throw new UsageError(`path not found: ${root}`);
    }
  }
  const home = statSync(roots[0]!).isDirectory() ? roots[0]! : '.';
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
  });
  const result = await runPipeline({ sources: [source], ...setup });
  progress.stop();
  return emitReport(result, setup.rules, opts);
}
