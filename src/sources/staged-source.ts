// The staged source: what `git commit` would record, read from the index (not the
// work tree). By default only the lines the commit adds count.
import type { Skipped } from '../model.js';
import { compileRule } from '../detect/rules.js';
import { Detector } from '../detect/detector.js';
import { NameScanner } from '../detect/names.js';
import { ContentScanner, originOf, skippedAt } from '../scan/content.js';
import { toFinding, type Finding } from '../finding.js';
import { CatFile, type CatFileResult } from '../git/cat-file.js';
import { git } from '../git/run.js';
import type { StagedFile } from '../git/staged-diff.js';
import { LfsStore, lfsPointer } from '../git/lfs.js';
import type { Source, SourceContext, SourceOutput } from '../scan/pipeline.js';

export class StagedSource implements Source {
  constructor(
    private readonly repoRoot: string,
    private readonly files: StagedFile[],
    private readonly allStaged: boolean,
  ) {}

  /** Text files came whole with the diff; only the others (binary, pictures) are read from git. */
  private blobsToRead(): Map<string, Promise<CatFileResult>> {
    const wanted = this.files.filter((f) => !f.content);
    if (wanted.length === 0) return new Map();
    const cat = new CatFile(this.repoRoot);
    const pending = cat.request(wanted.map((f) => f.blob));
    cat.close();
    return new Map(wanted.map((f, i) => [f.blob, pending[i]!]));
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
    const lfs = new LfsStore(this.repoRoot);
    try {
      for (const file of this.files) {
        for (const { name, candidate } of names.scan(file.path)) {
          if (await this.addsName(name)) findings.push(toFinding(candidate, { source: 'staged', path: name, inName: true }, ctx.ruleById));
        }
        const staged = file.content ? { data: file.content } : await blobs.get(file.blob)!;
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
          // Added lines are lines of the file itself: a picture or a document part counts whole.
          const ownLine = !f.fromImage && f.entry === undefined && f.page === undefined;
          if (ownLine && !this.allStaged && added && !added.has(f.candidate.line)) continue;
          findings.push(toFinding(f.candidate, originOf({ source: 'staged', path: file.path }, f), ctx.ruleById));
        }
      }
    } finally {
      await content.close();
    }
    return { findings, skipped, files: this.files.length, bytes, notes: [] };
  }
}
