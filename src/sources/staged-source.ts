// The staged source: what `git commit` would record, read from the index (not the
// work tree). By default only the lines the commit adds count.
import type { Skipped } from '../model.js';
import { compileRule } from '../detect/rules.js';
import { Detector } from '../detect/detector.js';
import { ContentScanner, originOf, skipPath } from '../scan/content.js';
import { toFinding, type Finding } from '../finding.js';
import type { CatFile } from '../git/cat-file.js';
import type { StagedFile } from '../git/staged-diff.js';
import type { Source, SourceContext, SourceOutput } from '../scan/pipeline.js';

export class StagedSource implements Source {
  constructor(
    /** Already started, so its start-up overlaps the diff; this source closes it. */
    private readonly catFile: CatFile,
    private readonly files: StagedFile[],
    private readonly allStaged: boolean,
  ) {}

  async run(ctx: SourceContext): Promise<SourceOutput> {
    const files = this.files;
    const findings: Finding[] = [];
    const skipped: Skipped[] = [];
    let bytes = 0;
    const catFile = this.catFile;
    if (files.length === 0) {
      catFile.close();
      return { findings, skipped, files: 0, bytes, notes: [] };
    }
    const content = new ContentScanner(new Detector(ctx.rules.map(compileRule)), ctx.ocr, ctx.limits);
    try {
      const blobs = catFile.request(files.map((f) => f.blob));
      for (const [i, file] of files.entries()) {
        const blob = await blobs[i]!;
        if ('missing' in blob) {
          skipped.push({ path: file.path, reason: 'staged blob missing from the object store' });
          continue;
        }
        if (blob.data.length > ctx.maxFileSize) {
          skipped.push({ path: file.path, reason: `too large (${blob.data.length} bytes > --max-file-size)` });
          continue;
        }
        bytes += blob.data.length;
        const result = await content.scan(file.path, blob.data);
        for (const skip of result.skipped) skipped.push({ path: skipPath(file.path, skip), reason: skip.reason });
        for (const f of result.found) {
          // Added lines are lines of the file itself: a picture or a document part counts whole.
          const ownLine = !f.fromImage && f.entry === undefined && f.page === undefined;
          if (ownLine && !this.allStaged && file.added && !file.added.has(f.candidate.line)) continue;
          findings.push(toFinding(f.candidate, originOf({ source: 'staged', path: file.path }, f), ctx.ruleById));
        }
      }
    } finally {
      catFile.close();
      await content.close();
    }
    return { findings, skipped, files: files.length, bytes, notes: [] };
  }
}
