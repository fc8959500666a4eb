// Runs file scans on every core: worker threads on all cores but one, and the main
// thread itself once the walk is done. Files are added while the walk is still
// going; small jobs (a handful of files) are scanned on the main thread alone,
// since starting a worker would cost more than it saves.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { compileRule, type RuleDefinition } from '../detect/rules.js';
import { Detector } from '../detect/detector.js';
import { FileScanner, type FileScan, type ReadLimits, type ReadOptions } from './read-file.js';
import { BY_MAIN, FREE, type WorkerInit, type WorkerReply, type WorkerRequest } from './worker-protocol.js';
import { startWorker, takeStarted } from './prestart.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { owned } from './stall.js';

const INLINE_BELOW_FILES = 200;
const BATCH_FILES = 64;
/**
 * Files the main thread scans between turns of the event loop once the walk is over: a
 * worker's replies, and its next batches, wait for the turn, and eight batches last it
 * less than 64 files of ours that hold a large file (it idled 0.27 s of a 3 s scan).
 */
const MAIN_FILES = 8;
/**
 * Batches a worker holds at once: enough to keep it scanning while the main thread is busy
 * (opening a PDF takes ~0.2 s; with 8, the worker idled 120-145 ms of a system-tree scan while
 * the main thread was inside one large file). Holding more costs no wait at the end: the main
 * thread takes back what a worker has not begun (takeBack).
 */
const BATCHES_AHEAD = 32;
/**
 * Files the walk may list ahead of what the workers have been sent; past this it waits
 * while the main thread scans (keepUp). Each file waiting holds its object and paths, about
 * 235 bytes: a walk of 400,000 small files was 171,000 ahead of the scan, 40 MB, and a
 * tree's peak memory grew with its size. At 8,192 the system trees' like-with-like scan,
 * whose walk gets further ahead, was 2-4% slower; at this it is not (bench/README.md,
 * "Peak RSS: gzip inflated in one piece, no canvas").
 */
const WALK_AHEAD_FILES = 32768;

export interface PoolOptions {
  rules: RuleDefinition[];
  limits: ReadLimits;
  read: ReadOptions;
  /** Threads in all, the main thread included (default: the cores). */
  threads?: number;
  onProgress?: (files: number, bytes: number) => void;
}

type OnResult = (index: number, result: FileScan) => void;

/** A batch sent and not answered: the indexes of its first and past its last file, and its files' claims. */
interface InFlight {
  start: number;
  end: number;
  claims: Int32Array;
}

interface PoolWorker {
  thread: Worker;
  /** By batch id, in the order sent. */
  inFlight: Map<number, InFlight>;
}

