// Which glyphs of a key are the same picture: on the committed fixture
// screenshots' monospaced v1 keys, cut into cells from their true boxes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAME_GLYPH, V2_MONOSPACED, glyphLikeness, inkShape, keyCopies, looseCopies, monospaceCells, sameGlyphs, typicalCopies } from '../../src/ocr/glyphs.js';
import { type Grey, decode } from '../../src/ocr/preprocess.js';
import { settleV1, type PSym, type V1Read } from '../../src/ocr/pipeline.js';

const DIR = join(import.meta.dirname, '../fixtures/images');
interface Box { x: number; y: number; width: number; height: number }
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as { images: { file: string; keyFont: string; keys: { ruleId: string; key: string; box: Box }[] }[] };

/** Boxes a reading would give: one per glyph, `inkWidth` of each cell, centred unless moved. */
const cells = (n: number, pitch: number, moved: Record<number, number> = {}, inkWidth = pitch * 0.7): Box[] =>
  Array.from({ length: n }, (_, i) => ({ x: 100 + i * pitch + (pitch - inkWidth) / 2 + (moved[i] ?? 0), y: 10, width: inkWidth, height: 12 }));

describe('monospaced cells from boxes as read', () => {
  it.each([
    { name: 'an even run', boxes: cells(32, 7.2), pitch: 7.2 },
    { name: 'a few boxes off the grid (misread glyphs)', boxes: cells(36, 6, { 6: 2.9, 13: 2.7, 27: 2.8 }), pitch: 6 },
  ])('$name: pitch $pitch', ({ boxes, pitch }) => {
    const fit = monospaceCells(boxes)!;
    expect(fit.advance).toBeCloseTo(pitch, 0);
    expect(fit.x0).toBeCloseTo(100, 0);
  });

  it.each([
    { name: 'a proportional font', boxes: Array.from({ length: 32 }, (_, i) => ({ x: 100 + i * 6 + (i % 3) * 3 + (i % 5) * 2, y: 10, width: 4, height: 12 })) },
    { name: 'too few glyphs', boxes: cells(6, 7) },
  ])('$name: none', ({ boxes }) => {
    expect(monospaceCells(boxes)).toBeNull();
  });

  // A photo's boxes: 4 of 36 off the grid (89% near it), as a blurred key's misread glyphs stray.
  const strayed = cells(36, 6, { 3: 2.6, 11: -2.4, 20: 2.7, 29: -2.5 });
  it.each([
    { name: 'a photo\'s strayed boxes, as monospaced as a v2 key\'s votes need', near: V2_MONOSPACED, pitch: 6 },
    { name: 'a photo\'s strayed boxes, not monospaced enough elsewhere', near: undefined, pitch: null },
    { name: 'a proportional font, even for a v2 key', boxes: Array.from({ length: 32 }, (_, i) => ({ x: 100 + i * 6 + (i % 3) * 3 + (i % 5) * 2, y: 10, width: 4, height: 12 })), near: V2_MONOSPACED, pitch: null },
  ])('$name', ({ boxes = strayed, near, pitch }) => {
    const fit = monospaceCells(boxes, near);
    if (pitch === null) expect(fit).toBeNull();
    else expect(fit!.advance).toBeCloseTo(pitch, 0);
  });
});

describe('the same glyph, judged on the pixels', () => {
  const keys = manifest.images.flatMap((e) => e.keys.filter((k) => k.ruleId.endsWith('v1') && /Mono|Code|Inconsolata/.test(e.keyFont)).map((k) => ({ file: e.file, font: e.keyFont, ...k })));

  it.each(keys)('$file ($font): pairs called the same are the same character, and most such pairs are found', async ({ file, key, box }) => {
    const decoded = await decode(readFileSync(join(DIR, file)));
    if (!decoded.ok) throw new Error(decoded.reason);
    const pitch = box.width / key.length;
    const boxes = Array.from({ length: 32 }, (_, i) => ({ x: box.x + i * pitch + 1, y: box.y + 2, width: pitch - 2, height: box.height - 4 }));
    const same = sameGlyphs(decoded.grey, boxes)!.same;
    let truePairs = 0;
    let found = 0;
    for (let i = 0; i < 32; i++) {
      for (let j = i + 1; j < 32; j++) {
        const called = same[i]!.includes(j);
        if (called) expect(key[j], `${key} at ${i} and ${j}`).toBe(key[i]);
        if (key[i] === key[j]) { truePairs++; if (called) found++; }
      }
    }
    expect(found / truePairs).toBeGreaterThanOrEqual(0.9);
  });
});

