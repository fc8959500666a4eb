// The OCR cache is a folder someone else may write to: only entries this user's
// secret sealed are trusted, no entry holds a key in clear, the folders are the
// user's own at 0700, and a scan of the folder holding the cache reports nothing
// from it. The first part drives the cache itself; the second the CLI, with OCR.
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { ResultCache } from '../../src/ocr/cache.js';
import type { ImageResult } from '../../src/ocr/types.js';
import { runCli, scanJson, tempDir as makeTempDir } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';

const made: string[] = [];
const tempDir = () => {
  const dir = makeTempDir('sfscan-cache-');
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const TAG = 'test-pipeline/test-engine';
const mode = (path: string) => statSync(path).mode & 0o777;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const isRoot = process.getuid?.() === 0;

/** Every file under `dir`, with its bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => ({ path: join(d.parentPath, d.name), bytes: readFileSync(join(d.parentPath, d.name)) }));
}

/** The key as the scanner could find it in bytes: plain, base64, base64url, hex, UTF-16. */
function forms(key: string): Buffer[] {
  const raw = Buffer.from(key);
  return [raw, Buffer.from(raw.toString('base64')), Buffer.from(raw.toString('base64url')), Buffer.from(raw.toString('hex')), Buffer.from(key, 'utf16le')];
}

const holdsKey = (bytes: Buffer, key: string) => forms(key).some((f) => bytes.includes(f));

function resultWith(key: string): ImageResult {
  return { candidates: [{ ruleId: 'spreeflo-api-key-v2', key, confidence: 'high', box: { x: 10, y: 20, width: 300, height: 14 } }] };
}

/** Where the cache keeps the entry named `name` (its layout: two hex digits, then the name). */
const entryPath = (dir: string, name: string) => join(dir, name.slice(0, 2), name);

describe('the cache itself', () => {
  it('keeps what it wrote, in a 0700 folder, 0600 files, and no form of the key in any byte', async () => {
    const dir = join(tempDir(), 'ocr');
    const key = makeV2Key();
    const cache = await ResultCache.open(dir, TAG);
    const name = cache.key(Buffer.from('image bytes'));
    await cache.set(name, resultWith(key));
    expect(await cache.get(name)).toEqual(resultWith(key));
    // A second run reads it back with the secret it finds there.
    expect(await (await ResultCache.open(dir, TAG)).get(name)).toEqual(resultWith(key));
    expect(mode(dir)).toBe(0o700);
    const files = filesUnder(dir);
    expect(files.map((f) => [f.path.slice(dir.length + 1).replace(/[0-9a-f]{64}/, 'NAME'), mode(f.path)]).sort()).toEqual([
      [`${name.slice(0, 2)}/NAME`, 0o600],
      ['secret', 0o600],
    ]);
    for (const f of files) expect(holdsKey(f.bytes, key), f.path).toBe(false);
    // Nor the image's own hash: the name says nothing to someone without the secret.
    expect(name).not.toBe(sha('image bytes'));
  });

  it('tightens existing folders to 0700', async () => {
    const root = join(tempDir(), 'spreeflo-scan');
    mkdirSync(join(root, 'ocr'), { recursive: true });
    chmodSync(root, 0o755);
    chmodSync(join(root, 'ocr'), 0o755);
    await ResultCache.open(join(root, 'ocr'), TAG, [root]);
    expect([mode(root), mode(join(root, 'ocr'))]).toEqual([0o700, 0o700]);
  });

  const image = Buffer.from('a screenshot');
  const forgeries: [string, (dir: string, name: string) => Promise<void> | void][] = [
    ['an entry in the old format (plain JSON, which older versions trusted)', (dir, name) => {
      writeFileSync(entryPath(dir, name), JSON.stringify({ tag: TAG, result: { candidates: [] } }));
    }],
    ['an entry with one byte changed', (dir, name) => {
      const bytes = readFileSync(entryPath(dir, name));
      bytes[bytes.length - 1]! ^= 1;
      writeFileSync(entryPath(dir, name), bytes);
    }],
    ['an entry cut short (its tag truncated)', (dir, name) => {
      writeFileSync(entryPath(dir, name), readFileSync(entryPath(dir, name)).subarray(0, 20));
    }],
    ["another image's entry, moved to this image's name", async (dir, name) => {
      const cache = await ResultCache.open(dir, TAG);
      const other = cache.key(Buffer.from('another screenshot'));
      await cache.set(other, { candidates: [] });
      copyFileSync(entryPath(dir, other), entryPath(dir, name));
    }],
    ['an entry sealed with another secret (the forger\'s own cache)', async (dir, name) => {
      const forger = join(tempDir(), 'ocr');
      const theirs = await ResultCache.open(forger, TAG);
      await theirs.set(theirs.key(image), { candidates: [] });
      copyFileSync(entryPath(forger, theirs.key(image)), entryPath(dir, name));
    }],
    ['an entry made for another engine version', async (dir, name) => {
      const older = await ResultCache.open(dir, 'older-pipeline/test-engine');
      await older.set(name, { candidates: [] });
    }],
    ['a symlink to a file that parses', (dir, name) => {
      const planted = join(tempDir(), 'planted');
      writeFileSync(planted, JSON.stringify({ candidates: [] }));
      unlinkSync(entryPath(dir, name));
      symlinkSync(planted, entryPath(dir, name));
    }],
  ];

  it.each(forgeries)('ignores a planted entry: %s', async (_what, plant) => {
    const dir = join(tempDir(), 'ocr');
    const cache = await ResultCache.open(dir, TAG);
    const name = cache.key(image);
    await cache.set(name, resultWith(makeV2Key()));
    await plant(dir, name);
    expect(await cache.get(name)).toBeUndefined();
  });

  const refusals: [string, (dir: string) => void, RegExp][] = [
    ['the cache folder is a symlink', (dir) => {
      const real = join(tempDir(), 'real');
      mkdirSync(real);
      symlinkSync(real, dir);
    }, /is a symlink or not a folder/],
    ['the cache folder is a file', (dir) => writeFileSync(dir, ''), /is a symlink or not a folder/],
    ['the secret is mode 0644', (dir) => {
      mkdirSync(dir);
      writeFileSync(join(dir, 'secret'), Buffer.alloc(32, 7), { mode: 0o644 });
      chmodSync(join(dir, 'secret'), 0o644);
    }, /secret is mode 644, not 600 \(remove it to start a new cache\)/],
    ['the secret is a symlink to a 0600 file', (dir) => {
      mkdirSync(dir);
      const elsewhere = join(tempDir(), 'known');
      writeFileSync(elsewhere, Buffer.alloc(32, 7), { mode: 0o600 });
      symlinkSync(elsewhere, join(dir, 'secret'));
    }, /secret is a symlink or not a file/],
    ['the secret is a folder', (dir) => mkdirSync(join(dir, 'secret'), { recursive: true }), /secret is not a regular file/],
    ['the secret is short', (dir) => {
      mkdirSync(dir);
      writeFileSync(join(dir, 'secret'), 'abc', { mode: 0o600 });
    }, /secret is not 32 bytes/],
  ];
  if (isRoot) {
    // Only root can give a file to someone else.
    refusals.push(
      ['the cache folder is not the user\'s own', (dir) => {
        mkdirSync(dir);
        chownSync(dir, 65534, 65534);
      }, /is not owned by you/],
      ['the secret is not the user\'s own', (dir) => {
        mkdirSync(dir);
        writeFileSync(join(dir, 'secret'), Buffer.alloc(32, 7), { mode: 0o600 });
        chownSync(join(dir, 'secret'), 65534, 65534);
      }, /secret is not owned by you/],
    );
  }

  it.each(refusals)('is not used when %s, and says why', async (_what, setUp, reason) => {
    const dir = join(tempDir(), 'ocr');
    setUp(dir);
    await expect(ResultCache.open(dir, TAG)).rejects.toThrow(reason);
  });

  it('a new secret clears what was there before it (older entries may hold keys in clear)', async () => {
    const dir = join(tempDir(), 'ocr');
    const key = makeV2Key();
    mkdirSync(join(dir, 'ab'), { recursive: true });
    writeFileSync(join(dir, 'ab', `ab${'0'.repeat(62)}.json`), JSON.stringify({ tag: TAG, result: resultWith(key) }));
    writeFileSync(join(dir, 'notes.txt'), 'not the cache\'s');
    await ResultCache.open(dir, TAG);
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'secret']);
  });

  it('runs starting together agree on one secret', async () => {
    const dir = join(tempDir(), 'ocr');
    const caches = await Promise.all([1, 2, 3, 4].map(() => ResultCache.open(dir, TAG)));
    const name = caches[0]!.key(Buffer.from('x'));
    await caches[0]!.set(name, { candidates: [] });
    for (const c of caches) expect(await c.get(name)).toEqual({ candidates: [] });
  });
});

