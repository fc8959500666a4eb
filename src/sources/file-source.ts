// Scans files on disk: the walk lists them and the pool reads and detects on every
// core, starting while the walk is still going.
import type { Skipped } from '../model.js';
import { toFinding, type Finding } from '../finding.js';
import { ScanPool } from '../scan/pool.js';
import type { Source, SourceContext, SourceOutput } from '../scan/pipeline.js';
import { walkFiles, type FileJob, type WalkOptions } from './files.js';
import { readFile, stat } from 'node:fs/promises';
import { readdirSync, statSync } from 'node:fs';
import pLimit from 'p-limit';
import { ContentScanner, originOf, skipPath } from '../scan/content.js';
import { compileRule } from '../detect/rules.js';
import { Detector } from '../detect/detector.js';

/** Files read at once: enough to keep every OCR worker busy, few enough to bound memory. */
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
    const readers = new ReaderFiles(ctx, findings, skipped);
    const pool = new ScanPool(
      { rules: ctx.rules, limits: { maxFileSize: ctx.maxFileSize }, ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}) },
      (index, result) => {
        const file = files[index]!;
        bytes += result.bytes;
        if (!result.ok) {
          if (result.deferred) {
            readers.deferred++;
            readers.add(file);
          }
          else skipped.push({ path: file.rel, reason: result.reason });
          return;
        }
        for (const c of result.candidates) findings.push(toFinding(c, { source: 'file', path: file.rel }, ctx.ruleById));
        if (result.unread) skipped.push({ path: file.rel, reason: result.unread });
      },
    );
    if (this.roots.some(looksBig)) pool.warmUp();
    for (const root of this.roots) {
      // With several roots, paths are reported relative to the current folder.
      // A file root is already reported relative to the current folder.
      const prefix = this.roots.length > 1 && statSync(root).isDirectory() ? root.replace(/\/+$/, '') : '';
      const rebase = (rel: string) => (prefix && prefix !== '.' ? `${prefix}/${rel}` : rel);
      const walked = await walkFiles(root, this.walk, (f) => {
        const file = { abs: f.abs, rel: rebase(f.rel) };
        if (readers.wants(file.rel)) {
          readers.add(file);
          return;
        }
        files.push(file);
        pool.add(f.abs);
      });
      skipped.push(...walked.skipped.map((s) => ({ ...s, path: rebase(s.path) })));
    }
    // Readers first: the main thread opens documents and pictures while the workers
    // scan, then helps them with what is left; files a worker hands back come last.
    // Not `bytes += await …`: that reads `bytes` before the await and drops
    // whatever the workers' results added meanwhile.
    const early = await readers.settle();
    await pool.finish();
    const late = await readers.settle();
    bytes += early + late;
    await readers.close();
    findings.sort((a, b) => (a.path! < b.path! ? -1 : a.path! > b.path! ? 1 : a.line - b.line || a.column - b.column));
    skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { findings, skipped, files: files.length + readers.count - readers.deferred, bytes, notes: [] };
  }
}

/** A folder with many entries or subfolders at its top: worth starting the workers before the walk. */
function looksBig(root: string): boolean {
  try {
    const entries = readdirSync(root, { withFileTypes: true });
    return entries.length >= 16 || entries.filter((e) => e.isDirectory()).length >= 4;
  } catch {
    return false;
  }
}

/**
 * Files that need more than the detector (pictures, archives, documents, videos),
 * read on the main thread a few at a time while the workers scan the rest.
 */
class ReaderFiles {
  private readonly limit = pLimit(IMAGES_IN_FLIGHT);
  private readonly jobs: Promise<number>[] = [];
  private readonly scanner: ContentScanner;
  count = 0;
  /** Files the workers handed back because they turned out to need a reader. */
  deferred = 0;

  constructor(
    private readonly ctx: SourceContext,
    private readonly findings: Finding[],
    private readonly skipped: Skipped[],
  ) {
    this.scanner = new ContentScanner(new Detector(ctx.rules.map(compileRule)), ctx.ocr, ctx.limits);
  }

  wants(name: string): boolean {
    return this.scanner.needsReader(name);
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
    for (const f of result.found) {
      this.findings.push(toFinding(f.candidate, originOf({ source: 'file', path: file.rel }, f), this.ctx.ruleById));
    }
    for (const skip of result.skipped) this.skipped.push({ path: skipPath(file.rel, skip), reason: skip.reason });
    return data.length;
  }

  /** Waits for every file added so far; returns the bytes they held. */
  async settle(): Promise<number> {
    const sizes = await Promise.all(this.jobs.splice(0));
    return sizes.reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    await this.scanner.close();
  }
}