/**
 * A glyph drawn dark on light, anti-aliased (4 x 4 samples a pixel), in a
 * `w` x `h` picture; `ink(x, y)` on a unit square, placed at `dx` pixels.
 */
function glyph(w: number, h: number, ink: (x: number, y: number) => boolean, dx = 0): Grey {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let n = 0;
    for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (ink((x + (sx + 0.5) / 4 - 1 - dx) / (w - 2), (y + (sy + 0.5) / 4 - 2) / (h - 4))) n++;
    data[y * w + x] = 255 - (n * 255) / 16;
  }
  return { data, width: w, height: h };
}
const ring = (rx: number) => (x: number, y: number) => { const d = ((x - 0.5) / rx) ** 2 + ((y - 0.5) / 0.5) ** 2; return d <= 1 && d >= 0.55; };
const bar = (x: number, y: number) => y >= 0 && y <= 1 && Math.abs(x - 0.5) <= 0.12;
const one = (x: number, y: number) => bar(x, y) || (y >= 0 && y <= 0.25 && x >= 0.15 && x <= 0.5 && Math.abs(y - (0.5 - x) * 0.7) < 0.08) || (y >= 0.88 && y <= 1 && x >= 0.1 && x <= 0.9);

describe('how alike two glyphs of a line are', () => {
  it('the same glyph, placed a fraction of a pixel apart, is its own twin', () => {
    expect(glyphLikeness(glyph(12, 20, ring(0.5)), glyph(12, 20, ring(0.5), 0.4))).toBeGreaterThanOrEqual(0.98);
    expect(glyphLikeness(glyph(10, 20, one), glyph(10, 20, one, 0.3))).toBeGreaterThanOrEqual(0.98);
  });

  it('look-alikes are not: a wide O and a narrow 0, an l and a 1', () => {
    expect(glyphLikeness(glyph(14, 20, ring(0.5)), glyph(10, 20, ring(0.5)))).toBeLessThan(0.92);
    expect(glyphLikeness(glyph(10, 20, bar), glyph(10, 20, one))).toBeLessThan(0.92);
  });
});

/** A key's cell correlations from its characters: `copy` between copies, `other` between different ones, `pairs` set apart. */
function likeness(key: string, copy: number, other: number, pairs: [number, number, number][] = []) {
  const r = [...key].map((a, i) => [...key].map((b, j) => (i === j ? 1 : a === b ? copy : other)));
  for (const [i, j, v] of pairs) r[i]![j] = r[j]![i] = v;
  return { r, same: r.map((row, i) => row.flatMap((c, j) => (j === i || c >= SAME_GLYPH ? [j] : []))) };
}

describe('copies in a v1 key\'s vote (keyCopies)', () => {
  // As measured on wild-2803 rotated-008 (DejaVu Sans Mono 12 px turned 3.3 degrees): the
  // lone `0` (position 6 here) scored 0.92-0.94 against the three `8`, which scored 0.99
  // among themselves, and 0.92 against the lone `6`; most of its other digits have a copy.
  const key = '8a8b8c0d6eabcdef12345abcdef12345';
  const blurred = likeness(key, 0.99, 0.5, [[6, 0, 0.94], [6, 2, 0.935], [6, 4, 0.921], [6, 8, 0.92], [1, 3, 0.6]]);

  it('a lone digit over SAME_GLYPH against another digit\'s copies is not their copy', () => {
    expect(blurred.same[6]).toEqual([0, 2, 4, 6, 8]);
    expect(keyCopies(blurred).same[6]).toEqual([6]);
    expect(keyCopies(blurred).same[8]).toEqual([8]);
  });

  it('copies stay copies, in a sharp picture and in a blurred one', () => {
    expect(keyCopies(blurred).same[0]).toEqual([0, 2, 4]);
    // A photo: one glyph drawn twice scores 0.95-0.98, different ones under 0.91.
    const photo = likeness('0a0b0c0d1e1f12abcdef345abcdef345', 0.95, 0.8, [[0, 2, 0.98], [8, 10, 0.97]]);
    expect(keyCopies(photo).same[0]).toEqual([0, 2, 4, 6]);
    expect(keyCopies(photo).same[8]).toEqual([8, 10, 12]);
  });
});

