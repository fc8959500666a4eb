// Runs file scans on every core. Small jobs (a pre-commit hook's handful of files)
// are scanned on the main thread: starting workers would cost more than it saves.
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compileRule, type RuleDefinition } from '../detect/rules.js';
import { Detector } from '../detect/detector.js';
import { FileScanner, type FileScan, type ReadLimits } from './read-file.js';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker-protocol.js';

const INLINE_BELOW_FILES = 200;
const BATCH_FILES = 64;

/** The bundled worker script; absent when running from TypeScript sources (tests). */
function workerScript(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidate = join(here, 'scan-worker.js');
  return existsSync(candidate) ? candidate : null;
}

export interface PoolOptions {
  rules: RuleDefinition[];
  limits: ReadLimits;
  workers?: number;
  onProgress?: (files: number, bytes: number) => void;
}

/** Scans `paths`, calling `onResult` for each in order of completion. */
export async function scanFiles(
  paths: string[],
  opts: PoolOptions,
  onResult: (index: number, result: FileScan) => void,
): Promise<void> {
  const script = workerScript();
  const workers = Math.min(opts.workers ?? availableParallelism(), Math.ceil(paths.length / BATCH_FILES));
  if (!script || paths.length < INLINE_BELOW_FILES || workers <= 1) {
    scanInline(paths, opts, onResult);
    return;
  }
  await scanInWorkers(script, workers, paths, opts, onResult);
}

function scanInline(paths: string[], opts: PoolOptions, onResult: (index: number, result: FileScan) => void): void {
  const scanner = new FileScanner(new Detector(opts.rules.map(compileRule)), opts.limits);
  let bytes = 0;
  paths.forEach((p, i) => {
    const result = scanner.scan(p);
    bytes += result.bytes;
    onResult(i, result);
    opts.onProgress?.(i + 1, bytes);
  });
}

function scanInWorkers(
  script: string,
  count: number,
  paths: string[],
  opts: PoolOptions,
  onResult: (index: number, result: FileScan) => void,
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const init: WorkerInit = { rules: opts.rules, limits: opts.limits };
    const batchStart = new Map<number, number>();
    let next = 0;
    let batchId = 0;
    let done = 0;
    let bytes = 0;
    let live = count;
    const pool: Worker[] = [];

    const feed = (worker: Worker): boolean => {
      if (next >= paths.length) return false;
      const req: WorkerRequest = { batch: batchId, paths: paths.slice(next, next + BATCH_FILES) };
      batchStart.set(batchId++, next);
      next += req.paths.length;
      worker.postMessage(req);
      return true;
    };
    const finish = (err?: Error) => {
      for (const w of pool) void w.terminate();
      if (err) reject(err);
      else resolvePromise();
    };

    for (let i = 0; i < count; i++) {
      const worker = new Worker(script, { workerData: init });
      pool.push(worker);
      worker.on('message', (reply: WorkerReply) => {
        const start = batchStart.get(reply.batch)!;
        batchStart.delete(reply.batch);
        reply.results.forEach((result, j) => {
          bytes += result.bytes;
          onResult(start + j, result);
        });
        done += reply.results.length;
        opts.onProgress?.(done, bytes);
        if (!feed(worker) && --live === 0) finish();
      });
      worker.on('error', (err) => finish(err));
      if (!feed(worker) && --live === 0) finish();
    }
  });
}
