// Images through the whole CLI: scan, staged and history --ocr read screenshots,
// with boxes, a cache, and clear skips for what is not an image.
import { describe, expect, it } from 'vitest';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { join, resolve } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { runCli, scanJson, tempDir, writeTree } from '../support/cli.js';
import { TestRepo } from '../support/git.js';

const FIXTURES = resolve('test/fixtures/images');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));
const withKey = manifest.images.find((i: any) => i.file === '000-settings-light.png');
const clean = manifest.images.find((i: any) => i.file === '014-chat-light.jpg');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const KEY_SHA = sha(withKey.keys[0].key);

function imageTree(): { root: string; cache: string } {
  const root = tempDir();
  copyFileSync(join(FIXTURES, withKey.file), join(root, 'shot.png'));
  copyFileSync(join(FIXTURES, clean.file), join(root, 'clean.jpg'));
  return { root, cache: tempDir('sfscan-cache-') };
}

describe('scan reads images', () => {
  it('finds the key in a screenshot with its box, then reads it from the cache', () => {
    const { root, cache } = imageTree();
    const { run, report } = scanJson([root, '--cache-dir', cache]);
    expect(run.code).toBe(1);
    const f = report.findings.find((x) => x.source === 'image');
    expect(f).toMatchObject({ path: 'shot.png', keySha256: KEY_SHA, confidence: 'high' });
    const box = f!.box as { x: number; y: number; width: number; height: number };
    const expected = withKey.keys[0].box;
    expect(Math.abs(box.x - expected.x)).toBeLessThan(20);
    expect(Math.abs(box.y - expected.y)).toBeLessThan(20);
    expect(report.findings.filter((x) => x.path === 'clean.jpg')).toEqual([]);
    expect(readdirSync(join(cache, 'ocr')).length).toBeGreaterThan(0);
    const again = scanJson([root, '--cache-dir', cache]);
    expect(again.report.findings.map((x) => x.keySha256)).toEqual([KEY_SHA]);
  });

  it('--no-ocr leaves pixels alone', () => {
    const { root } = imageTree();
    const { run, report } = scanJson([root, '--no-ocr']);
    expect(run.code).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it('broken pictures and a .png that is really text: skipped with the reason, their bytes still scanned', async () => {
    const root = tempDir();
    const key = makeV2Key();
    const shot = readFileSync(join(FIXTURES, withKey.file));
    writeTree(root, {
      'notes.png': `KEY=${key}\n`,
      'empty.png': '',
      'cut.png': shot.subarray(0, 200),
      // Random bytes behind a PNG signature, with a key among them.
      'noise.png': Buffer.concat([shot.subarray(0, 8), randomBytes(300), Buffer.from(` ${key} `), randomBytes(300)]),
      'noise.jpg': Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00]), Buffer.alloc(500, 0x20)]),
      // An icon: too small for a key, told from its header.
      'icon.png': await sharp({ create: { width: 16, height: 16, channels: 3, background: '#336699' } }).png().toBuffer(),
    });
    const { report } = scanJson([root, '--no-cache']);
    expect(report.findings.map((f) => [f.path, f.source, f.keySha256]).sort()).toEqual([
      ['noise.png', 'file', sha(key)],
      ['notes.png', 'file', sha(key)],
    ]);
    const reasons = Object.fromEntries(report.skipped.map((s: any) => [s.path, s.reason]));
    expect(reasons).toEqual({
      'notes.png': 'image not read: not a picture (no PNG, JPEG, GIF, WebP, BMP, TIFF, AVIF or HEIC header); its bytes were searched as text',
      'empty.png': 'image not read: empty file',
      'cut.png': 'image not read: corrupt image',
      'noise.png': expect.stringMatching(/^image not read: corrupt image \((no PNG header chunk|PNG header checksum fails)\)$/),
      'noise.jpg': 'image not read: corrupt image (no JPEG frame header)',
      'icon.png': 'image not read: too small to hold a readable key',
    });
  });
});

describe('a picture OCR cannot finish in time', () => {
  it('is listed as not read once its time limit passes, and fails a gate', () => {
    const { root } = imageTree();
    // 0.05 s: the engine is still reading the page when the limit passes.
    const env = { SPREEFLO_SCAN_OCR_SECONDS: '0.05' };
    const reason = 'image not read: OCR stopped after 0.05 s (the limit per picture; SPREEFLO_SCAN_OCR_SECONDS sets it)';
    for (const [args, code] of [[[], 0], [['--unread', 'fail'], 1]] as const) {
      const { run, report } = scanJson(['shot.png', '--no-cache', ...args], { cwd: root, env });
      expect(run.code).toBe(code);
      expect(report.findings.filter((f) => f.source === 'image')).toEqual([]);
      expect(report.skipped).toEqual([{ path: 'shot.png', reason, unread: true }]);
      expect(report.summary.unread).toBe(1);
    }
  });

  it('noise: nothing drawn on a background, listed as holding no key without OCR', async () => {
    const root = tempDir();
    const [width, height] = [800, 600];
    await sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).png().toFile(join(root, 'noise.png'));
    const { run, report } = scanJson([root, '--no-cache', '--unread', 'fail']);
    expect(run.code).toBe(0);
    expect(report.skipped).toEqual([{ path: 'noise.png', reason: 'image not read: no text (nothing in it is drawn on a background: noise or grain)', unread: false }]);
  });
});

describe('staged and history read images', () => {
  it('staged blocks a committed screenshot', () => {
    const repo = new TestRepo();
    repo.commit('init', { 'a.txt': 'x\n' });
    copyFileSync(join(FIXTURES, withKey.file), join(repo.dir, 'docs-shot.png'));
    repo.git('add', 'docs-shot.png');
    const run = runCli(['staged', '--format', 'json', '--no-cache'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings[0]).toMatchObject({ source: 'image', path: 'docs-shot.png', keySha256: KEY_SHA });
  });

  it('history --ocr finds a screenshot at the commit that added it; plain history does not read pixels', () => {
    const repo = new TestRepo();
    repo.commit('init', { 'a.txt': 'x\n' });
    copyFileSync(join(FIXTURES, withKey.file), join(repo.dir, 'shot.png'));
    const added = repo.commit('add screenshot');
    repo.commit('remove screenshot', { 'shot.png': null });
    expect(runCli(['history'], { cwd: repo.dir }).code).toBe(0);
    const run = runCli(['history', '--ocr', '--no-cache', '--format', 'json'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings[0]).toMatchObject({ source: 'image', path: 'shot.png', commit: added, keySha256: KEY_SHA });
  });
});

// Tesseract writes its own diagnostics ("Detected 16 diacritics") to stderr; this picture
// (share-icons.html rendered by Chromium at 860x300) made it do so. They buried the scan's messages.
describe('the OCR engine is quiet', () => {
  it('prints nothing of its own on stderr', () => {
    const root = tempDir();
    copyFileSync(resolve('test/fixtures/ocr-chatter/share-icons.png'), join(root, 'share.png'));
    const run = runCli(['scan', root, '--no-cache', '--no-progress', '--format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/diacritics|Image too small|cannot be recognized|Warning:/);
  });
});