describe("a v2 key's copies on a run only V2_MONOSPACED calls monospaced (typicalCopies)", () => {
  // wild-3001 photo-000 (a photo, 7.4 px pitch): the reference's cells as sameGlyphs compared
  // them at V2_MONOSPACED, and where the key holds one character twice.
  const stored = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/wild/copies-3001-photo-000.json'), 'utf8')) as { r: number[][]; copies: [number, number][] };
  const glyphs = { r: stored.r, same: stored.r.map((row, i) => row.flatMap((c, j) => (j === i || c >= SAME_GLYPH ? [j] : []))) };
  const kept = typicalCopies(glyphs).same;
  const isCopy = (i: number, j: number) => stored.copies.some(([a, b]) => a === i && b === j);
  it.each([
    // The key's copies over SAME_GLYPH: every one kept (0.929-0.978; the median cell's nearest is 0.929).
    { i: 3, j: 7, keep: true }, { i: 12, j: 20, keep: true }, { i: 14, j: 22, keep: true },
    { i: 26, j: 35, keep: true }, { i: 27, j: 32, keep: true }, { i: 28, j: 30, keep: true },
    // Different glyphs the blur put over SAME_GLYPH (`R`, `N`, `W`, `K`, `m`, `n`, `o`, `G`, digits): under 0.929, dropped.
    { i: 1, j: 4, keep: false }, { i: 1, j: 13, keep: false }, { i: 4, j: 18, keep: false },
    { i: 6, j: 8, keep: false }, { i: 11, j: 13, keep: false }, { i: 21, j: 25, keep: false },
  ])('cells $i and $j: kept $keep', ({ i, j, keep }) => {
    expect(glyphs.same[i]).toContain(j);
    expect(isCopy(i, j)).toBe(keep);
    expect(kept[i]!.includes(j)).toBe(keep);
    expect(kept[j]!.includes(i)).toBe(keep);
  });

  it('of the 16 pairs over SAME_GLYPH, all 6 copies and 4 of the 10 others stay', () => {
    const pairs = (same: number[][]) => same.flatMap((js, i) => js.filter((j) => j > i).map((j) => [i, j] as const));
    expect(pairs(glyphs.same)).toHaveLength(16);
    expect(pairs(kept).filter(([i, j]) => isCopy(i, j))).toHaveLength(6);
    expect(pairs(kept).filter(([i, j]) => !isCopy(i, j))).toHaveLength(4);
  });
});

describe("a v2 key's second search pools only the copies the looser fit adds (looseCopies)", () => {
  // The first search pooled sameGlyphs' copies on a run fitting MONOSPACED (or none): the
  // second has something new only on a run V2_MONOSPACED alone calls monospaced.
  const grey: Grey = { width: 400, height: 40, data: Uint8Array.from({ length: 400 * 40 }, (_, i) => (i * 7919) % 251) };
  const strayed = cells(36, 6, { 3: 2.6, 11: -2.4, 20: 2.7, 29: -2.5 });
  const proportional = Array.from({ length: 32 }, (_, i) => ({ x: 100 + i * 6 + (i % 3) * 3 + (i % 5) * 2, y: 10, width: 4, height: 12 }));
  it.each([
    { name: 'an even run (the first search had its copies)', boxes: cells(36, 6), second: false },
    { name: "a photo's strayed boxes (89% on the pitch)", boxes: strayed, second: true },
    { name: 'a proportional font', boxes: proportional, second: false },
  ])('$name: second search $second', ({ boxes, second }) => {
    const copies = looseCopies(grey, boxes);
    expect(copies !== undefined).toBe(second);
    if (copies) expect(copies).toEqual(typicalCopies(sameGlyphs(grey, boxes, V2_MONOSPACED)!).same);
  });
});

