// The history source: every blob and commit message reachable from all refs (or
// new in a range), each read once in pack order; then only the blobs that hold
// keys are traced back to the commits that introduced them.
import { availableParallelism } from 'node:os';
import type { Candidate, Skipped } from '../model.js';
import { compileRule } from '../detect/rules.js';
import { Detector, sha256Hex } from '../detect/detector.js';
import { toFinding, type Finding } from '../finding.js';
import { git } from '../git/run.js';
import { allObjectsInPackOrder, reachableObjects, type ObjectInfo } from '../git/objects.js';
import { readObjects } from '../git/read-objects.js';
import { parseCommit } from '../git/commit-object.js';
import { findIntroductions } from '../git/introductions.js';
import { CatFile } from '../git/cat-file.js';
import { ContentScanner, originOf, skipPath, type Found } from '../scan/content.js';
import { readerKind } from '../formats/kinds.js';
import { suppressionChanges } from '../git/suppression-changes.js';
import { latin1ToUtf8 } from '../git/lines.js';
import type { Source, SourceContext, SourceOutput } from '../scan/pipeline.js';

/** Blobs read and opened (OCR, readers) at once. */
const IMAGES_AT_ONCE = 8;

export interface HistoryOptions {
  /** A revision range (`origin/main..HEAD`); null for everything reachable from all refs. */
  range: string | null;
}

export class HistorySource implements Source {
  constructor(
    private readonly repoRoot: string,
    private readonly opts: HistoryOptions,
  ) {}

  private revisions(): string[] {
    return this.opts.range ? [this.opts.range] : ['--all'];
  }

  private async notes(): Promise<string[]> {
    const shallow = await git(['rev-parse', '--is-shallow-repository'], this.repoRoot);
    const notes =
      shallow.stdout.toString().trim() === 'true'
        ? ['shallow clone: only the commits present were scanned (fetch with --unshallow for the whole history)']
        : [];
    if (this.opts.range) notes.push(...(await suppressionChanges(this.repoRoot, this.opts.range)));
    return notes;
  }

  /** Reachable blobs and commits, in pack order. */
  private async objectsToRead(skipped: Skipped[]): Promise<{ objects: ObjectInfo[]; blobPaths: Map<string, string> }> {
    const [reachable, all] = await Promise.all([
      reachableObjects(this.repoRoot, this.revisions()),
      allObjectsInPackOrder(this.repoRoot),
    ]);
    for (const id of reachable.missing) skipped.push({ path: `object ${id}`, reason: 'missing from the repository (damaged or partial clone)' });
    const objects = all.filter((o) => (o.type === 'blob' ? reachable.blobPaths.has(o.id) : reachable.commits.has(o.id)));
    return { objects, blobPaths: reachable.blobPaths };
  }

  async run(ctx: SourceContext): Promise<SourceOutput> {
    const skipped: Skipped[] = [];
    const [notes, { objects, blobPaths }] = await Promise.all([this.notes(), this.objectsToRead(skipped)]);
    const detector = new Detector(ctx.rules.map(compileRule));
    const content = new ContentScanner(detector, ctx.ocr, ctx.limits);
    const blobKeys = new Map<string, Found[]>();
    const readerBlobs: string[] = [];
    const findings: Finding[] = [];
    let bytes = 0;

    const toRead: string[] = [];
    const types = new Map<string, ObjectInfo['type']>();
    for (const o of objects) {
      if (o.size > ctx.maxFileSize) {
        skipped.push({ path: `${latin1ToUtf8(blobPaths.get(o.id) ?? o.id)} (blob ${o.id.slice(0, 12)})`, reason: `too large (${o.size} bytes > --max-file-size)` });
        continue;
      }
      toRead.push(o.id);
      types.set(o.id, o.type);
    }

    let read = 0;
    await readObjects(this.repoRoot, toRead, Math.max(1, availableParallelism()), (obj) => {
      if (++read % 512 === 0) ctx.onProgress?.(read, bytes);
      if ('missing' in obj) {
        skipped.push({ path: `object ${obj.id}`, reason: 'missing from the repository (damaged or partial clone)' });
        return;
      }
      bytes += obj.data.length;
      if (types.get(obj.id) === 'commit') {
        findings.push(...this.scanMessage(obj.id, obj.data, detector, ctx));
        return;
      }
      const name = latin1ToUtf8(blobPaths.get(obj.id) ?? '');
      if (content.needsReader(name) || readerKind(name, obj.data)) {
        readerBlobs.push(obj.id);
        return;
      }
      const found = detector.scan(obj.data);
      if (found.length > 0) blobKeys.set(obj.id, found.map((candidate) => ({ candidate, fromImage: false })));
    });
    try {
      await this.readContainers(readerBlobs, blobPaths, content, blobKeys, skipped);
    } finally {
      await content.close();
    }

    if (blobKeys.size > 0) findings.push(...(await this.attribute(blobKeys, ctx)));
    return { findings, skipped, files: toRead.length, bytes, notes };
  }

