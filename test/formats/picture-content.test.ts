// What a picture is, by its bytes alone (real pictures made by sharp), and the
// text its PNG chunks carry, read chunk by chunk within the limits.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { hasPngText, imageFormat, needsReaderFor } from '../../src/formats/kinds.js';
import { headerProblem } from '../../src/formats/image-header.js';
import { readPngText } from '../../src/formats/png-text.js';
import { DEFAULT_LIMITS } from '../../src/formats/types.js';
import { ftypBox, pngChunk, pngTextChunk, withPngChunks } from '../support/pictures.js';

const picture = (format: 'png' | 'jpeg' | 'gif' | 'webp' | 'tiff' | 'avif') =>
  sharp({ create: { width: 64, height: 32, channels: 3, background: '#336699' } }).toFormat(format).toBuffer();

describe('pictures by their first bytes', () => {
  it.each(['png', 'jpeg', 'gif', 'webp', 'tiff', 'avif'] as const)('%s made by sharp', async (format) => {
    expect(imageFormat(await picture(format))).toBe(format);
  });

  it.each([
    ['HEIC, major brand heic', ftypBox('heic', ['mif1', 'heic']), 'heic'],
    ['HEIC, major brand mif1', ftypBox('mif1', ['heic', 'miaf']), 'heic'],
    ['HEIC image sequence', ftypBox('hevc', ['msf1']), 'heic'],
    ['AVIF, major brand mif1', ftypBox('mif1', ['avif', 'miaf']), 'avif'],
    ['AVIF image sequence', ftypBox('avis', ['msf1']), 'avif'],
    ['an MP4 video', ftypBox('isom', ['iso2', 'mp41']), null],
    ['a HEIF of no known codec', ftypBox('mif1', ['miaf']), null],
    ['text', Buffer.from('Makefile: all\n\tbuild\n'), null],
    ['text starting as a PNG would', Buffer.from('\x89 not PNG', 'latin1'), null],
    ['empty', Buffer.alloc(0), null],
  ] as const)('%s', (_name, bytes, format) => {
    expect(imageFormat(Buffer.concat([bytes, Buffer.alloc(64)]))).toBe(format);
  });

  it('a HEIC is not decoded: its reason names the missing codec', () => {
    expect(headerProblem(Buffer.concat([ftypBox('heic', ['mif1']), Buffer.alloc(64)]))).toMatch(/^HEIC picture \(HEVC-coded\), which the image decoder .* cannot decode; its bytes were searched as text$/);
  });

  it('a file needs a reader for its content: a picture when OCR is on, a PNG with text chunks always', async () => {
    const png = await picture('png');
    const commented = withPngChunks(png, pngTextChunk('tEXt', 'Comment', 'hello'));
    expect(needsReaderFor('shot.dat', png, true)).toBe(true);
    expect(needsReaderFor('shot.dat', png, false)).toBe(false);
    expect(needsReaderFor('shot.dat', commented, false)).toBe(true);
    expect(needsReaderFor('notes.txt', Buffer.from('plain text\n'), true)).toBe(false);
    expect([hasPngText(png), hasPngText(commented)]).toEqual([false, true]);
  });
});

describe('PNG text chunks', () => {
  it('every kind of text chunk becomes a text part named after its type and keyword', async () => {
    const png = withPngChunks(
      await picture('png'),
      pngTextChunk('tEXt', 'Comment', 'plain'),
      pngTextChunk('zTXt', 'Description', 'deflated\nsecond line'),
      pngTextChunk('iTXt', 'Title', 'utf-8 ünïcode'),
      pngTextChunk('iTXt-deflated', 'Author', 'deflated utf-8'),
    );
    const read = readPngText(png, DEFAULT_LIMITS);
    expect(read.skipped).toEqual([]);
    expect(read.parts.map((p) => [p.entry, p.kind, p.data.toString('utf8')])).toEqual([
      ['tEXt:Comment', 'text', 'plain'],
      ['zTXt:Description', 'text', 'deflated\nsecond line'],
      ['iTXt:Title', 'text', 'utf-8 ünïcode'],
      ['iTXt:Author', 'text', 'deflated utf-8'],
    ]);
  });

  it('a chunk inflating past the entry limit, and one that does not inflate, are skipped with the reason; the others are read', async () => {
    const bomb = pngTextChunk('zTXt', 'Bomb', 'x'.repeat(2 * 1024 * 1024));
    const broken = pngChunk('zTXt', Buffer.from('Broken\0\0not deflate data', 'latin1'));
    const png = withPngChunks(await picture('png'), bomb, broken, pngTextChunk('tEXt', 'Comment', 'kept'));
    const read = readPngText(png, { ...DEFAULT_LIMITS, maxEntryBytes: 1024 * 1024 });
    expect(read.skipped).toEqual([
      { entry: 'zTXt:Bomb', reason: 'inflates past 1 MiB (zip bomb?): not read' },
      { entry: 'zTXt:Broken', reason: 'corrupt deflated text: not read' },
    ]);
    expect(read.parts.map((p) => p.entry)).toEqual(['tEXt:Comment']);
  });

  it('a chunk whose length runs past the end of the file ends the walk', async () => {
    const png = await picture('png');
    const cut = withPngChunks(png, pngTextChunk('tEXt', 'Comment', 'whole')).subarray(0, 33 + 12 + 'Comment\0whole'.length - 2);
    expect(readPngText(cut, DEFAULT_LIMITS)).toEqual({ parts: [], skipped: [] });
  });
});
