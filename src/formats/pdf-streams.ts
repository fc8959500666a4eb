// Bounds what a PDF's streams expand to before pdf.js sees them. pdf.js keeps a
// stream's whole decoded bytes in memory and has no limit of its own, so 1 MB of
// deflated spaces becomes a 1 GiB buffer and a minute of parsing. Every stream in
// the file (streams live only in top-level objects, never in object streams) is
// decoded here through its filter chain, counting bytes and keeping none; one that
// expands past the limits is blanked in place (same length, so the cross-reference
// table stays valid) and pdf.js reads the rest. See docs/documents.md.
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createInflate } from 'node:zlib';
import { streamDecryptor, type StreamDecryptor } from './pdf-crypt.js';
import { objectHeaders, objectIndex, parseValue, resolve, skipSpace, type Value } from './pdf-lexer.js';
import type { ContainerLimits, PartSkip } from './types.js';

/**
 * pdf.js holds a stream's decoded bytes whole (and doubles its buffer as it grows)
 * and parses a page's content in one go: 64 MB is a few seconds and ~300 MB of
 * memory. A stream that expands past this, or past `maxEntryBytes` if lower, is not read.
 */
export const MAX_STREAM_BYTES = 64 * 1024 ** 2;

interface StreamObject {
  /** `4 0`: the object number and generation. */
  id: string;
  /** Where the dictionary's /Filter key starts, or -1 when it has none. */
  filterKey: number;
  /** Filter names in order, or null when they are not written out in the dictionary. */
  filters: string[] | null;
  /** LZW's /EarlyChange for each filter (1 unless its /DecodeParms says 0). */
  earlyChange: number[];
  dataStart: number;
  dataEnd: number;
  /** A cross-reference stream: never encrypted. */
  xref: boolean;
}

function filterNames(v: Value | undefined): string[] | null {
  if (!v) return [];
  if (v.kind === 'name') return [v.name];
  if (v.kind === 'array' && v.items.every((x) => x.kind === 'name')) return v.items.map((x) => (x as { name: string }).name);
  return null;
}

function earlyChanges(v: Value | undefined): number[] {
  const one = (p: Value | undefined): number => (p?.kind === 'dict' && p.keys.get('EarlyChange')?.value.kind === 'int' && (p.keys.get('EarlyChange')!.value as { n: number }).n === 0 ? 0 : 1);
  return v?.kind === 'array' ? v.items.map(one) : [one(v)];
}

/** Where a stream's data ends: at /Length when `endstream` follows it there, else at the next `endstream` (as pdf.js does). */
function dataEnd(b: Buffer, start: number, length: Value | undefined): number {
  if (length?.kind === 'int' && start + length.n <= b.length) {
    const after = skipSpace(b, start + length.n);
    if (b.toString('latin1', after, after + 9) === 'endstream') return start + length.n;
  }
  const end = b.indexOf('endstream', start, 'latin1');
  return end < 0 ? b.length : end;
}

/** Every stream object in the file, in file order (later versions of an object included). */
function findStreams(b: Buffer, text: string, index: Map<string, number>): StreamObject[] {
  const found: StreamObject[] = [];
  let skipTo = 0; // past a stream's data: what looks like a header there is not one
  for (const { id, at: valueAt } of objectHeaders(text)) {
    if (valueAt < skipTo) continue;
    const parsed = parseValue(b, valueAt);
    if (!parsed || parsed.value.kind !== 'dict') continue;
    const at = skipSpace(b, parsed.end);
    if (b.toString('latin1', at, at + 6) !== 'stream' || (b[at + 6] !== 0x0a && b[at + 6] !== 0x0d)) continue;
    let start = at + 6;
    if (b[start] === 0x0d) start++;
    if (b[start] === 0x0a) start++;
    const keys = parsed.value.keys;
    const type = keys.get('Type')?.value;
    const end = dataEnd(b, start, resolve(b, index, keys.get('Length')?.value));
    found.push({ id, filterKey: keys.get('Filter')?.at ?? -1, filters: filterNames(keys.get('Filter')?.value), earlyChange: earlyChanges(resolve(b, index, keys.get('DecodeParms')?.value)), dataStart: start, dataEnd: end, xref: type?.kind === 'name' && type.name === 'XRef' });
    skipTo = end;
  }
  return found;
}

// ---- decoders that only count ---------------------------------------------------

class Over extends Error {}

/** A decoder fed in pieces; each piece's output is bounded (a few MB), whatever the input. */
interface Decoder {
  push(chunk: Buffer): Buffer;
}

const PIECE = 1024;

