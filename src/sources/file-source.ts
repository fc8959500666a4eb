// Scans files on disk: the walk lists them and the pool reads and detects on every
// core, starting while the walk is still going.
import { isUnread, unreadFlag, type Skipped } from '../model.js';
import { toFinding, type Finding } from '../finding.js';
import { ScanPool } from '../scan/pool.js';
import { looksBig } from '../scan/prestart.js';
import type { Source, SourceContext, SourceOutput } from '../scan/pipeline.js';
import { pathFrom, walkFiles, type FileJob, type WalkOptions } from './files.js';
import { printable } from './names.js';
import { open, readFile, stat } from 'node:fs/promises';
import { createReadStream, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { workTreeTop } from '../paths.js';
import type { Readable } from 'node:stream';
import pLimit from 'p-limit';
import { Semaphore } from 'async-mutex';
import { ContentScanner, NO_OCR, originOf, skippedAt, type ContentResult } from '../scan/content.js';
import { isImagePath, readerKind } from '../formats/kinds.js';
import { compileRule } from '../detect/rules.js';
import { Detector } from '../detect/detector.js';
import { NameScanner } from '../detect/names.js';
import { FileScanner } from '../scan/read-file.js';
import { plainGzipEntry, streamPlainGzip } from '../scan/plain-gzip.js';

/** Files read at once: enough to keep every OCR worker busy, few enough to bound memory. */
const IMAGES_IN_FLIGHT = 8;
/**
 * Bytes of those files held at once: each is whole in memory from its read to the end
 * of its scan (a 40-megapixel noise PNG is 127 MB), so eight at once are bounded by
 * size too. A file larger than this is read alone.
 */
const BYTES_IN_FLIGHT = 128 * 1024 * 1024;
/**
 * The semaphore counts MiB, not bytes: async-mutex walks every unit of its value on each
 * release, and counted in bytes that took 36 s of a 37 s scan of Go's source tree.
 */
const UNIT = 1024 * 1024;
/** Bytes read to tell what a file too large to open is (a PDF header may sit anywhere in the first KiB). */
const HEAD_BYTES = 4096;

/**
 * The folder a root's paths are reported relative to: the top of its git work tree,
 * as `staged` and `history` report them and as code scanning maps SARIF to files, so
 * a scan inside a workspace package says `packages/web/.env` and its fingerprints
 * match the commit check's. Outside a repository: the scanned folder, or with several
 * roots, or a file, the current folder.
 */
function reportBase(root: string, several: boolean): string {
  const abs = resolve(root);
  const folder = statSync(abs).isDirectory();
  return workTreeTop(folder ? abs : dirname(abs)) ?? (folder && !several ? abs : process.cwd());
}

export class FileSource implements Source {
  /** Each root with the folder its paths are relative to (none for standard input). */
  private readonly bases: (string | null)[];

  constructor(
    private readonly roots: string[],
    private readonly walk: WalkOptions,
    /** The name standard input (the root `-`) has in the report. */
    private readonly stdinName = '<stdin>',
  ) {
    this.bases = roots.map((root) => (root === '-' ? null : reportBase(root, roots.length > 1)));
  }

  /** The file on disk a reported path names. */
  locate(path: string): string {
    for (const [i, base] of this.bases.entries()) {
      if (base === null) continue;
      const prefix = pathFrom(base, this.roots[i]!);
      if (!prefix || path === prefix || path.startsWith(`${prefix}/`)) return resolve(base, path);
    }
    return resolve(path);
  }

  async run(ctx: SourceContext): Promise<SourceOutput> {
    /** Each file the workers read, until its result is recorded (then dropped: a tree's paths are tens of MB). */
    const files: (FileJob | null)[] = [];
    const skipped: Skipped[] = [];
    const findings: Finding[] = [];
    let bytes = 0;
    const readers = new ReaderFiles(ctx, findings, skipped);
    const names = new NameScanner(readers.detector);
    const scanName = (path: string) => {
      for (const { name, candidate } of names.scan(path)) findings.push(toFinding(candidate, { source: 'file', path: name, inName: true }, ctx.ruleById));
    };
    const pool = new ScanPool(
      { rules: ctx.rules, limits: { maxFileSize: ctx.maxFileSize, inflate: { maxEntryBytes: ctx.limits.maxEntryBytes, maxTotalBytes: ctx.limits.maxTotalBytes } }, read: { images: ctx.ocr !== null }, ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}) },
      (index, result) => {
        const file = files[index]!;
        files[index] = null;
        bytes += result.bytes;
        if (!result.ok) {
          if (result.deferred) {
            readers.deferred++;
            readers.add(file);
          }
          else skipped.push({ path: file.rel, reason: result.reason, ...unreadFlag(result) });
          return;
        }
        if (result.png) {
          // As the readers report a picture with OCR off whose text chunks they read (ContentScanner.scanAt).
          const found = result.png.found.map(({ candidate, entry }) => ({ candidate, fromImage: false, ...(entry !== undefined ? { entry } : {}) }));
          readers.record(file.rel, { found, skipped: [NO_OCR, ...result.png.skipped] });
        }
        const entry = result.entry !== undefined ? { entry: result.entry } : {};
        for (const c of result.candidates) findings.push(toFinding(c, originOf({ source: 'file', path: file.rel }, { candidate: c, fromImage: false, ...entry }), ctx.ruleById));
        if (result.unread) skipped.push({ path: file.rel, reason: result.unread });
      },
    );
    if (this.roots.some(looksBig)) pool.warmUp();
    for (const [i, root] of this.roots.entries()) {
      if (root === '-') {
        readers.add({ abs: '-', rel: printable(this.stdinName), stream: true });
        continue;
      }
      const walked = await walkFiles(root, this.bases[i]!, { ...this.walk, keepUp: () => pool.keepUp() }, (file) => {
        scanName(file.rel);
        // Pictures the workers search as bytes: listed, by name, as not read for their pixels.
        if (ctx.ocr === null && isImagePath(file.rel)) skipped.push({ path: file.rel, ...NO_OCR });
        // A name that is not UTF-8 goes by its bytes, which the workers' protocol does not carry.
        if (file.stream || typeof file.abs !== 'string' || readers.wants(file.rel)) {
          readers.add(file);
          return;
        }
        files.push(file);
        pool.add(file.abs);
      });
      for (const s of walked.skipped) {
        scanName(s.path);
        skipped.push(s);
      }
    }
    // Readers first: the main thread opens documents and pictures while the workers
    // scan, then helps them with what is left; files a worker hands back come last.
    // Not `bytes += await …`: that reads `bytes` before the await and drops
    // whatever the workers' results added meanwhile.
    pool.walkDone();
    const early = await readers.settle();
    await pool.finish();
    const late = await readers.settle();
    bytes += early + late;
    await readers.close();
    findings.sort((a, b) => (a.path! < b.path! ? -1 : a.path! > b.path! ? 1 : a.line - b.line || a.column - b.column));
    skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { findings, skipped: distinct(skipped), files: files.length + readers.count - readers.deferred, bytes, notes: [] };
  }
}

