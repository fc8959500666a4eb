// The staged source: what `git commit` would record, read from the index (not the
// work tree). By default only the lines the commit adds count.
import { closeSync, openSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { basename, join } from 'node:path';
import { unreadFlag, type Skipped } from '../model.js';
import { compileRule } from '../detect/rules.js';
import { Detector } from '../detect/detector.js';
import { NameScanner } from '../detect/names.js';
import { ContentScanner, originOf, skippedAt, type Found } from '../scan/content.js';
import { FileScanner, type FileScan } from '../scan/read-file.js';
import { makeTempDir, removeTempDir } from '../scan/temp-dirs.js';
import { toFinding, type Finding } from '../finding.js';
import { CatFile, type CatFileResult } from '../git/cat-file.js';
import { git, gitSpawnError } from '../git/run.js';
import type { LineRuns, StagedFile } from '../git/staged-diff.js';
import { LfsStore, lfsPointer } from '../git/lfs.js';
import type { Source, SourceContext, SourceOutput } from '../scan/pipeline.js';

export class StagedSource implements Source {
  constructor(
    private readonly repoRoot: string,
    private readonly files: StagedFile[],
    private readonly allStaged: boolean,
  ) {}

  /**
   * Text files came whole with the diff; only the others (binary, pictures) are read
   * from git, all asked for at once. A large text file is not: it is read on its own.
   */
  private blobsToRead(): Map<string, Promise<CatFileResult>> {
    const wanted = this.files.filter((f) => !f.content && !f.large);
    if (wanted.length === 0) return new Map();
    const pending = this.readBlobs(wanted.map((f) => f.blob));
    return new Map(wanted.map((f, i) => [f.blob, pending[i]!]));
  }

  private readBlobs(ids: string[]): Promise<CatFileResult>[] {
    const cat = new CatFile(this.repoRoot);
    const pending = cat.request(ids);
    cat.close();
    return pending;
  }

  /**
   * A text file too large to hold (see StagedFile.large): its blob is written by git to
   * a file of the same name in a temporary folder and searched there as `scan` searches
   * a big file, in chunks; null when it needs a reader (a page, a picture), which opens
   * it whole. Never the blob and its patch in memory at once.
   */
  private async scanLarge(file: StagedFile, scanner: FileScanner, maxFileSize: number): Promise<Exclude<FileScan, { deferred: true }> | Skipped | null> {
    const dir = await makeTempDir();
    try {
      const copy = join(dir, basename(file.path));
      const fd = openSync(copy, 'w');
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn('git', ['cat-file', 'blob', file.blob], { cwd: this.repoRoot, stdio: ['ignore', fd, 'ignore'] });
        child.on('error', (e: NodeJS.ErrnoException) => reject(gitSpawnError(e)));
        child.on('close', resolve);
      }).finally(() => closeSync(fd));
      if (code !== 0) return { path: file.path, reason: 'staged blob missing from the object store' };
      const { size } = statSync(copy);
      if (size > maxFileSize) return { path: file.path, reason: `too large (${size} bytes > --max-file-size)` };
      const scan = scanner.scan(copy);
      return 'deferred' in scan && scan.deferred ? null : scan;
    } finally {
      await removeTempDir(dir);
    }
  }

  /** Whether a key found in the file is one the commit brings in. */
  private adds(f: Found, added: LineRuns | null): boolean {
    // Added lines are lines of the file itself: a picture or a document part counts whole.
    const ownLine = !f.fromImage && f.entry === undefined && f.page === undefined;
    return !ownLine || this.allStaged || !added || added.has(f.candidate.line);
  }

  /**
   * Whether the commit brings this file or folder name in: a name HEAD already has
   * is `history`'s business, as a key on a line the commit does not add is.
   * Asked only for names that hold keys.
   */
  private async addsName(name: string): Promise<boolean> {
    if (this.allStaged) return true;
    return (await git(['cat-file', '-e', `HEAD:${name}`], this.repoRoot)).code !== 0;
  }

  async run(ctx: SourceContext): Promise<SourceOutput> {
    const findings: Finding[] = [];
    const skipped: Skipped[] = [];
    let bytes = 0;
    if (this.files.length === 0) return { findings, skipped, files: 0, bytes, notes: [] };
    const blobs = this.blobsToRead();
    const detector = new Detector(ctx.rules.map(compileRule));
    const content = new ContentScanner(detector, ctx.ocr, ctx.limits);
    const names = new NameScanner(detector);
    const files = new FileScanner(detector, { maxFileSize: ctx.maxFileSize }, { images: ctx.ocr !== null });
    const lfs = new LfsStore(this.repoRoot);
    try {
      for (const file of this.files) {
        for (const { name, candidate } of names.scan(file.path)) {
          if (await this.addsName(name)) findings.push(toFinding(candidate, { source: 'staged', path: name, inName: true }, ctx.ruleById));
        }
        if (file.large) {
          const scan = await this.scanLarge(file, files, ctx.maxFileSize);
          if (scan && 'path' in scan) skipped.push(scan);
          else if (scan && !scan.ok) skipped.push({ path: file.path, reason: scan.reason, ...unreadFlag(scan) });
          else if (scan) {
            bytes += scan.bytes;
            if (scan.unread) skipped.push({ path: file.path, reason: scan.unread });
            for (const candidate of scan.candidates) {
              if (this.adds({ candidate, fromImage: false }, file.added)) findings.push(toFinding(candidate, { source: 'staged', path: file.path }, ctx.ruleById));
            }
          }
          if (scan) continue;
        }
        const staged = file.content ? { data: file.content } : await (blobs.get(file.blob) ?? this.readBlobs([file.blob])[0]!);
        if ('missing' in staged) {
          skipped.push({ path: file.path, reason: 'staged blob missing from the object store' });
          continue;
        }
        // An LFS pointer is committed in place of the content `git add` stored locally;
        // the pointer's diff says nothing about the content's lines, so every line counts.
        const pointer = lfsPointer(staged.data);
        const blob = pointer ? await lfs.read(pointer, ctx.maxFileSize) : staged;
        const added = pointer ? null : file.added;
        if ('skip' in blob) {
          skipped.push({ path: file.path, reason: blob.skip });
          continue;
        }
        if (blob.data.length > ctx.maxFileSize) {
          skipped.push({ path: file.path, reason: `too large (${blob.data.length} bytes > --max-file-size)` });
          continue;
        }
        bytes += blob.data.length;
        const result = await content.scan(file.path, blob.data);
        for (const skip of result.skipped) skipped.push(skippedAt(file.path, skip));
        for (const f of result.found) {
          if (this.adds(f, added)) findings.push(toFinding(f.candidate, originOf({ source: 'staged', path: file.path }, f), ctx.ruleById));
        }
      }
    } finally {
      await content.close();
    }
    return { findings, skipped, files: this.files.length, bytes, notes: [] };
  }
}
