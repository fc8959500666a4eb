// Reads objects out of one `.pack` file: the entry header, zlib (native, through
// node:zlib), and delta chains resolved against a cache of recently built objects,
// as git's own delta base cache does. Objects are asked for in pack order, so reads
// go through a sliding window of the file, not one system call per object. An
// object read lives in the cache's ring: use or copy it before the next read.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants as zlib, inflateSync } from 'node:zlib';
import { PackIndex, type PackFile, type PackedAt } from './pack-index.js';
import { DeltaBaseCache, type PackObject } from './delta-base-cache.js';

const TYPES = ['', 'commit', 'tree', 'blob', 'tag'] as const;
const OFS_DELTA = 6;
const REF_DELTA = 7;
const TRAILER = 20;
/** git refuses deeper chains too (pack.depth tops out at 4095). */
const MAX_CHAIN = 10_000;
const WINDOW = 4 * 1024 * 1024;
/** Built objects kept as delta bases (git's core.deltaBaseCacheLimit is 96 MiB for its one process). */
const CACHE_BYTES = 16 * 1024 * 1024;
const CACHE_ONE_MAX = 8 * 1024 * 1024;
/** Copies up to this many bytes go byte by byte (see copyBytes). */
const SMALL_COPY = 64;

export class PackError extends Error {}

export type { PackObject };

interface Entry {
  kind: number;
  /** Inflated size. */
  size: number;
  /** Where the zlib data starts and the entry ends. */
  dataStart: number;
  end: number;
  /** A delta's base: its offset in this pack, or (REF_DELTA) its id. */
  baseOffset?: number;
  baseId?: Buffer;
}

export class PackReader {
  private readonly fd: number;
  private readonly packEnd: number;
  private readonly window = Buffer.allocUnsafe(WINDOW);
  private windowStart = 0;
  private windowEnd = 0;
  private readonly cache: DeltaBaseCache;

  constructor(
    private readonly pack: PackFile,
    /** A REF_DELTA base's offset in this pack (the id's lookup), or -1. */
    private readonly offsetOf: (id: Buffer) => number,
    cacheBytes = CACHE_BYTES,
  ) {
    this.cache = new DeltaBaseCache(cacheBytes, Math.min(CACHE_ONE_MAX, cacheBytes / 4));
    this.fd = openSync(pack.path, 'r');
    this.packEnd = fstatSync(this.fd).size - TRAILER;
  }

  close(): void {
    closeSync(this.fd);
  }

  /** The object whose entry starts at `offset`, its deltas applied. */
  read(offset: number): PackObject {
    const hit = this.cache.get(offset);
    if (hit) return hit;
    // Walk down the chain to a whole object or a cached one, then apply the deltas back up.
    const chain: { entry: Entry; at: number }[] = [];
    let at = offset;
    let base: PackObject | undefined;
    while (!base) {
      const entry = this.entry(at);
      if (entry.kind !== OFS_DELTA && entry.kind !== REF_DELTA) {
        const type = TYPES[entry.kind];
        if (!type) throw new PackError(`unknown object type ${entry.kind} at offset ${at}`);
        base = this.cache.adopt(at, type, this.inflate(entry));
        break;
      }
      chain.push({ entry, at });
      if (chain.length > MAX_CHAIN) throw new PackError(`delta chain too long at offset ${offset}`);
      at = entry.baseOffset ?? this.offsetOf(entry.baseId!);
      if (at < 0) throw new PackError(`delta base not in this pack (offset ${offset})`);
      base = this.cache.get(at);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const delta = this.inflate(chain[i]!.entry);
      const { baseSize, resultSize } = deltaSizes(delta);
      if (baseSize !== base.data.length) throw new PackError('delta does not fit its base');
      const input = base.data;
      base = this.cache.build(chain[i]!.at, base.type, resultSize, (out) => applyDelta(input, delta, out), input);
    }
    return base;
  }

  /** Bytes [from, to) of the pack: a view of the window when they fit in it. */
  private bytes(from: number, to: number): Buffer {
    if (from >= this.windowStart && to <= this.windowEnd) return this.window.subarray(from - this.windowStart, to - this.windowStart);
    if (to - from > WINDOW) return this.readAt(Buffer.allocUnsafe(to - from), from);
    const end = Math.min(this.packEnd + TRAILER, from + WINDOW);
    this.readAt(this.window.subarray(0, end - from), from);
    this.windowStart = from;
    this.windowEnd = end;
    return this.window.subarray(0, to - from);
  }

  private readAt(buf: Buffer, position: number): Buffer {
    for (let done = 0; done < buf.length; ) {
      const n = readSync(this.fd, buf, done, buf.length - done, position + done);
      if (n === 0) throw new PackError(`pack ends early (offset ${position + done})`);
      done += n;
    }
    return buf;
  }

