// The outermost layer's searches in one native pass (scan-pass.wat, WebAssembly SIMD): the
// first NUL, every start of each literal (the UTF-16 ones from the first NUL on), and where
// base64 sampling would stop. In JavaScript these were six passes over every byte read: five
// memchr-driven searches and the sampling loop (bench/README.md, "One native pass"). Decoded
// layers, small chunks and what the pass cannot take (too many or too long literals, too large
// a chunk, lists that fill) keep the searches in JavaScript, which give the same answers.
import { SCAN_PASS_WASM } from './scan-pass-wasm.js';

/** What finds a literal: LiteralFinder, or the hits the pass found. */
export interface Finder {
  next(buf: Buffer, from: number): number;
}

/** The STRIDE grid's sample points (encodings.ts, nextSample) from a pass's runs. */
export interface SamplePoints {
  next(from: number): number;
  /** Where the stretch of sample bytes from `p`, a point next returned last, ends. */
  reach(p: number): number;
}

/** The pass's findings on one chunk. */
export interface PassResult {
  nul: number;
  /** One Finder per literal, in the order given to ScanPass.for, then those with a NUL. */
  finders: Finder[];
  samples: SamplePoints;
}

/** As in scan-pass.wat. */
const DATA = 1024;
const PADDING = 256;
const LITERALS = 8;
const LITERAL_BYTES = 12;
/** The sampling grid's stride and reach (encodings.ts, STRIDE): a sample point has STRIDE + 1 sample bytes from it. */
const STRIDE = 24;
/**
 * Chunks are at most 4 MiB (read-file.ts); a bigger buffer (a staged file kept whole, up to
 * 64 MiB) is searched in JavaScript rather than keep that much memory per thread for good.
 */
const MAX_BYTES = 8 * 1024 * 1024;
const PAGE = 65536;

/** Where the hits and runs of a chunk of `len` bytes go, after it and its zeros. */
function layout(len: number) {
  // Room for `\u00` every 4 bytes (source maps of escaped text: pdfjs-dist's hold one in 8
  // bytes, and a list that filled sent the whole chunk back to JavaScript, 29 ms each). Only
  // the pages written to are memory the process holds.
  const hitCap = (len >> 2) + 64;
  // Each run holds STRIDE + 1 bytes and a byte not in it: this many always fit.
  const runCap = Math.floor(len / (STRIDE + 2)) + 2;
  const hitsAt = (DATA + len + PADDING + 15) & ~15;
  const runsAt = hitsAt + 4 * hitCap;
  return { hitCap, runCap, hitsAt, runsAt, end: runsAt + 8 * runCap };
}

interface Instance {
  memory: WebAssembly.Memory;
  scan: (len: number, hits: number, hitCap: number, runs: number, runCap: number) => number;
  bytes: Uint8Array;
  header: Int32Array;
  /** Where a chunk is read to be searched without a copy (FileScanner's buffer). */
  room: Buffer;
}

/**
 * Per thread, made on first use (a chunk for the pass, or a FileScanner's first read): the
 * pre-commit hook's first look never compiles it. undefined: not tried yet; null: no WebAssembly SIMD here.
 */
let instance: Instance | null | undefined;

function load(): Instance | null {
  if (instance !== undefined) return instance;
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(Buffer.from(SCAN_PASS_WASM, 'base64'));
  } catch {
    // The only fallback to JavaScript for want of the machine: a runtime without WebAssembly SIMD.
    return (instance = null);
  }
  const { memory, scan } = new WebAssembly.Instance(module).exports as unknown as Instance;
  // Grown once to its largest: views of it (the room a FileScanner reads into) stay valid.
  // Only the pages written to are memory the process holds.
  memory.grow(Math.ceil(layout(MAX_BYTES).end / PAGE) - memory.buffer.byteLength / PAGE);
  const bytes = new Uint8Array(memory.buffer);
  return (instance = { memory, scan, bytes, header: new Int32Array(memory.buffer, 0, 3), room: Buffer.from(memory.buffer, DATA, MAX_BYTES) });
}

/** Hits of one literal, in order: next() from the last answer on, as LiteralFinder is called. */
class HitList implements Finder {
  private at = 0;
  constructor(private readonly hits: Int32Array) {}

  next(_buf: Buffer, from: number): number {
    const hits = this.hits;
    if (this.at > 0 && hits[this.at - 1]! >= from) this.at = 0;
    while (this.at < hits.length && hits[this.at]! < from) this.at++;
    return this.at < hits.length ? hits[this.at]! : -1;
  }
}

/** Points p = from + k * STRIDE inside the runs [a, b), in order, as nextSample finds them. */
class RunSamples implements SamplePoints {
  private at = 0;
  constructor(private readonly runs: Int32Array) {}

