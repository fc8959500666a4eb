// The history source: every blob, commit message and tag message in the repository
// (or new in a range), each read once in pack order; beside it, one `git log --raw` walk, from
// which only the blobs that hold keys are traced to the commits that introduced them.
import { formatBytes } from '../units.js';
import { availableParallelism } from 'node:os';
import { unreadFlag, type Candidate, type Skipped } from '../model.js';
import { compileRule } from '../detect/rules.js';
import { Detector, sha256Hex } from '../detect/detector.js';
import { toFinding, type Finding } from '../finding.js';
import { appendAll } from '../arrays.js';
import { git } from '../git/run.js';
import { eachObjectInPackOrder, objectsByIds, rangeObjects, refFacts, type ObjectInfo, type RefFacts } from '../git/objects.js';
import { ObjectReader } from '../git/read-objects.js';
import { notReadReason } from '../git/cat-file.js';
import { PackIndex } from '../git/pack-index.js';
import { PackedObjects } from './history-packed.js';
import { messageStart, parseCommit } from '../git/commit-object.js';
import { ChangeLog, PLACES_PER_KEY, PlaceCap, type CommitInfo, type MorePlaces, type NewPaths } from '../git/introductions.js';
import { NameScanner, type NameHit } from '../detect/names.js';
import { holdsAllowMarker, suppressionChanges } from '../git/suppression-changes.js';
import { ContentScanner, originOf, skipPath, type Found } from '../scan/content.js';
import { ContainerReads } from './history-containers.js';
import { lfsPointer } from '../git/lfs.js';
import { TagMessages, noteOrHistory, notesCommits, rangeNotes } from './history-messages.js';
import type { Source, SourceContext, SourceOutput } from '../scan/pipeline.js';

/**
 * Blobs this large (bytes) are read from their pack on worker threads; smaller
 * objects, and commits, through cat-file. Per object, git's C is cheaper than
 * setting up node:zlib; per byte, the pipe costs more than reading the pack
 * (bench/README.md has the A/B). SPREEFLO_SCAN_PACKED_FROM overrides it, for
 * benchmarks and tests.
 */
const PACKED_FROM = Number(process.env.SPREEFLO_SCAN_PACKED_FROM ?? 8 * 1024);
/**
 * A range's first this many bytes are read through cat-file alone: loading the pack
 * index and starting workers costs more (0.8 s of a 2.3 s scan of git/git's last 100
 * merges: 1,409 blobs, 48 MB) than git's reading of that much.
 */
const RANGE_PACKED_FROM_BYTES = Number(process.env.SPREEFLO_SCAN_RANGE_PACKED_FROM ?? 64 * 1024 * 1024);

export interface HistoryOptions {
  /** A revision range (`origin/main..HEAD`); null for everything reachable from all refs. */
  range: string | null;
  /** The object store (`git rev-parse --git-path objects`): its packs are read directly. */
  objectsDir: string;
}

/** Something in a blob that could not be read; its path is known once the log walk names the blob. */
interface BlobSkip {
  blob: string;
  entry?: string;
  reason: string;
  unreadContent?: false;
  /** The object itself (a blob, commit or tag) could not be read: listed by its id when no path names it. */
  object?: true;
}

export class HistorySource implements Source {
  constructor(
    private readonly repoRoot: string,
    private readonly opts: HistoryOptions,
  ) {}

  private refs: Promise<RefFacts> | undefined;

  /** For a range: its tags and its notes refs, from one read of the refs. */
  private rangeRefs(): Promise<RefFacts> {
    return (this.refs ??= refFacts(this.repoRoot));
  }

  private revisions(): string[] {
    return this.opts.range ? [this.opts.range] : ['--all'];
  }

  private async notes(withoutMarker: Promise<Set<string>>): Promise<string[]> {
    const shallow = await git(['rev-parse', '--is-shallow-repository'], this.repoRoot);
    const notes =
      shallow.stdout.toString().trim() === 'true'
        ? ['shallow clone: only the commits present were scanned (fetch with --unshallow for the whole history)']
        : [];
    if (this.opts.range) notes.push(...(await suppressionChanges(this.repoRoot, this.opts.range, withoutMarker)));
    return notes;
  }

