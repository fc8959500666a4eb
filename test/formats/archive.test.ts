// Archives: zip (and jar, apk, whl...), tar and gzip, read in memory by their readers
// and through the whole CLI; zip bombs, corrupt and truncated archives, links and
// nesting limits become skipped entries with a reason, never a crash or a hang.
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipReader, tarReader, zipReader } from '../../src/formats/archive.js';
import { DEFAULT_LIMITS, type ContainerLimits, type ReadResult } from '../../src/formats/types.js';
import { scanJson, tempDir, writeTree } from '../support/cli.js';
import { makeV1Key, makeV2Key } from '../support/keys.js';
import { entry, gzip, gzipOf, rawZip, tar, zerosDeflate, zip } from '../fixtures/documents/make.js';

const FIXTURES = resolve('test/fixtures/images');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));
const SHOT = readFileSync(join(FIXTURES, '000-settings-light.png'));
const SHOT_KEY_SHA = sha(manifest.images.find((i: any) => i.file === '000-settings-light.png').keys[0].key);

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** What a reader returned, compactly: [entry, kind, text or byte count]. */
function summary(r: ReadResult): { parts: [string | undefined, string, string | number][]; skipped: string[] } {
  return {
    parts: r.parts.map((p) => [p.entry, p.kind, p.data.length < 200 && !p.data.includes(0) ? p.data.toString('utf8') : p.data.length]),
    skipped: r.skipped.map((s) => `${s.entry ?? '-'}: ${s.reason}`),
  };
}

/** Every file under `root` with its size and modification time: a scan must leave it as it was. */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, d.name);
      if (d.isDirectory()) walk(abs);
      else {
        const s = statSync(abs);
        out.push(`${relative(root, abs)} ${s.size} ${s.mtimeMs}`);
      }
    }
  };
  walk(root);
  return out.sort();
}

const SMALL: ContainerLimits = { maxDepth: 3, maxEntries: 3, maxTotalBytes: 100, maxEntryBytes: 60 };

