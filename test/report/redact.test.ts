// scan --write-redacted DIR: copies of leaking picture files with every key box
// filled solid, everything else pixel-for-pixel the same; a scan of DIR is clean;
// the originals are never touched and DIR may not overlap what is scanned.
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { dirname, join, relative, resolve } from 'node:path';
import sharp from 'sharp';
import { makeV2Key } from '../support/keys.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';
import { MASK_COLOUR, paddedBox } from '../../src/report/thumbnail.js';
import { copyPathFor, redactImage } from '../../src/report/redact-images.js';

const FIXTURES = resolve('test/fixtures/images');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));
const shot = manifest.images.find((i: any) => i.file === '000-settings-light.png');
const clean = manifest.images.find((i: any) => i.file === '014-chat-light.jpg');
const TRUE_BOX: { x: number; y: number; width: number; height: number } = shot.keys[0].box;
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)).split('\\').join('/'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

async function rawPixels(file: string) {
  return sharp(file).raw().toBuffer({ resolveWithObject: true });
}

describe('scan --write-redacted', () => {
  const root = tempDir();
  const outDir = join(tempDir('sfscan-redacted-'), 'copies');
  const textKey = makeV2Key();
  let run: ReturnType<typeof runCli>;
  let report: any;
  let originalSha = '';

  beforeAll(() => {
    mkdirSync(join(root, 'docs/img'), { recursive: true });
    copyFileSync(join(FIXTURES, shot.file), join(root, 'docs/img/settings.png'));
    copyFileSync(join(FIXTURES, clean.file), join(root, 'docs/clean.jpg'));
    writeTree(root, { '.env': `KEY=${textKey}\n` });
    originalSha = sha(readFileSync(join(root, 'docs/img/settings.png')));
    run = runCli(['scan', root, '--write-redacted', outDir, '--no-cache', '--format', 'json', '--no-progress']);
    report = JSON.parse(run.stdout);
  });

  it('writes a copy of each leaking picture file only, and says so', () => {
    expect(run.code).toBe(1);
    expect(listFiles(outDir)).toEqual(['docs/img/settings.png']);
    expect(run.stderr).toContain(`redacted copy written: ${join(outDir, 'docs/img/settings.png')} (1 key box filled; original docs/img/settings.png unchanged)`);
    expect(report.notes.join('\n')).toContain('redacted copy written');
    // The original is untouched.
    expect(sha(readFileSync(join(root, 'docs/img/settings.png')))).toBe(originalSha);
  });

  it('fills the padded key box solid, covers the whole key, and changes no other pixel', async () => {
    const finding = report.findings.find((f: any) => f.source === 'image');
    expect(finding.path).toBe('docs/img/settings.png');
    const before = await rawPixels(join(root, 'docs/img/settings.png'));
    const after = await rawPixels(join(outDir, 'docs/img/settings.png'));
    expect(after.info).toMatchObject({ width: before.info.width, height: before.info.height, channels: before.info.channels });
    expect((await sharp(join(outDir, 'docs/img/settings.png')).metadata()).format).toBe('png');
    const box = paddedBox(finding.box, before.info.width, before.info.height)!;
    // The key as drawn (the renderer's own box) lies inside the filled area.
    expect(box.x).toBeLessThanOrEqual(TRUE_BOX.x);
    expect(box.y).toBeLessThanOrEqual(TRUE_BOX.y);
    expect(box.x + box.width).toBeGreaterThanOrEqual(TRUE_BOX.x + TRUE_BOX.width);
    expect(box.y + box.height).toBeGreaterThanOrEqual(TRUE_BOX.y + TRUE_BOX.height);
    const { width, channels } = before.info;
    const fill = [MASK_COLOUR.r, MASK_COLOUR.g, MASK_COLOUR.b, 255];
    let changedOutside = 0;
    let wrongInside = 0;
    for (let y = 0; y < before.info.height; y++) {
      for (let x = 0; x < width; x++) {
        const inside = x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
        for (let c = 0; c < channels; c++) {
          const at = (y * width + x) * channels + c;
          if (inside ? after.data[at] !== fill[c] : after.data[at] !== before.data[at]) {
            if (inside) wrongInside++;
            else changedOutside++;
          }
        }
      }
    }
    expect(changedOutside).toBe(0);
    expect(wrongInside).toBe(0);
  });

  it('a scan of the copies finds nothing', () => {
    const again = runCli(['scan', outDir, '--no-cache', '--format', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).findings).toEqual([]);
  });

  it('the text report lists what was written', () => {
    const out2 = join(tempDir('sfscan-redacted-'), 'r');
    const text = runCli(['scan', root, '--write-redacted', out2, '--no-cache']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`Note: redacted copy written: ${join(out2, 'docs/img/settings.png')}`);
  });
});

/** A PNG with `text` in a tEXt chunk (where keys hide in pictures' bytes). */
async function pngWithText(text: string): Promise<Buffer> {
  const png = await sharp({ create: { width: 200, height: 120, channels: 3, background: '#ffffff' } }).png().toBuffer();
  const body = Buffer.concat([Buffer.from('tEXt'), Buffer.from('Comment\0'), Buffer.from(text)]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length - 4);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  const iend = png.length - 12;
  return Buffer.concat([png.subarray(0, iend), len, body, crc, png.subarray(iend)]);
}

describe('scan --write-redacted, key in the picture file\'s bytes', () => {
  it('copies the picture without its metadata; the copy is clean', async () => {
    const root = tempDir();
    const out = join(tempDir('sfscan-redacted-'), 'c');
    const key = makeV2Key();
    writeTree(root, { 'meta.png': await pngWithText(`api key ${key}\n`) });
    const run = runCli(['scan', root, '--write-redacted', out, '--no-cache', '--format', 'json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: any) => [f.path, f.entry, f.source])).toEqual([['meta.png', 'tEXt:Comment', 'document']]);
    expect(listFiles(out)).toEqual(['meta.png']);
    expect(readFileSync(join(out, 'meta.png')).includes(key)).toBe(false);
    expect(runCli(['scan', out, '--no-cache', '--format', 'json']).code).toBe(0);
  });
});

describe('scan --write-redacted refuses what could touch the originals', () => {
  const parent = tempDir();
  const root = join(parent, 'project');
  beforeAll(() => {
    mkdirSync(root);
    copyFileSync(join(FIXTURES, shot.file), join(root, 'shot.png'));
  });

  it.each([
    ['the scanned folder itself', () => root],
    ['a folder inside it', () => join(root, 'redacted')],
    ['a folder that contains it', () => parent],
    ['the scanned folder by a relative path', () => relative(process.cwd(), root)],
  ])('%s: exit 2, nothing written', (_what, dirOf) => {
    const before = sha(readFileSync(join(root, 'shot.png')));
    const run = runCli(['scan', root, '--write-redacted', dirOf(), '--no-cache']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--write-redacted .*must be outside what is scanned/);
    expect(run.stdout).toBe('');
    expect(existsSync(join(root, 'redacted'))).toBe(false);
    expect(sha(readFileSync(join(root, 'shot.png')))).toBe(before);
  });

  it('--no-ocr cannot promise a clean copy: exit 2', () => {
    const run = runCli(['scan', root, '--write-redacted', join(tempDir(), 'x'), '--no-ocr']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/needs OCR/);
  });
});

describe('redactImage and copy paths (unit)', () => {
  it('keeps format and dimensions for PNG, JPEG and WebP, and drops metadata', async () => {
    const base = sharp({ create: { width: 64, height: 40, channels: 3, background: { r: 200, g: 220, b: 240 } } });
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const input = await base.clone().toFormat(format).withMetadata({ exif: { IFD0: { ImageDescription: 'secret' } } }).toBuffer();
      const out = await redactImage(input, [{ x: 20, y: 15, width: 20, height: 8 }]);
      const meta = await sharp(out).metadata();
      expect(meta).toMatchObject({ format, width: 64, height: 40 });
      expect(meta.exif).toBeUndefined();
      const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
      const at = (25 * info.width + 30) * info.channels;
      expect([data[at], data[at + 1], data[at + 2]].every((v) => v! < 8)).toBe(true);
    }
  });

  it('copy paths stay inside the output folder', () => {
    expect(copyPathFor('docs/a.png')).toBe(join('docs', 'a.png'));
    expect(copyPathFor('../../etc/x.png')).toBe(join('etc', 'x.png'));
    expect(copyPathFor('/abs/path/y.png')).toBe(join('abs', 'path', 'y.png'));
    expect(dirname(copyPathFor('z.png'))).toBe('.');
  });
});
