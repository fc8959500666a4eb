// Scans files on disk: the walk lists them and the pool reads and detects on every
// core, starting while the walk is still going.
import { resolve } from 'node:path';
import type { Skipped } from '../model.js';
import { toFinding, type Finding } from '../finding.js';
import { ScanPool } from '../scan/pool.js';
import type { Source, SourceContext, SourceOutput } from '../scan/pipeline.js';
import { walkFiles, type FileJob, type WalkOptions } from './files.js';
import { readFile, stat } from 'node:fs/promises';
import pLimit from 'p-limit';
import { isImagePath } from '../formats/kinds.js';
import { ContentScanner } from '../scan/images.js';
import { compileRule } from '../detect/rules.js';
import { Detector } from '../detect/detector.js';

/** Images read at once: enough to keep every OCR worker busy, few enough to bound memory. */
const IMAGES_IN_FLIGHT = 8;

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
    const images = new ImageFiles(ctx, findings, skipped);
    for (const root of this.roots) {
      // With several roots, paths are reported relative to the current folder.
      const prefix = this.roots.length > 1 ? root.replace(/\/+$/, '') : '';
      const rebase = (rel: string) => (prefix && prefix !== '.' ? `${prefix}/${rel}` : rel);
      const walked = walkFiles(root, this.walk, (f) => {
        const file = { abs: resolve(f.abs), rel: rebase(f.rel) };
        if (ctx.ocr && isImagePath(file.rel)) {
          images.add(file);
          return;
        }
        files.push(file);
        pool.add(f.abs);
      });
      skipped.push(...walked.skipped.map((s) => ({ ...s, path: rebase(s.path) })));
    }
    await pool.finish();
    bytes += await images.finish();
    findings.sort((a, b) => (a.path! < b.path! ? -1 : a.path! > b.path! ? 1 : a.line - b.line || a.column - b.column));
    skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { findings, skipped, files: files.length + images.count, bytes, notes: [] };
  }
}

/** Image files, read through the image scanner (OCR) a few at a time while the rest is scanned. */
class ImageFiles {
  private readonly limit = pLimit(IMAGES_IN_FLIGHT);
  private readonly jobs: Promise<number>[] = [];
  private readonly scanner: ContentScanner;
  count = 0;

  constructor(
    private readonly ctx: SourceContext,
    private readonly findings: Finding[],
    private readonly skipped: Skipped[],
  ) {
    this.scanner = new ContentScanner(new Detector(ctx.rules.map(compileRule)), ctx.ocr);
  }

  add(file: FileJob): void {
    this.count++;
    this.jobs.push(this.limit(() => this.scan(file)));
  }

  private async scan(file: FileJob): Promise<number> {
    let data: Buffer;
    try {
      const info = await stat(file.abs);
      if (info.size > this.ctx.maxFileSize) {
        this.skipped.push({ path: file.rel, reason: `too large (${info.size} bytes > --max-file-size)` });
        return 0;
      }
      data = await readFile(file.abs);
    } catch (err) {
      this.skipped.push({ path: file.rel, reason: `unreadable (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      return 0;
    }
    const result = await this.scanner.scan(file.rel, data);
    for (const { candidate, fromImage } of result.found) {
      this.findings.push(toFinding(candidate, { source: fromImage ? 'image' : 'file', path: file.rel }, this.ctx.ruleById));
    }
    if (result.skipped) this.skipped.push({ path: file.rel, reason: result.skipped });
    return data.length;
  }

  /** Waits for every image; returns the bytes read. */
  async finish(): Promise<number> {
    const sizes = await Promise.all(this.jobs);
    await this.scanner.close();
    return sizes.reduce((a, b) => a + b, 0);
  }
}
