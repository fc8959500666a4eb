// A tar or .tar.gz is read entry by entry: each entry is searched (nested containers
// too) before the next is inflated, so a container costs one entry of memory, and what
// the nested containers use counts against the file's limits as the entries come.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { compileRule } from '../../src/detect/rules.js';
import { loadBuiltinRules } from '../../src/detect/rule-files.js';
import { Detector } from '../../src/detect/detector.js';
import { gzipReader, tarReader } from '../../src/formats/archive.js';
import { ContentScanner } from '../../src/scan/content.js';
import { DEFAULT_LIMITS, type ContainerLimits, type FormatReader, type Part } from '../../src/formats/types.js';
import { gzip, tar, zip } from '../fixtures/documents/make.js';
import { makeV2Key } from '../support/keys.js';

const detector = new Detector((await loadBuiltinRules()).map(compileRule));

/** `n` files of filler, then the given ones: the keys are in the last entries. */
async function manyThen(n: number, last: Array<{ name: string; body: string | Buffer }>): Promise<Buffer> {
  const filler = Array.from({ length: n }, (_, i) => ({ name: `logs/${i}.log`, body: `line ${i}\n`.repeat(200) }));
  return tar([...filler, ...last]);
}

const lastKey = makeV2Key();
const nestedKey = makeV2Key();
const keys = Array.from({ length: 7 }, () => makeV2Key());
const archive = async () => manyThen(400, [{ name: 'lib/inner.zip', body: zip({ 'conf/.env': `KEY=${nestedKey}\n` }) }, { name: 'z/last.env', body: `KEY=${lastKey}\n` }]);

const cases: Array<{ name: string; file: string; build: () => Promise<Buffer>; limits?: Partial<ContainerLimits>; found: Array<[string, string]>; skipped: RegExp[] }> = [
  {
    name: 'tar.gz of 402 entries: the key in the last entry and in a zip inside one',
    file: 'release.tar.gz',
    build: async () => gzip(await archive()),
    found: [
      ['lib/inner.zip!conf/.env', nestedKey],
      ['z/last.env', lastKey],
    ],
    skipped: [],
  },
  {
    name: 'the same tar, not gzipped',
    file: 'release.tar',
    build: archive,
    found: [
      ['lib/inner.zip!conf/.env', nestedKey],
      ['z/last.env', lastKey],
    ],
    skipped: [],
  },
  {
    // The zip (1 entry) and its 4 files use 5 of the 6 entries: one more file is read.
    name: 'entries of a zip inside count against the tar as they are read',
    file: 'release.tgz',
    build: async () => gzip(await tar([{ name: 'inner.zip', body: zip(Object.fromEntries([0, 1, 2, 3].map((i) => [`${i}.env`, `KEY=${keys[i]}\n`]))) }, ...[4, 5, 6].map((i) => ({ name: `${i}.env`, body: `KEY=${keys[i]}\n` }))])),
    limits: { maxEntries: 6 },
    found: [0, 1, 2, 3].map((i): [string, string] => [`inner.zip!${i}.env`, keys[i]!]).concat([['4.env', keys[4]!]]),
    skipped: [/more than 6 entries: the rest not read/],
  },
  {
    name: 'tar.gz cut short: the entries before the cut are read',
    file: 'cut.tar.gz',
    build: async () => {
      const whole = gzip(await tar([{ name: 'a.env', body: `KEY=${keys[0]}\n` }, { name: 'noise.bin', body: randomBytes(400_000) }, { name: 'b.env', body: `KEY=${keys[1]}\n` }]));
      return whole.subarray(0, whole.length >> 1);
    },
    found: [['a.env', keys[0]!]],
    skipped: [/^truncated gzip: only the first \d+ bytes read/, /^truncated tar archive: entries after the cut not read/],
  },
  {
    // The big entry is refused by its declared size; inflating past it stops the stream.
    name: 'tar.gz inflating past the limit: the entries before it are read, the rest listed',
    file: 'big.tar.gz',
    build: async () => gzip(await tar([{ name: 'a.env', body: `KEY=${keys[0]}\n` }, { name: 'zeros.bin', body: Buffer.alloc(300_000) }, { name: 'b.env', body: `KEY=${keys[1]}\n` }])),
    limits: { maxTotalBytes: 100_000 },
    found: [['a.env', keys[0]!]],
    skipped: [/over the .* limit per entry|would expand past/, /^expands past the .* limit \(gzip bomb\?\): the rest not read/],
  },
];

describe('tar and .tar.gz read entry by entry', () => {
  it.each(cases)('$name', async ({ file, build, limits, found, skipped }) => {
    const result = await new ContentScanner(detector, null, { ...DEFAULT_LIMITS, ...limits }).scan(file, await build());
    expect(result.found.map((f) => [f.entry, f.candidate.key])).toEqual(found);
    expect(result.skipped).toHaveLength(skipped.length);
    skipped.forEach((reason, i) => expect(result.skipped[i]!.reason).toMatch(reason));
  });

  it.each<[string, FormatReader, string, () => Promise<Buffer>]>([
    ['gzip', gzipReader, 'release.tar.gz', async () => gzip(await archive())],
    ['tar', tarReader, 'release.tar', archive],
  ])('the %s reader hands over one entry at a time, each before the next is read', async (_kind, reader, file, build) => {
    const seen: string[] = [];
    let reading = 0;
    let most = 0;
    const read = await reader.stream!(await build(), file, DEFAULT_LIMITS, async (part: Part) => {
      most = Math.max(most, ++reading);
      seen.push(part.entry!);
      // The reader waits: no other entry arrives while this one is read.
      await new Promise((r) => setTimeout(r, 1));
      reading--;
      return { entries: 0, bytes: 0 };
    });
    expect(most).toBe(1);
    expect(seen).toHaveLength(402);
    expect(seen.slice(-2)).toEqual(['lib/inner.zip', 'z/last.env']);
    expect(read).toEqual({ parts: [], skipped: [] });
  });
});
