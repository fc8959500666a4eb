// Archives opened in memory: zip (and zip-based formats: jar, apk, whl, epub...),
// tar, and gzip (.gz, .tgz). Nothing is ever written to disk. Every entry becomes an
// 'auto' part, so nested archives, documents and pictures are read again by name.
//
// Zip bombs: sizes the format declares (the zip central directory, tar headers) are
// checked against the limits before anything is inflated, and the bytes actually
// inflated are capped too (a header may lie), so a bomb costs at most the limit.
import { basename } from 'node:path';
import { constants as Z, gunzip, inflateRaw, inflateRawSync, type ZlibOptions } from 'node:zlib';
import tarStream from 'tar-stream';
import type { ContainerLimits, FormatReader, Part, PartSkip, ReadResult } from './types.js';

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

/** Human sizes for skip reasons: `256 MiB`, `1 GiB`, `1234 bytes`. */
export function formatBytes(n: number): string {
  const units: [number, string][] = [
    [1024 ** 3, 'GiB'],
    [1024 ** 2, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) {
    if (n >= size) {
      const v = n / size;
      return `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
    }
  }
  return `${n} bytes`;
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
  private stopped = false;

  constructor(readonly limits: ContainerLimits) {}

  skip(entry: string | undefined, reason: string): void {
    if (this.skipped.length < MAX_LISTED_SKIPS) this.skipped.push({ ...(entry !== undefined ? { entry } : {}), reason });
    else this.unlisted++;
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
      return `the archive would expand past ${formatBytes(this.limits.maxTotalBytes)} in total (zip bomb?): not read`;
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

  /** The skip records, with a last one counting those not listed. */
  finish(): PartSkip[] {
    if (this.unlisted > 0) this.skipped.push({ reason: `${this.unlisted} more entries skipped (not listed)` });
    return this.skipped;
  }
}

// ---------------------------------------------------------------------------
// Inflating with a cap

type Inflated = { ok: true; data: Buffer; truncated: boolean } | { ok: false; tooLarge: boolean; reason: string };

function zlibCall(fn: typeof inflateRaw | typeof gunzip, data: Buffer, opts: ZlibOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => fn(data, opts, (err, out) => (err ? reject(err) : resolve(out))));
}

/**
 * Inflates at most `cap` bytes (more is an error, found as soon as it happens, so a
 * bomb costs only `cap`). Truncated input yields what could be read, marked truncated.
 */
async function inflateCapped(kind: 'raw' | 'gzip', data: Buffer, cap: number): Promise<Inflated> {
  const fn = kind === 'raw' ? inflateRaw : gunzip;
  const opts: ZlibOptions = { maxOutputLength: Math.max(1, cap), chunkSize: INFLATE_CHUNK };
  try {
    const out = await zlibCall(fn, data, opts);
    if (out.length > cap) return { ok: false, tooLarge: true, reason: 'too large' };
    return { ok: true, data: out, truncated: false };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, tooLarge: true, reason: 'too large' };
    if (code === 'Z_BUF_ERROR') {
      // Cut short (an incomplete download): keep what inflates.
      try {
        const out = await zlibCall(fn, data, { ...opts, finishFlush: Z.Z_SYNC_FLUSH });
        if (out.length > cap) return { ok: false, tooLarge: true, reason: 'too large' };
        return { ok: true, data: out, truncated: true };
      } catch (again) {
        if ((again as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, tooLarge: true, reason: 'too large' };
        return { ok: false, tooLarge: false, reason: message(again) };
      }
    }
    return { ok: false, tooLarge: false, reason: message(err) };
  }
}

// ---------------------------------------------------------------------------
// Zip

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_DESCRIPTOR = 0x08074b50;

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

interface ZipItem {
  name: string;
  flags: number;
  method: number;
  csize: number;
  usize: number;
  /** Where the local header is (already shifted for data prepended to the archive). */
  offset: number;
  /** Unix mode, when the archive was made on Unix. */
  mode: number | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function entryName(raw: Buffer, flags: number): string {
  let name: string;
  if (flags & 0x800) name = raw.toString('utf8');
  else {
    try {
      name = utf8.decode(raw);
    } catch {
      name = raw.toString('latin1');
    }
  }
  return name.replace(/\\/g, '/');
}

function findEocd(buf: Buffer): number {
  const last = buf.length - 22;
  const first = Math.max(0, last - 0xffff);
  let loose = -1;
  for (let i = last; i >= first; i--) {
    if (buf.readUInt32LE(i) !== SIG_EOCD) continue;
    const commentLength = buf.readUInt16LE(i + 20);
    if (i + 22 + commentLength === buf.length) return i;
    if (loose < 0 && i + 22 + commentLength <= buf.length) loose = i;
  }
  return loose;
}

interface Directory {
  items: ZipItem[];
  problem?: string;
}

/** Reads the central directory; null when there is none (not a zip, or cut short). */
function readDirectory(buf: Buffer): Directory | null {
  if (buf.length < 22) return null;
  const eocd = findEocd(buf);
  if (eocd < 0) return null;
  let total = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  const locator = eocd - 20;
  if (locator >= 0 && buf.readUInt32LE(locator) === SIG_ZIP64_LOCATOR) {
    const at = Number(buf.readBigUInt64LE(locator + 8));
    if (at >= 0 && at + 56 <= buf.length && buf.readUInt32LE(at) === SIG_ZIP64_EOCD) {
      total = Number(buf.readBigUInt64LE(at + 32));
      cdSize = Number(buf.readBigUInt64LE(at + 40));
      cdOffset = Number(buf.readBigUInt64LE(at + 48));
    }
  }
  // Data before the archive (a self-extracting stub) shifts every offset.
  let shift = 0;
  const directoryAt = (p: number) => p >= 0 && p + 46 <= buf.length && buf.readUInt32LE(p) === SIG_CENTRAL;
  if (total > 0 && !directoryAt(cdOffset)) {
    const end = locator >= 0 && buf.readUInt32LE(locator) === SIG_ZIP64_LOCATOR ? locator : eocd;
    const guess = end - cdSize;
    if (directoryAt(guess)) shift = guess - cdOffset;
    else return { items: [], problem: 'corrupt zip: the central directory is not where the archive says' };
  }
  const items: ZipItem[] = [];
  let p = cdOffset + shift;
  for (let i = 0; i < total; i++) {
    if (!directoryAt(p)) return { items, problem: `corrupt zip: the central directory ends after ${i} of ${total} entries` };
    const madeBy = buf.readUInt16LE(p + 4);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let csize = buf.readUInt32LE(p + 20);
    let usize = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const external = buf.readUInt32LE(p + 38);
    let offset = buf.readUInt32LE(p + 42);
    const nameEnd = p + 46 + nameLength;
    if (nameEnd + extraLength > buf.length) return { items, problem: `corrupt zip: the central directory ends after ${i} of ${total} entries` };
    const name = entryName(buf.subarray(p + 46, nameEnd), flags);
    // ZIP64 sizes and offset, present for the fields that overflow.
    if (usize === 0xffffffff || csize === 0xffffffff || offset === 0xffffffff) {
      let e = nameEnd;
      const extraEnd = nameEnd + extraLength;
      while (e + 4 <= extraEnd) {
        const id = buf.readUInt16LE(e);
        const size = buf.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let f = e + 4;
          const read = () => {
            if (f + 8 > e + 4 + size) return null;
            const v = Number(buf.readBigUInt64LE(f));
            f += 8;
            return v;
          };
          if (usize === 0xffffffff) usize = read() ?? usize;
          if (csize === 0xffffffff) csize = read() ?? csize;
          if (offset === 0xffffffff) offset = read() ?? offset;
          break;
        }
        e += 4 + size;
      }
    }
    const unix = madeBy >> 8 === 3;
    items.push({ name, flags, method, csize, usize, offset: offset + shift, mode: unix ? external >>> 16 : null });
    p = nameEnd + extraLength + commentLength;
  }
  return { items };
}

/** Where an entry's compressed data starts, from its local header. */
function dataStart(buf: Buffer, item: ZipItem): number | null {
  const p = item.offset;
  if (p < 0 || p + 30 > buf.length || buf.readUInt32LE(p) !== SIG_LOCAL) return null;
  return p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
}

/** Why an entry is not read before looking at its data, or null. */
function unreadable(item: ZipItem): string | null {
  if (item.flags & 0x1 || item.method === 99) return 'encrypted (password-protected) entry: not read';
  if (item.mode !== null && (item.mode & 0o170000) === 0o120000) return 'symbolic link: not followed';
  if (item.method !== 0 && item.method !== 8) {
    const known = METHOD_NAMES[item.method];
    return `compression method ${item.method}${known ? ` (${known})` : ''} not supported: not read`;
  }
  return null;
}

async function readItem(buf: Buffer, item: ZipItem, start: number, budget: Budget, out: ArchiveContents): Promise<void> {
  const end = start + item.csize;
  const cut = end > buf.length;
  const raw = buf.subarray(start, Math.min(end, buf.length));
  // The declared size is the cap: inflating past it means the header lies.
  const cap = Math.min(item.usize, budget.room);
  if (item.method === 0) {
    if (raw.length > cap) {
      budget.skip(item.name, 'stored entry larger than its declared size: not read');
      return;
    }
    budget.take(raw.length);
    out.entries.push({ path: item.name, data: Buffer.from(raw) });
    if (cut) budget.skip(item.name, `truncated archive: only the first ${raw.length} of ${item.usize} bytes read`);
    return;
  }
  const result = await inflateCapped('raw', raw, cap);
  if (!result.ok) {
    if (result.tooLarge) {
      const why =
        cap < item.usize
          ? `inflates past the ${formatBytes(budget.room)} the limits leave (zip bomb?): not read`
          : `inflates past its declared size of ${formatBytes(item.usize)} (zip bomb?): not read`;
      budget.skip(item.name, why);
    } else budget.skip(item.name, `corrupt compressed data (${result.reason}): not read`);
    return;
  }
  budget.take(result.data.length);
  out.entries.push({ path: item.name, data: result.data });
  if (result.truncated || cut) budget.skip(item.name, `truncated: only the first ${result.data.length} of ${item.usize} bytes read`);
}

/** A zip without a central directory (cut short): entries from their local headers. */
async function readLocalHeaders(buf: Buffer, budget: Budget, out: ArchiveContents): Promise<void> {
  let p = buf.indexOf('PK\x03\x04', 0, 'latin1');
  while (p >= 0 && p + 30 <= buf.length && !budget.full) {
    const flags = buf.readUInt16LE(p + 6);
    const method = buf.readUInt16LE(p + 8);
    const csize = buf.readUInt32LE(p + 18);
    const usize = buf.readUInt32LE(p + 22);
    const nameLength = buf.readUInt16LE(p + 26);
    const extraLength = buf.readUInt16LE(p + 28);
    const start = p + 30 + nameLength + extraLength;
    if (start > buf.length) break;
    const name = entryName(buf.subarray(p + 30, p + 30 + nameLength), flags);
    const item: ZipItem = { name, flags, method, csize, usize, offset: p, mode: null };
    const sizesKnown = !(flags & 0x8);
    let next: number;
    if (sizesKnown) next = start + csize;
    else if (method === 8) {
      // Sizes follow the data: inflating finds where the data ends.
      try {
        const res = inflateRawSync(buf.subarray(start), { info: true, maxOutputLength: Math.max(1, budget.room) }) as unknown as {
          buffer: Buffer;
          engine: { bytesWritten: number };
        };
        item.csize = res.engine.bytesWritten;
        item.usize = res.buffer.length;
        next = start + item.csize;
      } catch {
        item.csize = buf.length - start;
        item.usize = budget.room;
        next = buf.length;
      }
    } else {
      if (!name.endsWith('/') && budget.count()) budget.skip(name, 'stored entry of unknown size in a zip without a central directory: not read');
      break;
    }
    if (!name.endsWith('/') && budget.count()) {
      const why = unreadable(item) ?? budget.refuse(item.usize);
      if (why) budget.skip(name, why);
      else await readItem(buf, item, start, budget, out);
    }
    if (next >= buf.length) break;
    if (buf.readUInt32LE(next) === SIG_DESCRIPTOR) next += 16;
    p = buf.indexOf('PK\x03\x04', next, 'latin1');
  }
}

/** Every file entry of a zip, within the limits; never throws. */
export async function readZipEntries(data: Buffer, limits: ContainerLimits): Promise<ArchiveContents> {
  const budget = new Budget(limits);
  const out: ArchiveContents = { entries: [], skipped: [] };
  try {
    const directory = readDirectory(data);
    if (!directory) {
      if (data.length >= 4 && data.readUInt32LE(0) === SIG_LOCAL) {
        budget.skip(undefined, 'truncated zip: no central directory, entries read from their local headers');
        await readLocalHeaders(data, budget, out);
      } else budget.skip(undefined, 'not a readable zip archive (no central directory): not opened');
    } else {
      if (directory.problem) budget.skip(undefined, directory.problem);
      for (const item of directory.items) {
        if (item.name.endsWith('/')) continue;
        if (!budget.count()) break;
        const why = unreadable(item) ?? budget.refuse(item.usize);
        if (why) {
          budget.skip(item.name, why);
          continue;
        }
        const start = dataStart(data, item);
        if (start === null) {
          budget.skip(item.name, 'corrupt zip: no local header where the central directory points: not read');
          continue;
        }
        await readItem(data, item, start, budget, out);
      }
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

/** A tar header: 512 bytes whose checksum adds up (any tar dialect). */
export function looksLikeTar(buf: Buffer): boolean {
  if (buf.length < 512) return false;
  if (buf.toString('latin1', 257, 262) === 'ustar') return true;
  const field = buf.toString('latin1', 148, 156).replace(/[\0 ]+$/g, '').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : buf[i]!;
  return sum === parseInt(field, 8) && buf[0] !== 0;
}

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) {
    // discarded
  }
}

async function readTarEntries(data: Buffer, limits: ContainerLimits): Promise<ArchiveContents> {
  const budget = new Budget(limits);
  const out: ArchiveContents = { entries: [], skipped: [] };
  // Old (v7) tars have no ustar magic: their header checksum is enough.
  const extract = tarStream.extract({ allowUnknownFormat: true } as Parameters<typeof tarStream.extract>[0]);
  extract.on('error', () => {});
  extract.end(data);
  try {
    for await (const entry of extract) {
      const header = entry.header;
      const name = header.name.replace(/\\/g, '/');
      const type: string = header.type ?? 'file';
      if (type === 'directory' || budget.full) {
        await drain(entry);
        continue;
      }
      if (!budget.count()) {
        await drain(entry);
        continue;
      }
      let why: string | null = null;
      if (type === 'symlink') why = `symbolic link (to ${header.linkname ?? '?'}): not followed`;
      else if (type === 'link') why = `hard link (to ${header.linkname ?? '?'}): not followed`;
      else if (type !== 'file' && type !== 'contiguous-file') why = `${type} entry: not read`;
      else why = budget.refuse(header.size ?? 0);
      if (why) {
        budget.skip(name, why);
        await drain(entry);
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
      out.entries.push({ path: name, data: Buffer.concat(chunks, got) });
    }
  } catch (err) {
    const text = message(err);
    const cut = /unexpected end/i.test(text);
    budget.skip(undefined, cut ? `truncated tar archive: entries after the cut not read` : `corrupt tar archive (${text})`);
  }
  out.skipped = budget.finish();
  return out;
}

export const tarReader: FormatReader = {
  async read(data: Buffer, _name: string, limits: ContainerLimits): Promise<ReadResult> {
    try {
      const { entries, skipped } = await readTarEntries(data, limits);
      return { parts: asParts(entries), skipped };
    } catch (err) {
      return { parts: [], skipped: [{ reason: `corrupt tar archive (${message(err)})` }] };
    }
  },
};

// ---------------------------------------------------------------------------
// Gzip

/** `logs.tar.gz` -> `logs.tar`, `x.tgz` -> `x.tar`, `app.log.gz` -> `app.log`. */
export function gunzippedName(name: string): string {
  const base = basename(name);
  if (/\.tgz$/i.test(base)) return base.slice(0, -4) + '.tar';
  if (/\.gz$/i.test(base) && base.length > 3) return base.slice(0, -3);
  return base || 'gunzipped';
}

export const gzipReader: FormatReader = {
  async read(data: Buffer, name: string, limits: ContainerLimits): Promise<ReadResult> {
    const cap = Math.min(limits.maxEntryBytes, limits.maxTotalBytes);
    let inflated: Inflated;
    try {
      inflated = await inflateCapped('gzip', data, cap);
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
    const skipped: PartSkip[] = inflated.truncated ? [{ reason: `truncated gzip: only the first ${inflated.data.length} bytes read` }] : [];
    if (looksLikeTar(inflated.data)) {
      const tar = await tarReader.read(inflated.data, inner, limits);
      return { parts: tar.parts, skipped: [...skipped, ...tar.skipped] };
    }
    if (inflated.data.length === 0) return { parts: [], skipped };
    // A .tar.gz without a tar inside is read as plain content, not reported as a corrupt tar.
    const kind = /\.tar$/i.test(inner) ? 'text' : 'auto';
    return { parts: [{ name: inner, entry: inner, data: inflated.data, kind }], skipped };
  },
};
