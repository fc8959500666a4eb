// A gzip file of plain content is inflated and searched by the scan worker that read
// it; anything else (a tar, picture or container inside, a corrupt or truncated
// stream, content past what a worker inflates at once, a key in the entry's name) goes
// to the gzip reader. Either way a scan reports what the reader alone reports: the
// same findings at the same entry, line and column, and the same skipped entries.
import { describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileRule } from '../../src/detect/rules.js';
import { loadBuiltinRules } from '../../src/detect/rule-files.js';
import { Detector } from '../../src/detect/detector.js';
import { ContentScanner } from '../../src/scan/content.js';
import { plainGzip } from '../../src/scan/plain-gzip.js';
import { DEFAULT_LIMITS } from '../../src/formats/types.js';
import { scanJson, tempDir, writeTree } from '../support/cli.js';
import { makeV1Key, makeV2Key } from '../support/keys.js';
import { gzip, tar, zip } from '../fixtures/documents/make.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const key = makeV2Key();
const v1 = makeV1Key();
const SHOT = readFileSync(resolve('test/fixtures/images/000-settings-light.png'));

const MiB = 1024 * 1024;
/** The chunk a streamed gzip is searched through (src/scan/read-file.ts), and the bytes two chunks share. */
const CHUNK = 4 * MiB;
const OVERLAP = 64 * 1024;

/**
 * `size` bytes of 80-column lines with ` KEY=<key> ` written over them at each offset,
 * a fresh key each; `longLineAt`: the lines around that offset joined into one 200 KiB
 * line, so a key there has a column past what a chunk holds.
 */
function keysAt(size: number, offsets: number[], longLineAt?: number): Buffer {
  const data = Buffer.alloc(size, `${'0123456789abcdef '.repeat(4)}${'x'.repeat(11)}\n`);
  if (longLineAt !== undefined) data.fill(0x2e, longLineAt - 100 * 1024, longLineAt + 100 * 1024);
  for (const at of offsets) data.write(` KEY=${makeV2Key()} `, at);
  return data;
}

/** A gzip whose trailer states `size` bytes of content (the real size modulo 4 GiB, or a lie). */
function withStatedSize(gz: Buffer, size: number): Buffer {
  const out = Buffer.from(gz);
  out.writeUInt32LE(size, out.length - 4);
  return out;
}

/** Keys on and around the places chunks meet: the end of one, the middle of their overlap, the start of the owned part. */
const BOUNDARIES = [CHUNK - 30, CHUNK - OVERLAP / 2 - 20, CHUNK - OVERLAP + 5, 2 * CHUNK - OVERLAP - 30, 2 * CHUNK - 3 * OVERLAP / 2 - 10];

