// Keys hidden in other encodings: base64 (Kubernetes Secrets, basic-auth headers,
// env files pasted into CI variables, PEM-style blocks wrapped over lines), hex, and
// UTF-16 text (Windows editors, PowerShell, strings inside .NET assemblies).
import { lineIndexOf } from './locate.js';
import type { SamplePoints } from './scan-pass.js';

/**
 * Bytes of the base64 alphabet and of base64url's (`-_`: JWTs, URLs; Buffer decodes both);
 * `\` too, for JSON's `\/`, checked by `runByteAt`. Without `-_` a base64url run would
 * split where one falls inside a quartet, and the key after it would be decoded out of step.
 */
const RUN_BYTE = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_\\') RUN_BYTE[c.charCodeAt(0)] = 1;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const EQUALS = 0x3d;

/** Whether byte `i` is base64 text: an alphabet byte, or the `\` of a JSON-escaped `\/`. */
function runByteAt(buf: Buffer, i: number): boolean {
  const b = buf[i]!;
  return b === BACKSLASH ? buf[i + 1] === SLASH : RUN_BYTE[b] === 1;
}

/**
 * The bytes the samples look for: base64's standard alphabet and `\`, without base64url's
 * `-_`, which join the words of names (`snake_case`, `kebab-case`, paths) every few
 * characters. The base64 of a key never holds them: in the base64 of ASCII text they
 * stand only for `>`, `?`, `~` and DEL, which no key holds, so the key's own stretch
 * (at least 48 characters) is found by the samples as before, and the run around it is
 * then measured with `-_` (RUN_BYTE): a base64url block is still read whole.
 */
const SAMPLE_BYTE = RUN_BYTE.slice();
SAMPLE_BYTE[0x2d] = 0;
SAMPLE_BYTE[0x5f] = 0;

/**
 * A run of at least 2 * STRIDE base64 bytes always holds two samples STRIDE apart with
 * nothing but base64 between them. Testing every third byte from one sample to the
 * next, with no branch between the tests, keeps ordinary text (short words, spaces)
 * at about the cost of one memchr pass.
 */
const STRIDE = 24;
const MIN_SEGMENT = 2 * STRIDE;

const NONE: Base64Block[] = [];

/** One line (or the whole) of a base64 block, `[start, end)` in the scanned bytes, with its count of `\\/`. */
export interface Segment {
  start: number;
  end: number;
  escapes: number;
}

/** Consecutive base64 segments joined across line wraps: the `base64` command's output, PEM bodies, YAML blocks. */
export interface Base64Block {
  start: number;
  end: number;
  segments: Segment[];
}

/** The `\\/` escapes the last call of runEnd went over (kept outside its result: no object per run). */
let escapesSeen = 0;

/**
 * The end of the run from `from`. `sampled`: bytes up to it are known base64 or `\\` (the
 * native pass's run of sample bytes); where none of those from `from` is a `\\`, they are
 * stepped over after one native search instead of read a byte at a time (megabytes of
 * one-line base64 in bundles). A short run is read faster than a subarray is made.
 */
function runEnd(buf: Buffer, from: number, sampled = from): number {
  const t = RUN_BYTE;
  let end = from;
  escapesSeen = 0;
  if (sampled - from > MIN_SEGMENT && buf.subarray(from, sampled).indexOf(BACKSLASH) === -1) end = sampled;
  for (;;) {
    while (end < buf.length && t[buf[end]!] === 1 && buf[end] !== BACKSLASH) end++;
    if (buf[end] !== BACKSLASH || buf[end + 1] !== SLASH) return end;
    end += 2;
    escapesSeen++;
  }
}

function runStart(buf: Buffer, from: number): number {
  const t = RUN_BYTE;
  let start = from;
  for (;;) {
    while (start > 0 && t[buf[start - 1]!] === 1 && buf[start - 1] !== BACKSLASH) start--;
    if (start === 0 || buf[start - 1] !== BACKSLASH || buf[start] !== SLASH) return start;
    start--;
  }
}

