// Runs file scans on every core. Files are added while the walk is still going;
// small jobs (a pre-commit hook's handful of files) are scanned on the main thread,
// since starting workers would cost more than it saves.
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
const BATCH_FILES = 128;

/** The bundled worker script (dist/, beside the CLI); absent when running from TypeScript sources. */
function workerScript(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, 'scan-worker.js'), join(here, '..', 'scan-worker.js')].find((p) => existsSync(p)) ?? null;
}

export interface PoolOptions {
  rules: RuleDefinition[];
  limits: ReadLimits;
  workers?: number;
  onProgress?: (files: number, bytes: number) => void;
}

type OnResult = (index: number, result: FileScan) => void;

export class ScanPool {
  private readonly queue: string[] = [];
  private queued = 0;
  private nextToSend = 0;
  private ended = false;
  private done = 0;
  private bytes = 0;
  private workers: Worker[] = [];
  private workersTried = false;
  private idle: Worker[] = [];
  private readonly batchStart = new Map<number, number>();
  private batchId = 0;
  private settle: { resolve: () => void; reject: (err: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly opts: PoolOptions,
    private readonly onResult: OnResult,
  ) {}

  /** Starts the workers now, so their start-up overlaps the walk (for trees that look big). */
  warmUp(): void {
    if (!this.workersTried) this.startWorkers();
  }

  add(path: string): void {
    this.queue.push(path);
    this.queued++;
    if (!this.workersTried && this.queued >= INLINE_BELOW_FILES) this.startWorkers();
    if (this.queued >= INLINE_BELOW_FILES) this.feedIdle();
  }

  /** Called after the last add(): resolves once every file has a result. */
  finish(): Promise<void> {
    this.ended = true;
    // A warmed-up pool that got only a handful of files still scans on the main thread.
    if (this.workers.length === 0 || this.queued < INLINE_BELOW_FILES) {
      this.stop();
      this.scanInline();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      this.feedIdle();
      this.checkDone();
    });
  }

  private record(index: number, result: FileScan): void {
    this.bytes += result.bytes;
    this.done++;
    this.onResult(index, result);
    this.opts.onProgress?.(this.done, this.bytes);
  }

  private scanInline(): void {
    const scanner = new FileScanner(new Detector(this.opts.rules.map(compileRule)), this.opts.limits);
    this.queue.forEach((path, i) => this.record(i, scanner.scan(path)));
  }

  private startWorkers(): void {
    this.workersTried = true;
    const script = workerScript();
    const count = this.opts.workers ?? availableParallelism();
    if (!script || count <= 1) return;
    const init: WorkerInit = { rules: this.opts.rules, limits: this.opts.limits };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(script, { workerData: init });
      worker.on('message', (reply: WorkerReply) => {
        const start = this.batchStart.get(reply.batch)!;
        this.batchStart.delete(reply.batch);
        reply.results.forEach((result, j) => this.record(start + j, result));
        this.idle.push(worker);
        this.feedIdle();
        this.checkDone();
      });
      worker.on('error', (err) => {
        this.failure = err;
        this.checkDone();
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  private feedIdle(): void {
    while (this.idle.length > 0) {
      const waiting = this.queued - this.nextToSend;
      if (waiting === 0 || (waiting < BATCH_FILES && !this.ended)) return;
      const worker = this.idle.pop()!;
      const req: WorkerRequest = { batch: this.batchId, paths: this.queue.slice(this.nextToSend, this.nextToSend + BATCH_FILES) };
      this.batchStart.set(this.batchId++, this.nextToSend);
      this.nextToSend += req.paths.length;
      worker.postMessage(req);
    }
  }

  private checkDone(): void {
    if (!this.settle) return;
    if (this.failure) {
      this.stop();
      this.settle.reject(this.failure);
    } else if (this.ended && this.done === this.queued) {
      this.stop();
      this.settle.resolve();
    }
  }

  private stop(): void {
    for (const w of this.workers) void w.terminate();
    this.workers = [];
  }
}