  private entry(offset: number): Entry {
    const end = this.endOf(offset);
    // The header is at most 10 bytes of size, then a base offset (up to 10) or id (20).
    const head = this.bytes(offset, Math.min(end, offset + 32));
    let p = 0;
    let c = head[p++]!;
    const kind = (c >> 4) & 7;
    let size = c & 15;
    for (let shift = 4; c & 0x80; shift += 7) {
      c = head[p++]!;
      size += (c & 0x7f) * 2 ** shift;
    }
    const e: Entry = { kind, size, dataStart: 0, end };
    if (kind === OFS_DELTA) {
      c = head[p++]!;
      let back = c & 0x7f;
      while (c & 0x80) {
        c = head[p++]!;
        back = (back + 1) * 128 + (c & 0x7f);
      }
      e.baseOffset = offset - back;
    } else if (kind === REF_DELTA) {
      e.baseId = Buffer.from(head.subarray(p, p + 20));
      p += 20;
    }
    if (p > head.length) throw new PackError(`entry header cut short at offset ${offset}`);
    e.dataStart = offset + p;
    return e;
  }

  /** Where the entry starting at `offset` ends: the next entry's start. */
  private endOf(offset: number): number {
    const starts = this.pack.starts;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0 || starts[lo - 1] !== offset) throw new PackError(`no entry starts at offset ${offset}`);
    return lo < starts.length ? starts[lo]! : this.packEnd;
  }

  private inflate(e: Entry): Buffer {
    // Into one buffer of the size the header gives (and a byte, so zlib ends without
    // asking for another): by default zlib fills 16 KiB chunks and joins them, so each
    // small object held a 16 KiB chunk and each large one was built twice.
    const data = inflateSync(this.bytes(e.dataStart, e.end), { chunkSize: Math.max(zlib.Z_MIN_CHUNK, e.size + 1) });
    if (data.length !== e.size) throw new PackError(`entry at ${e.dataStart} inflates to ${data.length} bytes, not ${e.size}`);
    return data;
  }
}

/** A git delta's two sizes (varints), and where its instructions start. */
export function deltaSizes(delta: Buffer): { baseSize: number; resultSize: number; start: number } {
  let p = 0;
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    let c: number;
    do {
      if (p >= delta.length) throw new PackError('delta header cut short');
      c = delta[p++]!;
      v += (c & 0x7f) * 2 ** shift;
      shift += 7;
    } while (c & 0x80);
    return v;
  };
  const baseSize = varint();
  const resultSize = varint();
  return { baseSize, resultSize, start: p };
}

/** A git delta's copy and insert instructions applied to its base, into `out` (its result size). */
export function applyDelta(base: Buffer, delta: Buffer, out: Buffer): void {
  let p = deltaSizes(delta).start;
  let o = 0;
  while (p < delta.length) {
    const op = delta[p++]!;
    if (op & 0x80) {
      let from = 0;
      let n = 0;
      for (let b = 0; b < 4; b++) if (op & (1 << b)) from |= delta[p++]! << (8 * b);
      for (let b = 0; b < 3; b++) if (op & (0x10 << b)) n |= delta[p++]! << (8 * b);
      from >>>= 0;
      if (n === 0) n = 0x10000;
      if (from + n > base.length || o + n > out.length) throw new PackError('delta copies outside its base');
      copyBytes(base, from, n, out, o);
      o += n;
    } else if (op !== 0) {
      if (p + op > delta.length || o + op > out.length) throw new PackError('delta inserts past its end');
      copyBytes(delta, p, op, out, o);
      p += op;
      o += op;
    } else throw new PackError('delta has a reserved instruction');
  }
  if (o !== out.length) throw new PackError('delta result has the wrong size');
}

/**
 * Copies `n` bytes. Most delta instructions move a few dozen bytes, and for those a
 * loop beats Buffer#copy, whose checks and view cost more than the bytes (3.7 s of a
 * history worker's 17 s on git/git went to them).
 */
function copyBytes(from: Buffer, start: number, n: number, to: Buffer, at: number): void {
  if (n > SMALL_COPY) {
    to.set(from.subarray(start, start + n), at);
    return;
  }
  for (let i = 0; i < n; i++) to[at + i] = from[start + i]!;
}

/** Every pack of a repository, each opened on its first read. */
export class PackStore {
  private readonly readers: PackReader[] = [];
  /** Each pack's index, loaded only for a reference delta (packs git writes itself use offsets). */
  private readonly indexes: PackIndex[] = [];

  constructor(
    private readonly packs: PackFile[],
    /** Per pack (tests make it small, to exercise eviction). */
    private readonly cacheBytes?: number,
  ) {}

  read(at: PackedAt): PackObject {
    const pack = this.packs[at.pack];
    if (!pack) throw new PackError(`no pack ${at.pack}`);
    const reader = (this.readers[at.pack] ??= new PackReader(pack, (id) => (this.indexes[at.pack] ??= PackIndex.open([pack.idxPath])).offsetIn(0, id), this.cacheBytes));
    return reader.read(at.offset);
  }

  close(): void {
    for (const r of this.readers) r?.close();
    this.readers.length = 0;
  }
}
