// Images: their pixels through OCR (their bytes and text chunks go through the
// detector like any file's, in content.ts). The OCR engine is loaded on the first
// image, never before.
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Candidate } from '../model.js';
import type { ContentSkip } from './content.js';
import type { OcrPool } from '../ocr/index.js';
import { Semaphore } from 'async-mutex';
import { MAX_PIXELS, NO_TEXT, TOO_SMALL, couldShowKey, headerProblem, headerSize } from '../formats/image-header.js';
import { owned, StallError } from './stall.js';
import type { SkipFolder } from '../sources/files.js';

export interface ImageScanOptions {
  /** null: no persistent cache. */
  cacheDir: string | null;
  workers?: number;
  /** Make a thumbnail (key masked) of each picture holding a key, for the HTML report. */
  thumbnails?: boolean;
  /** Called as the OCR engine first starts (a picture the cache did not hold). */
  onEngineStart?: () => void;
}

export interface ImageScan {
  /** Keys read from the pixels. */
  inPixels: Candidate[];
  skipped?: ContentSkip;
}

/** What the decoder says of pictures that cannot show a key; anything else it fails on might (a viewer may draw part of it). */
const SHOWS_NO_KEY = new Set(['empty file', TOO_SMALL, NO_TEXT]);

/** Pixels left unread when they could show a key; listed, not failing, when they could not. */
function pixelSkip(problem: string, fromHeader: boolean): ContentSkip {
  const noKey = fromHeader ? !couldShowKey(problem) : SHOWS_NO_KEY.has(problem);
  return { reason: `image not read: ${problem}`, ...(noKey ? { unreadContent: false as const } : {}) };
}

/** `$SPREEFLO_SCAN_CACHE_DIR`, else `$XDG_CACHE_HOME/spreeflo-scan`, else `~/.cache/spreeflo-scan`. */
export function defaultCacheDir(): string {
  if (process.env.SPREEFLO_SCAN_CACHE_DIR) return process.env.SPREEFLO_SCAN_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'spreeflo-scan');
}

/**
 * The cache folder, for a scan of the folder holding it (a home folder) to leave
 * out: its entries are encrypted, so reading them is only work. None before it exists.
 */
export function ownCacheFolder(dir: string): SkipFolder[] {
  try {
    const st = statSync(dir);
    return st.isDirectory() ? [{ dev: st.dev, ino: st.ino, name: basename(resolve(dir)), reason: "the scanner's own OCR cache, not scanned (its entries are encrypted)" }] : [];
  } catch {
    return [];
  }
}

/**
 * Memory the pictures being read at once may take, in MB: the OCR pool reads one
 * picture per core, and each holds an engine (about 140 MB of tesseract's
 * WebAssembly memory once it has read a page) and about 3.5 bytes per pixel while
 * it is read (the grey picture, its normalised copy, the 4-megapixel page and
 * sharp's buffers). 340 MB: two screenshots (141 MB each) still share the cores, a
 * picture over 8.5 MP is read alone (two 20 MP ones at once went past 400 MB).
 */
const MB_IN_FLIGHT = 340;
const ENGINE_MB = 140;
const MB_PER_PIXEL = 3.5 / 1_000_000;

/** What a picture weighs against that budget, in MB: by its header's size, else the whole budget (the decoder will tell). */
function memoryWeight(data: Buffer): number {
  const size = headerSize(data);
  const pixels = size && 'width' in size ? Math.min(MAX_PIXELS, size.width * size.height) : MAX_PIXELS;
  return Math.min(MB_IN_FLIGHT, Math.ceil(ENGINE_MB + pixels * MB_PER_PIXEL));
}

export class ImageScanner {
  private pool: Promise<OcrPool> | null = null;
  /** Counted in MB: async-mutex walks every unit of its value on each release. */
  private readonly memory = new Semaphore(MB_IN_FLIGHT);

  constructor(private readonly opts: ImageScanOptions) {}

  private ocr(): Promise<OcrPool> {
    this.pool ??= import('../ocr/index.js').then((m) =>
      m.createOcrPool({
        ...(this.opts.cacheDir === null ? { cacheDir: null } : { cacheDir: join(this.opts.cacheDir, 'ocr'), cacheRoot: this.opts.cacheDir }),
        ...(this.opts.workers ? { workers: this.opts.workers } : {}),
        ...(this.opts.onEngineStart ? { onEngineStart: this.opts.onEngineStart } : {}),
      }),
    );
    return this.pool;
  }

  async scan(data: Buffer, name: string): Promise<ImageScan> {
    const problem = headerProblem(data);
    if (problem) return { inPixels: [], skipped: pixelSkip(problem, true) };
    let result: Awaited<ReturnType<OcrPool['recognize']>>;
    try {
      result = await owned('OCR', this.memory.runExclusive(() => this.ocr().then((pool) => pool.recognize(data, name)), memoryWeight(data)));
    } catch (err) {
      // The bytes were searched; the pixels were not.
      return { inPixels: [], skipped: { reason: `image not read: ${err instanceof StallError ? err.message : `OCR failed (${(err as Error).message})`}` } };
    }
    const inPixels: Candidate[] = result.candidates.map((c) => ({
      ruleId: c.ruleId,
      key: c.key,
      // An image has no lines: the box says where the key is.
      line: 0,
      column: 0,
      confidence: c.confidence,
      // No line to quote: a note on what the picture hides, if any, stands in its place.
      snippet: c.note ?? '',
      box: c.box,
    }));
    return { inPixels, ...(result.skipped ? { skipped: pixelSkip(result.skipped, false) } : {}) };
  }

  async close(): Promise<void> {
    if (this.pool) await (await this.pool).close();
  }
}