/** Where the next segment starts after a line wrap at `at` (newline, CRLF or JSON's `\n`, then indentation), or -1. */
function afterWrap(buf: Buffer, at: number): number {
  let i = at;
  if (buf[i] === 0x0d) i++;
  if (buf[i] === 0x0a) i++;
  else if (buf[i] === BACKSLASH && buf[i + 1] === 0x72 /* r */ && buf[i + 2] === BACKSLASH && buf[i + 3] === 0x6e) i += 4;
  else if (buf[i] === BACKSLASH && buf[i + 1] === 0x6e /* n */) i += 2;
  else return -1;
  while (buf[i] === 0x20 || buf[i] === 0x09) i++;
  return i < buf.length && runByteAt(buf, i) ? i : -1;
}

/** Length of a segment in base64 characters (a `\/` counts once). */
function charCount(seg: Segment): number {
  return seg.end - seg.start - seg.escapes;
}

/** Offsets of the `\\` of each `\\/` in a segment. */
function escapesIn(buf: Buffer, seg: Segment): number[] {
  const text = buf.subarray(seg.start, seg.end);
  const found: number[] = [];
  for (let i = text.indexOf(BACKSLASH); i !== -1; i = text.indexOf(BACKSLASH, i + 2)) found.push(seg.start + i);
  return found;
}

/** Where a segment that starts at `start` ends, its `=` padding included. */
function segmentAt(buf: Buffer, start: number): Segment {
  return paddedSegment(buf, start, runEnd(buf, start), escapesSeen);
}

/** The segment of the run `[start, end)` (which holds `escapes` `\\/`), with the `=` padding after it. */
function paddedSegment(buf: Buffer, start: number, end: number, escapes: number): Segment {
  let padded = end;
  for (let pad = 0; pad < 2 && buf[padded] === EQUALS; pad++) padded++;
  return { start, end: padded, escapes };
}

/**
 * A segment continues on the next line only if it is whole quartets without padding: the
 * wrap keeps the alignment. Counted from its start or, for base64 joined to a name on its
 * first line (`token-<base64>`), from after a `-` or `_`.
 */
function wraps(buf: Buffer, seg: Segment): boolean {
  if (buf[seg.end - 1] === EQUALS) return false;
  if (charCount(seg) % 4 === 0) return true;
  if (seg.escapes > 0) return false;
  // A `-` or `_` with whole quartets after it: only every fourth byte from the end can be one.
  // Read here, not by native searches: a subarray per segment cost more than the bytes on the
  // system trees, and a search from the segment's start went on to the end of the buffer.
  for (let i = seg.end - 1; i >= seg.start; i -= 4) {
    if (buf[i] === DASH || buf[i] === UNDERSCORE) return true;
  }
  return false;
}

/**
 * The block around the run `[start, end)` (which holds `escapes` `\\/`, as runEnd measured it):
 * earlier and later lines joined while the wrap keeps the alignment.
 */
function blockAround(buf: Buffer, start: number, end: number, escapes: number): Base64Block {
  const segments = [paddedSegment(buf, start, end, escapes)];
  for (;;) {
    const first = segments[0]!;
    const lineEnd = lastWrapBefore(buf, first.start);
    if (lineEnd === -1) break;
    const prev = segmentAt(buf, runStart(buf, lineEnd));
    if (prev.end !== lineEnd || prev.start === prev.end || !wraps(buf, prev)) break;
    segments.unshift(prev);
  }
  for (let last = segments.at(-1)!; wraps(buf, last); ) {
    const next = afterWrap(buf, last.end);
    if (next === -1) break;
    last = segmentAt(buf, next);
    segments.push(last);
  }
  return { start: segments[0]!.start, end: segments.at(-1)!.end, segments };
}

