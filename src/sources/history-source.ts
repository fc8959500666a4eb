// The history source: every blob and commit message in the repository (or new in a
// range), each read once in pack order; beside it, one `git log --raw` walk, from
// which only the blobs that hold keys are traced to the commits that introduced them.
import { availableParallelism } from 'node:os';
import type { Skipped } from '../model.js';
import { compileRule } from '../detect/rules.js';
import { Detector, sha256Hex } from '../detect/detector.js';
import { toFinding, type Finding } from '../finding.js';
import { git } from '../git/run.js';
import { allObjectsInPackOrder, reachableCommits, reachableObjects, type ObjectInfo } from '../git/objects.js';
import { readObjects } from '../git/read-objects.js';
import { parseCommit } from '../git/commit-object.js';
import { ChangeLog } from '../git/introductions.js';
import { CatFile } from '../git/cat-file.js';
import { suppressionChanges } from '../git/suppression-changes.js';
import { ContentScanner, originOf, skipPath, type Found } from '../scan/content.js';
import type { Source, SourceContext, SourceOutput } from '../scan/pipeline.js';

/** Blobs read and opened (OCR, readers) at once. */
const CONTAINERS_AT_ONCE = 8;

export interface HistoryOptions {
  /** A revision range (`origin/main..HEAD`); null for everything reachable from all refs. */
  range: string | null;
}

/** Something in a blob that could not be read; its path is known once the log walk names the blob. */
interface BlobSkip {
  blob: string;
  entry?: string;
  reason: string;
}

interface Listing {
  /** Blobs and commits to read, in pack order. */
  objects: ObjectInfo[];
  /** Every blob the repository holds (to tell a missing one). */
  blobs: Set<string>;
  /** The commits history reaches: a message counts only in those (known later, so reading need not wait). */
  commits: Promise<Set<string>>;
}

function blobIds(objects: ObjectInfo[]): Set<string> {
  return new Set(objects.filter((o) => o.type === 'blob').map((o) => o.id));
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

  /**
   * What to read. The whole history: every blob in the object store (a blob no ref
   * reaches never gets a commit, so it is not reported) and the commits the refs
   * reach. A range: only what its commits added.
   */
  private async listing(): Promise<Listing> {
    if (!this.opts.range) {
      const commits = reachableCommits(this.repoRoot, this.revisions());
      commits.catch(() => undefined);
      const all = await allObjectsInPackOrder(this.repoRoot);
      return { objects: all, blobs: blobIds(all), commits };
    }
    const [all, reachable] = await Promise.all([allObjectsInPackOrder(this.repoRoot), reachableObjects(this.repoRoot, this.revisions())]);
    return {
      objects: all.filter((o) => (o.type === 'blob' ? reachable.blobPaths.has(o.id) : reachable.commits.has(o.id))),
      blobs: blobIds(all),
      commits: Promise.resolve(reachable.commits),
    };
  }

  async run(ctx: SourceContext): Promise<SourceOutput> {
    const changes = new ChangeLog(this.repoRoot, this.revisions());
    try {
      return await this.scan(ctx, changes);
    } catch (err) {
      changes.stop();
      throw err;
    }
  }

  private async scan(ctx: SourceContext, changes: ChangeLog): Promise<SourceOutput> {
    const skipped: Skipped[] = [];
    const [notes, { objects, blobs, commits }] = await Promise.all([this.notes(), this.listing()]);
    const detector = new Detector(ctx.rules.map(compileRule));
    const content = new ContentScanner(detector, ctx.ocr, ctx.limits);
    const blobKeys = new Map<string, Found[]>();
    const readerBlobs: string[] = [];
    const findings: Finding[] = [];
    let bytes = 0;

    const toRead: string[] = [];
    const types = new Map<string, ObjectInfo['type']>();
    const blobSkips: BlobSkip[] = [];
    for (const o of objects) {
      if (o.size > ctx.maxFileSize) {
        blobSkips.push({ blob: o.id, reason: `too large (${o.size} bytes > --max-file-size)` });
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
      if (content.needsReaderForData(obj.data)) {
        readerBlobs.push(obj.id);
        return;
      }
      const found = detector.scan(obj.data);
      if (found.length > 0) blobKeys.set(obj.id, found.map((candidate) => ({ candidate, fromImage: false })));
    });
    try {
      await this.readContainers(readerBlobs, content, blobKeys, blobSkips);
    } finally {
      await content.close();
    }

    // Messages of commits no ref reaches (amended, rebased away) are not history.
    const reached = await commits;
    findings.splice(0, findings.length, ...findings.filter((f) => f.source !== 'commit-message' || reached.has(f.commit!)));
    findings.push(...(await this.attribute(blobKeys, changes, blobs, blobSkips, skipped, notes, ctx)));
    return { findings, skipped, files: toRead.length, bytes, notes };
  }

  /** Blobs that need a reader or OCR, read again a few at a time, since those are asynchronous and slow. */
  private async readContainers(ids: string[], content: ContentScanner, blobKeys: Map<string, Found[]>, blobSkips: BlobSkip[]): Promise<void> {
    if (ids.length === 0) return;
    const cat = new CatFile(this.repoRoot);
    try {
      for (let i = 0; i < ids.length; i += CONTAINERS_AT_ONCE) {
        const batch = cat.request(ids.slice(i, i + CONTAINERS_AT_ONCE));
        await Promise.all(
          batch.map(async (pending) => {
            const obj = await pending;
            if ('missing' in obj) return;
            const result = await content.scan('', obj.data);
            for (const skip of result.skipped) blobSkips.push({ blob: obj.id, ...skip });
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

  /** Findings at each commit and path where a key entered history; blobs history names but lacks. */
  private async attribute(
    blobKeys: Map<string, Found[]>,
    changes: ChangeLog,
    blobs: Set<string>,
    blobSkips: BlobSkip[],
    skipped: Skipped[],
    notes: string[],
    ctx: SourceContext,
  ): Promise<Finding[]> {
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
    const { introductions, missing, paths, reached } = await changes.analyse(
      (blob) => keysOfBlob.get(blob),
      (sha) => blobsOfKey.get(sha) ?? new Set(),
      (blob) => blobs.has(blob),
      new Set(blobSkips.map((b) => b.blob)),
    );
    for (const [blob, path] of missing) skipped.push({ path: `${path} (blob ${blob})`, reason: 'missing from the repository (damaged or partial clone)' });
    for (const skip of blobSkips) {
      // A blob no ref reaches has no path: it is not part of history.
      const path = paths.get(skip.blob);
      if (path) skipped.push({ path: `${skipPath(path, skip)} (blob ${skip.blob.slice(0, 12)})`, reason: skip.reason });
    }
    const findings: Finding[] = [];
    for (const intro of introductions) {
      const introduced = new Set(intro.keys);
      for (const f of blobKeys.get(intro.blob) ?? []) {
        if (!introduced.has(sha256Hex(f.candidate.key))) continue;
        const { id: commit, author, date } = intro.commit;
        findings.push(toFinding(f.candidate, originOf({ source: 'history', path: intro.path, commit, author, date }, f), ctx.ruleById));
      }
    }
    const unreachable = [...blobKeys.keys()].filter((b) => !reached.has(b)).length;
    if (unreachable > 0 && !this.opts.range) {
      notes.push(
        `${unreachable} blob(s) holding keys are in the object store but no ref reaches them (left by a rebase, amend or reset); \`git gc --prune=now\` deletes them`,
      );
    }
    return findings;
  }
}