function asTransform(d: Decoder): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      for (let i = 0; i < chunk.length; i += PIECE) this.push(d.push(chunk.subarray(i, i + PIECE)));
      done();
    },
  });
}

/**
 * LZWDecode as pdf.js decodes it (EarlyChange 1, the default): a code past the
 * table repeats the last sequence plus its first byte, and the table keeps what
 * earlier generations left in it, so a sequence can outgrow 4096 bytes.
 */
class Lzw implements Decoder {
  private prefix = new Int32Array(4096);
  private suffix = new Uint8Array(4096);
  private size = new Float64Array(4096);
  private next = 258;
  private prev = -1;
  private last: Buffer = Buffer.alloc(0);
  private bits = 0;
  private nbits = 0;
  private ended = false;

  /** `cap`: one sequence longer than this is the end of the count. */
  constructor(
    private readonly cap: number,
    private readonly earlyChange: number,
  ) {
    for (let i = 0; i < 256; i++) {
      this.suffix[i] = i;
      this.size[i] = 1;
      this.prefix[i] = -1;
    }
  }

  private width(): number {
    const n = this.next + this.earlyChange;
    return n >= 2048 ? 12 : n >= 1024 ? 11 : n >= 512 ? 10 : 9;
  }

  push(chunk: Buffer): Buffer {
    const out: Buffer[] = [];
    for (const byte of chunk) {
      if (this.ended) break;
      this.bits = ((this.bits << 8) | byte) & 0xffffff;
      this.nbits += 8;
      while (!this.ended && this.nbits >= this.width()) {
        const w = this.width();
        const code = (this.bits >> (this.nbits - w)) & ((1 << w) - 1);
        this.nbits -= w;
        if (code === 256) {
          this.next = 258;
          this.last = Buffer.alloc(0);
        } else if (code === 257) this.ended = true;
        else out.push(this.emit(code));
      }
    }
    return Buffer.concat(out);
  }

  private emit(code: number): Buffer {
    const length = code < 256 ? 1 : code < this.next ? this.size[code]! : this.last.length + 1;
    if (length > this.cap) throw new Over();
    let out: Buffer;
    if (code < 256) out = Buffer.from([code]);
    else if (code < this.next) {
      out = Buffer.alloc(length);
      for (let c = code, i = length - 1; i >= 0; c = this.prefix[c] ?? -1, i--) out[i] = this.suffix[c] ?? 0;
    } else out = Buffer.concat([this.last, Buffer.from([this.last[0] ?? 0])]);
    if (this.last.length > 0 && this.next < 4096) {
      this.prefix[this.next] = this.prev;
      this.suffix[this.next] = out[0]!;
      this.size[this.next] = this.size[this.prev]! + 1;
      this.next++;
    }
    this.prev = code;
    this.last = out;
    return out;
  }
}

class RunLength implements Decoder {
  private pending: number[] = [];
  private ended = false;
  push(chunk: Buffer): Buffer {
    const out: Buffer[] = [];
    for (const byte of chunk) {
      if (this.ended) break;
      this.pending.push(byte);
      const n = this.pending[0]!;
      if (n === 128) this.ended = true;
      else if (n < 128 && this.pending.length === n + 2) out.push(Buffer.from(this.pending.slice(1)));
      else if (n > 128 && this.pending.length === 2) out.push(Buffer.alloc(257 - n, byte));
      else continue;
      this.pending = [];
    }
    return Buffer.concat(out);
  }
}

class AsciiHex implements Decoder {
  private half = -1;
  push(chunk: Buffer): Buffer {
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === 0x3e) break;
      const v = parseInt(String.fromCharCode(byte), 16);
      if (Number.isNaN(v)) continue;
      if (this.half < 0) this.half = v;
      else {
        out.push((this.half << 4) | v);
        this.half = -1;
      }
    }
    return Buffer.from(out);
  }
}

class Ascii85 implements Decoder {
  private group: number[] = [];
  private ended = false;
  push(chunk: Buffer): Buffer {
    const out: number[] = [];
    for (const byte of chunk) {
      if (this.ended) break;
      if (byte === 0x7e) {
        this.ended = true;
        if (this.group.length > 1) {
          const n = this.group.length - 1;
          while (this.group.length < 5) this.group.push(84);
          out.push(...this.word().slice(0, n));
        }
      } else if (byte === 0x7a && this.group.length === 0) out.push(0, 0, 0, 0);
      else if (byte >= 0x21 && byte <= 0x75) {
        this.group.push(byte - 33);
        if (this.group.length === 5) {
          out.push(...this.word());
          this.group = [];
        }
      }
    }
    return Buffer.from(out);
  }
  private word(): number[] {
    const v = this.group.reduce((acc, d) => acc * 85 + d, 0) >>> 0;
    return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
  }
}

