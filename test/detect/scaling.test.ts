// The detector's time grows with its input, not with its square, on the inputs that once
// made it crawl: many keys on one line (each column was counted from the line's start)
// and long runs of NUL bytes (the UTF-16 needle started with a NUL, so it stopped at
// every byte). Bounds are ratios with generous room, so a loaded machine does not fail.
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/detect/rules.js';
import { loadBuiltinRules } from '../../src/detect/rule-files.js';
import { Detector } from '../../src/detect/detector.js';
import { makeV2Key } from '../support/keys.js';

const detector = new Detector((await loadBuiltinRules()).map(compileRule));

/** Best of three, in ms: the least disturbed by other work on the machine. */
function timed(buf: Buffer): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    detector.scan(buf);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

describe('many keys on one line', () => {
  it('every key gets its own column, counted in characters', () => {
    const keys = Array.from({ length: 6 }, makeV2Key);
    // Multi-byte characters (two and three bytes, and a surrogate pair) between the keys.
    const seps = [' é ', ' — ', ' 😀 ', ' ', ' ü', ' '];
    const line = keys.map((k, i) => `${seps[i]}${k}`).join('');
    const text = `first line\n${line}\n${keys[0]} again`;
    const found = detector.scan(Buffer.from(text)).map((c) => [c.line, c.column]);
    const columns = keys.map((k) => [2, [...line.slice(0, line.indexOf(k))].length + 1]);
    expect(found).toEqual([...columns, [3, 1]]);
  });

  it('takes time linear in the number of keys', () => {
    const line = (n: number) => Buffer.from(Array.from({ length: n }, makeV2Key).join(' '));
    const small = line(2_000);
    const large = line(8_000);
    expect(detector.scan(large)).toHaveLength(8_000);
    // 4x the keys: about 4x the time (quadratic was 16x).
    expect(timed(large)).toBeLessThan(9 * timed(small) + 50);
  });
});

describe('runs of NUL bytes', () => {
  it('are searched about as fast as text', () => {
    const size = 16 * 1024 * 1024;
    const zeros = Buffer.alloc(size);
    const text = Buffer.alloc(size, 'lorem ipsum dolor sit amet\n');
    // Before, zeros took about 30 times as long as text.
    expect(timed(zeros)).toBeLessThan(6 * timed(text) + 20);
  });
});
