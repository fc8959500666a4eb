// The cheap checks before OCR: whether a picture can show text, and rule erasing (in place).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { crop, decode, eraseRules, mayShowText, normalizeBars, normalizeCrop, normalizeStretches, rowsOn, settleEdge, pageView, pageViewCrop, rotateGrey, skewAngle, stretchesOf, tileStats, toPng, type Grey } from '../../src/ocr/preprocess.js';
import sharp from 'sharp';

function grey(width: number, height: number, px: (x: number, y: number) => number): Grey {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = px(x, y);
  return { data, width, height };
}

// A deterministic noise source (xorshift), so the table does not depend on luck.
function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return (s >>> 0) & 255;
  };
}

describe('mayShowText', () => {
  const n = noise(7);
  const g = noise(11);
  const cases: [string, Grey, boolean][] = [
    // Glyph-like strokes: 2 px dark bars every 5 px in 10 px lines, on white.
    ['dark text on light', grey(640, 480, (x, y) => (y % 16 < 10 && x % 5 < 2 ? 20 : 245)), true],
    ['light text on dark', grey(640, 480, (x, y) => (y % 16 < 10 && x % 5 < 2 ? 230 : 30)), true],
    // A photo of a screen: the same text with camera grain (±20) on it.
    ['text with grain', grey(640, 480, (x, y) => (y % 16 < 10 && x % 5 < 2 ? 40 : 220) + ((g() % 41) - 20)), true],
    // Text cropped tight, half of it ink: no tile is mostly background, but so small a picture is always read.
    ['a small picture of dense text', grey(400, 160, (x) => (x % 4 < 2 ? 0 : 255)), true],
    ['a larger one of the same', grey(640, 480, (x) => (x % 4 < 2 ? 0 : 255)), false],
    ['uniform noise', grey(640, 480, () => n()), false],
    // Greyscale of RGB noise: a weighted sum, bunched towards the middle.
    ['greyscale of RGB noise', grey(640, 480, () => Math.round(0.299 * n() + 0.587 * n() + 0.114 * n())), false],
  ];
  it.each(cases)('%s', (_name, picture, expected) => {
    expect(mayShowText(tileStats(picture))).toBe(expected);
  });
});

describe('eraseRules', () => {
  // A 100 px rule on row 5, a 90 px bar in column 7 crossing it, and a 10 px glyph stroke.
  const picture = () =>
    grey(120, 100, (x, y) => ((y === 5 && x < 100) || (x === 7 && y < 90) || (x === 50 && y >= 40 && y < 50) ? 0 : 255));
  it('erases long runs of ink in rows and columns, in place, and keeps glyph strokes', () => {
    const src = picture();
    const out = eraseRules(src, 56, 72);
    expect(out).toBe(src);
    const ink = (x: number, y: number) => out.data[y * out.width + x]! < 128;
    expect([ink(20, 5), ink(7, 60), ink(7, 5)]).toEqual([false, false, false]);
    expect(ink(50, 45)).toBe(true);
  });
  it('judges columns on the picture as it was: a bar crossed by a rule is still one run', () => {
    // Row 40's rule would cut column 7's bar into two runs of 40 and 49 (both under 72).
    const src = grey(120, 100, (x, y) => ((y === 40 && x < 100) || (x === 7 && y < 90) ? 0 : 255));
    const out = eraseRules(src, 56, 72);
    expect(out.data[10 * 120 + 7]).toBe(255);
  });
  it('erases a solid seam of a shrunk one-line bubble, under a rule long, when asked, and keeps thick short strokes and thin tall ones', () => {
    // An 8 x 46 seam (wild-2702 recompressed-010), a 3 x 46 stroke (a `|` of a large font), an 8 x 30 block.
    const src = grey(120, 100, (x, y) => ((x >= 10 && x < 18 && y >= 20 && y < 66) || (x >= 40 && x < 43 && y >= 20 && y < 66) || (x >= 70 && x < 78 && y >= 20 && y < 50) ? 0 : 255));
    const kept = eraseRules({ ...src, data: Uint8Array.from(src.data) }, 56, 72);
    expect(kept.data[40 * 120 + 10]).toBe(0);
    const out = eraseRules(src, 56, 72, true);
    const ink = (x: number, y: number) => out.data[y * out.width + x]! < 128;
    expect([ink(10, 40), ink(17, 40), ink(41, 40), ink(74, 40)]).toEqual([false, false, true, true]);
  });
});

