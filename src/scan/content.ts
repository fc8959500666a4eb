// Content by what it is: plain content through the detector, pictures through OCR,
// containers (archives, documents, videos) opened by their reader into parts that
// are read the same way, nested up to the depth limit.
import { unreadFlag, type Candidate, type Origin, type Skipped } from '../model.js';
import type { Detector } from '../detect/detector.js';
import { gunzippedName, hasPngText, isImageData, isImagePath, needsReaderForData, readerKind, readerKindByName, type ReaderKind } from '../formats/kinds.js';
import { loadReader } from '../formats/readers.js';
import type { ContainerLimits, Part, PartSink, ReaderOptions, ReadResult, TimeRange, Used } from '../formats/types.js';
import { ImageScanner, type ImageScanOptions } from './images.js';
import { owned, StallError } from './stall.js';
import { NameScanner } from '../detect/names.js';
import { formatBytes } from '../units.js';

export interface Found {
  candidate: Candidate;
  fromImage: boolean;
  /** Inside a container: the entry path, nested ones joined by `!` (`inner.zip!app/.env`). */
  entry?: string;
  page?: number;
  time?: TimeRange;
  /** The picture with every key masked and this one outlined (PNG data URI), when thumbnails were asked for. */
  thumbnail?: string;
  /** The key is in the entry's name (`entry` names the entry or folder), not in its content. */
  inName?: true;
}

export interface ContentSkip {
  entry?: string;
  reason: string;
  /** false: nothing that could hold a key went unread (see Skipped). */
  unreadContent?: false;
}

/** Pixels the user chose not to read (--no-ocr): listed, never failing the gate. */
export const NO_OCR: ContentSkip = { reason: 'pixels not read (OCR is off); its bytes were searched', unreadContent: false };

export interface ContentResult {
  found: Found[];
  skipped: ContentSkip[];
}

interface Where {
  entry?: string;
  page?: number;
  time?: TimeRange;
}

/**
 * What the containers of one file have used of its limits, nesting included: a zip of
 * zips, or a zip of ten zips of ten zips, gets the entries and bytes of one file, not
 * those of every container in it.
 */
interface Spent {
  entries: number;
  bytes: number;
}

/** The limits a container inside the file still has, after what the others used. */
function leftOf(limits: ContainerLimits, spent: Spent): ContainerLimits {
  return { ...limits, maxEntries: Math.max(0, limits.maxEntries - spent.entries), maxTotalBytes: Math.max(0, limits.maxTotalBytes - spent.bytes) };
}

/** Adds what a container gave (its parts, and the entries it listed as skipped) to what the file used. */
function spend(spent: Spent, read: ReadResult): void {
  for (const part of read.parts) spent.bytes += part.data.length;
  spent.entries += read.parts.length + read.skipped.filter((s) => s.entry !== undefined).length;
}

/** A skip record's place inside its file. */
function at(where: Where): { entry?: string } {
  return where.entry ? { entry: where.entry } : {};
}

function join(outer: string | undefined, inner: string | undefined): string | undefined {
  if (outer && inner) return `${outer}!${inner}`;
  return inner ?? outer;
}

const KIND_LABEL: Record<ReaderKind, string> = {
  zip: 'archive',
  tar: 'archive',
  gzip: 'archive',
  office: 'document',
  pdf: 'PDF',
  video: 'video',
  html: 'page',
};

function describeNotAnImage(data: Buffer): string {
  return data.length === 0 ? 'image not read: empty file' : 'image not read: not a picture (no PNG, JPEG, GIF, WebP, BMP, TIFF, AVIF or HEIC header); its bytes were searched as text';
}

/**
 * A container's parts, or why it could not be opened. A reader that throws or stalls
 * costs that container, never the scan: it becomes an unread item with the reason.
 */
async function readOwned(kind: ReaderKind, data: Buffer, name: string, limits: ContainerLimits, opts: ReaderOptions, each: PartSink): Promise<ReadResult | { failed: string }> {
  try {
    const reader = await loadReader(kind);
    return await owned(`${kind} reader`, reader.stream ? reader.stream(data, name, limits, each) : reader.read(data, name, limits, opts));
  } catch (err) {
    const why = err instanceof StallError ? err.message : `${kind} reader failed (${(err as Error).message ?? String(err)})`;
    return { failed: `${KIND_LABEL[kind]} not read: ${why}` };
  }
}

/** The same key seen in many frames of a video is one finding, visible from the first frame to the last. */
function mergeFrames(found: Found[]): Found[] {
  const out: Found[] = [];
  const byKey = new Map<string, Found>();
  for (const f of found) {
    if (!f.time) {
      out.push(f);
      continue;
    }
    const id = `${f.entry ?? ''}\u0000${f.candidate.ruleId}\u0000${f.candidate.key}`;
    const seen = byKey.get(id);
    if (!seen) {
      const copy = { ...f, time: { ...f.time } };
      byKey.set(id, copy);
      out.push(copy);
      continue;
    }
    seen.time!.start = Math.min(seen.time!.start, f.time.start);
    seen.time!.end = Math.max(seen.time!.end, f.time.end);
    if (f.candidate.confidence === 'high') seen.candidate = { ...seen.candidate, confidence: 'high' };
  }
  return out;
}