/** The end of the base64 text on the line before `start`, when only a wrap separates them; else -1. */
function lastWrapBefore(buf: Buffer, start: number): number {
  let i = start;
  while (i > 0 && (buf[i - 1] === 0x20 || buf[i - 1] === 0x09)) i--;
  if (buf[i - 1] === 0x0a) {
    i--;
    if (buf[i - 1] === 0x0d) i--;
  } else if (buf[i - 2] === BACKSLASH && buf[i - 1] === 0x6e) {
    i -= 2;
    if (buf[i - 2] === BACKSLASH && buf[i - 1] === 0x72) i -= 2;
  } else return -1;
  return i > 0 && buf[i - 1] !== BACKSLASH && (RUN_BYTE[buf[i - 1]!] === 1 || buf[i - 1] === EQUALS) ? i : -1;
}

/**
 * `-` and `_` are base64url's digits (text dense in `>`, `?`, `~`) or join base64 to a
 * name (`api-token-<base64>`): which, the bytes cannot tell, so a block holding them is
 * decoded from its start and from after its joins (joinedPieces).
 */
const DASH = 0x2d;
const UNDERSCORE = 0x5f;

/**
 * Where in a block's text, besides its start, decoding may find base64 in step: after the
 * first `-` or `_` of each other place in a quartet (decoding from a later join of the same
 * place gives the same bytes, later), with a key's worth of text after it. At most three.
 * Read from the scanned bytes: the block's text is made only where a piece needs it.
 */
export function joinedPieces(buf: Buffer, block: Base64Block, minChars: number): number[] {
  let total = 0;
  for (const seg of block.segments) total += charCount(seg);
  const found: number[] = [];
  let places = 1; // bit p: a piece starting at place p of the block's quartets is known; place 0 is the block's start.
  let char = 0;
  for (const seg of block.segments) {
    for (let i = seg.start; i < seg.end && char < total - minChars && places !== 0b1111; i++) {
      const c = buf[i]!;
      // The `\` of `\/` is not in the text.
      if (c === BACKSLASH) continue;
      char++;
      if (c !== DASH && c !== UNDERSCORE) continue;
      const place = char & 3;
      if ((places & (1 << place)) !== 0) continue;
      places |= 1 << place;
      found.push(char);
    }
  }
  return found;
}

/**
 * Where character `char` of a block's text is in the scanned bytes when nothing but line
 * breaks and indentation, which base64 decoding skips, stand between its segments (no `\/`,
 * no JSON `\n`): the bytes from there decode as the text from there. Otherwise -1.
 */
export function plainOffsetOf(buf: Buffer, block: Base64Block, char: number): number {
  let found = -1;
  let before = 0;
  for (let k = 0; k < block.segments.length; k++) {
    const seg = block.segments[k]!;
    if (seg.escapes > 0) return -1;
    if (k > 0) for (let i = block.segments[k - 1]!.end; i < seg.start; i++) if (buf[i] === BACKSLASH) return -1;
    if (found === -1 && char < before + charCount(seg)) found = seg.start + (char - before);
    before += charCount(seg);
  }
  return found;
}

/**
 * Every base64 block with a run of at least MIN_SEGMENT bytes, in one pass that looks
 * at a few bytes in STRIDE of ordinary text, or from the sample points a native pass
 * found (scan-pass.ts): the same points.
 */
export function findBase64Blocks(buf: Buffer, minChars: number, samples?: SamplePoints): Base64Block[] {
  let blocks: Base64Block[] | null = null;
  for (let p = samples ? samples.next(0) : nextSample(buf, 0); p !== -1; p = samples ? samples.next(p + STRIDE) : nextSample(buf, p + STRIDE)) {
    const start = runStart(buf, p);
    const end = runEnd(buf, start, samples ? samples.reach(p) : start);
    if (end - start >= MIN_SEGMENT) {
      const block = blockAround(buf, start, end, escapesSeen);
      let chars = 0;
      for (const seg of block.segments) chars += charCount(seg);
      if (chars >= minChars) (blocks ??= []).push(block);
      p = Math.max(p, block.end - STRIDE);
    } else {
      // A lone `\` counts as base64 in the samples: the run may end before `p`.
      p = Math.max(p, end - STRIDE);
    }
  }
  return blocks ?? NONE;
}