describe('skewAngle and rotateGrey', () => {
  // Lines of glyph-like strokes on white, tilted by `deg` (y down: positive falls to the right).
  const page = (deg: number) => {
    const t = Math.tan((deg * Math.PI) / 180);
    return grey(600, 400, (x, y) => {
      const yy = y - x * t;
      return ((yy % 24) + 24) % 24 < 10 && x % 6 < 3 && x > 40 && x < 560 ? 20 : 245;
    });
  };
  it.each([0, 1.5, -3, 5])('measures a page tilted %s degrees', (deg) => {
    expect(Math.abs(skewAngle(page(deg)) - deg)).toBeLessThanOrEqual(0.1);
  });
  it('turns a tilted page straight, and maps its pixels back', () => {
    const { grey: straight, back } = rotateGrey(page(3), -3);
    expect(Math.abs(skewAngle(straight))).toBeLessThanOrEqual(0.1);
    const [x, y] = back(straight.width / 2, straight.height / 2);
    expect(Math.abs(x - 300)).toBeLessThan(1);
    expect(Math.abs(y - 200)).toBeLessThan(1);
  });
  // A one-pixel stem (20 on 245) turned: halfway between two pixels, bilinear gives their mean (132).
  it.each([0.5, 2, -4])('keeps a one-pixel stem darker than the mean of ink and paper, turned %s degrees', (deg) => {
    const stem = grey(80, 80, (x) => (x === 40 ? 20 : 245));
    const { grey: out } = rotateGrey(stem, deg, true);
    for (let v = 20; v < out.height - 20; v++) {
      const row = out.data.subarray(v * out.width, (v + 1) * out.width);
      expect(Math.min(...row)).toBeLessThan(125);
    }
  });
  it.each([
    ['top', (x: number, y: number) => y === 0],
    ['bottom', (x: number, y: number) => y === 79],
    ['left', (x: number) => x === 0],
  ] as const)('keeps ink on the picture\'s %s edge (a key cut by the frame)', (_edge, inked) => {
    const src = grey(80, 80, (x, y) => (inked(x, y) ? 20 : 245));
    const { grey: out, back } = rotateGrey(src, 0.3, true);
    let darkest = 255;
    for (let v = 0; v < out.height; v++) {
      for (let u = 0; u < out.width; u++) {
        const [x, y] = back(u + 0.5, v + 0.5);
        if (x > 20 && x < 60 && y > 20 && y < 60) continue;
        if (inked(Math.floor(x), Math.floor(y)) && x >= 0.5 && y >= 0.5 && x <= 79.5 && y <= 79.5) darkest = Math.min(darkest, out.data[v * out.width + u]!);
      }
    }
    expect(darkest).toBeLessThan(128);
  });
});

describe('pageViewCrop', () => {
  // Rules (long runs) cross the cuts' edges at every offset: the margin must erase them as the whole page does.
  const ruled = grey(400, 300, (x, y) => (y === 100 || x === 150 || (y % 16 < 10 && x % 5 < 2) ? 20 : 245));
  it.each([
    ['a ruled page', ruled],
    ['a screenshot', null],
  ] as const)('cuts %s as crop() cuts the whole page view', async (_name, page) => {
    let src = page;
    if (!src) {
      const d = await decode(readFileSync(new URL('../fixtures/images/010-apiclient-light.png', import.meta.url)));
      if (!d.ok) throw new Error(d.reason);
      src = d.grey;
    }
    const stats = tileStats(src);
    const whole = pageView(src, stats);
    const cut = pageViewCrop(src, stats);
    const n = noise(3);
    for (let i = 0; i < 60; i++) {
      const [x, y, w, h] = [(n() / 255) * src.width - 20, (n() / 255) * src.height - 20, 5 + (n() % 200), 5 + (n() % 80)];
      expect(cut(x, y, w, h)).toEqual(crop(whole, x, y, w, h));
    }
  });
});

