// Archives opened in memory: zip (and zip-based formats: jar, apk, whl, epub...),
// tar, and gzip (.gz, .tgz). Nothing is ever written to disk. Every entry becomes an
// 'auto' part, so nested archives, documents and pictures are read again by name.
// A tar (gzipped or not) is streamed: each entry is read (and searched by the scanner)
// before the next is inflated, so it costs one entry of memory, not the whole tar.
//
// Zip bombs: sizes the format declares (the zip central directory, tar headers) are
// checked against the limits before anything is inflated, and the bytes actually
// inflated are capped too (a header may lie), so a bomb costs at most the limit.
// Zips are read with yauzl, which refuses an entry that inflates past its declared size.
import { Readable } from 'node:stream';
import { constants as Z, createGunzip, gunzip, inflateRawSync, type ZlibOptions } from 'node:zlib';
import tarStream from 'tar-stream';
import yauzl from 'yauzl';
import type { ContainerLimits, FormatReader, Part, PartSink, PartSkip, ReadResult, Used } from './types.js';
import { formatBytes } from '../units.js';
import { gunzippedName, looksLikeTar } from './kinds.js';

/** Skipped entries listed one by one; beyond this, one line says how many more. */
const MAX_LISTED_SKIPS = 100;
/** Output chunks of the inflater: large chunks make inflating big entries fast. */
const INFLATE_CHUNK = 1 << 20;

export interface ArchiveEntry {
  /** The entry's path inside the archive, forward slashes. */
  path: string;
  data: Buffer;
}

export interface ArchiveContents {
  entries: ArchiveEntry[];
  skipped: PartSkip[];
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Entries, bytes and skip records of one container, against its limits. */
export class Budget {
  entries = 0;
  bytes = 0;
  readonly skipped: PartSkip[] = [];
  private unlisted = 0;
  /** Whether an unlisted skip left content unread. */
  private unlistedUnread = false;
  private stopped = false;

  constructor(readonly limits: ContainerLimits) {}

  /** `holdsContent` false: nothing there could hold a key (a link, a tail that is not in the file). */
  skip(entry: string | undefined, reason: string, holdsContent = true): void {
    const flag = holdsContent ? {} : { unreadContent: false as const };
    if (this.skipped.length < MAX_LISTED_SKIPS) this.skipped.push({ ...(entry !== undefined ? { entry } : {}), reason, ...flag });
    else {
      this.unlisted++;
      this.unlistedUnread ||= holdsContent;
    }
  }

  /** Counts one more entry; false (once recorded) when the entry limit is reached. */
  count(): boolean {
    if (this.stopped) return false;
    if (this.entries >= this.limits.maxEntries) {
      this.stopped = true;
      this.skipped.push({ reason: `more than ${this.limits.maxEntries} entries: the rest not read` });
      return false;
    }
    this.entries++;
    return true;
  }

  get full(): boolean {
    return this.stopped;
  }

  /** Why an entry of this declared size cannot be read, or null when it fits. */
  refuse(declared: number): string | null {
    if (declared > this.limits.maxEntryBytes) {
      return `${formatBytes(declared)} uncompressed, over the ${formatBytes(this.limits.maxEntryBytes)} limit per entry (zip bomb?): not read`;
    }
    if (this.bytes + declared > this.limits.maxTotalBytes) {
      // The room left of the file's total: archives nested in it share one (see ContentScanner).
      return `the archive would expand past ${formatBytes(this.limits.maxTotalBytes)} in total, the room left of the limit per file (zip bomb?): not read`;
    }
    return null;
  }

  /** Bytes this entry may still inflate to: the smaller of the two limits. */
  get room(): number {
    return Math.max(0, Math.min(this.limits.maxEntryBytes, this.limits.maxTotalBytes - this.bytes));
  }

  take(n: number): void {
    this.bytes += n;
  }

  /** What the containers nested in an entry used: they share this container's limits. */
  absorb(used: Used): void {
    this.entries += used.entries;
    this.bytes += used.bytes;
  }