describe('zipReader', () => {
  const cases: Array<{ name: string; build: () => Buffer | Promise<Buffer>; limits?: ContainerLimits; parts: unknown[]; skipped: RegExp[] }> = [
    {
      name: 'every file entry is an auto part named by its path; folders are left out',
      build: () => zip({ 'app/': '', 'app/.env': 'A=1\n', 'README.md': '# hi\n', 'lib/inner.jar': zip({ 'x.properties': 'k=v' }) }),
      parts: [
        ['app/.env', 'auto', 'A=1\n'],
        ['README.md', 'auto', '# hi\n'],
        ['lib/inner.jar', 'auto', expect.any(Number)],
      ],
      skipped: [],
    },
    {
      name: 'stored and deflated entries, Windows separators, data before the archive (self-extracting)',
      build: () => rawZip([entry('a.txt', 'stored', { method: 0 }), entry('dir\\b.txt', 'deflated')], Buffer.from('#!/bin/sh\nexit 0\n')),
      parts: [
        ['a.txt', 'auto', 'stored'],
        ['dir/b.txt', 'auto', 'deflated'],
      ],
      skipped: [],
    },
    {
      name: 'encrypted entries, unsupported methods and symlinks are skipped with the reason',
      build: () =>
        rawZip([
          entry('secret.txt', 'x', { flags: 1 }),
          entry('aes.txt', 'x', { method: 99 }),
          entry('big.bin', 'x', { method: 12 }),
          entry('link', '/etc/passwd', { method: 0, mode: 0o120777 }),
          entry('ok.txt', 'fine'),
        ]),
      parts: [['ok.txt', 'auto', 'fine']],
      skipped: [/^secret\.txt: encrypted/, /^aes\.txt: encrypted/, /^big\.bin: compression method 12 \(bzip2\) not supported/, /^link: symbolic link/],
    },
    {
      name: 'limits: entry size and total size checked against declared sizes, entry count',
      build: () => zip({ 'a.txt': 'a'.repeat(50), 'b.txt': 'b'.repeat(70), 'c.txt': 'c'.repeat(55), 'd.txt': 'd', 'e.txt': 'e' }),
      limits: SMALL,
      parts: [['a.txt', 'auto', 'a'.repeat(50)]],
      skipped: [/^b\.txt: 70 bytes uncompressed, over the 60 bytes limit per entry/, /^c\.txt: the archive would expand past 100 bytes in total/, /^-: more than 3 entries/],
    },
    {
      name: 'a truncated zip (no central directory) is read from its local headers',
      build: () => {
        const whole = zip({ 'first.txt': 'one', 'second.txt': 'two'.repeat(100) });
        return whole.subarray(0, whole.indexOf('PK\x01\x02'));
      },
      parts: [['first.txt', 'auto', 'one'], ['second.txt', 'auto', 300]],
      skipped: [/truncated zip: no central directory/],
    },
    {
      name: 'an empty zip',
      build: () => Buffer.concat([Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]),
      parts: [],
      skipped: [],
    },
    {
      name: 'corrupt deflate data in one entry: that entry skipped, the others read',
      build: () => rawZip([{ name: 'bad.txt', data: Buffer.from('this is not deflate data at all'), usize: 100 }, entry('good.txt', 'good')]),
      parts: [['good.txt', 'auto', 'good']],
      skipped: [/^bad\.txt: corrupt compressed data/],
    },
    {
      name: 'a local header missing where the directory points',
      build: () => {
        const z = rawZip([entry('a.txt', 'a')]);
        z.writeUInt32LE(0, 0);
        return z;
      },
      parts: [],
      skipped: [/^a\.txt: corrupt zip: no local header/],
    },
    {
      name: 'not a zip at all',
      build: () => Buffer.from('just some text, not an archive'),
      parts: [],
      skipped: [/not a readable zip archive/],
    },
  ];

  it.each(cases)('$name', async ({ build, limits, parts, skipped }) => {
    const result = summary(await zipReader.read(await build(), 'x.zip', limits ?? DEFAULT_LIMITS));
    expect(result.parts).toEqual(parts);
    expect(result.skipped).toHaveLength(skipped.length);
    skipped.forEach((re, i) => expect(result.skipped[i]).toMatch(re));
  });

  it('zip bomb, honest header (2 GiB declared): refused before inflating', async () => {
    const bomb = rawZip([{ name: 'zeros.bin', data: await zerosDeflate(2048), usize: 2048 * 1024 ** 2 }, entry('.env', 'A=1')]);
    expect(bomb.length).toBeLessThan(4 * 1024 ** 2);
    const result = summary(await zipReader.read(bomb, 'bomb.zip', DEFAULT_LIMITS));
    expect(result.parts).toEqual([['.env', 'auto', 'A=1']]);
    expect(result.skipped).toEqual([expect.stringMatching(/^zeros\.bin: 2 GiB uncompressed, over the 256 MiB limit per entry \(zip bomb\?\)/)]);
  });

  it('zip bomb, lying header (1 KiB declared, 2 GiB inside): stops at the declared size', async () => {
    const bomb = rawZip([{ name: 'zeros.bin', data: await zerosDeflate(2048), usize: 1024 }, entry('.env', 'A=1')]);
    const rss = process.memoryUsage().rss;
    const result = summary(await zipReader.read(bomb, 'bomb.zip', DEFAULT_LIMITS));
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 ** 2);
    expect(result.parts).toEqual([['.env', 'auto', 'A=1']]);
    expect(result.skipped).toEqual([expect.stringMatching(/^zeros\.bin: inflates past its declared size of 1 KiB \(zip bomb\?\)/)]);
  });

  it('many overlapping entries (a non-recursive bomb): the total limit stops them', async () => {
    const data = await zerosDeflate(50);
    const entries = Array.from({ length: 40 }, (_, i) => ({ name: `z${i}.bin`, data, usize: 50 * 1024 ** 2 }));
    const result = await zipReader.read(rawZip(entries), 'b.zip', { ...DEFAULT_LIMITS, maxTotalBytes: 200 * 1024 ** 2 });
    expect(result.parts).toHaveLength(4);
    expect(result.skipped).toHaveLength(36);
    expect(result.skipped[0]!.reason).toMatch(/would expand past 200 MiB in total/);
  });

  it('never throws on damaged archives', async () => {
    const good = zip({ 'a/b.txt': 'hello '.repeat(500), 'c.bin': randomBytes(2000), 'd.txt': 'x' });
    for (let i = 0; i < 300; i++) {
      const bad = Buffer.from(good);
      for (let k = 0; k < 1 + (i % 8); k++) bad[Math.floor(Math.random() * bad.length)] = Math.floor(Math.random() * 256);
      const cut = i % 3 === 0 ? bad.subarray(0, Math.floor(Math.random() * bad.length)) : bad;
      for (const reader of [zipReader, tarReader, gzipReader]) {
        const result = await reader.read(cut, 'x', DEFAULT_LIMITS);
        expect(Array.isArray(result.parts) && Array.isArray(result.skipped)).toBe(true);
      }
    }
  });
});

