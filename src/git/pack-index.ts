// Where each object lives in the repository's packs, from their `.idx` files
// (version 2, SHA-1), so history can read packed objects itself instead of
// streaming every blob through a `git cat-file` pipe. An object no index holds
// (loose, in an alternate's pack, a SHA-256 repository) is left to cat-file.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const IDX_MAGIC = 0xff744f63; // "\377tOc"
const ID_BYTES = 20;
const FANOUT = 8;
const TABLES = FANOUT + 256 * 4;

export interface PackedAt {
  /** Index into PackIndex.packs(). */
  pack: number;
  offset: number;
}

/** What a reader needs of one pack: plain data, handed to worker threads as is. */
export interface PackFile {
  /** The `.pack` file's path. */
  path: string;
  idxPath: string;
  /**
   * Every entry's start, ascending: an entry ends where the next begins (or at the
   * trailing checksum). In shared memory: every thread reads the one copy.
   */
  starts: Float64Array;
}

/** One `.idx` file: its id table (sorted), searched in place. */
class IdxFile {
  private readonly count: number;

  constructor(private readonly buf: Buffer) {
    this.count = buf.readUInt32BE(TABLES - 4);
  }

  static parse(buf: Buffer): IdxFile | null {
    if (buf.length < TABLES || buf.readUInt32BE(0) !== IDX_MAGIC || buf.readUInt32BE(4) !== 2) return null;
    const idx = new IdxFile(buf);
    return buf.length >= TABLES + idx.count * (ID_BYTES + 8) + 2 * ID_BYTES ? idx : null;
  }

  /** The pack offset of the object with this id, or -1. */
  find(id: Buffer): number {
    const first = id[0]!;
    let lo = first === 0 ? 0 : this.buf.readUInt32BE(FANOUT + (first - 1) * 4);
    let hi = this.buf.readUInt32BE(FANOUT + first * 4);
    // Ids differ in their first four bytes almost always: compare those as a number first.
    const head = id.readUInt32BE(0);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = TABLES + mid * ID_BYTES;
      const here = this.buf.readUInt32BE(at);
      const cmp = here !== head ? here - head : this.buf.compare(id, 4, ID_BYTES, at + 4, at + ID_BYTES);
      if (cmp === 0) return this.offsetAt(mid);
      if (cmp > 0) hi = mid;
      else lo = mid + 1;
    }
    return -1;
  }

  /** Every entry's offset, ascending. */
  starts(): Float64Array {
    const out = new Float64Array(new SharedArrayBuffer(this.count * 8));
    for (let i = 0; i < this.count; i++) out[i] = this.offsetAt(i);
    return out.sort();
  }

  private offsetAt(i: number): number {
    const small = TABLES + this.count * (ID_BYTES + 4) + i * 4;
    const v = this.buf.readUInt32BE(small);
    if (v < 0x80000000) return v;
    // Packs over 2 GiB: the high bit points into the table of 8-byte offsets.
    const large = TABLES + this.count * (ID_BYTES + 8) + (v & 0x7fffffff) * 8;
    return Number(this.buf.readBigUInt64BE(large));
  }
}

export class PackIndex {
  private readonly idx: IdxFile[] = [];
  private readonly paths: string[] = [];
  private files: PackFile[] | undefined;

  /** The packs of a repository's object store (`.git/objects`). */
  static load(objectsDir: string): PackIndex {
    const dir = join(objectsDir, 'pack');
    try {
      return PackIndex.open(readdirSync(dir).filter((n) => n.endsWith('.idx')).map((n) => join(dir, n)));
    } catch {
      return new PackIndex();
    }
  }

  /** These `.idx` files (numbered as given: a worker opens the same list); unreadable or unknown versions are left out. */
  static open(idxPaths: string[]): PackIndex {
    const index = new PackIndex();
    for (const idxPath of idxPaths) {
      try {
        const idx = IdxFile.parse(readFileSync(idxPath));
        if (!idx) continue;
        index.idx.push(idx);
        index.paths.push(idxPath);
      } catch {
        // A pack being written or removed under us: its objects go through cat-file.
      }
    }
    return index;
  }

  /** The packs, numbered as `find` numbers them. Entry starts are worked out on the first call: only readers need them. */
  packs(): PackFile[] {
    return (this.files ??= this.idx.map((idx, i) => ({ path: this.paths[i]!.slice(0, -4) + '.pack', idxPath: this.paths[i]!, starts: idx.starts() })));
  }

  /** Where the object with this (hex) id is packed, or null. */
  find(id: string): PackedAt | null {
    if (id.length !== ID_BYTES * 2) return null;
    const raw = Buffer.from(id, 'hex');
    for (let pack = 0; pack < this.idx.length; pack++) {
      const offset = this.idx[pack]!.find(raw);
      if (offset !== -1) return { pack, offset };
    }
    return null;
  }

  /** The object's offset in one pack, or -1 (a REF_DELTA's base is looked up in its own pack). */
  offsetIn(pack: number, id: Buffer): number {
    return this.idx[pack]?.find(id) ?? -1;
  }
}
