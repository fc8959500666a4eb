// Scans files on disk: the walk lists them, the pool reads and detects on every core.
import { resolve } from 'node:path';
import type { Skipped } from '../model.js';
import { toFinding, type Finding } from '../finding.js';
import { scanFiles } from '../scan/pool.js';
import type { Source, SourceContext, SourceOutput } from '../scan/pipeline.js';
import { walkFiles, type FileJob, type WalkOptions } from './files.js';

export class FileSource implements Source {
  constructor(
    private readonly roots: string[],
    private readonly walk: WalkOptions,
  ) {}

  private async listFiles(): Promise<{ files: FileJob[]; skipped: Skipped[] }> {
    const files: FileJob[] = [];
    const skipped: Skipped[] = [];
    for (const root of this.roots) {
      const listed = await walkFiles(root, this.walk);
      // With several roots, paths are reported relative to the current folder.
      const prefix = this.roots.length > 1 ? root.replace(/\/+$/, '') : '';
      const rebase = (rel: string) => (prefix && prefix !== '.' ? `${prefix}/${rel}` : rel);
      files.push(...listed.files.map((f) => ({ abs: resolve(f.abs), rel: rebase(f.rel) })));
      skipped.push(...listed.skipped.map((s) => ({ ...s, path: rebase(s.path) })));
    }
    return { files, skipped };
  }

  async run(ctx: SourceContext): Promise<SourceOutput> {
    const { files, skipped } = await this.listFiles();
    const findings: Finding[] = [];
    let bytes = 0;
    const opts = {
      rules: ctx.rules,
      limits: { maxFileSize: ctx.maxFileSize },
      ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
    };
    await scanFiles(
      files.map((f) => f.abs),
      opts,
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
    findings.sort((a, b) => (a.path! < b.path! ? -1 : a.path! > b.path! ? 1 : a.line - b.line || a.column - b.column));
    return { findings, skipped, files: files.length, bytes, notes: [] };
  }
}
