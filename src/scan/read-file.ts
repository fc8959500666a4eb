// Reads one file and runs the detector over it. Files up to one chunk are read at
// once into a reused buffer; larger ones stream in chunks that overlap, so memory
// stays flat whatever the size and whatever the length of the lines.
import { isAscii } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Candidate } from '../model.js';
import type { Detector } from '../detect/detector.js';
import { contentNeeds, needsReaderFor } from '../formats/kinds.js';
import { searchPng, type PngSearch } from '../formats/png-text.js';
import type { InflateLimits } from '../formats/types.js';
import { NameScanner } from '../detect/names.js';
import { plainGzip } from './plain-gzip.js';

/**
 * Overlap between chunks: each chunk owns the keys starting in its middle, half an
 * overlap from either end, so every key, its delimiters and its encoded forms (the
 * longest, base64 three times over, is about 100 bytes) lie whole in the chunk that
 * owns it, and none is reported twice.
 */
const OVERLAP = 64 * 1024;
/** Tests set SPREEFLO_SCAN_CHUNK_BYTES to cross chunk boundaries without writing 64 MiB. */
const CHUNK_OVERRIDE = Number(process.env.SPREEFLO_SCAN_CHUNK_BYTES) || 0;
/**
 * Each scan thread holds one chunk: 4 MiB, not 16 or the file's whole size, since a
 * tree's few big binaries grew every thread's reused buffer to the largest of them
 * (about 45 MB per thread on a node_modules); the overlap re-read is 1.6% of a big file.
 */
const CHUNK_SIZE = CHUNK_OVERRIDE ? Math.max(CHUNK_OVERRIDE, 2 * OVERLAP) : 4 * 1024 * 1024;
/** A file the staged scan keeps whole in memory; past it, its blob is searched in chunks. */
export const WHOLE_FILE_LIMIT = CHUNK_OVERRIDE ? CHUNK_SIZE : 64 * 1024 * 1024;

export type FileScan =
  /**
   * `unread`: the read failed midway; the keys found before are kept, this says what was not read.
   * `entry`: the candidates are in this entry of the file (a gzip's plain content, read by the worker).
   * `png`: a PNG searched with its text chunks (no candidates then): what the content scanner reports of it.
   */
  | { ok: true; candidates: Candidate[]; bytes: number; unread?: string; entry?: string; png?: PngSearch }
  /** unreadContent false: nothing there to read (a link loop, a file gone), as in Skipped. */
  | { ok: false; reason: string; bytes: number; deferred?: false; unreadContent?: false }
  /** The content turned out to need a reader (a zip without .zip, Markdown with pictures, a screenshot saved as .dat): the main thread reads it. */
  | { ok: false; reason: string; bytes: 0; deferred: true };

export interface ReadLimits {
  maxFileSize: number;
  /**
   * The file's container limits, for what is inflated here: a gzip file's plain content
   * (past them the gzip reader says why not), a PNG's deflated text chunks. Absent: gzip
   * files and PNGs with text chunks go to the readers.
   */
  inflate?: InflateLimits;
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

const DEFERRED: FileScan = { ok: false, reason: 'needs a reader', bytes: 0, deferred: true };

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

/** `use` on the file opened read-only, closed after; a failure to open or read is the scan's result. */
function withFile(path: string | Buffer, use: (fd: number) => FileScan): FileScan {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY);
  } catch (err) {
    return failed(err as NodeJS.ErrnoException);
  }
  try {
    return use(fd);
  } catch (err) {
    return failed(err as NodeJS.ErrnoException);
  } finally {
    closeSync(fd);
  }
}

const FIRST_BUFFER = 1024 * 1024;

export class FileScanner {
  /** The reused buffer. */
  private buffer: Buffer | null = null;
  /**
   * The detector's chunk room (8 MiB), where the reused buffer lies while it fits: read there,
   * a chunk is searched without a copy. Only synchronous code runs between a read and its scan.
   */
  private room: Buffer | null = null;
  private names: NameScanner | null = null;

  constructor(
    private readonly detector: Detector,
    private readonly limits: ReadLimits,
    private readonly opts: ReadOptions,
  ) {}

  /** The reused buffer (made on first use), grown to `size` if needed, its first `keep` bytes kept. */
  private bufferOf(size: number, keep = 0): Buffer {
    if (!this.buffer) {
      this.room = this.detector.chunkRoom();
      this.buffer = this.room ? this.room.subarray(0, FIRST_BUFFER) : Buffer.allocUnsafe(FIRST_BUFFER);
    }
    if (this.buffer.length < size) {
      const length = Math.max(size, this.buffer.length * 2);
      // Grown in the room, its bytes are where they were.
      if (this.room && length <= this.room.length) this.buffer = this.room.subarray(0, length);
      else {
        const grown = Buffer.allocUnsafe(length);
        this.buffer.copy(grown, 0, 0, keep);
        this.buffer = grown;
      }
    }
    return this.buffer;
  }