  /** The skip records, with a last one counting those not listed. */
  finish(): PartSkip[] {
    if (this.unlisted > 0) {
      this.skipped.push({ reason: `${this.unlisted} more entries skipped (not listed)`, ...(this.unlistedUnread ? {} : { unreadContent: false as const }) });
    }
    return this.skipped;
  }
}

// ---------------------------------------------------------------------------
// Gunzipping with a cap

type Inflated = { ok: true; data: Buffer; truncated: boolean } | { ok: false; tooLarge: boolean; reason: string };

function gunzipWith(data: Buffer, opts: ZlibOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => gunzip(data, opts, (err, out) => (err ? reject(err) : resolve(out))));
}

/**
 * Gunzips at most `cap` bytes (more is an error, found as soon as it happens, so a
 * bomb costs only `cap`). Truncated input yields what could be read, marked truncated.
 */
async function gunzipCapped(data: Buffer, cap: number): Promise<Inflated> {
  const opts: ZlibOptions = { maxOutputLength: Math.max(1, cap), chunkSize: INFLATE_CHUNK };
  const tooLarge = { ok: false, tooLarge: true, reason: 'too large' } as const;
  try {
    const out = await gunzipWith(data, opts);
    return out.length > cap ? tooLarge : { ok: true, data: out, truncated: false };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') return tooLarge;
    if (code === 'Z_BUF_ERROR') {
      // Cut short (an incomplete download): keep what inflates.
      try {
        const out = await gunzipWith(data, { ...opts, finishFlush: Z.Z_SYNC_FLUSH });
        return out.length > cap ? tooLarge : { ok: true, data: out, truncated: true };
      } catch (again) {
        if ((again as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge;
        return { ok: false, tooLarge: false, reason: message(again) };
      }
    }
    return { ok: false, tooLarge: false, reason: message(err) };
  }
}

// ---------------------------------------------------------------------------
// Zip, read with yauzl: it finds the central directory (zip64 too), reads the local
// headers and inflates, refusing an entry that inflates past its declared size.

const SIG_LOCAL = 0x04034b50;
/** Method 99: WinZip AES, encrypted whatever the flag says. */
const METHOD_AES = 99;

const METHOD_NAMES: Record<number, string> = {
  1: 'shrink',
  6: 'implode',
  9: 'deflate64',
  12: 'bzip2',
  14: 'LZMA',
  93: 'zstd',
  95: 'xz',
  96: 'JPEG',
  97: 'WavPack',
  98: 'PPMd',
};

/**
 * validateEntrySizes makes yauzl refuse an entry whose data is longer than its declared
 * size (the lying-header bomb). Names are decoded here, not by yauzl (decodeStrings:
 * false): yauzl would stop the whole archive at an absolute or `..` name, which is
 * harmless to a reader that never extracts, so the entries after it stay readable.
 */
const ZIP_OPTIONS: yauzl.Options = { lazyEntries: true, validateEntrySizes: true, decodeStrings: false, strictFileNames: false };

function openZip(data: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(data, { ...ZIP_OPTIONS }, (err, zip) => {
      if (err) return reject(err);
      // Errors are taken by nextEntry; one emitted between its calls is not left unhandled.
      zip.on('error', () => {});
      resolve(zip);
    }),
  );
}

/** The next entry of the central directory, or null at its end; rejects on a corrupt one. */
function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const done = (value: yauzl.Entry | null, err?: Error) => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      if (err) reject(err);
      else resolve(value);
    };
    const onEntry = (entry: yauzl.Entry) => done(entry);
    const onEnd = () => done(null);
    const onError = (err: Error) => done(null, err);
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

/** Why an entry is not read before looking at its data, or null. */
function unreadable(entry: yauzl.Entry): string | null {
  if (entry.isEncrypted() || entry.compressionMethod === METHOD_AES) return 'encrypted (password-protected) entry: not read';
  const unix = entry.versionMadeBy >> 8 === 3;
  if (unix && ((entry.externalFileAttributes >>> 16) & 0o170000) === 0o120000) return 'symbolic link: not followed';
  if (!entry.canDecodeFileData()) {
    const known = METHOD_NAMES[entry.compressionMethod];
    return `compression method ${entry.compressionMethod}${known ? ` (${known})` : ''} not supported: not read`;
  }
  return null;
}

