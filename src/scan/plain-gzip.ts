// Most gzip files in a tree hold plain text (man pages, changelogs: 24,000 of
// /usr/share's 61,000 files). The scan worker that read one inflates and searches it
// itself, on its core, with no second read; the main thread's gzip reader
// (formats/archive.ts) gets only the rest: a tar, picture or container inside, a
// corrupt or truncated stream, content past what a worker inflates at once, a name
// that may hold a key. It reports those with their limits and reasons, as before.
// Plain content past what a worker inflates at once is inflated as a stream on the
// main thread and searched through one chunk, never held whole (streamPlainGzip).
import { createReadStream } from 'node:fs';
import type { Candidate } from '../model.js';
import type { Detector } from '../detect/detector.js';
import { gunzippedName, hasPngText, isImageData, isImagePath, looksLikeTar, readerKind, readerKindByName } from '../formats/kinds.js';
import { formatBytes } from '../units.js';
import { ChunkWindow } from './read-file.js';

/** Inflated bytes a worker holds at once: a bound on its memory, not on what is read. */
const WORKER_INFLATE_BYTES = 8 * 1024 * 1024;
/**
 * The smallest piece a worker inflates into: a size the trailer understates (a file of
 * several gzip members states its last one's) costs more pieces, not thousands of
 * zlib calls; pieces this small come from Node's shared pool, not malloc.
 */
const MIN_PIECE_BYTES = 1024;
/** Inflated bytes looked at before a stream is searched, to tell plain content from a tar, container or picture. */
const HEAD_BYTES = 64 * 1024;

export interface PlainGzip {
  /** The content's name, as the gzip reader names its entry (`app.log.gz` -> `app.log`). */
  entry: string;
  data: Buffer;
}

/** The entry name of the gzip file `name` when its name leaves its content to be plain (`x.1.gz`, not `x.tar.gz`), or null. */
export function plainGzipEntry(name: string): string | null {
  const claimed = readerKindByName(name);
  const entry = gunzippedName(name);
  return (claimed !== null && claimed !== 'gzip') || readerKindByName(entry) !== null || isImagePath(entry) ? null : entry;
}

/**
 * The content's size as the gzip trailer states it (ISIZE, modulo 4 GiB; of the last
 * member only, when there are several), or null when the data is too short to have one.
 */
function statedSize(data: Buffer): number | null {
  // A header of 10 bytes, a trailer of 8.
  return data.length >= 18 ? data.readUInt32LE(data.length - 4) : null;
}

/** Whether inflated content that begins with `head` is plain: no tar, container or picture. */
function plainInside(entry: string, head: Buffer): boolean {
  return !(looksLikeTar(head) || readerKind(entry, head) !== null || isImageData(head) || hasPngText(head));
}

/**
 * The content of the gzip file `name` when it is plain and at most `cap` bytes (the
 * file's container limits), or null when the gzip reader must read it.
 */
export function plainGzip(name: string, data: Buffer, cap: number): PlainGzip | null {
  const entry = plainGzipEntry(name);
  if (entry === null) return null;
  const most = Math.max(1, Math.min(cap, WORKER_INFLATE_BYTES));
  const size = statedSize(data);
  // Said to be larger than a worker holds: the main thread streams it (a size that lies only sends it there).
  if (size !== null && size > most) return null;
  let inflated: Buffer;
  try {
    // Loaded on first use: node:zlib (and the streams under it) took a scan worker's start ~10 ms to compile, for the few .gz files.
    const { gunzipSync } = process.getBuiltinModule('node:zlib');
    // Output in one piece of the stated size, one byte over so that zlib stops with room
    // left and asks for no second piece: by default it inflates into 16 KiB pieces and then
    // copies them into one buffer, twice the content in garbage per file, which the worker's
    // malloc arena kept resident (bench/README.md, "Peak RSS: gzip inflated in one piece, no canvas").
    const chunkSize = Math.max(MIN_PIECE_BYTES, (size ?? 0) + 1);
    inflated = gunzipSync(data, { maxOutputLength: most, chunkSize });
  } catch {
    return null;
  }
  return plainInside(entry, inflated) ? { entry, data: inflated } : null;
}

export interface StreamedGzip {
  candidates: Candidate[];
  /** Why the content was not read to its end (past `cap`, a stream that fails midway); the keys before are kept. */
  unread?: string;
}

/**
 * The gzip file at `path`, whose content is named `entry` (see plainGzipEntry),
 * inflated as a stream and searched in chunks, up to `cap` inflated bytes: memory
 * stays at one chunk whatever the content's size. Null when the gzip reader must read
 * it: its first bytes say a tar, container or picture is inside, it is shorter than
 * HEAD_BYTES, or the stream fails before then (the reader says why).
 */
export async function streamPlainGzip(path: string | Buffer, entry: string, detector: Detector, cap: number): Promise<StreamedGzip | null> {
  const input = createReadStream(path);
  const inflate = process.getBuiltinModule('node:zlib').createGunzip();
  input.once('error', (err) => inflate.destroy(err));
  input.pipe(inflate);
  const head: Buffer[] = [];
  let window: ChunkWindow | null = null;
  try {
    for await (const piece of inflate as AsyncIterable<Buffer>) {
      let data = piece;
      if (!window) {
        head.push(piece);
        if (head.reduce((n, b) => n + b.length, 0) < HEAD_BYTES) continue;
        data = Buffer.concat(head);
        if (!plainInside(entry, data)) return null;
        window = new ChunkWindow(detector);
      }
      const room = cap - window.bytes;
      if (data.length > room) {
        window.write(data.subarray(0, room));
        return { candidates: window.end(), unread: `expands past the ${formatBytes(cap)} limit (gzip bomb?): only the first ${formatBytes(cap)} read` };
      }
      window.write(data);
    }
  } catch (err) {
    if (!window) return null;
    return { candidates: window.end(), unread: `gzip stream failed after ${formatBytes(window.bytes)} (${(err as Error).message}): the rest not read` };
  } finally {
    input.destroy();
    inflate.destroy();
  }
  return window ? { candidates: window.end() } : null;
}
