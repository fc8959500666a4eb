// Finding Spreeflo keys in screenshots, offline. See docs/ocr.md.
import { availableParallelism } from 'node:os';
import { ResultCache } from './cache.js';
import { type Engines, engineVersion, startEngines } from './engine.js';
import { recognizeImage } from './pipeline.js';
import type { ImageResult, OcrPool, OcrPoolOptions } from './types.js';

export type { ImageCandidate, ImageResult, OcrPool, OcrPoolOptions } from './types.js';

export { isImagePath } from '../formats/kinds.js';

/** Bumped whenever the pipeline changes what it would find, so old cache entries miss. */
export const PIPELINE_VERSION = 'ocr-pipeline-5';

export const DEFAULT_CACHE_DIR = '.spreeflo-scan-cache/ocr';

/**
 * A pool of tesseract.js workers. Nothing is loaded until the first
 * recognize(); each image is read by one slot (an LSTM worker, and a legacy
 * one once a key needs it) from start to end.
 */
export function createOcrPool(opts: OcrPoolOptions = {}): OcrPool {
  const size = Math.max(1, opts.workers ?? availableParallelism());
  const cacheDir = opts.cacheDir === undefined ? DEFAULT_CACHE_DIR : opts.cacheDir;
  const cache = cacheDir === null ? null : new ResultCache(cacheDir, `${PIPELINE_VERSION}/${engineVersion()}`);
  const idle: Engines[] = [];
  const waiting: ((w: Engines) => void)[] = [];
  const all: Promise<Engines>[] = [];
  let closed = false;

  async function acquire(): Promise<Engines> {
    const w = idle.pop();
    if (w) return w;
    if (all.length < size) {
      const p = startEngines();
      all.push(p);
      return p;
    }
    return new Promise((resolve) => waiting.push(resolve));
  }

  function release(w: Engines): void {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  }

  async function recognize(image: Buffer, _name: string): Promise<ImageResult> {
    if (closed) throw new Error('OCR pool is closed');
    const key = cache?.key(image);
    if (cache && key) {
      const hit = await cache.get(key);
      if (hit) return hit;
    }
    let worker: Engines;
    try {
      worker = await acquire();
    } catch (err) {
      return { candidates: [], skipped: `OCR engine failed to start: ${(err as Error).message ?? String(err)}` };
    }
    let result: ImageResult;
    try {
      result = await recognizeImage(worker, image);
    } catch (err) {
      result = { candidates: [], skipped: `OCR failed: ${(err as Error)?.message ?? String(err)}` };
    } finally {
      release(worker);
    }
    // Engine failures are not cached: the next scan should try again.
    if (cache && key && !(result.skipped ?? '').startsWith('OCR failed')) await cache.set(key, result);
    return result;
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
