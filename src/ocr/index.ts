// Finding Spreeflo keys in screenshots, offline. See docs/ocr.md.
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { ResultCache } from './cache.js';
import { forTerminal } from '../report/printed.js';
import { type Engines, engineVersion, startEngines } from './engine.js';
import { recognizeGrey } from './pipeline.js';
import { decode } from './preprocess.js';
import type { ImageResult, OcrPool, OcrPoolOptions } from './types.js';

export type { ImageCandidate, ImageResult, OcrPool, OcrPoolOptions } from './types.js';

export { isImagePath } from '../formats/kinds.js';

/** Bumped whenever the pipeline changes what it would find, so old cache entries miss. */
export const PIPELINE_VERSION = 'ocr-pipeline-14';

export const DEFAULT_CACHE_DIR = '.spreeflo-scan-cache/ocr';

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
  const all: Promise<Engines>[] = [];
  let closed = false;

  function acquire(): Promise<Engines> {
    const w = idle.pop();
    if (w) return Promise.resolve(w);
    if (all.length === 0) opts.onEngineStart?.();
    const started = startEngines();
    all.push(started);
    return started;
  }

  async function recognize(image: Buffer, _name: string): Promise<ImageResult> {
    if (closed) throw new Error('OCR pool is closed');
    const results = cacheDir === null ? null : await (cache ??= openCache(cacheDir));
    const key = results?.key(image);
    if (results && key) {
      const hit = await results.get(key);
      if (hit) return hit;
    }
    const result = await slots(() => decodeAndRead(image));
    // Engine failures are not cached: the next scan should try again.
    if (results && key && !(result.skipped ?? '').startsWith('OCR')) await results.set(key, result);
    return result;
  }

  async function decodeAndRead(image: Buffer): Promise<ImageResult> {
    const decoded = await decode(image);
    if (!decoded.ok) return { candidates: [], skipped: decoded.reason };
    let worker: Engines;
    try {
      worker = await acquire();
    } catch (err) {
      return { candidates: [], skipped: `OCR engine failed to start: ${(err as Error).message ?? String(err)}` };
    }
    try {
      return await recognizeGrey(worker, decoded.grey);
    } catch (err) {
      return { candidates: [], skipped: `OCR failed: ${(err as Error)?.message ?? String(err)}` };
    } finally {
      idle.push(worker);
    }
  }

  async function close(): Promise<void> {
    closed = true;
    const workers = await Promise.allSettled(all);
    await Promise.all(workers.map((r) => (r.status === 'fulfilled' ? r.value.terminate() : undefined)));
    all.length = 0;
    idle.length = 0;
  }

  return { recognize, close };
}
