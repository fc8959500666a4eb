// Fast literal search. Buffer#indexOf scans for a needle's first byte with memchr,
// so a needle that starts with a common letter stops at every other byte. Each
// literal is searched by its rarest short piece, and every hit is then checked
// against the whole literal.

// Bytes ranked from commonest in source code, prose and logs; unlisted bytes are rarer.
// NUL comes first: binary files and sparse ones are mostly NULs, and a UTF-16 needle
// that started with one stopped at every byte of them (900 MB of zeros took 40 s).
const COMMON = '\0 etaoinsrhldcumfpgwybvk0123456789-_.,:;/=()"\'\n\tEATSIONRLCDMPF{}[]<>xHBUGWVK';
const rarity = (byte: number) => {
  const i = COMMON.indexOf(String.fromCharCode(byte));
  return i === -1 ? COMMON.length : i;
};

/** Needles of two or three bytes: long enough to be rare, short enough to fit any literal. */
const MIN_NEEDLE = 2;
const MAX_NEEDLE = 3;

/**
 * Partial hits (the needle without the rest of the literal) one search takes before it goes
 * on with a longer needle: C headers hit `sfk_`'s `k_` in `lock_t`, `mask_`, `block_` every
 * few hundred bytes, each a call back to JavaScript, where `fk_` is rare; elsewhere the short
 * needle is the faster (its first byte is the rarer), and no search gets this far.
 */
const MISSES_BEFORE_LONGER = 32;

export class LiteralFinder {
  private readonly needle: Buffer;
  private readonly offset: number;
  /** The needle and the literal's byte before it (or after it, at the start); null when the needle is the whole literal. */
  private readonly longer: Buffer | null;
  private readonly longerOffset: number;

  constructor(readonly literal: Buffer) {
    let best = 0;
    for (let i = 1; i <= literal.length - MIN_NEEDLE; i++) {
      if (rarity(literal[i]!) > rarity(literal[best]!)) best = i;
    }
    this.offset = best;
    this.needle = literal.subarray(best, Math.min(literal.length, best + MAX_NEEDLE));
    this.longerOffset = Math.max(0, best - 1);
    const end = Math.min(literal.length, this.longerOffset + this.needle.length + 1);
    const longer = end - this.longerOffset > this.needle.length ? literal.subarray(this.longerOffset, end) : null;
    // Not one that starts with a NUL (a UTF-16 needle's byte before `k`): it would stop at every zero of a binary.
    this.longer = longer && longer[0] !== 0 ? longer : null;
  }

  /** Start of the next whole literal at or after `from`, or -1. */
  next(buf: Buffer, from: number): number {
    let misses = 0;
    for (let i = buf.indexOf(this.needle, from + this.offset); i !== -1; i = buf.indexOf(this.needle, i + 1)) {
      const start = i - this.offset;
      if (this.holds(buf, start, from)) return start;
      if (++misses === MISSES_BEFORE_LONGER && this.longer) return this.nextLonger(buf, from, start + 1);
    }
    return -1;
  }

  /** next(), from `at` on, with the longer needle. */
  private nextLonger(buf: Buffer, from: number, at: number): number {
    const longer = this.longer!;
    for (let i = buf.indexOf(longer, at + this.longerOffset); i !== -1; i = buf.indexOf(longer, i + 1)) {
      const start = i - this.longerOffset;
      if (this.holds(buf, start, from)) return start;
    }
    return -1;
  }

  /**
   * Whether the whole literal starts at `start`, not before `from`. Compared here, not by
   * Buffer#compare: its checks and native call cost more than the few bytes.
   */
  private holds(buf: Buffer, start: number, from: number): boolean {
    const literal = this.literal;
    if (start < from || start + literal.length > buf.length) return false;
    let k = 0;
    while (k < literal.length && buf[start + k] === literal[k]) k++;
    return k === literal.length;
  }

  /** Every start of the literal in `buf`. */
  all(buf: Buffer): number[] {
    const hits: number[] = [];
    for (let i = this.next(buf, 0); i !== -1; i = this.next(buf, i + 1)) hits.push(i);
    return hits;
  }
}