  /**
   * Lists what to read and hands each object over as soon as it is known. The whole
   * history: every blob and commit in the object store (a blob no ref reaches never
   * gets a commit, and messages of commits no ref reaches are dropped afterwards).
   * A range: only what its commits added, and the annotated tags of refs (whether one
   * tags a commit of the range is known once it is read): the store is not listed,
   * which on a large repository takes longer than a pull request's commits. Returns
   * whether the store holds a blob, to tell a missing one.
   */
  private async list(read: (o: ObjectInfo, fromPacks: boolean) => void): Promise<(blob: string) => boolean> {
    if (this.opts.range) {
      const missing = new Set<string>();
      let bytes = 0;
      // Blobs go through cat-file until the range proves large enough to be worth its packs.
      const listed = (o: ObjectInfo) => read(o, (bytes += o.size) >= RANGE_PACKED_FROM_BYTES);
      const refs = this.rangeRefs();
      refs.catch(() => undefined);
      await rangeObjects(this.repoRoot, this.revisions(), listed, missing);
      await objectsByIds(this.repoRoot, (await refs).tags, listed, missing);
      return (blob) => !missing.has(blob);
    }
    const blobs = new Set<string>();
    await eachObjectInPackOrder(this.repoRoot, (o) => {
      if (o.type === 'blob') blobs.add(o.id);
      read(o, true);
    });
    return (blob) => blobs.has(blob);
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
    // A range's blobs read through cat-file without an allow comment: the diff for new
    // comments need not look at them.
    const noMarker = new Set<string>();
    let markersRead!: (blobs: Set<string>) => void;
    const notes = this.notes(new Promise((resolve) => (markersRead = resolve)));
    notes.catch(() => undefined);
    const skipped: Skipped[] = [];
    const detector = new Detector(ctx.rules.map(compileRule));
    const content = new ContentScanner(detector, ctx.ocr, ctx.limits);
    const blobKeys = new Map<string, Found[]>();
    const messageFindings: Finding[] = [];
    const tags = new TagMessages();
    const blobSkips: BlobSkip[] = [];
    let bytes = 0;
    let read = 0;

    const containers = new ContainerReads(this.repoRoot, content, ctx.maxFileSize, (blob, result) => {
      for (const skip of result.skipped) blobSkips.push({ blob, ...skip });
      if (result.found.length > 0) blobKeys.set(blob, result.found);
    });
    const onBlob = (id: string, candidates: Candidate[]): void => {
      if (candidates.length > 0) blobKeys.set(id, candidates.map((candidate) => ({ candidate, fromImage: false })));
    };
    // Every object read, whichever way: progress, and the bytes it held.
    const tally = (size: number): void => {
      if (++read % 512 === 0) ctx.onProgress?.(read, bytes);
      bytes += size;
    };
    // Objects not in a pack (loose, in an alternate store) and any a pack could not give
    // (git's reading of those says whether they are damaged).
    const reader = new ObjectReader(this.repoRoot, Math.max(1, availableParallelism()), (obj) => {
      if ('missing' in obj) {
        tally(0);
        blobSkips.push({ blob: obj.id, reason: notReadReason(obj), object: true });
        return;
      }
      tally(obj.data.length);
      if (obj.type === 'commit') messageFindings.push(...this.scanMessage(obj.id, obj.data, detector, ctx));
      else if (obj.type === 'tag') tags.add(obj.id, obj.data, detector, ctx);
      else if (content.needsReaderForData(obj.data) || lfsPointer(obj.data)) containers.add(obj.id);
      else onBlob(obj.id, detector.scan(obj.data));
      if (this.opts.range && obj.type === 'blob' && !holdsAllowMarker(obj.data)) noMarker.add(obj.id);
    });
    // Loaded at the first blob large enough to read from its pack.
    let index: PackIndex | undefined;
    const packIndex = () => (index ??= PackIndex.load(this.opts.objectsDir));
    let fallbacks = 0;
    const packed = new PackedObjects(
      () => ({ packs: packIndex().packs(), rules: ctx.rules, images: ctx.ocr !== null }),
      Math.max(1, availableParallelism()),
      (res) => {
        if ('failed' in res) {
          fallbacks++;
          reader.add(res.id);
          return;
        }
        tally(res.bytes);
        if (res.needsReader) containers.add(res.id);
        else onBlob(res.id, res.found);
      },
    );
    let exists: (blob: string) => boolean;
    try {
      exists = await this.list((o, fromPacks) => {
        if (o.size > ctx.maxFileSize) {
          blobSkips.push({ blob: o.id, reason: `too large (${o.size} bytes > --max-file-size)` });
          return;
        }
        // A blob is read whole, with its pack's bytes and delta bases beside it: one over the
        // bytes a file's containers may take is not read (three 440 MiB blobs took 1.5 GB).
        if (o.size > ctx.limits.maxTotalBytes) {
          blobSkips.push({ blob: o.id, reason: `${formatBytes(o.size)}, over the ${formatBytes(ctx.limits.maxTotalBytes)} a blob may take in memory: not read` });
          return;
        }
        const at = fromPacks && o.type === 'blob' && o.size >= PACKED_FROM ? packIndex().find(o.id) : null;
        if (at) packed.add({ id: o.id, pack: at.pack, offset: at.offset });
        else reader.add(o.id);
      });
      await packed.finish();
      await reader.finish();
      await containers.settled();
    } finally {
      // Settled however the scan ends: a set cut short only makes the diff run.
      markersRead(noMarker);
      packed.close();
      reader.close();
      await content.close();
    }
    const noteLines = await notes;
    const messages = { commits: messageFindings, tags, detector };
    const places = new PlaceCap();
    const names = new NamesInHistory(detector, places);
    const findings = await this.attribute(blobKeys, messages, changes, exists, blobSkips, skipped, noteLines, ctx, names, places);
    appendAll(findings, names.findings(ctx));
    countMorePlaces(findings, places.more, noteLines);
    return { findings, skipped, files: reader.count + packed.count - fallbacks, bytes, notes: noteLines };
  }

