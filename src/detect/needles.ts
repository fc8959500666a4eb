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

export class LiteralFinder {
  private readonly needle: Buffer;
  private readonly offset: number;

  constructor(readonly literal: Buffer) {
    let best = 0;
    for (let i = 1; i <= literal.length - MIN_NEEDLE; i++) {
      if (rarity(literal[i]!) > rarity(literal[best]!)) best = i;
    }
    this.offset = best;
    this.needle = literal.subarray(best, Math.min(literal.length, best + MAX_NEEDLE));
  }

  /** Start of the next whole literal at or after `from`, or -1. */
  next(buf: Buffer, from: number): number {
    const literal = this.literal;
    for (let i = buf.indexOf(this.needle, from + this.offset); i !== -1; i = buf.indexOf(this.needle, i + 1)) {
      const start = i - this.offset;
      if (start < from || start + literal.length > buf.length) continue;
      // Compared here, not by Buffer#compare: its checks and native call cost more than the few
      // bytes, and C headers hit `sfk_`'s needle (`k_`: `lock_t`, `mask_`) every few hundred bytes.
      let k = 0;
      while (k < literal.length && buf[start + k] === literal[k]) k++;
      if (k === literal.length) return start;
    }
    return -1;
  }

  /** Every start of the literal in `buf`. */
  all(buf: Buffer): number[] {
    const hits: number[] = [];
    for (let i = this.next(buf, 0); i !== -1; i = this.next(buf, i + 1)) hits.push(i);
    return hits;
  }
}