const cases: Array<{ name: string; file: string; data: () => Buffer | Promise<Buffer>; keys: number }> = [
  { name: 'a gzipped log', file: 'logs/app.log.gz', data: () => gzip(`start\nauth ok\nKEY=${key}\n`), keys: 1 },
  { name: 'a man page, key on a long line after UTF-8', file: 'man/tool.1.gz', data: () => gzip(`.TH TOOL 1\nété ${'x'.repeat(500)} ${v1}\n`), keys: 1 },
  { name: 'base64 inside', file: 'secret.yaml.gz', data: () => gzip(`data:\n  token: ${Buffer.from(`SPREEFLO_API_KEY=${key}`).toString('base64')}\n`), keys: 1 },
  { name: 'two gzip members', file: 'rotated.log.gz', data: () => Buffer.concat([gzip('first member\n'), gzip(`second ${key}\n`)]), keys: 1 },
  { name: 'two members, the last one small: the trailer understates the size', file: 'understated.log.gz', data: () => Buffer.concat([gzip(`${'filler line\n'.repeat(20000)}KEY=${key}\n`), gzip('tail\n')]), keys: 1 },
  { name: 'a trailer that states more than a worker inflates at once', file: 'overstated.log.gz', data: () => withStatedSize(gzip(`KEY=${key}\n`), 9 * MiB), keys: 0 },
  { name: 'gzip known by its bytes only', file: 'blob.dat', data: () => gzip(`k=${key}\n`), keys: 1 },
  { name: 'empty content', file: 'empty.txt.gz', data: () => gzip(''), keys: 0 },
  { name: 'a tar inside', file: 'release.tar.gz', data: () => tar([{ name: 'app/.env', body: `KEY=${key}\n` }]).then(gzip), keys: 1 },
  { name: 'a tar inside, named .gz only', file: 'bundle.gz', data: () => tar([{ name: '.env', body: `KEY=${key}\n` }]).then(gzip), keys: 1 },
  { name: 'a zip inside', file: 'inner.gz', data: () => gzip(zip({ '.env': `KEY=${key}\n` })), keys: 1 },
  { name: 'a picture inside', file: 'shot.gz', data: () => gzip(SHOT), keys: 0 },
  { name: 'a truncated stream', file: 'cut.log.gz', data: () => gzip(`KEY=${key}\n${'filler line\n'.repeat(5000)}`).subarray(0, 2000), keys: 1 },
  { name: 'a corrupt stream', file: 'bad.log.gz', data: () => Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(64, 0xff)]), keys: 0 },
  { name: 'a gzip named as a zip', file: 'not-a.zip', data: () => gzip(`KEY=${key}\n`), keys: 1 },
  { name: 'a key in the entry name', file: `leak-${key}.txt.gz`, data: () => gzip('nothing here\n'), keys: 1 },
  { name: 'content larger than a worker inflates at once (9 MiB)', file: 'big.log.gz', data: () => gzip(`${'0123456789abcdef '.repeat(9 * 65536)}\nKEY=${key}\n`), keys: 1 },
  // Past what a worker inflates at once: inflated as a stream and searched through one chunk.
  { name: 'streamed: keys where chunks meet, and at the very end', file: 'streamed.log.gz', data: () => gzip(Buffer.concat([keysAt(9 * MiB, [10, ...BOUNDARIES]), Buffer.from(` ${makeV2Key()}`)])), keys: BOUNDARIES.length + 2 },
  { name: 'streamed: a key on a 200 KiB line across a chunk end', file: 'long-line.log.gz', data: () => gzip(keysAt(9 * MiB, [CHUNK - 20], CHUNK)), keys: 1 },
  { name: 'streamed: base64 of a key across a chunk end', file: 'b64.log.gz', data: () => gzip(Buffer.concat([keysAt(CHUNK - 40, []), Buffer.from(`token: ${Buffer.from(`SPREEFLO_API_KEY=${key}`).toString('base64')}\n`), keysAt(5 * MiB, [])])), keys: 1 },
];

const detector = new Detector((await loadBuiltinRules()).map(compileRule));
const reader = new ContentScanner(detector, null, DEFAULT_LIMITS);
const place = (f: { entry?: string; line: number; column: number }, sha256: string) => `${f.entry}:${f.line}:${f.column}:${sha256}`;

describe('gzip files read by the scan workers', () => {
  it('report what the gzip reader reports, on a tree large enough for the worker threads', async () => {
    const root = tempDir();
    const files: Record<string, Buffer> = {};
    for (const c of cases) files[c.file] = await c.data();
    // Enough gzip files that the pool starts its worker threads (it scans small trees itself).
    for (let i = 0; i < 300; i++) files[`filler/${i}.txt.gz`] = gzip(`line ${i}\n`);
    writeTree(root, files);
    const { report } = scanJson([root, '--no-ocr', '--show-secrets']);
    for (const c of cases) {
      const expected = await reader.scan(c.file, files[c.file]!);
      const inFile = report.findings.filter((f) => f.path === c.file && f.entry !== undefined);
      expect(inFile.map((f) => place(f as never, f.keySha256)).sort(), c.name).toEqual(expected.found.map((f) => place({ ...f.candidate, entry: f.entry }, sha(f.candidate.key))).sort());
      expect(inFile.every((f) => f.source === 'document'), c.name).toBe(true);
      expect(new Set(inFile.map((f) => f.keySha256)).size, c.name).toBe(c.keys);
      const skipped = report.skipped.filter((s) => s.path === c.file || s.path.startsWith(`${c.file}!`)).map((s) => `${s.path}: ${s.reason}`);
      expect(skipped.sort(), c.name).toEqual(expected.skipped.map((s) => `${s.entry ? `${c.file}!${s.entry}` : c.file}: ${s.reason}`).sort());
    }
    expect(report.findings.filter((f) => f.path.startsWith('filler/'))).toEqual([]);
    expect(report.summary.files).toBe(cases.length + 300);
  });
});

