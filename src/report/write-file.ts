// Where a report (or a redacted copy) goes. A report holds where keys are (and with --show-secrets the keys
// themselves), so `--output` never writes through a symlink a checkout may plant, never
// leaves a half-written file behind (a full disk), never replaces one of the files it
// scanned, and always leaves the file readable by its owner only.
import { closeSync, fsyncSync, lstatSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { within } from '../paths.js';
import { UsageError } from '../errors.js';

/** How a report of ours starts, in each format: such a file may be replaced by the next run. */
const OUR_REPORT = /spreeflo-scan|^\uFEFF?[✔✖] /;

function describe(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOSPC') return 'no space left on device (ENOSPC)';
  if (err.code === 'EDQUOT') return 'disk quota exceeded (EDQUOT)';
  return err.code ?? err.message;
}

function startsLikeOurReport(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    return OUR_REPORT.test(head.subarray(0, n).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}


/** Refuses a target that is a symlink, not a regular file, or one of the scanned files. */
function checkTarget(path: string, scanned: readonly string[]): void {
  let info;
  try {
    info = lstatSync(path);
  } catch {
    return;
  }
  if (info.isSymbolicLink()) throw new UsageError(`refusing to write ${path}: it is a symbolic link`);
  if (!info.isFile()) throw new UsageError(`refusing to write ${path}: not a regular file`);
  if (scanned.some((root) => within(resolve(path), resolve(root))) && !startsLikeOurReport(path)) {
    throw new UsageError(`refusing to overwrite ${path}: it is one of the scanned files (write the report elsewhere)`);
  }
}

/** Temporary files this process made: their names need only be unique, as they are opened exclusively. */
let temps = 0;

/** Pieces of a report joined into writes of about this many characters: few system calls, little held at once. */
const WRITE_CHARS = 64 * 1024;

/** The pieces joined into strings of at least WRITE_CHARS (the last may be shorter). */
function* batched(pieces: Iterable<string>): Generator<string> {
  let held: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    held.push(piece);
    size += piece.length;
    if (size < WRITE_CHARS) continue;
    yield held.join('');
    held = [];
    size = 0;
  }
  if (size > 0) yield held.join('');
}

/** A report comes in pieces as it is made; a redacted copy is one buffer. */
function buffersOf(data: string | Buffer | Iterable<string>): Iterable<Buffer> {
  if (Buffer.isBuffer(data)) return [data];
  const pieces = typeof data === 'string' ? [data] : data;
  return { *[Symbol.iterator]() { for (const text of batched(pieces)) yield Buffer.from(text, 'utf8'); } };
}

/**
 * Writes `data` to `path` through a temporary file beside it (mode 0600) renamed over
 * the target once every byte is on disk; a report is written piece by piece as it is
 * made. `scanned`: the paths this run read.
 */
export function writePrivateFile(path: string, data: string | Buffer | Iterable<string>, scanned: readonly string[]): void {
  checkTarget(path, scanned);
  // Not node:crypto's random bytes: loading crypto costs every run (the hook included) about 10 ms.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${temps++}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(temp, 'wx', 0o600);
    for (const bytes of buffersOf(data)) {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, path);
  } catch (err) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already renamed
    }
    throw new UsageError(`cannot write ${path}: ${describe(err as NodeJS.ErrnoException)}`);
  }
}

function stdoutError(err: Error): UsageError {
  return new UsageError(`cannot write the report to standard output: ${describe(err as NodeJS.ErrnoException)}`);
}

/**
 * Writes to stdout, piece by piece as the report is made, waiting when the reader is
 * slower, then until it is flushed: a full disk or a closed pipe is an error, not a
 * silent short report.
 */
export async function writeStdout(data: string | Iterable<string>): Promise<void> {
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  // Without a listener, the stream's 'error' event (emitted after the callback) would end the process with a stack trace.
  process.stdout.once('error', (err) => {
    failure ??= err;
    wake?.();
  });
  const settled = () => new Promise<void>((resolve) => (wake = resolve));
  for (const text of batched(typeof data === 'string' ? [data] : data)) {
    if (failure) break;
    if (!process.stdout.write(text)) {
      const waiting = settled();
      process.stdout.once('drain', wake!);
      await waiting;
      process.stdout.off('drain', wake!);
    }
  }
  if (!failure) {
    const flushed = settled();
    process.stdout.write('', (err) => {
      if (err) failure ??= err;
      wake?.();
    });
    await flushed;
  }
  if (failure) throw stdoutError(failure);
}