/**
 * The first point of the STRIDE grid at or after `from` with STRIDE base64 bytes (SAMPLE_BYTE) from it, or -1.
 * It calls nothing: a call reached only on rare input would, when first reached, send the
 * optimised loop back to the interpreter for the rest of the file.
 */
function nextSample(buf: Buffer, from: number): number {
  const t = SAMPLE_BYTE;
  const last = buf.length - STRIDE;
  for (let p = from; p < last; p += STRIDE) {
    // One branch for nine samples; written out, as this loop runs over every byte read.
    if ((t[buf[p + 24]!]! & t[buf[p]!]! & t[buf[p + 12]!]! & t[buf[p + 6]!]! & t[buf[p + 18]!]! & t[buf[p + 3]!]! & t[buf[p + 9]!]! & t[buf[p + 15]!]! & t[buf[p + 21]!]!) === 0) continue;
    // Paths and dotted names pass the samples: every byte between them must be base64 too.
    let i = p + 1;
    while (i < p + STRIDE && t[buf[i]!] === 1) i++;
    if (i === p + STRIDE) return p;
  }
  return -1;
}

/** A block's text as one string (wraps and escapes removed), with a map back to the scanned bytes. */
export interface BlockText {
  text: string;
  /** Offset in the scanned bytes of character `i` of `text`. */
  offsetOf(i: number): number;
}

export function blockText(buf: Buffer, block: Base64Block): BlockText {
  // Break points: where each segment, and the text after each `\/`, starts in both.
  const textAt: number[] = [];
  const bufAt: number[] = [];
  let text = '';
  for (const seg of block.segments) {
    let from = seg.start;
    for (const i of seg.escapes > 0 ? escapesIn(buf, seg) : []) {
      textAt.push(text.length);
      bufAt.push(from);
      text += buf.toString('latin1', from, i);
      from = i + 1;
    }
    textAt.push(text.length);
    bufAt.push(from);
    text += buf.toString('latin1', from, seg.end);
  }
  return {
    text,
    offsetOf(i: number): number {
      // The break points are sorted as line starts are: the same search finds the one holding `i`.
      const at = lineIndexOf(textAt, i);
      return bufAt[at]! + (i - textAt[at]!);
    },
  };
}

/** Shortest hex text that can hold a whole key (36 bytes -> 72 digits). */
const HEX_DIGITS = 72;

/** Base64 digit values (base64url's `-_` too), -1 for other bytes. */
const DIGIT = new Int8Array(256).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (DIGIT[c.charCodeAt(0)] = i));
// base64url's digits, as Buffer.from(text, 'base64') reads them.
DIGIT[0x2d] = 62;
DIGIT[0x5f] = 63;
/** Hex digit classes: 1 a digit, 2 a lower-case letter, 4 an upper-case letter, 0 not hex. */
const HEX_CLASS = new Uint8Array(256);
for (const c of '0123456789') HEX_CLASS[c.charCodeAt(0)] = 1;
for (const c of 'abcdef') HEX_CLASS[c.charCodeAt(0)] = 2;
for (const c of 'ABCDEF') HEX_CLASS[c.charCodeAt(0)] = 4;

/**
 * Bit i set where a byte may stand at place i of a quartet whose three decoded bytes are all
 * below 0x80: the first character's value is below 32, the second's bit 3 and the third's
 * bit 1 are clear.
 */
const ASCII_PLACE = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const v = DIGIT[c]!;
  if (v >= 0) ASCII_PLACE[c] = (v < 32 ? 1 : 0) | ((v & 8) === 0 ? 2 : 0) | ((v & 2) === 0 ? 4 : 0) | 8;
}

function asciiQuartet(buf: Buffer, i: number): boolean {
  const t = ASCII_PLACE;
  return (t[buf[i]!]! & (t[buf[i + 1]!]! >> 1) & (t[buf[i + 2]!]! >> 2) & (t[buf[i + 3]!]! >> 3) & 1) === 1;
}

function hexAt(buf: Buffer, i: number): boolean {
  return HEX_CLASS[buf[i]!] !== 0;
}