describe("a glyph's counter", () => {
  const dotted = (x: number, y: number) => ring(0.5)(x, y) || ((x - 0.5) / 0.12) ** 2 + ((y - 0.5) / 0.1) ** 2 <= 1;
  it('a dotted zero has ink at its middle, an O none (shapeSays: 0.18 and 0.1)', () => {
    const zero = inkShape(glyph(12, 20, dotted))!;
    const oh = inkShape(glyph(14, 20, ring(0.5)))!;
    expect(zero.height).toBe(16);
    expect(zero.centre).toBeGreaterThanOrEqual(0.18);
    expect(oh.centre).toBeLessThanOrEqual(0.1);
  });
});

describe("a v1 digit voted as a look-alike, judged by the key's own copies (byCopies)", () => {
  // Four glyphs of a proportional font (no monospaced cells, so no copies in the
  // vote itself): `0` a ring, `d` a cross, `1` a flagged stroke, `e` a bar.
  const cross = (x: number, y: number) => bar(x, y) || (x >= 0 && x <= 1 && Math.abs(y - 0.5) <= 0.12);
  const across = (x: number, y: number) => x >= 0 && x <= 1 && Math.abs(y - 0.5) <= 0.12;
  const shapes: Record<string, [number, (x: number, y: number) => boolean]> = { '0': [10, ring(0.5)], d: [18, cross], '1': [6, one], e: [12, across] };
  const hex = '0dd1e01ed0e1d10e'.repeat(2);
  const dees = [...hex].flatMap((ch, i) => (ch === 'd' ? [i] : []));
  const boxes: { x: number; y: number; width: number; height: number }[] = [];
  const line: Grey = { data: new Uint8Array(460 * 40).fill(255), width: 460, height: 40 };
  let x = 8;
  for (const ch of hex) {
    const [w, ink] = shapes[ch]!;
    const g = glyph(w, 20, ink);
    for (let y = 0; y < 20; y++) for (let xx = 0; xx < w; xx++) line.data[(y + 10) * line.width + x + xx] = g.data[y * w + xx]!;
    boxes.push({ x: x + 1, y: 12, width: w - 2, height: 16 });
    x += w + 1;
  }
  /** A reading of the key, `as` put at some positions (first, at 90), the truth offered at 30; the legacy engine's at 70. */
  const reading = (as: Record<number, string>, legacy = false): V1Read => {
    const conf = legacy ? 70 : 90;
    const syms: PSym[] = [...hex].map((ch, i) => ({ ref: i, space: false, box: boxes[i]!, choices: as[i] ? [{ ch: as[i]!, conf }, { ch, conf: 30 }] : [{ ch, conf }] }));
    return { syms, run: syms, dc: '7', dcSure: true, exact: true, ...(legacy ? { legacy, hex: true } : {}) };
  };
  const want = `${hex}-sf7`;

  it('no monospaced cells: the vote alone reads the `0`', () => {
    expect(monospaceCells(boxes)).toBeNull();
    expect(settleV1([reading({ 1: '0' }), reading({ 1: '0' }), reading({})])?.key[1]).toBe('0');
  });

  it.each([
    { name: 'a `d` read `0` in two views of three, `d` in one, is the `d` its copies are', readings: [reading({ 1: '0' }), reading({ 1: '0' }), reading({})], key: want },
    { name: 'a `0` read `d` in one view is no `d`: unlike every copy of it', readings: [reading({ 5: 'd' }), reading({}), reading({})], key: want },
  ])('$name', ({ readings, key }) => {
    expect(settleV1(readings, line)?.key).toBe(key);
  });

  it.each([
    { name: 'only the legacy engine reads the `d`', readings: [reading({ 1: '0' }), reading({ 1: '0' }), reading({}, true)] },
    // Its copies were read `0` too (one view): no copy to judge by (the key's `f` voted `7` beside its other `f`, wild-3302 photo-006).
    { name: "the `d`'s copies are read `0` somewhere too", readings: [reading(Object.fromEntries(dees.map((i) => [i, '0']))), reading({ 1: '0' }), reading({ 1: '0' }), reading({})] },
  ])('left as voted when $name', ({ readings }) => {
    expect(settleV1(readings)?.key[1]).toBe('0');
    expect(settleV1(readings, line)?.key[1]).toBe('0');
  });
});
