// Packed history blobs, read and scanned on worker threads, one per core: inflating,
// delta resolution and the detector run side by side, and the blobs never cross a
// pipe (in pack order, each thread is handed runs of neighbours, so its delta base
// cache keeps working). A few blobs are read on the main thread: starting workers
// would cost more than it saves.
import { Worker } from 'node:worker_threads';
import { PackedScanner, type PackedItem, type PackedResult, type PackedScanInit } from '../git/packed-scan.js';
import { bundledFile } from '../bundled.js';
import { owned } from '../scan/stall.js';

const BATCH = 256;
/** Batches a worker holds at once: one being read, more so it never waits on the main thread. */
const AHEAD = 3;
const INLINE_BELOW = 2 * BATCH;
/**
 * A worker's young generation (MB). Inflated blobs are garbage at once; V8's default
 * lets them pile up to tens of MB per thread before a scavenge frees them.
 */
const YOUNG_MB = 8;

export interface PackedRequest {
  items: PackedItem[];
}

export interface PackedReply {
  results: PackedResult[];
}

interface PackedWorker {
  thread: Worker;
  /** Batches sent and not answered, oldest first (a worker answers in order). */
  inFlight: PackedItem[][];
}

export class PackedObjects {
  private readonly ready: PackedItem[][] = [];
  private batch: PackedItem[] = [];
  private workers: PackedWorker[] | null = null;
  private pending = 0;
  private wake: (() => void) | null = null;
  private init: PackedScanInit | undefined;
  /** How many objects were asked for. */
  count = 0;

  constructor(
    /** Asked for only when there is something to read. */
    private readonly initOf: () => PackedScanInit,
    private readonly threads: number,
    private readonly onResult: (result: PackedResult) => void,
  ) {}

  add(item: PackedItem): void {
    this.count++;
    this.batch.push(item);
    if (this.batch.length < BATCH) return;
    this.ready.push(this.batch);
    this.batch = [];
    if (!this.workers && this.count >= INLINE_BELOW) this.startWorkers();
    this.send();
  }

  /** Every object added is scanned and reported. */
  async finish(): Promise<void> {
    if (this.batch.length > 0) this.ready.push(this.batch);
    this.batch = [];
    if (!this.workers || this.workers.length === 0) {
      this.scanInline();
      return;
    }
    this.send();
    try {
      while (this.pending > 0 || this.ready.length > 0) {
        // Every worker lost: what is left is read on this thread.
        if (this.workers.length === 0) {
          this.scanInline();
          break;
        }
        await owned('the history scan workers', new Promise<void>((resolve) => (this.wake = resolve)));
      }
    } finally {
      this.close();
    }
  }

  close(): void {
    const workers = this.workers ?? [];
    this.workers = [];
    for (const w of workers) {
      w.thread.removeAllListeners('exit');
      void w.thread.terminate();
    }
  }

  private scanInline(): void {
    if (this.ready.length === 0) return;
    const scanner = new PackedScanner((this.init ??= this.initOf()));
    try {
      for (const items of this.ready.splice(0)) for (const item of items) this.onResult(scanner.scan(item));
    } finally {
      scanner.close();
    }
  }

  private startWorkers(): void {
    const script = bundledFile('history-worker.js');
    this.workers = [];
    if (!script) return;
    for (let i = 0; i < this.threads; i++) {
      const worker: PackedWorker = { thread: new Worker(script, { workerData: (this.init ??= this.initOf()), resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } }), inFlight: [] };
      worker.thread.on('message', (reply: PackedReply) => {
        worker.inFlight.shift();
        if (worker.inFlight.length === 0) worker.thread.unref();
        this.pending--;
        for (const result of reply.results) this.onResult(result);
        this.send();
        this.wake?.();
      });
      // A worker that fails or exits hands its unanswered objects back as unread from
      // the pack, and the caller reads them through cat-file.
      const lost = (why: string) => {
        this.workers = (this.workers ?? []).filter((w) => w !== worker);
        for (const items of worker.inFlight.splice(0)) {
          this.pending--;
          for (const item of items) this.onResult({ id: item.id, failed: why });
        }
        this.send();
        this.wake?.();
      };
      worker.thread.on('error', (err) => lost(`scan worker failed (${err.message})`));
      worker.thread.on('exit', (code) => lost(`scan worker stopped (exit code ${code})`));
      // Idle, it must not keep the process alive (after the listeners, which ref it).
      worker.thread.unref();
      this.workers.push(worker);
    }
  }

  /** Hands ready batches to workers with room, the least busy first. */
  private send(): void {
    if (!this.workers || this.workers.length === 0) return;
    while (this.ready.length > 0) {
      const worker = this.workers.reduce((a, b) => (b.inFlight.length < a.inFlight.length ? b : a));
      if (worker.inFlight.length >= AHEAD) return;
      const req: PackedRequest = { items: this.ready.shift()! };
      worker.inFlight.push(req.items);
      this.pending++;
      worker.thread.ref();
      worker.thread.postMessage(req);
    }
  }
}