  scan(path: string): FileScan {
    return withFile(path, (fd) => {
      // Most files fit the reused buffer, and reading to the end tells their size:
      // no fstat, whose Stats object cost more than the read of a small file.
      const buffer = this.bufferOf(0);
      let read = fill(fd, buffer, 0, 0);
      if (read === buffer.length) {
        const { size } = fstatSync(fd);
        if (size > this.limits.maxFileSize) return tooLarge(size, this.limits);
        if (size > CHUNK_SIZE) {
          // A container or picture goes to the main thread, which opens it or says why not.
          if (needsReaderFor(path, buffer.subarray(0, read), this.opts.images)) return DEFERRED;
          return this.scanChunked(fd, size);
        }
        // One byte more than the size, so the read ends by meeting the end of the file.
        read = fill(fd, this.bufferOf(size + 1, read), read, 0);
      }
      if (read > this.limits.maxFileSize) return tooLarge(read, this.limits);
      const content = this.bufferOf(read).subarray(0, read);
      // The kind goes by the extension, which the whole path ends with.
      const needs = contentNeeds(path, content, this.opts.images);
      if (needs === null) return { ok: true, candidates: this.detector.scan(content), bytes: read };
      return (needs === 'gzip' ? this.scanPlainGzip(path, content) : needs === 'png-text' ? this.scanPng(content) : null) ?? DEFERRED;
    });
  }

  /** A gzip of plain content, searched here; null when the main thread's readers must read it. */
  private scanPlainGzip(path: string, content: Buffer): FileScan | null {
    const limits = this.limits.inflate;
    if (limits === undefined) return null;
    const inner = plainGzip(path, content, Math.min(limits.maxEntryBytes, limits.maxTotalBytes));
    // A key in the entry's name is the gzip reader's to report, as an entry of the file.
    if (!inner || (this.names ??= new NameScanner(this.detector)).mayHold(inner.entry)) return null;
    return { ok: true, candidates: this.detector.scan(inner.data), bytes: content.length, entry: inner.entry };
  }

  /**
   * A PNG with text chunks, not OCR'd, searched here with its chunks (the main thread
   * would read the file again for them); null when the readers must read it.
   */
  private scanPng(content: Buffer): FileScan | null {
    const limits = this.limits.inflate;
    if (limits === undefined) return null;
    return { ok: true, candidates: [], bytes: content.length, png: searchPng(this.detector, content, limits) };
  }

  /**
   * A file's bytes through the detector in chunks, whatever its size and name: a
   * container too large to open in memory is still searched, never read whole.
   */
  scanInChunks(path: string | Buffer): FileScan {
    return withFile(path, (fd) => this.scanChunked(fd, fstatSync(fd).size));
  }

  private scanChunked(fd: number, size: number): FileScan {
    // Lines are counted only up to a chunk that holds a key, read again from the file:
    // most large files hold none, and counting each chunk's newlines cost more than its read.
    const window = new ChunkWindow(this.detector, this.bufferOf(CHUNK_SIZE), (from, to, lines) => countFileLines(fd, from, to, lines));
    for (;;) {
      let n: number;
      try {
        const room = window.room;
        n = readSync(fd, room, 0, room.length, window.bytes);
      } catch (err) {
        const reason = describeError(err as NodeJS.ErrnoException);
        const read = window.bytes;
        if (read === 0) return { ok: false, reason, bytes: 0 };
        return { ok: true, candidates: window.end(), bytes: read, unread: `read stopped at ${mib(read)} of ${mib(size)}: ${reason}; the rest was not read` };
      }
      if (n === 0) return { ok: true, candidates: window.end(), bytes: window.bytes };
      window.wrote(n);
    }
  }
}

/**
 * Content of any length searched through one chunk of memory: bytes are written into
 * `room`, and each time the chunk is full its owned middle is searched and its last
 * OVERLAP bytes slide to its start. Files read from disk and gzip content inflated
 * as a stream go through it alike.
 */
export class ChunkWindow {
  private readonly candidates: Candidate[] = [];
  private readonly chunk: Buffer;
  /** Where `chunk` starts in the content. */
  private start = 0;
  /** The lines of the content's first `counted` bytes, and the characters of their last line. */
  private readonly lines: Lines = { newlines: 0, characters: 0 };
  private counted = 0;
  private filled = 0;

  /**
   * `buffer`: at least CHUNK_SIZE bytes, this window's alone until end(). `countAgain`: the
   * content can be read again, and counts the lines of its bytes `[from, to)` into `lines`;
   * the window then counts none of the bytes it slides past, only those before a chunk that
   * holds a key, when it does. Without it, every chunk's are counted as it slides.
   */
  constructor(
    private readonly detector: Detector,
    buffer: Buffer = Buffer.allocUnsafe(CHUNK_SIZE),
    private readonly countAgain?: (from: number, to: number, lines: Lines) => void,
  ) {
    this.chunk = buffer.subarray(0, CHUNK_SIZE);
  }