describe('tarReader and gzipReader', () => {
  const cases: Array<{ name: string; reader: typeof tarReader; file: string; build: () => Promise<Buffer>; limits?: ContainerLimits; parts: unknown[]; skipped: RegExp[] }> = [
    {
      name: 'tar: files read, folders left out, symlinks and hard links skipped',
      reader: tarReader,
      file: 'a.tar',
      build: () =>
        tar([
          { name: 'app/', type: 'directory' },
          { name: 'app/.env', body: 'A=1\n' },
          { name: 'app/current', type: 'symlink', linkname: '/etc/passwd' },
          { name: 'app/copy', type: 'link', linkname: 'app/.env' },
          { name: 'notes.txt', body: 'n'.repeat(1000) },
        ]),
      parts: [['app/.env', 'auto', 'A=1\n'], ['notes.txt', 'auto', 1000]],
      skipped: [/^app\/current: symbolic link \(to \/etc\/passwd\): not followed/, /^app\/copy: hard link/],
    },
    {
      name: 'tar: declared sizes checked against the limits, entry count',
      reader: tarReader,
      file: 'a.tar',
      build: () => tar([{ name: 'a', body: 'a'.repeat(70) }, { name: 'b', body: 'b'.repeat(10) }, { name: 'c', body: 'c' }, { name: 'd', body: 'd' }]),
      limits: SMALL,
      parts: [['b', 'auto', 'b'.repeat(10)], ['c', 'auto', 'c']],
      skipped: [/^a: 70 bytes uncompressed, over the 60 bytes limit/, /^-: more than 3 entries/],
    },
    {
      name: 'tar: truncated inside an entry',
      reader: tarReader,
      file: 'a.tar',
      build: async () => (await tar([{ name: 'first', body: 'one' }, { name: 'log', body: 'L'.repeat(5000) }])).subarray(0, 512 * 4),
      parts: [['first', 'auto', 'one']],
      skipped: [/^-: truncated tar archive: entries after the cut not read/],
    },
    {
      name: 'tar: not a tar',
      reader: tarReader,
      file: 'a.tar',
      build: async () => Buffer.from('x'.repeat(2000)),
      parts: [],
      skipped: [/^-: corrupt tar archive/],
    },
    {
      name: 'tar.gz: the tar inside is read as tar',
      reader: gzipReader,
      file: 'dist/release.tar.gz',
      build: async () => gzip(await tar([{ name: 'app/.env', body: 'A=1\n' }])),
      parts: [['app/.env', 'auto', 'A=1\n']],
      skipped: [],
    },
    {
      name: '.tgz, an old tar without the ustar magic',
      reader: gzipReader,
      file: 'pkg.tgz',
      build: async () => {
        const t = await tar([{ name: 'package/index.js', body: 'x' }]);
        t.fill(0, 257, 265);
        let sum = 0;
        t.fill(32, 148, 156);
        for (let i = 0; i < 512; i++) sum += t[i]!;
        t.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
        return gzip(t);
      },
      parts: [['package/index.js', 'auto', 'x']],
      skipped: [],
    },
    {
      name: 'any other gzip: one part named without .gz',
      reader: gzipReader,
      file: 'logs/app.log.gz',
      build: async () => gzip('line 1\nline 2\n'),
      parts: [['app.log', 'auto', 'line 1\nline 2\n']],
      skipped: [],
    },
    {
      name: 'truncated gzip: what inflates is kept',
      reader: gzipReader,
      file: 'app.log.gz',
      build: async () => {
        const g = gzip(randomBytes(20000).toString('hex'));
        return g.subarray(0, g.length - 5000);
      },
      parts: [['app.log', 'auto', expect.any(Number)]],
      skipped: [/^-: truncated gzip: only the first \d+ bytes read/],
    },
    {
      name: 'corrupt gzip',
      reader: gzipReader,
      file: 'app.log.gz',
      build: async () => Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), Buffer.from('definitely not deflate')]),
      parts: [],
      skipped: [/^-: corrupt gzip/],
    },
  ];

  it.each(cases)('$name', async ({ reader, file, build, limits, parts, skipped }) => {
    const result = summary(await reader.read(await build(), file, limits ?? DEFAULT_LIMITS));
    expect(result.parts).toEqual(parts);
    expect(result.skipped).toHaveLength(skipped.length);
    skipped.forEach((re, i) => expect(result.skipped[i]).toMatch(re));
  });

  it('gzip bomb (2 GiB of zeros): stops at the limit', async () => {
    const bomb = gzipOf(await zerosDeflate(2048));
    const result = summary(await gzipReader.read(bomb, 'zeros.gz', { ...DEFAULT_LIMITS, maxEntryBytes: 64 * 1024 ** 2 }));
    expect(result).toEqual({ parts: [], skipped: [expect.stringMatching(/^-: expands past the 64 MiB limit \(gzip bomb\?\)/)] });
  });
});