/**
 * An entry's bytes, into one buffer of its declared size (yauzl refuses more): chunks
 * joined at the end held the entry twice, and a 255 MiB entry cost 510 MiB.
 * `error` says why they stopped early (the bytes before it are kept).
 */
function collect(stream: Readable, size: number): Promise<{ data: Buffer; error?: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const data = Buffer.allocUnsafe(size);
    let filled = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      if (error) stream.destroy();
      resolve({ data: data.subarray(0, filled), ...(error ? { error } : {}) });
    };
    stream.on('data', (chunk: Buffer) => {
      if (filled + chunk.length > size) return finish(new Error(`too many bytes in the stream (more than ${size})`));
      chunk.copy(data, filled);
      filled += chunk.length;
    });
    // Stays attached: an error yauzl forwards after the end is not left unhandled.
    stream.on('error', finish);
    stream.on('end', () => finish());
  });
}

/** Reads one entry; `expected` is the size it should have (null: unknown, it was cut short). */
async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string, expected: number | null, budget: Budget, out: ArchiveContents): Promise<void> {
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (err) {
    const text = message(err);
    budget.skip(name, /local file header signature/.test(text) ? 'corrupt zip: no local header where the central directory points: not read' : `corrupt zip (${text}): not read`);
    return;
  }
  const { data, error } = await collect(stream, entry.uncompressedSize);
  // Deflated data cut short (zlib's Z_BUF_ERROR) or shorter than declared (yauzl's
  // "not enough bytes"): what it gave is kept.
  const short = error !== undefined && (error.code === 'Z_BUF_ERROR' || /not enough bytes/.test(error.message));
  if (error && !short) {
    const why = /too many bytes/.test(error.message)
      ? `inflates past its declared size of ${formatBytes(entry.uncompressedSize)} (zip bomb?): not read`
      : `corrupt compressed data (${error.message}): not read`;
    budget.skip(name, why);
    return;
  }
  budget.take(data.length);
  out.entries.push({ path: name, data });
  if (short || expected === null || data.length < expected) {
    budget.skip(name, `truncated: only the first ${data.length}${expected !== null ? ` of ${expected}` : ''} bytes read`, false);
  }
}

interface Rebuilt {
  zip: Buffer;
  /** Entries cut short, by local header offset: the size declared, null when unknown. */
  cut: Map<number, number | null>;
  problem?: string;
}

/**
 * A zip with no usable central directory (cut short, most often): a copy with one
 * rebuilt from the local headers, for yauzl to read.
 */
