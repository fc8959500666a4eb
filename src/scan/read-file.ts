// Reads one file and runs the detector over it. Files up to WHOLE_FILE_LIMIT are
// read at once into a reused buffer; larger ones stream in line-aligned chunks so
// memory stays flat whatever the size.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Candidate } from '../model.js';
import type { Detector } from '../detect/detector.js';
import { needsReaderFor } from '../formats/kinds.js';

export const WHOLE_FILE_LIMIT = 64 * 1024 * 1024;
const CHUNK_SIZE = 16 * 1024 * 1024;
/** Carried over when a chunk holds no newline at all, so no key is cut in two. */
const OVERLAP = 64 * 1024;

export type FileScan =
  | { ok: true; candidates: Candidate[]; bytes: number }
  /** unreadContent false: nothing there to read (a link loop, a file gone), as in Skipped. */
  | { ok: false; reason: string; bytes: number; deferred?: false; unreadContent?: false }
  /** The content turned out to need a reader (a zip without .zip, Markdown with pictures, a screenshot saved as .dat): the main thread reads it. */
  | { ok: false; reason: string; bytes: 0; deferred: true };

export interface ReadLimits {
  maxFileSize: number;
}

export interface ReadOptions {
  /** Pictures are OCR'd: one known by its content, whatever its name, goes to the main thread. */
  images: boolean;
}

function describeError(err: NodeJS.ErrnoException): string {
  if (err.code === 'EACCES' || err.code === 'EPERM') return `unreadable (${err.code}: permission denied)`;
  if (err.code === 'EISDIR') return 'is a folder';
  if (err.code === 'ELOOP') return 'symlink loop';
  if (err.code === 'ENOENT') return 'vanished while scanning';
  return `unreadable (${err.code ?? err.message})`;
}

/** A file that could not be opened or read; only a link loop or a file gone holds nothing unread. */
function failed(err: NodeJS.ErrnoException): FileScan {
  const nothing = err.code === 'ELOOP' || err.code === 'ENOENT';
  return { ok: false, reason: describeError(err), bytes: 0, ...(nothing ? { unreadContent: false as const } : {}) };
}

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function tooLarge(size: number, limits: ReadLimits): FileScan {
  return { ok: false, reason: `too large (${mib(size)} > --max-file-size ${mib(limits.maxFileSize)})`, bytes: 0 };
}

/** Reads from `from` until the end of the file or of `buf`; returns the bytes now in `buf`. */
function readInto(fd: number, buf: Buffer, from: number): number {
  let read = from;
  while (read < buf.length) {
    const n = readSync(fd, buf, read, buf.length - read, read);
    if (n === 0) break;
    read += n;
  }
  return read;
}

export class FileScanner {
  private buffer = Buffer.allocUnsafe(1024 * 1024);

  constructor(
    private readonly detector: Detector,
    private readonly limits: ReadLimits,
    private readonly opts: ReadOptions,
  ) {}

  /** The reused buffer, grown to `size` if needed, its first `keep` bytes kept. */
  private bufferOf(size: number, keep = 0): Buffer {
    if (this.buffer.length < size) {
      const grown = Buffer.allocUnsafe(Math.max(size, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, keep);
      this.buffer = grown;
    }
    return this.buffer;
  }

  scan(path: string): FileScan {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY);
    } catch (err) {
      return failed(err as NodeJS.ErrnoException);
    }
    try {
      // Most files fit the reused buffer, and reading to the end tells their size:
      // no fstat, whose Stats object cost more than the read of a small file.
      let read = readInto(fd, this.buffer, 0);
      if (read === this.buffer.length) {
        const { size } = fstatSync(fd);
        if (size > this.limits.maxFileSize) return tooLarge(size, this.limits);
        if (size > WHOLE_FILE_LIMIT) return this.scanChunked(fd);
        // One byte more than the size, so the read ends by meeting the end of the file.
        read = readInto(fd, this.bufferOf(size + 1, read), read);
      }
      if (read > this.limits.maxFileSize) return tooLarge(read, this.limits);
      const content = this.buffer.subarray(0, read);
      // The kind goes by the extension, which the whole path ends with.
      if (needsReaderFor(path, content, this.opts.images)) return { ok: false, reason: 'needs a reader', bytes: 0, deferred: true };
      return { ok: true, candidates: this.detector.scan(content), bytes: read };
    } catch (err) {
      return failed(err as NodeJS.ErrnoException);
    } finally {
      closeSync(fd);
    }
  }

  private scanChunked(fd: number): FileScan {
    const buf = this.bufferOf(CHUNK_SIZE + OVERLAP);
    const candidates: Candidate[] = [];
    const seen = new Set<string>();
    let carry = 0;
    let position = 0;
    let lineBase = 0;
    for (;;) {
      const n = readSync(fd, buf, carry, CHUNK_SIZE, position);
      position += n;
      const end = carry + n;
      const last = n === 0;
      let cut = last ? end : buf.lastIndexOf(0x0a, end - 1) + 1;
      let keep = end - cut;
      if (cut === 0) {
        // One line longer than a chunk: scan it all, and scan its tail again with the next chunk.
        cut = end;
        keep = Math.min(OVERLAP, end);
      }
      const piece = buf.subarray(0, cut);
      for (const c of this.detector.scan(piece)) {
        const line = c.line + lineBase;
        const id = `${line}:${c.key}`;
        if (seen.has(id)) continue;
        seen.add(id);
        candidates.push({ ...c, line });
      }
      if (last) break;
      lineBase += countNewlines(buf, 0, end - keep);
      buf.copyWithin(0, end - keep, end);
      carry = keep;
    }
    return { ok: true, candidates, bytes: position };
  }
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = buf.indexOf(0x0a, from); i !== -1 && i < to; i = buf.indexOf(0x0a, i + 1)) count++;
  return count;
}