describe('stretchesOf and normalizeStretches', () => {
  // A dark terminal line (background 30, glyph strokes 220) with a selection bar
  // (grey 75, as #264f78) over columns 100-199 of the line's rows 8-25; a stem every 8 columns.
  const band = { from: 4, to: 30 };
  const line = grey(300, 34, (x, y) => {
    const inBar = x >= 100 && x < 200 && y >= 8 && y < 26;
    const stroke = y >= 11 && y < 23 && x % 8 === 3;
    return stroke ? 220 : inBar ? 75 : 30;
  });

  it('finds the highlight as a stretch of its own, with its background', () => {
    const spans = stretchesOf(line, band);
    // (Its edges within a few columns: the smoothing median counts the stems beside them.)
    expect(spans.length).toBe(3);
    const edges = [spans[0]!.from, spans[0]!.to, spans[1]!.to, spans[2]!.to];
    expect(edges.map((e, i) => Math.abs(e - [0, 100, 200, 300][i]!) <= 3)).toEqual([true, true, true, true]);
    expect(spans.map((s) => s.bg)).toEqual([30, 75, 30]);
  });

  it('draws every stretch dark on white, the bar itself white; null for a line on one background', () => {
    const g = normalizeStretches(line, band)!;
    for (const x of [51, 155, 251]) {
      expect(g.data[16 * g.width + x]).toBe(0);
      expect(g.data[16 * g.width + x + 2]).toBe(255);
    }
    const plain = grey(300, 34, (x, y) => (y >= 11 && y < 23 && x % 8 === 3 ? 220 : 30));
    expect(normalizeStretches(plain, band)).toBeNull();
  });

  // normalizeBars: each stretch only on its own rows, white above and below a bar (rows 0-7 on a
  // bubble of grey 167 come out grey, 64, on the bar's background in the stretches' view).
  const onBubble = grey(300, 34, (x, y) => (x >= 100 && x < 200 && y >= 8 && y < 26 ? (y >= 11 && y < 23 && x % 8 === 3 ? 220 : 75) : 167));
  it.each([
    ['a bar on a terminal', line, 255],
    ['a bar on a bubble', onBubble, 64],
  ] as const)('normalizeBars: %s: stems dark, the rows above the bar white', (_, g, stretchesAbove) => {
    const b = normalizeBars(g, band)!;
    expect([b.data[16 * b.width + 155], b.data[16 * b.width + 157], b.data[4 * b.width + 157]]).toEqual([0, 255, 255]);
    expect(normalizeStretches(g, band)!.data[4 * b.width + 157]).toBe(stretchesAbove);
    expect(normalizeBars(grey(300, 34, () => 30), band)).toBeNull();
  });

  // The bar's last glyphs crowd its end (light 230 strokes every 2 columns over 90-99).
  const crowded = grey(300, 34, (x, y) => {
    const inBar = x >= 20 && x < 100 && y >= 8 && y < 26;
    return inBar && y >= 11 && y < 23 && x >= 90 && x % 2 === 0 ? 230 : inBar ? 75 : 30;
  });
  it.each([94, 97, 100, 103, 106])('settles an edge first put at %i on the bar\'s end (100)', (at) => {
    const a = { from: 20, to: at, bg: 75 };
    const b = { from: at, to: 300, bg: 30 };
    settleEdge(crowded, a, b, 13, 11, 23);
    expect([a.to, b.from]).toEqual([100, 100]);
  });

  // A bar (75) on rows 8-25 of a bubble (167); its rows 12-20 are half light glyph (230 every other column).
  const bubble = grey(60, 34, (x, y) => (y >= 8 && y < 26 ? (y >= 12 && y < 21 && x % 2 === 0 ? 230 : 75) : 167));
  it.each([
    ['the bar, not the bubble above and below it', bubble, 75, { y0: 8, y1: 26 }],
    ['the whole height on one grey', grey(60, 34, () => 75), 75, { y0: 0, y1: 34 }],
  ] as const)('rowsOn: %s', (_, g, bg, rows) => {
    expect(rowsOn(g, 0, 60, bg, band)).toEqual(rows);
  });

  // A light glyph (stem 230 on 167) in the band's rows, a dark corner (31) on the rows above it.
  const cornered = grey(20, 34, (x, y) => (y < 8 && x >= 16 - (y >> 1) ? 31 : y >= 12 && y < 22 && x === 6 ? 230 : 167));
  it.each([
    ['every row: the corner outweighs the glyph, which is erased', undefined, 255],
    ['the band\'s rows: the glyph is light on dark, drawn dark', { from: 11, to: 23 }, 0],
  ] as const)('normalizeCrop polarity from %s', (_, rows, stem) => {
    expect(normalizeCrop(cornered, 167, rows).data[16 * 20 + 6]).toBe(stem);
  });
});

describe('toPng', () => {
  // What toPng wrote before h31speed: sharp's default output, sRGB, three equal channels.
  async function asRgb(src: Grey, scale: number, pad: number, bold: boolean): Promise<Buffer> {
    let img = sharp(Buffer.from(src.data.buffer, src.data.byteOffset, src.data.length), { raw: { width: src.width, height: src.height, channels: 1 } });
    if (scale !== 1) img = img.resize({ width: Math.max(1, Math.round(src.width * scale)), height: Math.max(1, Math.round(src.height * scale)), kernel: 'lanczos3' });
    if (bold) img = img.blur(Math.max(0.4, scale * 0.25)).threshold(200);
    if (pad > 0) img = img.extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#ffffff' });
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    return data;
  }

  it('writes one grey channel holding the very values of the three sRGB channels sharp writes otherwise', async () => {
    const n = noise(5);
    // Glyph-like strokes with grain and a soft edge, scaled as the page and the close-ups are.
    const src = grey(97, 23, (x, y) => Math.max(0, Math.min(255, (x % 7 < 2 && y > 4 && y < 18 ? 30 : 225) + ((n() % 31) - 15) + x)));
    for (const [scale, pad, bold] of [[1, 0, false], [1.37, 0, false], [3, 12, false], [46 / 13, 12, true], [8, 12, false]] as const) {
      const png = await toPng(src, scale, pad, bold ? 'bold' : 'plain');
      const meta = await sharp(png).metadata();
      expect(meta.channels).toBe(1);
      const { data } = await sharp(png).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
      const rgb = await asRgb(src, scale, pad, bold);
      expect(rgb.length).toBe(data.length * 3);
      let differ = 0;
      for (let i = 0; i < data.length; i++) if (rgb[i * 3] !== data[i] || rgb[i * 3 + 1] !== data[i] || rgb[i * 3 + 2] !== data[i]) differ++;
      expect(differ).toBe(0);
    }
  });
});