function rebuildDirectory(buf: Buffer, room: number, maxEntries: number): Rebuilt {
  const records: Buffer[] = [];
  const cut = new Map<number, number | null>();
  let problem: string | undefined;
  let count = 0;
  let p = buf.indexOf('PK\x03\x04', 0, 'latin1');
  for (; p >= 0 && p + 30 <= buf.length && count <= Math.min(maxEntries, 0xfffe); count++) {
    const flags = buf.readUInt16LE(p + 6);
    const method = buf.readUInt16LE(p + 8);
    let csize = buf.readUInt32LE(p + 18);
    let usize = buf.readUInt32LE(p + 22);
    const nameLength = buf.readUInt16LE(p + 26);
    const start = p + 30 + nameLength + buf.readUInt16LE(p + 28);
    if (start > buf.length) break;
    if (flags & 0x8) {
      // Sizes follow the data: only inflating finds where deflated data ends.
      if (method !== 8) {
        problem = 'stored entry of unknown size in a zip without a central directory: the rest not read';
        break;
      }
      try {
        const res = inflateRawSync(buf.subarray(start), { info: true, maxOutputLength: Math.max(1, room) }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
        csize = res.engine.bytesWritten;
        usize = res.buffer.length;
      } catch (err) {
        // Too large: declared past the room, so the limits refuse it. Cut short: read what is there.
        const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        csize = buf.length - start;
        usize = Math.min(tooLarge ? room + 1 : room, 0xffffffff);
        if (!tooLarge) cut.set(p, null);
      }
    }
    if (start + csize > buf.length) {
      cut.set(p, usize);
      csize = buf.length - start;
    }
    // A stored entry is as long as its data (yauzl insists that the two sizes agree).
    if (method === 0) usize = csize;
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(flags, 8);
    record.writeUInt16LE(method, 10);
    record.writeUInt32LE(csize, 20);
    record.writeUInt32LE(usize, 24);
    record.writeUInt16LE(nameLength, 28);
    record.writeUInt32LE(p, 42);
    records.push(record, buf.subarray(p + 30, p + 30 + nameLength));
    // The next header (after the data descriptor, if any).
    p = buf.indexOf('PK\x03\x04', start + csize, 'latin1');
  }
  const directory = Buffer.concat(records);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(records.length / 2, 8);
  end.writeUInt16LE(records.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(buf.length, 16);
  return { zip: Buffer.concat([buf, directory, end]), cut, ...(problem ? { problem } : {}) };
}

/**
 * Reads the file entries yauzl lists, skipping those at offsets already `seen` (and
 * adding the others); returns the error that stopped it, if any.
 */
async function readListed(zip: yauzl.ZipFile, budget: Budget, out: ArchiveContents, seen: Set<number>, cut?: Rebuilt['cut']): Promise<Error | null> {
  try {
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      const offset = entry.relativeOffsetOfLocalHeader;
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      if (name.endsWith('/') || seen.has(offset)) continue;
      seen.add(offset);
      if (!budget.count()) break;
      const why = unreadable(entry) ?? budget.refuse(entry.uncompressedSize);
      if (why) budget.skip(name, why);
      else await readEntry(zip, entry, name, cut?.has(offset) ? (cut.get(offset) ?? null) : entry.uncompressedSize, budget, out);
    }
    return null;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  } finally {
    zip.close();
  }
}

/** Every file entry of a zip, within the limits; never throws. */
export async function readZipEntries(data: Buffer, limits: ContainerLimits): Promise<ArchiveContents> {
  const budget = new Budget(limits);
  const out: ArchiveContents = { entries: [], skipped: [] };
  const seen = new Set<number>();
  try {
    // Why the central directory did not give every entry, if it did not.
    let problem: string | null = null;
    let salvage = true;
    try {
      const failure = await readListed(await openZip(data), budget, out, seen);
      if (failure) problem = `corrupt zip (${failure.message}): ${seen.size > 0 ? 'the other entries' : 'entries'} read from their local headers`;
    } catch (err) {
      if (!(data.length >= 4 && data.readUInt32LE(0) === SIG_LOCAL)) {
        problem = 'not a readable zip archive (no central directory): not opened';
        salvage = false;
      } else if (/signature not found/.test(message(err))) problem = 'truncated zip: no central directory, entries read from their local headers';
      else problem = `corrupt zip (${message(err)}): entries read from their local headers`;
    }
    if (problem) budget.skip(undefined, problem);
    // What the central directory could not give, the local headers still may.
    if (problem && salvage && !budget.full) {
      const rebuilt = rebuildDirectory(data, budget.room, limits.maxEntries);
      if (rebuilt.problem) budget.skip(undefined, rebuilt.problem);
      const again = await readListed(await openZip(rebuilt.zip), budget, out, seen, rebuilt.cut);
      if (again) budget.skip(undefined, `corrupt zip (${again.message}): the rest not read`);
    }
  } catch (err) {
    budget.skip(undefined, `corrupt zip (${message(err)})`);
  }
  out.skipped = budget.finish();
  return out;
}

function asParts(entries: ArchiveEntry[]): Part[] {
  return entries.map((e) => ({ name: e.path, entry: e.path, data: e.data, kind: 'auto' }));
}

/**
 * An Office package under another name (.docm, .xlsm, .dotx, .ott..., or a history
 * blob with no name at all): recognised by its parts, so its text is read as a reader
 * sees it and not as raw XML (where a key split into runs would be missed).
 */
function isOfficePackage(entries: ArchiveEntry[]): boolean {
  let types = false;
  let main = false;
  for (const e of entries) {
    if (e.path === 'mimetype' && e.data.toString('latin1', 0, 34).startsWith('application/vnd.oasis.opendocument')) return true;
    if (e.path === '[Content_Types].xml') types = true;
    else if (/^(?:word\/document|ppt\/presentation|xl\/workbook)\.xml$/.test(e.path)) main = true;
  }
  return types && main;
}

export const zipReader: FormatReader = {
  async read(data: Buffer, _name: string, limits: ContainerLimits): Promise<ReadResult> {
    const contents = await readZipEntries(data, limits);
    if (isOfficePackage(contents.entries)) return (await import('./office.js')).officeParts(contents);
    return { parts: asParts(contents.entries), skipped: contents.skipped };
  },
};

// ---------------------------------------------------------------------------
// Tar


/**
 * Lets an entry's bytes flow past unread. Not an awaited loop: tar-stream never ends
 * the body of a directory entry that declares a size, and the wait would never settle.
 */
function drain(entry: { resume(): unknown }): void {
  entry.resume();
}

/**
 * The tar fed by `feed`, entry by entry: each entry is handed to `each` and awaited
 * before the next is read, so one entry is held at a time. `stopped` says why the
 * input was cut before its end (past a limit, a corrupt gzip), if it was.
 */
async function streamTarEntries(feed: (extract: NodeJS.WritableStream) => void, limits: ContainerLimits, each: PartSink, stopped: () => string | null = () => null): Promise<PartSkip[]> {
  const budget = new Budget(limits);
  // Old (v7) tars have no ustar magic: their header checksum is enough.
  const extract = tarStream.extract({ allowUnknownFormat: true } as Parameters<typeof tarStream.extract>[0]);
  extract.on('error', () => {});
  feed(extract);
  try {
    for await (const entry of extract) {
      const header = entry.header;
      const name = header.name.replace(/\\/g, '/');
      const type: string = header.type ?? 'file';
      if (type === 'directory' || budget.full) {
        drain(entry);
        continue;
      }
      if (!budget.count()) {
        drain(entry);
        continue;
      }
      let why: string | null = null;
      // A link names another entry or a path, and a device or folder entry holds no data: nothing unread.
      let holdsContent = false;
      if (type === 'symlink') why = `symbolic link (to ${header.linkname ?? '?'}): not followed`;
      else if (type === 'link') why = `hard link (to ${header.linkname ?? '?'}): not followed`;
      else if (type !== 'file' && type !== 'contiguous-file') why = `${type} entry: not read`;
      else {
        why = budget.refuse(header.size ?? 0);
        holdsContent = true;
      }
      if (why) {
        budget.skip(name, why, holdsContent);
        drain(entry);
        continue;
      }
      // An entry cut short by the end of the archive is lost with it (tar-stream drops it).
      const chunks: Buffer[] = [];
      let got = 0;
      let over = false;
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        got += chunk.length;
        if (got > budget.room) over = true;
        if (!over) chunks.push(chunk);
      }
      if (over) {
        budget.skip(name, `larger than the limits allow: not read`);
        continue;
      }
      budget.take(got);
      budget.absorb(await each({ name, entry: name, data: Buffer.concat(chunks, got), kind: 'auto' }));
    }
    const why = stopped();
    if (why) budget.skip(undefined, why);
  } catch (err) {
    const text = message(err);
    budget.skip(undefined, stopped() ?? (/unexpected end/i.test(text) ? `truncated tar archive: entries after the cut not read` : `corrupt tar archive (${text})`));
  }
  return budget.finish();
}