describe('a gzip file inflated as a stream', () => {
  it('keeps the keys before a limit or a cut, and lists the rest as not read', () => {
    const whole = gzip(keysAt(9 * MiB, [100, 5 * MiB, 8 * MiB]));
    const run = (files: Record<string, Buffer>, ...args: string[]) => {
      const root = tempDir();
      writeTree(root, files);
      const { report } = scanJson([root, '--no-ocr', ...args]);
      const file = Object.keys(files)[0]!;
      return { keys: new Set(report.findings.filter((f) => f.path === file).map((f) => f.keySha256)).size, skipped: report.skipped.filter((s) => s.path === file).map((s) => [s.reason, s.unreadContent]) };
    };
    // The limit per entry is --max-file-size: the key at 5 MiB is read, the one at 8 MiB is not (the gzip reader read neither).
    expect(run({ 'capped.log.gz': whole }, '--max-file-size', '6MB')).toEqual({ keys: 2, skipped: [['expands past the 6 MiB limit (gzip bomb?): only the first 6 MiB read', undefined]] });
    // Cut in its last tenth: the stream fails before its end; what it gave before is searched.
    const cut = run({ 'cut.log.gz': whole.subarray(0, Math.floor(whole.length * 0.9)) });
    expect(cut.keys).toBeGreaterThanOrEqual(2);
    expect(cut.skipped).toEqual([[expect.stringMatching(/^gzip stream failed after .* \(unexpected end of file\): the rest not read$/), undefined]]);
  });
});

describe('a worker inflating a gzip of plain content', () => {
  // It inflates into one piece of the size the trailer states: the content must come out
  // whole whatever that size is, around the sizes where the piece's buffer changes
  // (Node's pool below 4 KiB, the 1 KiB smallest piece) and where the trailer is wrong.
  it('gives the whole content, whatever size the trailer states', () => {
    const text = (n: number) => Buffer.from(`${key}\n`.repeat(Math.ceil(n / (key.length + 1)))).subarray(0, n);
    for (const n of [0, 1, 1023, 1024, 1025, 4095, 4096, 4097, 100_000, 3 * MiB]) {
      expect(plainGzip('a.log.gz', gzip(text(n)), 256 * MiB)?.data.equals(text(n)), `${n} bytes`).toBe(true);
    }
    // One piece of the stated size and a byte, not 16 KiB pieces copied into a buffer of the content's size.
    expect(plainGzip('a.log.gz', gzip(text(100_000)), 256 * MiB)?.data.buffer.byteLength).toBe(100_001);
    const members = Buffer.concat([gzip(text(100_000)), gzip(text(10))]);
    expect(plainGzip('a.log.gz', members, 256 * MiB)?.data.equals(Buffer.concat([text(100_000), text(10)]))).toBe(true);
  });

  it('leaves to the main thread what it would not read whole, and a trailer that lies', () => {
    const big = gzip(Buffer.alloc(9 * MiB, 0x61));
    // Past what a worker holds (8 MiB), or past the file's limits: not even inflated here.
    const inflate = vi.spyOn(process.getBuiltinModule('node:zlib'), 'gunzipSync');
    expect(plainGzip('a.log.gz', big, 256 * MiB)).toBeNull();
    expect(inflate).not.toHaveBeenCalled();
    inflate.mockRestore();
    expect(plainGzip('a.log.gz', gzip(text1k()), 512)).toBeNull();
    // A trailer that states 9 MiB for 12 bytes, or 12 for 9 MiB: zlib checks the size; the gzip reader says what it makes of it.
    expect(plainGzip('a.log.gz', withStatedSize(gzip('twelve bytes'), 9 * MiB), 256 * MiB)).toBeNull();
    expect(plainGzip('a.log.gz', withStatedSize(big, 12), 256 * MiB)).toBeNull();
  });
});

function text1k(): Buffer {
  return Buffer.alloc(1024, 0x61);
}