  next(from: number): number {
    const runs = this.runs;
    if (this.at > 0 && runs[2 * this.at - 1]! > from) this.at = 0;
    for (; 2 * this.at < runs.length; this.at++) {
      const a = runs[2 * this.at]!;
      const b = runs[2 * this.at + 1]!;
      if (b <= from) continue;
      const p = a <= from ? from : from + Math.ceil((a - from) / STRIDE) * STRIDE;
      if (p < b) return p;
    }
    return -1;
  }

  reach(p: number): number {
    // A run's last point has STRIDE more sample bytes after it, and the byte after them is not one.
    return 2 * this.at < this.runs.length && this.runs[2 * this.at]! <= p ? this.runs[2 * this.at + 1]! + STRIDE : p;
  }
}

const NO_HITS = new HitList(new Int32Array(0));
const NO_SAMPLES = new RunSamples(new Int32Array(0));

export class ScanPass {
  private readonly table: Uint8Array;
  /** The finders of a chunk without hits. */
  private readonly none: Finder[];

  private constructor(
    private readonly literals: Buffer[],
    withNul: number,
    private readonly minBytes: number,
  ) {
    this.none = literals.map(() => NO_HITS);
    this.table = new Uint8Array(4 + 48 * literals.length);
    const view = new DataView(this.table.buffer);
    view.setUint16(0, literals.length - withNul, true);
    view.setUint16(2, literals.length, true);
    literals.forEach((lit, k) => {
      const at = 4 + 48 * k;
      this.table.fill(lit[0]!, at, at + 16);
      this.table.fill(lit.at(-1)!, at + 16, at + 32);
      view.setUint32(at + 32, lit.length, true);
      this.table.set(lit, at + 36);
    });
  }

  /**
   * A pass for these literals, and for `withNul`'s (UTF-16 text's) where a chunk holds a NUL,
   * over chunks of at least `minBytes`; or null where it cannot take the literals.
   */
  static for(literals: Buffer[], withNul: Buffer[], minBytes: number): ScanPass | null {
    const all = [...literals, ...withNul];
    // A literal ending in a NUL would match the zeros after the chunk; one without a NUL, in
    // text looked at only from the first NUL on, would be missed before it.
    if (all.length > LITERALS || all.some((l) => l.length === 0 || l.length > LITERAL_BYTES || l.at(-1) === 0)) return null;
    if (literals.some((l) => l.includes(0)) || withNul.some((l) => !l.includes(0))) return null;
    return new ScanPass(all, withNul.length, minBytes);
  }

  /**
   * A buffer of MAX_BYTES to read chunks into, searched by the pass without a copy; null where
   * there is no pass. One per thread, shared by every ScanPass: what is in it lasts only until
   * the next pass over another buffer.
   */
  room(): Buffer | null {
    return load()?.room ?? null;
  }

  /** The pass over `buf`, or null: searched in JavaScript instead. */
  run(buf: Buffer): PassResult | null {
    const len = buf.length;
    if (len < this.minBytes || len > MAX_BYTES) return null;
    const wasm = load();
    if (!wasm) return null;
    const { hitCap, runCap, hitsAt, runsAt } = layout(len);
    const { bytes, header } = wasm;
    bytes.set(this.table, 12);
    // A chunk read into the room is where the pass reads it already.
    if (buf.buffer !== bytes.buffer || buf.byteOffset !== DATA) bytes.set(buf, DATA);
    bytes.fill(0, DATA + len, DATA + len + PADDING);
    if (wasm.scan(len, hitsAt, hitCap, runsAt, runCap) !== 0) return null;
    const nul = header[0]!;
    const hitCount = header[1]!;
    const runCount = header[2]!;
    // Most chunks have no hit and no run: nothing is made for them.
    return {
      nul,
      finders: hitCount === 0 ? this.none : this.split(new Uint32Array(bytes.buffer, hitsAt, hitCount)),
      samples: runCount === 0 ? NO_SAMPLES : new RunSamples(new Int32Array(bytes.buffer, runsAt, 2 * runCount).slice()),
    };
  }

  /** The pass's hits, one list per literal (copied out: the next pass overwrites them). */
  private split(hits: Uint32Array): Finder[] {
    const counts = new Int32Array(this.literals.length);
    for (let i = 0; i < hits.length; i++) counts[hits[i]! & 7]!++;
    const lists = Array.from(counts, (n) => new Int32Array(n));
    counts.fill(0);
    for (let i = 0; i < hits.length; i++) {
      const k = hits[i]! & 7;
      lists[k]![counts[k]!++] = hits[i]! >>> 3;
    }
    return lists.map((l) => new HitList(l));
  }
}