export class ContentScanner {
  private images: ImageScanner | null = null;

  constructor(
    private readonly detector: Detector,
    private readonly ocr: ImageScanOptions | null,
    private readonly limits: ContainerLimits,
  ) {}

  /**
   * Whether a file of this name goes straight to a reader (OCR, a container). A gzip
   * whose name says nothing of its content (`x.1.gz`, not `x.tar.gz`) goes to the scan
   * workers first: most hold plain text, which they read themselves (see plain-gzip.ts).
   */
  needsReader(name: string): boolean {
    const kind = readerKindByName(name);
    return (this.ocr !== null && isImagePath(name)) || (kind !== null && (kind !== 'gzip' || readerKindByName(gunzippedName(name)) !== null));
  }

  /** The same, from the content itself (history blobs have no name). */
  needsReaderForData(data: Buffer): boolean {
    return needsReaderForData(data, this.ocr !== null);
  }

  /**
   * Why a file of `size` bytes whose first bytes are `head` is not opened, or null when
   * it may be: a container or picture is opened in memory, so one larger than the
   * bytes a file's containers may expand to is not (its bytes are still searched, in
   * chunks). A file only named like one is no container: nothing is left unread.
   */
  tooLargeToOpen(name: string, head: Buffer, size: number): ContentSkip | null {
    if (size <= this.limits.maxTotalBytes) return null;
    const kind = readerKind(name, head);
    const what = kind ? KIND_LABEL[kind] : this.ocr !== null && isImageData(head) ? 'image' : null;
    if (what) return { reason: `${what} not opened: ${formatBytes(size)}, over the ${formatBytes(this.limits.maxTotalBytes)} a container may take in memory; its bytes were searched as text` };
    const claimed = readerKindByName(name);
    return { reason: `${claimed ? `${KIND_LABEL[claimed]} not read: the content is not one; ` : ''}its bytes were searched as text, in chunks`, unreadContent: false };
  }

  async scan(name: string, data: Buffer): Promise<ContentResult> {
    const result: ContentResult = { found: [], skipped: [] };
    await this.scanAt(name, data, 1, {}, result, { entries: 0, bytes: 0 });
    result.found = mergeFrames(result.found);
    return result;
  }

  private async scanAt(name: string, data: Buffer, depth: number, where: Where, out: ContentResult, spent: Spent): Promise<void> {
    const kind = readerKind(name, data);
    const claimed = readerKindByName(name);
    if (claimed && claimed !== kind) {
      // Named as a container but not one: no reader is loaded to find that out.
      out.skipped.push({ ...at(where), reason: `${KIND_LABEL[claimed]} not read: the content is not one; its bytes were searched as text`, unreadContent: false });
    }
    if (kind) {
      if (depth > this.limits.maxDepth) {
        out.skipped.push({ ...at(where), reason: `nested deeper than ${this.limits.maxDepth} containers: not opened` });
      } else {
        // A streamed part is spent and read as it comes; what its nested containers use counts for the reader too.
        const each = async (part: Part): Promise<Used> => {
          spend(spent, { parts: [part], skipped: [] });
          const before = { ...spent };
          await this.scanParts({ parts: [part], skipped: [] }, depth, where, out, spent);
          return { entries: spent.entries - before.entries, bytes: spent.bytes - before.bytes };
        };
        const read = await readOwned(kind, data, name, leftOf(this.limits, spent), { pictures: this.ocr !== null }, each);
        if ('failed' in read) out.skipped.push({ ...at(where), reason: read.failed });
        else {
          spend(spent, read);
          await this.scanParts(read, depth, where, out, spent);
        }
        return;
      }
    }
    if (this.ocr !== null && isImageData(data)) {
      await this.scanImage(name, data, where, out);
      return;
    }
    if (this.ocr !== null && isImagePath(name)) {
      // Named as a picture but not one: no image decoder is loaded to find that out.
      out.skipped.push({ ...at(where), reason: describeNotAnImage(data), unreadContent: false });
    }
    if (this.ocr === null && isImageData(data)) out.skipped.push({ ...at(where), ...NO_OCR });
    await this.scanBytes(data, where, out);
  }

  /**
   * Content's bytes through the detector, and a PNG's text chunks one by one (a
   * deflated chunk hides its text from the bytes): a key in a chunk is reported
   * there (`entry: zTXt:Comment`), once.
   */
  private async scanBytes(data: Buffer, where: Where, out: ContentResult): Promise<void> {
    if (!hasPngText(data)) {
      for (const candidate of this.detector.scan(data)) out.found.push({ candidate, fromImage: false, ...where });
      return;
    }
    const { searchPng } = await import('../formats/png-text.js');
    const read = searchPng(this.detector, data, this.limits);
    for (const skip of read.skipped) out.skipped.push({ entry: join(where.entry, skip.entry)!, reason: skip.reason });
    for (const { candidate, entry } of read.found) out.found.push({ candidate, fromImage: false, ...(entry === undefined ? where : this.whereOf(where, { entry })) });
  }