  /** Bytes of content written so far. */
  get bytes(): number {
    return this.start + this.filled;
  }

  /** Where the next bytes go: never empty. */
  get room(): Buffer {
    return this.chunk.subarray(this.filled);
  }

  /** `n` bytes were written at the start of `room`. */
  wrote(n: number): void {
    this.filled += n;
    if (this.filled < this.chunk.length) return;
    this.search(false);
    const { chunk, filled } = this;
    const next = filled - OVERLAP;
    if (!this.countAgain) {
      countLines(chunk, 0, next, this.lines);
      this.counted += next;
    }
    chunk.copyWithin(0, next, filled);
    this.start += next;
    this.filled = OVERLAP;
  }

  /** Copies `data` in, searching as the chunk fills. */
  write(data: Buffer): void {
    for (let at = 0; at < data.length; ) {
      const n = data.copy(this.room, 0, at);
      at += n;
      this.wrote(n);
    }
  }

  /** The content ended: the rest is searched; every key found, in order. */
  end(): Candidate[] {
    this.search(true);
    return this.candidates;
  }

  private search(last: boolean): void {
    const { start, filled } = this;
    const part = { from: start === 0 ? 0 : OVERLAP / 2, to: last ? filled : filled - OVERLAP / 2, midway: start > 0 };
    const found = this.detector.scan(this.chunk.subarray(0, filled), part);
    if (found.length === 0) return;
    if (this.counted < start) {
      this.countAgain!(this.counted, start, this.lines);
      this.counted = start;
    }
    const { newlines } = this.lines;
    // A chunk that starts inside a character: its stray continuation bytes were each counted
    // by the detector as a character, and that character already in `lines`.
    const characters = this.lines.characters - (start === 0 ? 0 : continuationBytes(this.chunk));
    for (const c of found) this.candidates.push(c.line === 1 ? { ...c, line: newlines + 1, column: c.column + characters } : { ...c, line: c.line + newlines });
  }
}

/** Reads the file from `position + from` into `buf` from `from` until `buf` is full or the file ends; returns the bytes now in `buf`. */
function fill(fd: number, buf: Buffer, from: number, position: number): number {
  let filled = from;
  while (filled < buf.length) {
    const n = readSync(fd, buf, filled, buf.length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  return filled;
}

/** Where content's lines stand after some of its bytes: the newlines, and the characters after the last one. */
export interface Lines {
  newlines: number;
  characters: number;
}

/** Counts into `lines` the bytes `buf[from, to)`, which follow those counted before. */
function countLines(buf: Buffer, from: number, to: number, lines: Lines): void {
  const newlines = countNewlines(buf, from, to);
  const lineStart = newlines > 0 ? buf.lastIndexOf(0x0a, to - 1) + 1 : from;
  lines.characters = (newlines > 0 ? 0 : lines.characters) + countCharacters(buf, lineStart, to);
  lines.newlines += newlines;
}

/** Bytes read at a time to count a file's lines again: few, as it happens only before a key. */
const COUNT_BYTES = 1024 * 1024;

/** Counts into `lines` the file's bytes `[from, to)`, read again; a file cut short meanwhile is a failed read. */
function countFileLines(fd: number, from: number, to: number, lines: Lines): void {
  const buf = Buffer.allocUnsafe(Math.min(COUNT_BYTES, to - from));
  for (let at = from; at < to; ) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, to - at), at);
    if (n === 0) throw new Error('cut short while it was read');
    countLines(buf, 0, n, lines);
    at += n;
  }
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = buf.indexOf(0x0a, from); i !== -1 && i < to; i = buf.indexOf(0x0a, i + 1)) count++;
  return count;
}

/** The UTF-8 continuation bytes `buf` starts with (at most 3). */
function continuationBytes(buf: Buffer): number {
  let n = 0;
  while (n < 3 && n < buf.length && (buf[n]! & 0xc0) === 0x80) n++;
  return n;
}

/** UTF-8 characters in `buf[from, to)`: the bytes that do not continue a character. */
function countCharacters(buf: Buffer, from: number, to: number): number {
  // A chunk's last line is all of it in a minified bundle or a base64 line (tesseract's
  // .wasm.js): ASCII, told by one SIMD pass, 0.14 ms a 4 MiB chunk against 3.7 ms a byte at a time.
  if (isAscii(buf.subarray(from, to))) return to - from;
  let count = 0;
  for (let i = from; i < to; i++) if ((buf[i]! & 0xc0) !== 0x80) count++;
  return count;
}
