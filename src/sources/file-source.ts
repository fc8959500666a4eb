// Scans files on disk: the walk lists them and the pool reads and detects on every
// core, starting while the walk is still going.
import { resolve } from 'node:path';
import type { Skipped } from '../model.js';
import { toFinding, type Finding } from '../finding.js';
import { ScanPool } from '../scan/pool.js';
import type { Source, SourceContext, SourceOutput } from '../scan/pipeline.js';
import { walkFiles, type FileJob, type WalkOptions } from './files.js';

export class FileSource implements Source {
  constructor(
    private readonly roots: string[],
    private readonly walk: WalkOptions,
  ) {}

  async run(ctx: SourceContext): Promise<SourceOutput> {
    const files: FileJob[] = [];
    const skipped: Skipped[] = [];
    const findings: Finding[] = [];
    let bytes = 0;
    const pool = new ScanPool(
      { rules: ctx.rules, limits: { maxFileSize: ctx.maxFileSize }, ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}) },
      (index, result) => {
        const file = files[index]!;
        bytes += result.bytes;
        if (!result.ok) {
          skipped.push({ path: file.rel, reason: result.reason });
          return;
        }
        for (const c of result.candidates) findings.push(toFinding(c, { source: 'file', path: file.rel }, ctx.ruleById));
      },
    );
    for (const root of this.roots) {
      // With several roots, paths are reported relative to the current folder.
      const prefix = this.roots.length > 1 ? root.replace(/\/+$/, '') : '';
      const rebase = (rel: string) => (prefix && prefix !== '.' ? `${prefix}/${rel}` : rel);
      const walked = walkFiles(root, this.walk, (f) => {
        files.push({ abs: resolve(f.abs), rel: rebase(f.rel) });
        pool.add(f.abs);
      });
      skipped.push(...walked.skipped.map((s) => ({ ...s, path: rebase(s.path) })));
    }
    await pool.finish();
    findings.sort((a, b) => (a.path! < b.path! ? -1 : a.path! > b.path! ? 1 : a.line - b.line || a.column - b.column));
    skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { findings, skipped, files: files.length, bytes, notes: [] };
  }
}