/**
 * Whether a block is worth decoding: a key, in whatever encoding the decoded layer is searched
 * for (plain, base64, hex, UTF-16, `\\u` escapes), is ASCII bytes, at least `keyBytes` of them,
 * so its base64 holds a run of whole quartets that decode to bytes below 0x80; and hex is read
 * from runs of HEX_DIGITS digits. Random data (hashes in lock files, images) has neither: one
 * quartet in eight decodes to ASCII. Both are found by sampling, as runs must cover a sample.
 * Wrapped and escaped blocks, which are few, are always decoded.
 */
export function worthDecoding(buf: Buffer, block: Base64Block, keyBytes: number): boolean {
  if (block.segments.length > 1 || block.segments[0]!.escapes > 0) return true;
  const { start, end } = block;
  const need = Math.floor((keyBytes - 2) / 3);
  if (asciiRun(buf, start, end, need) || hexRun(buf, start, end)) return true;
  // After a join the base64 may start at any place in the block's quartets (joinedPieces).
  // The sampled runs first: the join is looked for, over every byte, only where one passes.
  for (let place = 1; place < 4; place++) if (asciiRun(buf, start + place, end, need)) return hasJoin(buf, start, end);
  return false;
}

function hasJoin(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] === DASH || buf[i] === UNDERSCORE) return true;
  return false;
}

/*
 * The three searches below (asciiRun, hexRun, holdsAsciiRun) find `need` items in a row by
 * trying every `need`th item first, as any such run covers one; around each that passes, the
 * run is measured, and the next try is after it. Written out for each test, without a
 * callback: every block of every file is asked, and a closure per call cost more than the test.
 */

/** Whether the quartets from `start` hold `need` in a row decoding to bytes below 0x80 (whole triplets of a key at any offset). */
function asciiRun(buf: Buffer, start: number, end: number, need: number): boolean {
  const count = (end - start) >> 2;
  for (let q = need - 1; q < count; q += need) {
    if (!asciiQuartet(buf, start + 4 * q)) continue;
    let lo = q;
    while (lo > 0 && asciiQuartet(buf, start + 4 * (lo - 1))) lo--;
    let hi = q + 1;
    while (hi < count && asciiQuartet(buf, start + 4 * hi)) hi++;
    if (hi - lo >= need) return true;
    q = hi;
  }
  return false;
}

/** Whether `[start, end)` holds HEX_DIGITS hex digits in a row. */
function hexRun(buf: Buffer, start: number, end: number): boolean {
  for (let i = start + HEX_DIGITS - 1; i < end; i += HEX_DIGITS) {
    if (!hexAt(buf, i)) continue;
    let lo = i;
    while (lo > start && hexAt(buf, lo - 1)) lo--;
    let hi = i + 1;
    while (hi < end && hexAt(buf, hi)) hi++;
    if (hi - lo >= HEX_DIGITS) return true;
    i = hi;
  }
  return false;
}

/**
 * Whether `buf[start, end)` holds `need` bytes below 0x80 in a row: decoded bytes without
 * such a run hold no key in any encoding searched for (each is ASCII, at least a key's
 * length), so they need no search. Found as asciiRun finds its quartets.
 */
export function holdsAsciiRun(buf: Buffer, start: number, end: number, need: number): boolean {
  for (let i = start + need - 1; i < end; i += need) {
    if (buf[i]! >= 0x80) continue;
    let lo = i;
    while (lo > start && buf[lo - 1]! < 0x80) lo--;
    let hi = i + 1;
    while (hi < end && buf[hi]! < 0x80) hi++;
    if (hi - lo >= need) return true;
    i = hi;
  }
  return false;
}

/** What decoding a block learnt of its characters. */
export interface DecodedBlock {
  /** Bytes written. */
  bytes: number;
  /** Hex digits of one case only: a hash or an id, never the base64 of text, which mixes cases and digits. */
  onlyHex: boolean;
  /** Holds a run of hex digits long enough for a key (see hexRuns). */
  hexRun: boolean;
  /** Holds a `-` or `_`: base64url, or base64 joined to a name. */
  joined: boolean;
}