/** The filters that can expand; the others (pictures: DCT, JPX, JBIG2, CCITT) pdf.js bounds by `maxImageSize`. */
function stage(name: string, cap: number, earlyChange: number): Transform | null {
  switch (name) {
    case 'FlateDecode':
    case 'Fl':
      // Truncated and checksum-less streams are common; pdf.js reads what inflates.
      return createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
    case 'LZWDecode':
    case 'LZW':
      return asTransform(new Lzw(cap, earlyChange));
    case 'RunLengthDecode':
    case 'RL':
      return asTransform(new RunLength());
    case 'ASCIIHexDecode':
    case 'AHx':
      return asTransform(new AsciiHex());
    case 'ASCII85Decode':
    case 'A85':
      return asTransform(new Ascii85());
    default:
      return null;
  }
}

/** Passes bytes on; past `cap` of them, stops the count. */
function counter(cap: number): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      n += chunk.length;
      done(n > cap ? new Over() : null, chunk);
    },
  });
}

/** Bytes the filter chain turns `raw` into, or `cap + 1` once it passes `cap`. */
async function decodedSize(raw: Buffer, filters: readonly string[], cap: number, earlyChange: readonly number[] = []): Promise<number> {
  const stages: Transform[] = [];
  for (const [i, name] of filters.entries()) {
    const s = stage(name, cap, earlyChange[i] ?? 1);
    if (!s) break; // a picture codec ends the chain: what follows it is pdf.js's business
    // pdf.js keeps every stage's output whole, not only the last one's.
    stages.push(s, counter(cap));
  }
  if (stages.length === 0) return raw.length;
  let n = 0;
  try {
    await pipeline(
      Readable.from((function* () {
        for (let i = 0; i < raw.length; i += 64 * 1024) yield raw.subarray(i, i + 64 * 1024);
      })()),
      ...(stages as [Transform]),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) {
          n += chunk.length;
          if (n > cap) throw new Over();
        }
      },
    );
  } catch (err) {
    if (err instanceof Over) return cap + 1;
    // Corrupt data ends the stream where it breaks, for pdf.js as here.
  }
  return n;
}

/** A stream's bytes as its filters take them: decrypted when the file is. */
function stored(s: StreamObject, data: Buffer, decrypt: StreamDecryptor | null): Buffer {
  const raw = data.subarray(s.dataStart, s.dataEnd);
  if (!decrypt || s.xref) return raw;
  try {
    return decrypt(s.id, raw);
  } catch {
    return raw; // too short to be AES: pdf.js gets nothing from it either
  }
}

/**
 * Checks every stream of `data` against the limits (per stream `MAX_STREAM_BYTES`
 * or `maxEntryBytes` if lower, all together `maxTotalBytes`). Returns the bytes for pdf.js (a copy with each
 * stream over the limit blanked, or `data` itself) and what was left out.
 */
export async function boundStreams(data: Buffer, limits: ContainerLimits): Promise<{ data: Buffer; skipped: PartSkip[] }> {
  let copy: Buffer | null = null;
  const skipped: PartSkip[] = [];
  let total = 0;
  const perStream = Math.min(limits.maxEntryBytes, MAX_STREAM_BYTES);
  const text = data.toString('latin1');
  const index = objectIndex(text);
  const decrypt = streamDecryptor(data, text, index);
  for (const s of findStreams(data, text, index)) {
    if (s.filters?.length === 0) continue; // stored as is: no larger than the file
    const room = Math.max(0, Math.min(perStream, limits.maxTotalBytes - total));
    const size = s.filters ? await decodedSize(stored(s, data, decrypt), s.filters, room, s.earlyChange) : room + 1;
    if (size <= room) {
      total += size;
      continue;
    }
    copy ??= Buffer.from(data);
    // `/Filter` becomes `/Xilter`, an unknown key: pdf.js reads the blanked bytes as they are.
    if (s.filterKey >= 0) copy[s.filterKey + 1] = 0x58;
    copy.fill(0x20, s.dataStart, s.dataEnd);
    const why = !s.filters
      ? 'stream whose filters are not written in its dictionary'
      : size > perStream
        ? `stream expands past the ${perStream}-byte limit per stream`
        : `streams expand past the ${limits.maxTotalBytes}-byte limit per file`;
    skipped.push({ entry: `object ${s.id}`, reason: `${why}: not read` });
  }
  return { data: copy ?? data, skipped };
}