export class ScanPool {
  private readonly queue: string[] = [];
  private nextToSend = 0;
  private done = 0;
  private bytes = 0;
  private workers: PoolWorker[] = [];
  private workersTried = false;
  /** No more files will be added: each worker gets the rest at once, and ends once it has no batch left. */
  private walked = false;
  private batchId = 0;
  private wake: (() => void) | null = null;
  private scanner: FileScanner | null = null;

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
    if (!this.workersTried && this.queue.length >= INLINE_BELOW_FILES) this.startWorkers();
    if (this.queue.length >= INLINE_BELOW_FILES) this.feedWorkers(false);
  }

  /**
   * Called after the last add(), before the main thread opens its documents and archives
   * (seconds, on a tree of them): the workers scan what is left meanwhile, and each ends
   * once it has nothing more to do. An idle worker keeps its garbage (a tree's large
   * files leave tens of MB of buffers and strings that no collection reclaims while it
   * waits); an ended one gives its memory back.
   */
  walkDone(): void {
    if (this.walked) return;
    this.walked = true;
    // A warmed-up pool that got only a handful of files scans on the main thread alone.
    if (this.queue.length < INLINE_BELOW_FILES) this.stop();
    this.feedWorkers(true);
  }

  /**
   * Null while the walk may go on adding files; when it is WALK_AHEAD_FILES ahead of what
   * the workers were sent, the main thread scans (instead of walking further) until it is
   * half that, and the promise resolves then.
   */
  keepUp(): Promise<void> | null {
    return this.queue.length - this.nextToSend > WALK_AHEAD_FILES ? this.scanUntil(WALK_AHEAD_FILES / 2, false) : null;
  }

  /** Called after the last add(): the main thread scans too; resolves once every file has a result. */
  async finish(): Promise<void> {
    this.walkDone();
    await this.scanUntil(0, true);
    // Then the files the workers hold and have not begun, from the last sent: a tree's last
    // batches can hold its largest files (node_modules' bundles and binaries), and the main
    // thread waited 0.1-0.25 s for them.
    while (this.takeBack(MAIN_FILES) > 0) await nextTurn();
    try {
      while (this.done < this.queue.length) await owned('the scan pool', new Promise<void>((resolve) => (this.wake = resolve)));
    } finally {
      this.stop();
    }
  }

  /** The main thread scans files not yet sent until `left` are; `walked`: no more will be added. */
  private async scanUntil(left: number, walked: boolean): Promise<void> {
    while (this.queue.length - this.nextToSend > left) {
      const start = this.take(this.workers.length > 0 ? MAIN_FILES : BATCH_FILES);
      const scanner = this.mainScanner();
      for (let i = start; i < this.nextToSend; i++) this.record(i, scanner.scan(this.queue[i]!));
      // Let worker replies in, and keep the workers fed, between batches.
      if (this.workers.length > 0) await nextTurn();
      this.feedWorkers(walked);
    }
  }

  private mainScanner(): FileScanner {
    return (this.scanner ??= new FileScanner(new Detector(this.opts.rules.map(compileRule)), this.opts.limits, this.opts.read));
  }

  /** Scans up to `count` files a worker holds and has not begun; returns how many. */
  private takeBack(count: number): number {
    let taken = 0;
    for (const worker of this.workers) {
      for (const batch of [...worker.inFlight.values()].reverse()) {
        if (taken === count) return taken;
        for (let j = batch.end - batch.start - 1; j >= 0 && taken < count; j--) {
          if (Atomics.compareExchange(batch.claims, j, FREE, BY_MAIN) !== FREE) continue;
          this.record(batch.start + j, this.mainScanner().scan(this.queue[batch.start + j]!));
          taken++;
        }
      }
    }
    return taken;
  }

  private take(count: number): number {
    const start = this.nextToSend;
    this.nextToSend = Math.min(this.queue.length, start + count);
    return start;
  }

  private record(index: number, result: FileScan): void {
    // Read and sent: the path is no longer needed (a tree's paths are tens of MB).
    this.queue[index] = '';
    this.bytes += result.bytes;
    this.done++;
    this.onResult(index, result);
    this.opts.onProgress?.(this.done, this.bytes);
  }

  private startWorkers(): void {
    this.workersTried = true;
    const count = (this.opts.threads ?? availableParallelism()) - 1;
    const started = takeStarted(Math.max(0, count));
    const init: WorkerInit = { rules: this.opts.rules, limits: this.opts.limits, read: this.opts.read };
    for (let i = 0; i < count; i++) {
      const thread = started[i] ?? startWorker();
      if (!thread) return;
      thread.postMessage(init);
      const worker: PoolWorker = { thread, inFlight: new Map() };
      worker.thread.on('message', (reply: WorkerReply) => {
        const { start } = worker.inFlight.get(reply.batch)!;
        worker.inFlight.delete(reply.batch);
        if (worker.inFlight.size === 0) worker.thread.unref();
        reply.results.forEach((result, j) => result && this.record(start + j, result));
        this.feedWorkers(this.walked);
        this.wake?.();
      });
      // A worker that fails or exits while holding batches loses only their files: each is recorded as not read.
      const lost = (why: string) => {
        this.workers = this.workers.filter((w) => w !== worker);
        for (const batch of worker.inFlight.values()) this.recordLost(batch, why);
        worker.inFlight.clear();
        this.feedWorkers(true);
        this.wake?.();
      };
      worker.thread.on('error', (err) => lost(`scan worker failed (${err.message})`));
      worker.thread.on('exit', (code) => lost(`scan worker stopped (exit code ${code})`));
      // An idle worker must not keep the process alive: a wait nobody can settle then ends as a stall, not a hang.
      // (After the listeners: adding a 'message' listener refs the worker again.)
      worker.thread.unref();
      this.workers.push(worker);
    }
  }

  /** Sends whole batches while the walk goes on; once it is over (`ended`), the rest too, and ends the workers left with nothing. */
  private feedWorkers(ended: boolean): void {
    for (const worker of this.workers) {
      while (worker.inFlight.size < BATCHES_AHEAD) {
        const waiting = this.queue.length - this.nextToSend;
        if (waiting === 0 && ended && worker.inFlight.size === 0) this.end(worker);
        if (waiting === 0 || (waiting < BATCH_FILES && !ended)) break;
        const start = this.take(BATCH_FILES);
        const claims = new Int32Array(new SharedArrayBuffer(4 * (this.nextToSend - start)));
        const req: WorkerRequest = { batch: this.batchId, paths: this.queue.slice(start, this.nextToSend), claims };
        worker.inFlight.set(this.batchId++, { start, end: this.nextToSend, claims });
        worker.thread.ref();
        worker.thread.postMessage(req);
      }
    }
  }

  /** The files of a batch whose worker was lost, but those the main thread took: not read, with the reason. */
  private recordLost({ start, end, claims }: InFlight, why: string): void {
    for (let i = start; i < end; i++) if (claims[i - start] !== BY_MAIN) this.record(i, { ok: false, bytes: 0, reason: `${why}: not read` });
  }

  private stop(): void {
    for (const w of this.workers) this.end(w);
  }

  private end(worker: PoolWorker): void {
    this.workers = this.workers.filter((w) => w !== worker);
    worker.thread.removeAllListeners('exit');
    void worker.thread.terminate();
  }
}