/**
 * Decodes a block's base64 straight from the scanned bytes into `out` at `at` (wraps and
 * `\\` of `\\/` skipped, as `Buffer.from(blockText(...).text, 'base64')` would decode),
 * classifying its characters as hex in the same pass. Lock files and bundles hold
 * thousands of blocks, nearly all without a key: no string and no buffer per block.
 */
export function decodeBlock(buf: Buffer, block: Base64Block, out: Buffer, at: number): DecodedBlock {
  const only = block.segments[0]!;
  if (block.segments.length === 1 && only.escapes === 0 && block.end - block.start >= NATIVE_DECODE_CHARS) return decodeLine(buf, block, out, at);
  let n = at;
  let acc = 0;
  let bits = 0;
  let run = 0;
  let longest = 0;
  let cases = 0;
  let other = false;
  let joined = false;
  for (const seg of block.segments) {
    for (let i = seg.start; i < seg.end; i++) {
      const c = buf[i]!;
      const v = DIGIT[c]!;
      if (v < 0) {
        // `=` pads the end; the only other byte here is the `\\` of `\\/`.
        if (c === EQUALS) other = true;
        continue;
      }
      acc = ((acc << 6) | v) & 0xffffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = (acc >> bits) & 0xff;
      }
      if (v >= 62) joined ||= c === DASH || c === UNDERSCORE;
      const h = HEX_CLASS[c]!;
      if (h === 0) {
        other = true;
        run = 0;
      } else {
        cases |= h;
        if (++run > longest) longest = run;
      }
    }
  }
  return { bytes: n - at, onlyHex: !other && (cases & 6) !== 6, hexRun: longest >= HEX_DIGITS, joined };
}

/**
 * Past this many characters a block of one line is decoded by Buffer's own decoder: the
 * loop above made 10 ns a character of the base64 of WebAssembly modules inlined in
 * bundles (tesseract.js-core's six, 27 MB, 0.28 s); below it, making a string costs more.
 */
const NATIVE_DECODE_CHARS = 4096;

/** A multiple of 4, and a string's bytes well below V8's largest young object (128 KB). */
export const DECODE_PIECE_CHARS = 64 * 1024;

/** decodeBlock for one line without `\\/`: the same bytes and the same findings on its characters. */
function decodeLine(buf: Buffer, block: Base64Block, out: Buffer, at: number): DecodedBlock {
  const { start, end } = block;
  // In pieces of whole quartets (`=` only pads a line's end), each string small enough for the
  // young generation: a whole 4 MB line was an external string that lived until a full GC,
  // 29 MB of them at the scan worker's peak while node_modules' inlined modules were decoded.
  let bytes = 0;
  for (let from = start; from < end; from += DECODE_PIECE_CHARS) {
    bytes += out.write(buf.toString('latin1', from, Math.min(end, from + DECODE_PIECE_CHARS)), at + bytes, 'base64');
  }
  const line = buf.subarray(start, end);
  const joined = line.indexOf(DASH) !== -1 || line.indexOf(UNDERSCORE) !== -1;
  // Hex of one case only: the first other byte ends the look (at once, in the base64 of anything but hex).
  let cases = 0;
  let onlyHex = true;
  for (let i = start; i < end && onlyHex; i++) {
    const h = HEX_CLASS[buf[i]!]!;
    if (h === 0) onlyHex = false;
    cases |= h;
  }
  return { bytes, onlyHex: onlyHex && (cases & 6) !== 6, hexRun: hexRun(buf, start, end), joined };
}

/**
 * Maximal runs of hex digits in `text` long enough to hold a key, as `[start, end)`. Found as
 * hexRun finds one, from every HEX_DIGITS-th character: a regular expression looked at every
 * character of the long lines of base64 that hold hex runs (a WebAssembly module's zeros are
 * `AAAA…`), 50 ms of the system trees.
 */
