// The container limits hold for a whole file, nesting included: a zip of zips gets the
// entries and bytes of one file, not those of each container in it (issue 14: a 7 KB zip
// of three 1 MB zip bombs inflated 3 GiB, a zip of 10 zips of 10 zips 10 GiB).
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/detect/rules.js';
import { loadBuiltinRules } from '../../src/detect/rule-files.js';
import { Detector } from '../../src/detect/detector.js';
import { ContentScanner } from '../../src/scan/content.js';
import { DEFAULT_LIMITS, type ContainerLimits } from '../../src/formats/types.js';
import { zip } from '../fixtures/documents/make.js';
import { makeV2Key } from '../support/keys.js';

const detector = new Detector((await loadBuiltinRules()).map(compileRule));

/** A zip of `n` .env files, each holding a key and padded to `size` bytes; stored, so its size is known. */
function leaf(n: number, size: number): Buffer {
  return zip(Object.fromEntries(Array.from({ length: n }, (_, i) => [`${i}.env`, `KEY=${makeV2Key()}\n`.padEnd(size, '#')])), { level: 0 });
}

/** Stored zips of four 1000-byte files: their size. */
const LEAF_BYTES = leaf(4, 1000).length;

/** A zip of `n` copies of `inner`. */
function fan(n: number, inner: Buffer): Buffer {
  return zip(Object.fromEntries(Array.from({ length: n }, (_, i) => [`${i}.zip`, inner])));
}

const cases: Array<{ name: string; file: () => Buffer; limits: Partial<ContainerLimits>; keys: number; reason: RegExp }> = [
  {
    // 3 inner zips (3 entries), then 4 entries of the first one: the entry limit is reached.
    name: 'entries: a zip of three zips of four files, 7 entries in all',
    file: () => fan(3, leaf(4, 100)),
    limits: { maxEntries: 7 },
    keys: 4,
    reason: /more than 0 entries: the rest not read/,
  },
  {
    // The inner zips' bytes count too (3 x LEAF_BYTES), then 1000-byte files while room is left.
    name: 'bytes: a zip of three zips of four 1 KB files, room for two files after the zips',
    file: () => fan(3, leaf(4, 1000)),
    limits: { maxTotalBytes: 3 * LEAF_BYTES + 2500 },
    keys: 2,
    reason: /the archive would expand past .* in total, the room left of the limit per file \(zip bomb\?\)/,
  },
  {
    name: 'fan-out: a zip of 3 zips of 3 zips of 2 files, 20 entries in all',
    file: () => fan(3, fan(3, leaf(2, 50))),
    limits: { maxEntries: 20 },
    // 3 middle zips, 3 leaves and their 6 files (12), 3 more leaves (15), then 4 files and 1.
    keys: 11,
    reason: /more than \d+ entries: the rest not read/,
  },
];

describe('container limits per file, nesting included', () => {
  it.each(cases)('$name', async ({ file, limits, keys, reason }) => {
    const scanner = new ContentScanner(detector, null, { ...DEFAULT_LIMITS, ...limits });
    const result = await scanner.scan('outer.zip', file());
    expect(result.found).toHaveLength(keys);
    expect(result.skipped.some((s) => reason.test(s.reason))).toBe(true);
    // What was not read is unread content: it fails a gate.
    expect(result.skipped.every((s) => s.unreadContent === undefined)).toBe(true);
  });

  it('a file that fits is read whole', async () => {
    const scanner = new ContentScanner(detector, null, DEFAULT_LIMITS);
    const result = await scanner.scan('outer.zip', fan(3, fan(3, leaf(2, 50))));
    expect(result.found).toHaveLength(18);
    expect(result.skipped).toEqual([]);
  });
});