/**
 * Each skipped item once: a picture with OCR off is listed by the walk, by its name, and
 * again by whoever reads its text chunks when its bytes say it is a picture.
 */
function distinct(skipped: Skipped[]): Skipped[] {
  const seen = new Set<string>();
  return skipped.filter((s) => {
    const id = `${s.path}\0${s.reason}\0${isUnread(s)}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Up to `limit` bytes of a stream; `whole` is false when there was more (the stream is closed then). */
async function readBounded(stream: Readable, limit: number): Promise<{ data: Buffer; whole: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    // Leaving the loop closes the stream: a device such as /dev/zero never ends.
    if (size > limit) return { data: Buffer.concat(chunks).subarray(0, limit), whole: false };
  }
  return { data: Buffer.concat(chunks), whole: true };
}

/** The first bytes of a file: enough to tell what it is. */
async function head(path: string | Buffer): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Files that need more than the detector (pictures, archives, documents, videos),
 * read on the main thread a few at a time while the workers scan the rest.
 */
class ReaderFiles {
  private readonly limit = pLimit(IMAGES_IN_FLIGHT);
  private readonly oneContainer = pLimit(1);
  private readonly inMemory = new Semaphore(BYTES_IN_FLIGHT / UNIT);
  private readonly jobs: Promise<number>[] = [];
  private readonly scanner: ContentScanner;
  readonly detector: Detector;
  /** Reads files too large to open in memory, in chunks. */
  private chunks: FileScanner | null = null;
  private names: NameScanner | null = null;
  /** Bytes of the files read here without being held whole (in chunks, or a gzip inflated as a stream). */
  private large = 0;
  count = 0;
  /** Files the workers handed back because they turned out to need a reader. */
  deferred = 0;

  constructor(
    private readonly ctx: SourceContext,
    private readonly findings: Finding[],
    private readonly skipped: Skipped[],
  ) {
    this.detector = new Detector(ctx.rules.map(compileRule));
    this.scanner = new ContentScanner(this.detector, ctx.ocr, ctx.limits);
  }

  wants(name: string): boolean {
    return this.scanner.needsReader(name);
  }

  add(file: FileJob): void {
    this.count++;
    this.jobs.push(this.limit(() => this.scan(file)));
  }

  /**
   * A container expands to up to the limit on a file's bytes (256 MiB), all in memory:
   * one is open at a time, so that limit holds for the scan, not for each file in
   * flight (three zip bombs side by side took 874 MB). Pictures go on in parallel.
   */
  private async scan(file: FileJob): Promise<number> {
    const first = file.stream ? null : await head(file.abs).catch(() => null);
    const read = async () => this.inMemory.runExclusive(() => this.read(file, first), await this.weight(file));
    if (first !== null && readerKind(file.rel, first) !== null) return this.oneContainer(read);
    return read();
  }

  /** What a file weighs against BYTES_IN_FLIGHT, in UNITs: its size, at most all of it; a stream (up to --max-file-size), all of it. */
  private async weight(file: FileJob): Promise<number> {
    const size = file.stream ? BYTES_IN_FLIGHT : ((await stat(file.abs).catch(() => null))?.size ?? 1);
    return Math.max(1, Math.min(BYTES_IN_FLIGHT / UNIT, Math.ceil(size / UNIT)));
  }

  /** `first`: the file's first bytes, when they could be read. */
  private async read(file: FileJob, first: Buffer | null): Promise<number> {
    let data: Buffer;
    try {
      const read = file.stream ? await this.readStream(file) : await this.readFile(file, first);
      if (!read) return 0;
      data = read;
    } catch (err) {
      this.skipped.push({ path: file.rel, reason: `unreadable (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      return 0;
    }
    this.record(file.rel, await this.scanner.scan(file.rel, data));
    return data.length;
  }

  /** What the content scanner found in a file, and what it could not read, into the report. */
  record(path: string, result: ContentResult): void {
    for (const f of result.found) this.findings.push(toFinding(f.candidate, originOf({ source: 'file', path }, f), this.ctx.ruleById));
    for (const skip of result.skipped) this.skipped.push(skippedAt(path, skip));
  }

  /**
   * The whole file, or null when it is not read whole: over --max-file-size (a skipped
   * entry), or too large to open in memory (its bytes searched in chunks here).
   */
  private async readFile(file: FileJob, first: Buffer | null): Promise<Buffer | null> {
    const info = await stat(file.abs);
    if (info.size > this.ctx.maxFileSize) {
      this.skipped.push({ path: file.rel, reason: `too large (${info.size} bytes > --max-file-size)` });
      return null;
    }
    const large = this.scanner.tooLargeToOpen(file.rel, first ?? (await head(file.abs)), info.size);
    if (!large) return (await this.streamGzip(file, first, info.size)) ? null : readFile(file.abs);
    this.chunks ??= new FileScanner(this.detector, { maxFileSize: this.ctx.maxFileSize }, { images: this.ctx.ocr !== null });
    const read = this.chunks.scanInChunks(file.abs);
    if (read.ok) {
      for (const c of read.candidates) this.findings.push(toFinding(c, { source: 'file', path: file.rel }, this.ctx.ruleById));
      if (read.unread) this.skipped.push({ path: file.rel, reason: read.unread });
      this.large += read.bytes;
    } else if (!read.deferred) this.skipped.push({ path: file.rel, reason: read.reason, ...unreadFlag(read) });
    this.skipped.push(skippedAt(file.rel, large));
    return null;
  }

  /**
   * A gzip file of plain content (the scan workers hand back those that inflate past
   * what they hold at once) inflated and searched as a stream: true once done.
   */
  private async streamGzip(file: FileJob, first: Buffer | null, size: number): Promise<boolean> {
    const entry = first !== null && readerKind(file.rel, first) === 'gzip' ? plainGzipEntry(file.rel) : null;
    // A key in the entry's name is the gzip reader's to report, as an entry of the file.
    if (entry === null || (this.names ??= new NameScanner(this.detector)).mayHold(entry)) return false;
    const { limits } = this.ctx;
    const read = await streamPlainGzip(file.abs, entry, this.detector, Math.min(limits.maxEntryBytes, limits.maxTotalBytes));
    if (!read) return false;
    for (const c of read.candidates) this.findings.push(toFinding(c, originOf({ source: 'file', path: file.rel }, { candidate: c, fromImage: false, entry }), this.ctx.ruleById));
    if (read.unread) this.skipped.push({ path: file.rel, reason: read.unread });
    this.large += size;
    return true;
  }

  /** A stream up to --max-file-size; what comes after it is listed as not read. */
  private async readStream(file: FileJob): Promise<Buffer> {
    const read = await readBounded(file.abs === '-' ? process.stdin : createReadStream(file.abs), this.ctx.maxFileSize);
    if (!read.whole) this.skipped.push({ path: file.rel, reason: `read up to --max-file-size (${read.data.length} bytes); the rest was not read` });
    return read.data;
  }

  /** Waits for every file added so far; returns the bytes they held. */
  async settle(): Promise<number> {
    const sizes = await Promise.all(this.jobs.splice(0));
    const large = this.large;
    this.large = 0;
    return sizes.reduce((a, b) => a + b, large);
  }

  async close(): Promise<void> {
    await this.scanner.close();
  }
}