  private scanMessage(id: string, data: Buffer, detector: Detector, ctx: SourceContext): Finding[] {
    const found = detector.scan(data.subarray(messageStart(data)));
    if (found.length === 0) return [];
    const commit = parseCommit(data);
    return found.map((c) => toFinding(c, { source: 'commit-message', path: null, commit: id, author: commit.author, date: commit.date }, ctx.ruleById));
  }

  /**
   * Findings at each commit and path where a key entered history (a path in a notes
   * ref's history is a note), and in the messages of commits and tags history reaches
   * (not those amended, rebased or deleted away); blobs history names but lacks.
   */
  private async attribute(
    blobKeys: Map<string, Found[]>,
    messages: { commits: Finding[]; tags: TagMessages; detector: Detector },
    changes: ChangeLog,
    exists: (blob: string) => boolean,
    blobSkips: BlobSkip[],
    skipped: Skipped[],
    notes: string[],
    ctx: SourceContext,
    names: NamesInHistory,
    places: PlaceCap,
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
    const { introductions, missing, paths, reached, commits, broken } = await changes.analyse(
      (blob) => keysOfBlob.get(blob),
      (sha) => blobsOfKey.get(sha) ?? new Set(),
      exists,
      new Set(blobSkips.map((b) => b.blob)),
      places,
      names,
    );
    for (const [blob, path] of missing) skipped.push({ path: `${path} (blob ${blob})`, reason: notReadReason({}) });
    for (const skip of blobSkips) {
      // A blob no ref reaches has no path: it is not part of history. An object that
      // could not be read may be anything, reached or not: it is listed either way.
      const path = paths.get(skip.blob);
      if (path) skipped.push({ path: `${skipPath(path, skip)} (blob ${skip.object ? skip.blob : skip.blob.slice(0, 12)})`, reason: skip.reason, ...unreadFlag(skip) });
      else if (skip.object) skipped.push({ path: `object ${skip.blob}`, reason: skip.reason });
    }
    if (broken) {
      skipped.push({
        path: 'history walk (git log)',
        reason: `stopped early: ${broken}; commits past it were not traced (\`git fsck\` lists what the repository lacks)`,
      });
    }
    // A walk that stopped early has not met every commit history reaches: every message counts.
    const findings = messages.commits.filter((f) => broken || commits.has(f.commit!));
    findings.push(...(await messages.tags.inScope(this.repoRoot, this.opts.range ? commits : null)));
    if (this.opts.range) findings.push(...(await rangeNotes(this.repoRoot, (await this.rangeRefs()).notes, commits, messages.detector, ctx, skipped)));
    const notesHistory = introductions.length > 0 ? await notesCommits(this.repoRoot) : new Set<string>();
    for (const intro of introductions) {
      const introduced = new Set(intro.keys);
      for (const f of blobKeys.get(intro.blob) ?? []) {
        if (!introduced.has(sha256Hex(f.candidate.key))) continue;
        const { id: commit, author, date } = intro.commit;
        const origin = noteOrHistory({ source: 'history', path: intro.path, commit, author, date }, notesHistory);
        findings.push(toFinding(f.candidate, originOf(origin, f), ctx.ruleById));
      }
    }
    const unreached = [...blobKeys.keys()].filter((b) => !reached.has(b));
    if (broken) {
      // Whether a ref reaches them is not known: their keys are reported, each at its blob.
      for (const blob of unreached) {
        for (const f of blobKeys.get(blob)!) findings.push(toFinding(f.candidate, originOf({ source: 'history', path: `blob ${blob}` }, f), ctx.ruleById));
      }
    } else if (unreached.length > 0 && !this.opts.range) {
      notes.push(
        `${unreached.length} blob(s) holding keys are in the object store but no ref reaches them (left by a rebase, amend or reset); \`git gc --prune=now\` deletes them`,
      );
    }
    return findings;
  }
}