/** A reader's `read` from its `stream`: every part collected, nothing nested spent. */
async function collected(stream: (each: PartSink) => Promise<ReadResult>): Promise<ReadResult> {
  const parts: Part[] = [];
  const read = await stream(async (part) => {
    parts.push(part);
    return { entries: 0, bytes: 0 };
  });
  return { parts: [...parts, ...read.parts], skipped: read.skipped };
}

async function streamTar(data: Buffer, limits: ContainerLimits, each: PartSink): Promise<ReadResult> {
  try {
    return { parts: [], skipped: await streamTarEntries((extract) => extract.end(data), limits, each) };
  } catch (err) {
    return { parts: [], skipped: [{ reason: `corrupt tar archive (${message(err)})` }] };
  }
}

export const tarReader: FormatReader = {
  read: (data, _name, limits) => collected((each) => streamTar(data, limits, each)),
  stream: (data, _name, limits, each) => streamTar(data, limits, each),
};

// ---------------------------------------------------------------------------
// Gzip

/**
 * Reads a gzip whole (`read`) or, when a tar is inside, streams it: inflated a chunk at a
 * time into the tar reader, never held whole (a 2 MB .tar.gz of logs inflated to 19 MB).
 */
async function readGzip(data: Buffer, name: string, limits: ContainerLimits): Promise<ReadResult> {
  const cap = Math.min(limits.maxEntryBytes, limits.maxTotalBytes);
  let inflated: Inflated;
  try {
    inflated = await gunzipCapped(data, cap);
  } catch (err) {
    return { parts: [], skipped: [{ reason: `corrupt gzip (${message(err)}): not read` }] };
  }
  if (!inflated.ok) {
    const reason = inflated.tooLarge
      ? `expands past the ${formatBytes(cap)} limit (gzip bomb?): not read`
      : `corrupt gzip (${inflated.reason}): not read`;
    return { parts: [], skipped: [{ reason }] };
  }
  const inner = gunzippedName(name);
  const skipped: PartSkip[] = inflated.truncated ? [{ reason: `truncated gzip: only the first ${inflated.data.length} bytes read`, unreadContent: false }] : [];
  if (looksLikeTar(inflated.data)) {
    const tar = await tarReader.read(inflated.data, inner, limits);
    return { parts: tar.parts, skipped: [...skipped, ...tar.skipped] };
  }
  if (inflated.data.length === 0) return { parts: [], skipped };
  // A .tar.gz without a tar inside is read as plain content, not reported as a corrupt tar.
  const kind = /\.tar$/i.test(inner) ? 'text' : 'auto';
  return { parts: [{ name: inner, entry: inner, data: inflated.data, kind }], skipped };
}

