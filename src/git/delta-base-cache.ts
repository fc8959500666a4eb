// Objects built from a pack, kept as delta bases: one fixed ring of memory, filled
// in order and reused oldest first, so reading gigabytes of history allocates (and
// leaves for the garbage collector) next to nothing. An object lives until the ring
// comes round to it again; a caller must use or copy it before its next read.

export interface PackObject {
  type: string;
  data: Buffer;
}

interface Slot extends PackObject {
  /** Where the object sits in the ring (end exclusive). */
  start: number;
  end: number;
}

export class DeltaBaseCache {
  private readonly ring: Buffer;
  private at = 0;
  /** Entries in the order they were written: the oldest is the next to be overwritten. */
  private readonly slots = new Map<number, Slot>();

  constructor(
    bytes: number,
    /** Objects larger than this get their own memory and are not kept: one would push out every base. */
    private readonly largest: number,
  ) {
    this.ring = Buffer.allocUnsafe(bytes);
  }

  get(offset: number): PackObject | undefined {
    return this.slots.get(offset);
  }

  /**
   * Memory for a new object of `size` bytes, written by `fill`, then kept under
   * `offset`. `input` is what `fill` reads from (a delta's base): the new object
   * never overwrites it.
   */
  build(offset: number, type: string, size: number, fill: (out: Buffer) => void, input?: Buffer): PackObject {
    const start = size <= this.largest ? this.place(size, input) : -1;
    if (start === -1) {
      const data = Buffer.allocUnsafe(size);
      fill(data);
      return { type, data };
    }
    const slot: Slot = { type, data: this.ring.subarray(start, start + size), start, end: start + size };
    fill(slot.data);
    this.slots.set(offset, slot);
    return slot;
  }

  /** A whole object as inflated, kept under `offset` (a copy in the ring), or as is when too large to keep. */
  adopt(offset: number, type: string, data: Buffer): PackObject {
    return data.length > this.largest ? { type, data } : this.build(offset, type, data.length, (out) => data.copy(out));
  }

  /** Frees [at, at + size) of the ring, wrapping round at its end; -1 if that would overwrite `input`. */
  private place(size: number, input?: Buffer): number {
    let start = this.at;
    if (start + size > this.ring.length) start = 0;
    if (input && input.buffer === this.ring.buffer) {
      const from = input.byteOffset - this.ring.byteOffset;
      if (from < start + size && start < from + input.length) return -1;
    }
    if (start < this.at) this.evict(this.at, this.ring.length);
    this.evict(start, start + size);
    this.at = start + size;
    return start;
  }

  /** Drops the oldest entries while they lie in [from, to). */
  private evict(from: number, to: number): void {
    for (const [offset, slot] of this.slots) {
      if (slot.end <= from || slot.start >= to) break;
      this.slots.delete(offset);
    }
  }
}