describe('the CLI and its cache', () => {
  const IMAGES = resolve('test/fixtures/images');
  const SHOT = JSON.parse(readFileSync(join(IMAGES, 'manifest.json'), 'utf8')).images.find((i: any) => i.file === '000-settings-light.png');
  const SHOT_KEY: string = SHOT.keys[0].key;

  it('a cache at 0755 becomes 0700; entries hold no key; a forged entry is ignored; a scan of the home folder reports nothing from the cache', () => {
    const home = tempDir();
    const cacheDir = join(home, '.cache', 'spreeflo-scan');
    mkdirSync(join(cacheDir, 'ocr'), { recursive: true });
    chmodSync(cacheDir, 0o755);
    chmodSync(join(cacheDir, 'ocr'), 0o755);
    const pics = join(home, 'pics');
    mkdirSync(pics);
    copyFileSync(join(IMAGES, SHOT.file), join(pics, 'shot.png'));
    const env = { SPREEFLO_SCAN_CACHE_DIR: cacheDir };
    const keysIn = (report: { findings: { keySha256: string }[] }) => report.findings.map((f) => f.keySha256);

    const first = scanJson([pics], { env });
    expect(keysIn(first.report)).toEqual([sha(SHOT_KEY)]);
    expect([mode(cacheDir), mode(join(cacheDir, 'ocr'))]).toEqual([0o700, 0o700]);
    const entries = filesUnder(join(cacheDir, 'ocr')).filter((f) => !f.path.endsWith('secret'));
    expect(entries).toHaveLength(1);
    expect(holdsKey(entries[0]!.bytes, SHOT_KEY), 'the entry holds the key').toBe(false);

    // Someone who can write there replaces the entry with one saying "nothing found".
    writeFileSync(entries[0]!.path, JSON.stringify({ candidates: [] }));
    const second = scanJson([pics], { env });
    expect(keysIn(second.report)).toEqual([sha(SHOT_KEY)]);
    expect(second.run.stderr).toBe('');

    rmSync(pics, { recursive: true });
    const ofHome = scanJson([home], { env });
    expect(ofHome.report.findings).toEqual([]);
    expect(ofHome.report.skipped).toEqual([{ path: '.cache/spreeflo-scan', reason: "the scanner's own OCR cache, not scanned (its entries are encrypted)", unread: false }]);
  }, 120_000);

  it('with an untrusted secret, reads every image without the cache and says so once', async () => {
    const root = tempDir();
    const cacheDir = join(root, 'cache');
    mkdirSync(join(cacheDir, 'ocr'), { recursive: true });
    writeFileSync(join(cacheDir, 'ocr', 'secret'), Buffer.alloc(32, 7));
    chmodSync(join(cacheDir, 'ocr', 'secret'), 0o644);
    const pics = join(root, 'pics');
    mkdirSync(pics);
    const blank = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#ffffff' } }).png().toBuffer();
    writeFileSync(join(pics, 'a.png'), blank);
    writeFileSync(join(pics, 'b.png'), Buffer.concat([blank, Buffer.from('another file')]));
    const run = runCli(['scan', pics, '--cache-dir', cacheDir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      `spreeflo-scan: OCR cache not used (images are read again): ${join(cacheDir, 'ocr', 'secret')} is mode 644, not 600 (remove it to start a new cache)`,
    ]);
    expect(readdirSync(join(cacheDir, 'ocr'))).toEqual(['secret']);
  }, 120_000);
});