/** Inflated bytes looked at to tell a tar inside from anything else. */
const TAR_BLOCK = 512;

async function streamGzip(data: Buffer, name: string, limits: ContainerLimits, each: PartSink): Promise<ReadResult> {
  const cap = Math.min(limits.maxEntryBytes, limits.maxTotalBytes);
  const inflate = createGunzip();
  inflate.end(data);
  const chunks = (inflate as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let inflated = 0;
  try {
    while (inflated < TAR_BLOCK) {
      const next = await chunks.next();
      if (next.done) break;
      head.push(next.value);
      inflated += next.value.length;
    }
  } catch {
    inflated = -1;
  }
  // No tar inside, or a stream that fails or outgrows the limit before one is seen: read whole, as the reader says.
  if (inflated < TAR_BLOCK || inflated > cap || !looksLikeTar(Buffer.concat(head))) {
    inflate.destroy();
    return readGzip(data, name, limits);
  }
  let truncated = false;
  let stop: string | null = null;
  async function* input(): AsyncGenerator<Buffer> {
    yield* head.splice(0);
    try {
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        inflated += next.value.length;
        if (inflated > cap) {
          stop = `expands past the ${formatBytes(cap)} limit (gzip bomb?): the rest not read`;
          return;
        }
        yield next.value;
      }
    } catch (err) {
      // Cut short (an incomplete download): the tar reader reads what came before.
      if ((err as NodeJS.ErrnoException).code === 'Z_BUF_ERROR') truncated = true;
      else stop = `corrupt gzip (${message(err)}): the rest not read`;
    }
  }
  const source = Readable.from(input());
  try {
    const skipped = await streamTarEntries((extract) => source.pipe(extract), limits, each, () => stop);
    return { parts: [], skipped: truncated ? [{ reason: `truncated gzip: only the first ${inflated} bytes read`, unreadContent: false }, ...skipped] : skipped };
  } finally {
    source.destroy();
    inflate.destroy();
  }
}

export const gzipReader: FormatReader = {
  read: (data, name, limits) => collected((each) => streamGzip(data, name, limits, each)),
  stream: (data, name, limits, each) => streamGzip(data, name, limits, each),
};