/**
 * A key's places beyond the cap ride on its last listed place (`morePlaces`, which
 * the JSON report adds to the key's occurrences) and are told in a note.
 */
function countMorePlaces(findings: Finding[], more: Map<string, MorePlaces>, notes: string[]): void {
  if (more.size === 0) return;
  const last = new Map<string, Finding>();
  for (const f of findings) if (more.has(f.secret.sha256) && f.source !== 'commit-message' && f.source !== 'tag-message') last.set(f.secret.sha256, f);
  for (const [sha, { count, commits, first }] of more) {
    const f = last.get(sha);
    if (!f) continue;
    f.morePlaces = count;
    const where = commits === 1 ? `commit ${first.slice(0, 12)}` : `${commits} commits (${first.slice(0, 12)} the newest)`;
    notes.push(`key ${f.secret.redacted} is at ${count.toLocaleString('en-US')} more places in history than the first ${PLACES_PER_KEY} listed, brought in by ${where}`);
  }
}

/**
 * Keys in the names of files and folders history holds, whether or not their
 * content is clean: each name once, at the oldest commit the walk shows bringing it in.
 */
class NamesInHistory implements NewPaths {
  private readonly scanner: NameScanner;
  private readonly found = new Map<string, { hit: NameHit; commit: CommitInfo }>();

  constructor(
    detector: Detector,
    private readonly places: PlaceCap,
  ) {
    this.scanner = new NameScanner(detector);
  }

  wants(line: string): boolean {
    return this.scanner.mayHold(line);
  }

  add(path: string, commit: CommitInfo): void {
    // The walk goes newest first: the last commit seen for a name brought it in.
    // A name not yet listed is a new place of its key, listed only while under the cap.
    for (const hit of this.scanner.along(path)) {
      const id = `${hit.name}\u0000${hit.candidate.key}`;
      if (this.found.has(id) || this.places.take([sha256Hex(hit.candidate.key)], commit.id).length > 0) this.found.set(id, { hit, commit });
    }
  }

  findings(ctx: SourceContext): Finding[] {
    return [...this.found.values()].map(({ hit, commit }) =>
      toFinding(hit.candidate, { source: 'history', path: hit.name, commit: commit.id, author: commit.author, date: commit.date, inName: true }, ctx.ruleById),
    );
  }
}
