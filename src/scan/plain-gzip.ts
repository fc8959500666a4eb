// Most gzip files in a tree hold plain text (man pages, changelogs: 24,000 of
// /usr/share's 61,000 files). The scan worker that read one inflates and searches it
// itself, on its core, with no second read; the main thread's gzip reader
// (formats/archive.ts) gets only the rest: a tar, picture or container inside, a
// corrupt or truncated stream, content past what a worker inflates at once, a name
// that may hold a key. It reports those with their limits and reasons, as before.
import { gunzippedName, hasPngText, isImageData, isImagePath, looksLikeTar, readerKind, readerKindByName } from '../formats/kinds.js';

/** Inflated bytes a worker holds at once: a bound on its memory, not on what is read. */
const WORKER_INFLATE_BYTES = 8 * 1024 * 1024;

export interface PlainGzip {
  /** The content's name, as the gzip reader names its entry (`app.log.gz` -> `app.log`). */
  entry: string;
  data: Buffer;
}

/**
 * The content of the gzip file `name` when it is plain and at most `cap` bytes (the
 * file's container limits), or null when the gzip reader must read it.
 */
export function plainGzip(name: string, data: Buffer, cap: number): PlainGzip | null {
  const claimed = readerKindByName(name);
  const entry = gunzippedName(name);
  if ((claimed !== null && claimed !== 'gzip') || readerKindByName(entry) !== null || isImagePath(entry)) return null;
  let inflated: Buffer;
  try {
    // Loaded on first use: node:zlib (and the streams under it) took a scan worker's start ~10 ms to compile, for the few .gz files.
    const { gunzipSync } = process.getBuiltinModule('node:zlib');
    inflated = gunzipSync(data, { maxOutputLength: Math.max(1, Math.min(cap, WORKER_INFLATE_BYTES)) });
  } catch {
    return null;
  }
  if (looksLikeTar(inflated) || readerKind(entry, inflated) !== null || isImageData(inflated) || hasPngText(inflated)) return null;
  return { entry, data: inflated };
}