describe('scan reads archives (CLI)', () => {
  it('a zip inside a zip holding an .env and a screenshot: both found, entries joined with !', () => {
    const root = tempDir();
    const key = makeV2Key();
    const inner = zip({ 'app/': '', 'app/.env': `# settings\nSPREEFLO_KEY=${key}\n`, 'docs/settings.png': SHOT });
    writeTree(root, { 'release.zip': zip({ 'inner.zip': inner, 'README.txt': 'nothing here\n' }), 'plain.txt': 'clean\n' });
    const before = snapshot(root);
    const { run, report } = scanJson([root, '--no-cache']);
    expect(run.code).toBe(1);
    const got = report.findings.map((f) => ({ path: f.path, entry: f.entry, line: f.line, source: f.source, key: f.keySha256 }));
    expect(got).toEqual(
      expect.arrayContaining([
        { path: 'release.zip', entry: 'inner.zip!app/.env', line: 2, source: 'document', key: sha(key) },
        { path: 'release.zip', entry: 'inner.zip!docs/settings.png', line: 0, source: 'image', key: SHOT_KEY_SHA },
      ]),
    );
    expect(got).toHaveLength(2);
    expect(snapshot(root)).toEqual(before);
  });

  it('tar.gz with a gzipped log inside, and jar/whl by their zip magic and extension', async () => {
    const root = tempDir();
    const [k1, k2, k3] = [makeV2Key(), makeV1Key(), makeV2Key()];
    const targz = gzip(await tar([{ name: 'app/.env', body: `X=1\nKEY=${k1}\n` }, { name: 'logs/app.log.gz', body: gzip(`a\nb\nc\nauth ${k2}\n`) }]));
    writeTree(root, { 'release.tar.gz': targz, 'lib/tool.jar': zip({ 'conf/app.properties': `key=${k3}\n` }), 'dist/pkg.whl': zip({ 'pkg/__init__.py': 'x = 1\n' }) });
    const before = snapshot(root);
    const { run, report } = scanJson([root, '--no-cache']);
    expect(run.code).toBe(1);
    const got = report.findings.map((f) => [f.path, f.entry, f.line, f.source, f.keySha256]);
    expect(got).toEqual([
      ['lib/tool.jar', 'conf/app.properties', 1, 'document', sha(k3)],
      ['release.tar.gz', 'app/.env', 2, 'document', sha(k1)],
      ['release.tar.gz', 'logs/app.log.gz!app.log', 4, 'document', sha(k2)],
    ]);
    expect(snapshot(root)).toEqual(before);
  });

  it('a zip bomb beside a leaky file: skipped with the reason, the rest still scanned', async () => {
    const root = tempDir();
    const key = makeV2Key();
    const zeros = await zerosDeflate(2048);
    writeTree(root, {
      'bomb.zip': rawZip([{ name: 'zeros.bin', data: zeros, usize: 2048 * 1024 ** 2 }]),
      'liar.zip': rawZip([{ name: 'small.txt', data: zeros, usize: 10 }, entry('.env', `K=${key}\n`)]),
      'zeros.gz': gzipOf(zeros),
    });
    const { run, report } = scanJson([root, '--no-cache']);
    expect(run.code).toBe(1);
    expect(report.findings.map((f) => [f.path, f.entry, f.keySha256])).toEqual([['liar.zip', '.env', sha(key)]]);
    const reasons = Object.fromEntries(report.skipped.map((s: any) => [s.path, s.reason]));
    // The CLI's limit per entry is 256 MiB (or --max-file-size when smaller): entries are held in memory.
    expect(reasons["bomb.zip!zeros.bin"]).toMatch(/2 GiB uncompressed, over the 256 MiB limit per entry \(zip bomb\?\)/);
    expect(reasons['liar.zip!small.txt']).toMatch(/inflates past its declared size of 10 bytes \(zip bomb\?\)/);
    expect(reasons["zeros.gz"]).toMatch(/expands past the 256 MiB limit \(gzip bomb\?\)/);
  });

  it('nesting deeper than 3 containers is not opened; corrupt archives are skipped; clean ones report nothing', () => {
    const root = tempDir();
    const [k3, k4] = [makeV2Key(), makeV2Key()];
    const l4 = zip({ '.env': `K=${k4}\n` });
    const l3 = zip({ 'l4.zip': l4, '.env': `K=${k3}\n` });
    writeTree(root, {
      'l1.zip': zip({ 'l2.zip': zip({ 'l3.zip': l3 }) }),
      'broken.zip': zip({ 'a.txt': 'a'.repeat(1000) }).subarray(0, 40),
      'garbage.tar': 'this is no tar\n'.repeat(100),
      'clean.zip': zip({ 'src/index.js': 'console.log(1)\n', 'img/logo.png': readFileSync(join(FIXTURES, '014-chat-light.jpg')) }),
      'clean.tar.gz': gzip('just a gzipped text\n'),
    });
    const { run, report } = scanJson([root, '--no-cache']);
    expect(run.code).toBe(1);
    expect(report.findings.map((f) => [f.path, f.entry, f.keySha256])).toEqual([['l1.zip', 'l2.zip!l3.zip!.env', sha(k3)]]);
    const reasons = Object.fromEntries(report.skipped.map((s: any) => [s.path, s.reason]));
    expect(reasons['l1.zip!l2.zip!l3.zip!l4.zip']).toMatch(/nested deeper than 3 containers/);
    expect(reasons['broken.zip']).toMatch(/zip/);
    expect(reasons['garbage.tar']).toMatch(/corrupt tar archive/);
    expect(Object.keys(reasons).filter((p) => p.startsWith('clean'))).toEqual([]);
  });
});
