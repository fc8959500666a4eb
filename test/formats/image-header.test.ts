// Picture headers read without a decoder: real images made by sharp give their
// size; damaged ones a defect; formats not read here are left to the decoder.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { headerProblem, headerSize } from '../../src/formats/image-header.js';

const FORMATS = ['png', 'jpeg', 'gif', 'webp', 'webp-lossless', 'tiff'] as const;

async function image(format: (typeof FORMATS)[number], width: number, height: number): Promise<Buffer> {
  const s = sharp({ create: { width, height, channels: 3, background: '#336699' } });
  if (format === 'webp-lossless') return s.webp({ lossless: true }).toBuffer();
  return s.toFormat(format).toBuffer();
}

/** A BMP sharp cannot write: 24-bit, bottom-up, one row of padding per 4 bytes. */
function bmp(width: number, height: number): Buffer {
  const row = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + row * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  return out;
}

describe('image headers', () => {
  it.each(FORMATS.filter((f) => f !== 'tiff'))('%s: the size comes from the header', async (format) => {
    expect(headerSize(await image(format, 321, 123))).toEqual({ width: 321, height: 123 });
    expect(headerProblem(await image(format, 321, 123))).toBeNull();
    expect(headerProblem(await image(format, 30, 8))).toBe('too small to hold a readable key');
  });

  it('bmp: the size comes from the header', () => {
    expect(headerSize(bmp(300, 50))).toEqual({ width: 300, height: 50 });
  });

  it('tiff is left to the decoder', async () => {
    expect(headerSize(await image('tiff', 321, 123))).toBeNull();
  });

  it('a picture over the pixel limit is too large', async () => {
    const png = await image('png', 100, 100);
    png.writeUInt32BE(9000, 16);
    png.writeUInt32BE(9000, 20);
    expect(headerProblem(png)).toBe('corrupt image (PNG header checksum fails)');
    const gif = await image('gif', 100, 100);
    gif.writeUInt16LE(9000, 6);
    gif.writeUInt16LE(9000, 8);
    expect(headerProblem(gif)).toBe('too large (9000x9000, over 40 megapixels)');
  });

  it.each([
    ['empty', async () => Buffer.alloc(0), 'empty file'],
    ['random bytes behind a PNG signature', async () => Buffer.concat([(await image('png', 100, 100)).subarray(0, 8), randomBytes(500)]), 'corrupt image (no PNG header chunk)'],
    ['a PNG cut inside its header', async () => (await image('png', 100, 100)).subarray(0, 20), 'corrupt image (no PNG header chunk)'],
    ['a PNG with one header bit flipped', async () => {
      const png = await image('png', 100, 100);
      png[17] = png[17]! ^ 1;
      return png;
    }, 'corrupt image (PNG header checksum fails)'],
    ['garbage behind a JPEG signature', async () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.alloc(14, 0x41), Buffer.from([0x12, 0x34, 0x00, 0x10]), Buffer.alloc(40)]), 'corrupt image (no JPEG frame header)'],
    ['a JPEG cut before its frame header', async () => {
      const jpeg = await image('jpeg', 100, 100);
      let sof = 2;
      while (!(jpeg[sof] === 0xff && jpeg[sof + 1] === 0xc0)) sof++;
      return jpeg.subarray(0, sof);
    }, 'corrupt image (no JPEG frame header)'],
    ['a GIF of zero width', async () => {
      const gif = await image('gif', 100, 100);
      gif.writeUInt16LE(0, 6);
      return gif;
    }, 'corrupt image (zero width or height in its header)'],
  ] as const)('%s', async (_name, make, reason) => {
    expect(headerProblem(await make())).toBe(reason);
  });

  it('bytes between JPEG segments are skipped, as libjpeg does', async () => {
    const jpeg = await image('jpeg', 321, 123);
    const afterFirst = 4 + jpeg.readUInt16BE(4);
    const padded = Buffer.concat([jpeg.subarray(0, afterFirst), Buffer.from([0x00, 0x00, 0x13]), jpeg.subarray(afterFirst)]);
    expect(headerSize(padded)).toEqual({ width: 321, height: 123 });
    expect((await sharp(padded).metadata()).width).toBe(321);
  });

  it('a truncated picture with a sound header is left to the decoder', async () => {
    const png = await image('png', 400, 200);
    expect(headerProblem(png.subarray(0, 40))).toBeNull();
  });
});