  /** Blobs that need a reader or OCR, read again a few at a time, since those are asynchronous and slow. */
  private async readContainers(
    ids: string[],
    blobPaths: Map<string, string>,
    content: ContentScanner,
    blobKeys: Map<string, Found[]>,
    skipped: Skipped[],
  ): Promise<void> {
    if (ids.length === 0) return;
    const cat = new CatFile(this.repoRoot);
    try {
      for (let i = 0; i < ids.length; i += IMAGES_AT_ONCE) {
        const batch = cat.request(ids.slice(i, i + IMAGES_AT_ONCE));
        await Promise.all(
          batch.map(async (pending) => {
            const obj = await pending;
            if ('missing' in obj) return;
            const path = latin1ToUtf8(blobPaths.get(obj.id) ?? obj.id);
            const result = await content.scan(path, obj.data);
            for (const skip of result.skipped) skipped.push({ path: `${skipPath(path, skip)} (blob ${obj.id.slice(0, 12)})`, reason: skip.reason });
            if (result.found.length > 0) blobKeys.set(obj.id, result.found);
          }),
        );
      }
    } finally {
      cat.close();
    }
  }

  private scanMessage(id: string, data: Buffer, detector: Detector, ctx: SourceContext): Finding[] {
    const commit = parseCommit(data);
    return detector
      .scan(data.subarray(commit.messageStart))
      .map((c) => toFinding(c, { source: 'commit-message', path: null, commit: id, author: commit.author, date: commit.date }, ctx.ruleById));
  }

  /** Findings at each commit and path where a key entered history. */
  private async attribute(blobKeys: Map<string, Found[]>, ctx: SourceContext): Promise<Finding[]> {
    const keysOfBlob = new Map<string, string[]>();
    const blobsOfKey = new Map<string, Set<string>>();
    for (const [blob, found] of blobKeys) {
      const shas = [...new Set(found.map((f) => sha256Hex(f.candidate.key)))];
      keysOfBlob.set(blob, shas);
      for (const sha of shas) {
        if (!blobsOfKey.has(sha)) blobsOfKey.set(sha, new Set());
        blobsOfKey.get(sha)!.add(blob);
      }
    }
    const introductions = await findIntroductions(
      this.repoRoot,
      this.revisions(),
      (blob) => keysOfBlob.get(blob),
      (sha) => blobsOfKey.get(sha) ?? new Set(),
    );
    const findings: Finding[] = [];
    for (const intro of introductions) {
      const introduced = new Set(intro.keys);
      for (const f of blobKeys.get(intro.blob) ?? []) {
        if (!introduced.has(sha256Hex(f.candidate.key))) continue;
        const { id: commit, author, date } = intro.commit;
        findings.push(toFinding(f.candidate, originOf({ source: 'history', path: intro.path, commit, author, date }, f), ctx.ruleById));
      }
    }
    return findings;
  }
}