  private async scanParts(read: ReadResult, depth: number, where: Where, out: ContentResult, spent: Spent): Promise<void> {
    this.scanEntryNames(read, where, out);
    for (const skip of read.skipped) {
      const entry = join(where.entry, skip.entry);
      out.skipped.push({ ...(entry ? { entry } : {}), reason: skip.reason, ...unreadFlag(skip) });
    }
    for (const part of read.parts) {
      const inner = this.whereOf(where, part);
      if (part.kind === 'text') {
        for (const candidate of this.detector.scan(part.data)) out.found.push({ candidate, fromImage: false, ...inner });
      } else if (part.kind === 'image') {
        if (this.ocr) await this.scanImage(part.name, part.data, inner, out);
        else {
          await this.scanBytes(part.data, inner, out);
          out.skipped.push({ ...at(inner), ...NO_OCR });
        }
      } else {
        await this.scanAt(part.name, part.data, depth + 1, inner, out, spent);
      }
    }
  }

  /** Entry names (archive paths and their folders, document parts, PDF attachments), read or skipped. */
  private scanEntryNames(read: ReadResult, where: Where, out: ContentResult): void {
    const names = new NameScanner(this.detector);
    // Columns count in the whole entry (`outer.zip!inner/name`).
    const shift = where.entry ? where.entry.length + 1 : 0;
    for (const { entry } of [...read.parts, ...read.skipped]) {
      if (entry === undefined) continue;
      for (const { name, candidate } of names.scan(entry)) {
        out.found.push({ candidate: { ...candidate, column: candidate.column + shift }, fromImage: false, ...where, entry: join(where.entry, name)!, inName: true });
      }
    }
  }

  private whereOf(outer: Where, part: Pick<Part, 'entry' | 'page' | 'time'>): Where {
    const entry = join(outer.entry, part.entry);
    const page = part.page ?? outer.page;
    const time = part.time ?? outer.time;
    return { ...(entry ? { entry } : {}), ...(page !== undefined ? { page } : {}), ...(time ? { time } : {}) };
  }

  private async scanImage(name: string, data: Buffer, where: Where, out: ContentResult): Promise<void> {
    this.images ??= new ImageScanner(this.ocr!);
    await this.scanBytes(data, where, out);
    const result = await this.images.scan(data, name);
    const thumbs = this.ocr!.thumbnails && result.inPixels.length > 0 ? await this.thumbnails(data, result.inPixels, where, out) : null;
    for (const candidate of result.inPixels) {
      const thumbnail = thumbs?.get(candidate.key);
      out.found.push({ candidate, fromImage: true, ...where, ...(thumbnail ? { thumbnail } : {}) });
    }
    if (result.skipped) out.skipped.push({ ...at(where), ...result.skipped });
  }

  /** Thumbnails for the HTML report; a key already shown from an earlier frame of the same video gets none. */
  private async thumbnails(data: Buffer, found: Candidate[], where: Where, out: ContentResult): Promise<Map<string, string>> {
    const shown = (key: string) => out.found.some((f) => f.thumbnail && f.time && where.time && f.entry === where.entry && f.candidate.key === key);
    const { keyThumbnails } = await import('../report/thumbnail.js');
    return keyThumbnails(data, found.filter((c) => c.box).map((c) => ({ key: c.key, box: c.box! })), (key) => !shown(key));
  }

  async close(): Promise<void> {
    await this.images?.close();
  }
}

/** A finding's origin: where the file is (`base`), plus where inside it the key was. */
export function originOf(base: Origin, f: Found): Origin & { thumbnail?: string } {
  const inside = f.entry !== undefined || f.page !== undefined || f.time !== undefined;
  return {
    ...base,
    source: f.fromImage ? 'image' : inside ? 'document' : base.source,
    ...(f.entry !== undefined ? { entry: f.entry } : {}),
    ...(f.page !== undefined ? { page: f.page } : {}),
    ...(f.time !== undefined ? { time: f.time } : {}),
    ...(f.inName ? { inName: true } : {}),
    // Carried into the Finding by toFinding; only the HTML report reads it.
    ...(f.thumbnail !== undefined ? { thumbnail: f.thumbnail } : {}),
  };
}

/** A skipped part, reported at its file (`path!entry`). */
export function skipPath(path: string, skip: ContentSkip): string {
  return skip.entry ? `${path}!${skip.entry}` : path;
}

/** A skipped part as a report lists it, at its file, keeping whether it left content unread. */
export function skippedAt(path: string, skip: ContentSkip): Skipped {
  return { path: skipPath(path, skip), reason: skip.reason, ...unreadFlag(skip) };
}
