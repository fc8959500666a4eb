// Seeded key generators for the screenshot corpus. Keys are random but
// reproducible from a seed; none of them was ever issued by Spreeflo.
import { BASE62, v2Check } from '../../src/detect/checksum.js';

export type Rng = () => number;

/** mulberry32: a tiny, fast, seedable PRNG (not for secrets, only for test data). */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

export function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

export function v2Key(rng: Rng): string {
  let body = '';
  for (let i = 0; i < 30; i++) body += BASE62[Math.floor(rng() * 62)];
  return `sfk_${body}${v2Check(body)}`;
}

/** Same shape as a v2 key, with a check that does not hold. */
export function v2WrongChecksum(rng: Rng): string {
  const key = v2Key(rng);
  const check = key.slice(34);
  let wrong = check;
  while (wrong === check) {
    const i = Math.floor(rng() * 6);
    wrong = check.slice(0, i) + BASE62[Math.floor(rng() * 62)] + check.slice(i + 1);
  }
  return key.slice(0, 34) + wrong;
}

/** Characters the OCR confuses in a key, each with the look-alike it becomes. */
export const LOOKALIKE: Record<string, string> = { l: '1', 1: 'l', I: 'l', O: '0', 0: 'O', S: '5', 5: 'S', B: '8', 8: 'B', Z: '2', 2: 'Z', G: '6', 6: 'G' };

/**
 * A valid v2 key with a look-alike among its check characters, and the decoy
 * made of it by swapping one such character (`1` for `l`): a wrong checksum
 * one glyph from a valid key, which the search repairs.
 */
export function v2LookalikePair(rng: Rng): { key: string; decoy: string } {
  for (;;) {
    const key = v2Key(rng);
    const at = [...key.slice(34)].flatMap((c, i) => (LOOKALIKE[c] ? [34 + i] : []));
    if (!at.length) continue;
    const i = pick(rng, at);
    return { key, decoy: key.slice(0, i) + LOOKALIKE[key[i]!] + key.slice(i + 1) };
  }
}

export function v1Key(rng: Rng): string {
  let hex = '';
  for (let i = 0; i < 32; i++) hex += '0123456789abcdef'[Math.floor(rng() * 16)];
  return `${hex}-sf${int(rng, 1, 24)}`;
}

export function maskedKey(rng: Rng): string {
  const key = v2Key(rng);
  return pick(rng, [
    `sfk_••••••••••••${key.slice(-4)}`,
    `sfk_************${key.slice(-4)}`,
    `sfk_…${key.slice(-4)}`,
    `${key.slice(0, 8)}••••••••••••••••${key.slice(-4)}`,
  ]);
}

export function hexNoise(rng: Rng, n: number): string {
  let hex = '';
  for (let i = 0; i < n; i++) hex += '0123456789abcdef'[Math.floor(rng() * 16)];
  return hex;
}