export function hexRuns(text: string): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (let i = HEX_DIGITS - 1; i < text.length; i += HEX_DIGITS) {
    if (!hexCode(text.charCodeAt(i))) continue;
    let lo = i;
    while (lo > 0 && hexCode(text.charCodeAt(lo - 1))) lo--;
    let hi = i + 1;
    while (hi < text.length && hexCode(text.charCodeAt(hi))) hi++;
    if (hi - lo >= HEX_DIGITS) runs.push([lo, hi]);
    i = hi;
  }
  return runs;
}

function hexCode(c: number): boolean {
  return c < 256 && HEX_CLASS[c] !== 0;
}

export type Utf16Encoding = 'utf-16le' | 'utf-16be';

/** Recognises UTF-16 by its byte-order mark, or by zero bytes in every other position. */
export function sniffUtf16(buf: Buffer): Utf16Encoding | null {
  if (buf.length >= 2) {
    if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
    if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  }
  const n = Math.min(buf.length, 4096) & ~1;
  // Text without a zero byte at its start is not UTF-16; memchr says so cheaply.
  if (n < 16 || buf.subarray(0, n).indexOf(0) === -1) return null;
  let evenZero = 0;
  let oddZero = 0;
  const pairs = n / 2;
  // Binaries have zeros on both sides: once both pass 5% the answer is no.
  const either = pairs * 0.05;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenZero++;
    if (buf[i + 1] === 0) oddZero++;
    if (evenZero >= either && oddZero >= either) return null;
  }
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

/** UTF-16 text re-encoded as UTF-8, so one byte-level scan serves every encoding. */
export function utf16ToUtf8(buf: Buffer, enc: Utf16Encoding): Buffer {
  const text = new TextDecoder(enc).decode(buf);
  return Buffer.from(text, 'utf8');
}

/** `literal` (ASCII) as UTF-16 code units without the last one's zero byte: matches little- and big-endian alike. */
export function utf16Needle(literal: string): Buffer {
  return Buffer.from(literal, 'utf16le').subarray(0, literal.length * 2 - 1);
}

/**
 * UTF-16 code units `[from, to)` (byte offsets of the same parity) as one byte each,
 * those above 0xff as `?`: the rules then run as on any text, offsets mapping back by
 * `from + 2 * i`. `text` is the same units decoded, for the snippet.
 */
export function utf16Window(buf: Buffer, from: number, to: number, enc: Utf16Encoding): { bytes: Buffer; text: string } {
  const slice = buf.subarray(from, to - ((to - from) & 1));
  const text = new TextDecoder(enc).decode(slice);
  const bytes = Buffer.allocUnsafe(slice.length >> 1);
  for (let i = 0; i < bytes.length; i++) {
    const unit = enc === 'utf-16le' ? slice[2 * i]! | (slice[2 * i + 1]! << 8) : (slice[2 * i]! << 8) | slice[2 * i + 1]!;
    bytes[i] = unit < 0x100 ? unit : 0x3f;
  }
  return { bytes, text };
}

/**
 * `\uXXXX` escapes of ASCII characters in `buf[from, to)` replaced by the character;
 * `offsets[i]` is where output byte `i` came from (one entry more, for the end).
 */
export function unescapeUnicode(buf: Buffer, from: number, to: number): { bytes: Buffer; offsets: Int32Array } {
  const bytes = Buffer.allocUnsafe(to - from);
  const offsets = new Int32Array(to - from + 1);
  let n = 0;
  let i = from;
  while (i < to) {
    offsets[n] = i;
    const code = buf[i] === BACKSLASH && buf[i + 1] === 0x75 && i + 6 <= to ? asciiEscape(buf.toString('latin1', i + 2, i + 6)) : -1;
    if (code === -1) {
      bytes[n++] = buf[i++]!;
    } else {
      bytes[n++] = code;
      i += 6;
    }
  }
  offsets[n] = i;
  return { bytes: bytes.subarray(0, n), offsets: offsets.subarray(0, n + 1) };
}

function asciiEscape(hex: string): number {
  if (!/^00[0-7][0-9A-Fa-f]$/.test(hex)) return -1;
  return parseInt(hex, 16);
}
