// Scan workers started before the scan knows its rules: a worker takes about as long to
// boot (Node's own modules, then ours: 25 ms to its first reply on the machine of
// bench/README.md, "Start-up of the scan") as the CLI takes to load and read its
// configuration, so `spreeflo-scan scan` of a large tree starts them first and the
// pool hands them their rules (a WorkerInit, their first message) when it needs them.
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { bundledFile } from '../bundled.js';

/**
 * A worker's young generation (MB): the buffers of a batch (inflated gzip, decoded
 * base64) are garbage at once, and V8's default let them pile up to tens of MB.
 */
const YOUNG_MB = 8;

/** Workers started and not yet taken by a pool. */
let waiting: Worker[] = [];

/** A new scan worker (none when the script is not built: tests run the sources), waiting for its WorkerInit. */
export function startWorker(): Worker | null {
  const script = bundledFile('scan-worker.cjs');
  if (!script) return null;
  const worker = new Worker(script, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
  // Not yet the pool's: it must not keep the process alive.
  worker.unref();
  return worker;
}

/** Workers started before, and ended before a pool took them (so it does not send them files). */
const ended = new WeakSet<Worker>();

/** Whether one of `args` (the scan's roots, its options too) is a large folder. */
export function namesBigTree(args: readonly string[]): boolean {
  return args.some((arg) => !arg.startsWith('-') && looksBig(arg));
}

/** Starts one worker per core but one, for the next pool to take. */
export function prestartWorkers(): void {
  for (let i = waiting.length; i < availableParallelism() - 1; i++) {
    const worker = startWorker();
    if (!worker) return;
    // Its failure is the pool's to report once taken; until then it only leaves the worker out.
    worker.once('error', () => ended.add(worker)).once('exit', () => ended.add(worker));
    waiting.push(worker);
  }
}

/** Up to `count` live workers started earlier; the others are stopped (a pool wanting fewer threads). */
export function takeStarted(count: number): Worker[] {
  const live = waiting.filter((w) => !ended.has(w));
  for (const w of live.slice(count)) void w.terminate();
  waiting = [];
  return live.slice(0, count);
}

/** A folder with many entries or subfolders at its top: worth starting the workers before the walk. */
export function looksBig(root: string): boolean {
  try {
    const entries = readdirSync(root, { withFileTypes: true });
    return entries.length >= 16 || entries.filter((e) => e.isDirectory()).length >= 4;
  } catch {
    return false;
  }
}
