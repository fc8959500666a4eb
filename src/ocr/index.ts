// Finding Spreeflo keys in screenshots, offline. See docs/ocr.md.
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { ResultCache } from './cache.js';
import { forTerminal } from '../report/printed.js';
import { type Engines, engineVersion, startEngines } from './engine.js';
import { recognizeGrey } from './pipeline.js';
import { COLLECT_AFTER_PIXELS, collectGarbage } from './memory.js';
import { type Grey, decode } from './preprocess.js';
import type { ImageCandidate, ImageResult, OcrPool, OcrPoolOptions } from './types.js';

export type { ImageCandidate, ImageResult, OcrPool, OcrPoolOptions } from './types.js';

export { isImagePath } from '../formats/kinds.js';

/** Bumped whenever the pipeline changes what it would find, so old cache entries miss. */
export const PIPELINE_VERSION = 'ocr-pipeline-42';

export const DEFAULT_CACHE_DIR = '.spreeflo-scan-cache/ocr';

/**
 * How long one picture may hold its engines, wall time: 60 s, or
 * SPREEFLO_SCAN_OCR_SECONDS (tests set a tiny one). A picture tesseract cannot
 * finish in that time (tens of megapixels of clutter it takes for words) is
 * listed as not read, and its engines are terminated and replaced: a call into
 * the WebAssembly cannot be interrupted. Not 20 s: on a 2-core machine shared
 * with other work (load 7 to 12) a fixture screenshot of 0.4 megapixels took
 * 10 s, and over 20 s, and a gate must not fail on a busy runner.
 */
export function ocrBudgetSeconds(): number {
  const set = Number(process.env.SPREEFLO_SCAN_OCR_SECONDS);
  return set > 0 ? set : 60;
}

const warned = new Set<string>();

/** A cache that cannot be trusted is said once per process, however many pools meet it. */
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`spreeflo-scan: ${forTerminal(message)}\n`);
}

/**
 * A pool of tesseract.js workers. Nothing is loaded until the first image
 * that decodes; each image is read by one slot (an LSTM worker, and a legacy
 * one once a key needs it) from start to end.
 */
/**
 * Each key's box cut to the picture's edges: a wrapped key's first piece is cut a
 * space's width left of its words (so the join reads no glyph of the word before as
 * the key's), which is past the edge when the key starts its line at the picture's
 * edge (a terminal's `KEY=sfk` at x 2: a box from x -19). Reports show the box.
 */
export function withinPicture(result: ImageResult, picture: { width: number; height: number }): ImageResult {
  const cut = ({ x, y, width, height }: ImageCandidate['box']): ImageCandidate['box'] => {
    const x0 = Math.min(Math.max(0, x), picture.width);
    const y0 = Math.min(Math.max(0, y), picture.height);
    return { x: x0, y: y0, width: Math.max(0, Math.min(picture.width, x + width) - x0), height: Math.max(0, Math.min(picture.height, y + height) - y0) };
  };
  return { ...result, candidates: result.candidates.map((c) => ({ ...c, box: cut(c.box) })) };
}

export function createOcrPool(opts: OcrPoolOptions = {}): OcrPool {
  const size = Math.max(1, opts.workers ?? availableParallelism());
  const cacheDir = opts.cacheDir === undefined ? DEFAULT_CACHE_DIR : opts.cacheDir;
  // Opened (checked, tightened, its secret read or made) by the first image.
  let cache: Promise<ResultCache | null> | null = null;
  const openCache = (dir: string) =>
    ResultCache.open(dir, `${PIPELINE_VERSION}/${engineVersion()}`, opts.cacheRoot ? [opts.cacheRoot] : []).catch((err: Error) => {
      warnOnce(`OCR cache not used (images are read again): ${err.message}`);
      return null;
    });
  // An image holds its slot from decoding to its last read, so at most `size`
  // decoded images are in memory; engines start only for images that decode.
  const slots = pLimit(size);
  const idle: Engines[] = [];
  const all = new Set<Promise<Engines>>();
  let closed = false;

  function acquire(): Promise<Engines> {
    const w = idle.pop();
    if (w) return Promise.resolve(w);
    if (all.size === 0) opts.onEngineStart?.();
    const started = startEngines();
    all.add(started);
    return started;
  }

  /** The engines of a picture that ran out of time: busy in a call that cannot be stopped. */
  async function discard(engines: Engines): Promise<void> {
    for (const started of all) if ((await started.catch(() => null)) === engines) all.delete(started);
    await engines.terminate();
  }

  async function recognize(image: Buffer, _name: string): Promise<ImageResult> {
    if (closed) throw new Error('OCR pool is closed');
    const results = cacheDir === null ? null : await (cache ??= openCache(cacheDir));
    const key = results?.key(image);
    if (results && key) {
      const hit = await results.get(key);
      if (hit) return hit;
    }
    const { result, pixels } = await slots(() => decodeAndRead(image));
    // Its copies are garbage now; collected before the next big picture is decoded beside them.
    if (pixels > COLLECT_AFTER_PIXELS) collectGarbage();
    // Engine failures are not cached: the next scan should try again.
    if (results && key && !(result.skipped ?? '').startsWith('OCR')) await results.set(key, result);
    return result;
  }

  /** The picture's result, and its pixels (0 when it did not decode). */
  async function decodeAndRead(image: Buffer): Promise<{ result: ImageResult; pixels: number }> {
    const decoded = await decode(image);
    if (!decoded.ok) return { result: { candidates: [], skipped: decoded.reason }, pixels: 0 };
    const pixels = decoded.grey.width * decoded.grey.height;
    return { result: await read(decoded.grey), pixels };
  }

  /** A decoded picture through a slot's engines. */
  async function read(grey: Grey): Promise<ImageResult> {
    let worker: Engines;
    try {
      worker = await acquire();
    } catch (err) {
      return { candidates: [], skipped: `OCR engine failed to start: ${(err as Error).message ?? String(err)}` };
    }
    const seconds = ocrBudgetSeconds();
    let timer: NodeJS.Timeout | undefined;
    const outOfTime = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), seconds * 1000)));
    const reading = recognizeGrey(worker, grey);
    // Once abandoned at the limit it fails (its engines are gone) with nobody waiting.
    reading.catch(() => undefined);
    try {
      const result = await Promise.race([reading, outOfTime]);
      if (result) {
        idle.push(worker);
        return withinPicture(result, grey);
      }
    } catch (err) {
      idle.push(worker);
      return { candidates: [], skipped: `OCR failed: ${(err as Error)?.message ?? String(err)}` };
    } finally {
      clearTimeout(timer);
    }
    await discard(worker);
    return { candidates: [], skipped: `OCR stopped after ${seconds} s (the limit per picture; SPREEFLO_SCAN_OCR_SECONDS sets it)` };
  }

  async function close(): Promise<void> {
    closed = true;
    const workers = await Promise.allSettled(all);
    await Promise.all(workers.map((r) => (r.status === 'fulfilled' ? r.value.terminate() : undefined)));
    all.clear();
    idle.length = 0;
  }

  return { recognize, close };
}
