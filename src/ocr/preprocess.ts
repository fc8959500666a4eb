// Image decoding and clean-up with sharp: validate, greyscale, make text dark on
// light whatever the theme (tile by tile, so a dark code block on a light page
// works), stretch contrast, and scale.
import sharp from 'sharp';
import { sizeProblem } from '../formats/image-header.js';

export interface Grey {
  data: Uint8Array;
  width: number;
  height: number;
}

export type Decoded = { ok: true; grey: Grey } | { ok: false; reason: string };

sharp.cache(false);

/** Decode any image sharp reads into 8-bit greyscale, or tell why not. */
export async function decode(image: Buffer): Promise<Decoded> {
  if (image.length === 0) return { ok: false, reason: 'empty file' };
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(image, { failOn: 'none', limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, reason: 'corrupt image' };
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (!width || !height) return { ok: false, reason: 'corrupt image' };
  const problem = sizeProblem(width, height);
  if (problem) return { ok: false, reason: problem };
  try {
    // failOn 'error': a truncated file throws here rather than decoding as grey noise.
    const { data, info } = await sharp(image, { failOn: 'error', pages: 1 })
      .flatten({ background: '#ffffff' })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) return { ok: false, reason: 'corrupt image' };
    return { ok: true, grey: { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height } };
  } catch {
    return { ok: false, reason: 'corrupt image' };
  }
}

const TILE = 16;

/** Per 16x16 tile: its background (median grey) and the ink on each side of it. */
export interface TileStats {
  tw: number;
  th: number;
  bg: Uint8Array;
  bright: Float64Array;
  dark: Float64Array;
  /** Tiles where at least 60% of the pixels are the background (within 25 grey levels of it). */
  backed: number;
}

export function tileStats(src: Grey): TileStats {
  const { width, height, data } = src;
  const tw = Math.ceil(width / TILE);
  const th = Math.ceil(height / TILE);
  const n = tw * th;
  const bg = new Uint8Array(n);
  const bright = new Float64Array(n);
  const dark = new Float64Array(n);
  const hist = new Uint32Array(256);
  let backed = 0;
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      hist.fill(0);
      const x0 = tx * TILE;
      const y0 = ty * TILE;
      const x1 = Math.min(width, x0 + TILE);
      const y1 = Math.min(height, y0 + TILE);
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) hist[data[y * width + x]!]!++;
      const pixels = (x1 - x0) * (y1 - y0);
      let acc = 0;
      let v = 0;
      for (; v < 256; v++) {
        acc += hist[v]!;
        if (acc >= pixels / 2) break;
      }
      const t = ty * tw + tx;
      bg[t] = v;
      let b = 0;
      let d = 0;
      let near = 0;
      for (let u = 0; u < 256; u++) {
        const c = hist[u]!;
        if (!c) continue;
        if (u > v + 25) b += c * (u - v);
        else if (u < v - 25) d += c * (v - u);
        else near += c;
      }
      bright[t] = b;
      dark[t] = d;
      if (near >= pixels * 0.6) backed++;
    }
  }
  return { tw, th, bg, bright, dark, backed };
}

/** Below this many tiles (about a quarter megapixel) a picture is always read: it may be text cropped tight, and OCR of it is quick. */
const JUDGED_FROM_TILES = 1024;

/**
 * Whether a picture can show text at all. Glyphs are drawn on a background:
 * in a page of text, whatever the theme, the font or the camera's noise, most
 * tiles (16x16) are mostly one grey, the background between strokes and lines.
 * In noise, or a photo's grain, no tile is. Four such tiles is less than one
 * short word; a key's line at the smallest readable size spans more.
 */
export function mayShowText(stats: TileStats): boolean {
  return stats.tw * stats.th < JUDGED_FROM_TILES || stats.backed >= 4;
}

/** Per tile: whether its text is light on dark, and how far its ink can go from the background. */
interface TileInk { invert: Uint8Array; range: Float64Array }

function tileInk(stats: TileStats): TileInk {
  const { tw, th, bg, bright, dark } = stats;
  const n = tw * th;
  const invert = new Uint8Array(n);
  const range = new Float64Array(n);
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      const t = ty * tw + tx;
      let b = 0;
      let d = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const y = ty + dy;
        const x = tx + dx;
        if (y < 0 || x < 0 || y >= th || x >= tw) continue;
        const w = dx === 0 && dy === 0 ? 2 : 1;
        b += bright[y * tw + x]! * w;
        d += dark[y * tw + x]! * w;
      }
      // A tile's own ink decides when it has some; else its neighbourhood's.
      const ob = bright[t]!;
      const od = dark[t]!;
      const area = TILE * TILE;
      if (ob + od > area * 4) invert[t] = ob > od ? 1 : 0;
      else invert[t] = b + d === 0 ? (bg[t]! < 128 ? 1 : 0) : b > d ? 1 : 0;
      // How far ink can go from the background on the text side.
      range[t] = invert[t] ? 255 - bg[t]! : bg[t]!;
    }
  }
  return { invert, range };
}

/** The rectangle [x0, x1) x [y0, y1) of the page as normalize() makes it. */
function normalizeRect(src: Grey, stats: TileStats, ink: TileInk, x0: number, y0: number, x1: number, y1: number): Grey {
  const { width, data } = src;
  const { tw, bg } = stats;
  const { invert, range } = ink;
  const w = x1 - x0;
  const out = new Uint8Array(w * (y1 - y0));
  for (let y = y0; y < y1; y++) {
    const ty = (y / TILE) | 0;
    for (let x = x0; x < x1; x++) {
      const t = ty * tw + ((x / TILE) | 0);
      const b = bg[t]!;
      const v = data[y * width + x]!;
      const inkV = invert[t] ? v - b : b - v;
      const r = Math.max(60, range[t]! * 0.85);
      const s = 255 - (inkV * 255) / r;
      out[(y - y0) * w + x - x0] = s < 0 ? 0 : s > 255 ? 255 : s;
    }
  }
  return { data: out, width: w, height: y1 - y0 };
}

/**
 * Dark text on a light background everywhere. Each tile's background is its
 * median grey level; its text polarity is whichever side of the background
 * carries more ink (summed over the tile and its neighbours), so white text on
 * a mid-blue chat bubble counts as light-on-dark. Ink is then stretched to
 * full contrast against the tile's local ink range.
 */
export function normalize(src: Grey, stats: TileStats = tileStats(src)): Grey {
  return normalizeRect(src, stats, tileInk(stats), 0, 0, src.width, src.height);
}

/** Runs of ink longer than these (px, in a row and in a column) are rules, not glyphs: see eraseRules. */
export const RULE_RUN = 56;
export const RULE_COLUMN_RUN = 72;

/** The page as the page pass sees it: normalised, rules erased (`bars`: seams too, see BAR_RUN). */
export function pageView(src: Grey, stats: TileStats, bars = false): Grey {
  return eraseRules(normalize(src, stats), RULE_RUN, RULE_COLUMN_RUN, bars);
}

/**
 * Cuts of pageView(src, stats), each what crop() would cut from it, made
 * without the whole page: a 40-megapixel page is 40 MB a copy, held through
 * every close-up otherwise. Each cut is normalised and rule-erased with a margin
 * one run longer than a rule: a run that reaches into the cut from outside is
 * then longer than a rule inside the margin too, so it is erased as on the page.
 */
export function pageViewCrop(src: Grey, stats: TileStats): (x: number, y: number, w: number, h: number) => Grey {
  const ink = tileInk(stats);
  return (x, y, w, h) => {
    const x0 = Math.max(0, Math.floor(x));
    const y0 = Math.max(0, Math.floor(y));
    const x1 = Math.max(x0 + 1, Math.min(src.width, Math.ceil(x + w)));
    const y1 = Math.max(y0 + 1, Math.min(src.height, Math.ceil(y + h)));
    const mx0 = Math.max(0, x0 - RULE_RUN - 1);
    const my0 = Math.max(0, y0 - RULE_COLUMN_RUN - 1);
    const rect = normalizeRect(src, stats, ink, mx0, my0, Math.min(src.width, x1 + RULE_RUN + 1), Math.min(src.height, y1 + RULE_COLUMN_RUN + 1));
    return crop(eraseRules(rect, RULE_RUN, RULE_COLUMN_RUN), x0 - mx0, y0 - my0, x1 - x0, y1 - y0);
  };
}

export function crop(src: Grey, x: number, y: number, w: number, h: number): Grey {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(src.width, Math.ceil(x + w));
  const y1 = Math.min(src.height, Math.ceil(y + h));
  const cw = Math.max(1, x1 - x0);
  const ch = Math.max(1, y1 - y0);
  const out = new Uint8Array(cw * ch);
  for (let yy = 0; yy < ch; yy++) {
    const from = (y0 + yy) * src.width + x0;
    out.set(src.data.subarray(from, from + cw), yy * cw);
  }
  return { data: out, width: cw, height: ch };
}

/** How a close-up is rendered after scaling: as is, or binarised so strokes come out bolder. */
export type Style = 'plain' | 'bold';

/**
 * PNG of a grey image, scaled by `scale` (lanczos3), with a white border; one grey channel
 * (`b-w`): sharp writes three equal ones (sRGB) otherwise, which the engines turn back into
 * this grey exactly (and threshold alike, every channel being the same), the LSTM at 10-20%
 * more of its CPU a read (h31speed in bench/README.md).
 */
export async function toPng(src: Grey, scale: number, pad = 0, style: Style = 'plain'): Promise<Buffer> {
  let img = sharp(Buffer.from(src.data.buffer, src.data.byteOffset, src.data.length), {
    raw: { width: src.width, height: src.height, channels: 1 },
  });
  if (scale !== 1) {
    img = img.resize({ width: Math.max(1, Math.round(src.width * scale)), height: Math.max(1, Math.round(src.height * scale)), kernel: 'lanczos3' });
  }
  if (style === 'bold') img = img.blur(Math.max(0.4, scale * 0.25)).threshold(200);
  if (pad > 0) img = img.extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#ffffff' });
  return img.toColourspace('b-w').png({ compressionLevel: 1 }).toBuffer();
}

/**
 * Keep only the text line through the crop's middle: rows of the band of ink
 * that holds the centre row stay, every other row turns white, so the tops
 * and tails of neighbouring lines do not bleed into a single-line read.
 */
export function isolateLine(src: Grey, band?: { from: number; to: number }): Grey {
  const { width, height, data } = src;
  const ink = new Uint32Array(height);
  for (let y = 0; y < height; y++) {
    let c = 0;
    for (let x = 0; x < width; x++) if (data[y * width + x]! < 140) c++;
    ink[y] = c;
  }
  let peak = 0;
  for (let y = 0; y < height; y++) if (ink[y]! > peak) peak = ink[y]!;
  const minInk = Math.max(1, Math.round(peak * 0.015));
  const lo = Math.max(0, Math.floor(band?.from ?? 0));
  const hi = Math.min(height - 1, Math.ceil(band?.to ?? height - 1));
  const mid = (lo + hi) >> 1;
  let seed = -1;
  for (let d = 0; d <= hi - lo && seed < 0; d++) {
    if (mid - d >= lo && ink[mid - d]! >= minInk) seed = mid - d;
    else if (mid + d <= hi && ink[mid + d]! >= minInk) seed = mid + d;
  }
  if (seed < 0) return src;
  let top = seed;
  let bottom = seed;
  while (top > lo && ink[top - 1]! >= minInk) top--;
  while (bottom < hi && ink[bottom + 1]! >= minInk) bottom++;
  const out = new Uint8Array(data);
  const keepFrom = Math.max(0, top - 1);
  const keepTo = Math.min(height - 1, bottom + 1);
  for (let y = 0; y < height; y++) if (y < keepFrom || y > keepTo) out.fill(255, y * width, (y + 1) * width);
  // Box edges and cursors: columns inked over (nearly) the whole band that go
  // on above or below it (a glyph's stem, as in `d` or `l`, stops at the band).
  const bandH = keepTo - keepFrom + 1;
  const beyond = (x: number): boolean => {
    for (const y of [keepFrom - 2, keepFrom - 3, keepTo + 2, keepTo + 3]) if (y >= 0 && y < height && data[y * width + x]! < 200) return true;
    return false;
  };
  for (let x = 0; x < width; x++) {
    let c = 0;
    for (let y = keepFrom; y <= keepTo; y++) if (out[y * width + x]! < 140) c++;
    if (c >= bandH * 0.92 && bandH >= 6 && beyond(x)) for (let y = keepFrom; y <= keepTo; y++) out[y * width + x] = 255;
  }
  return { data: out, width, height };
}

/**
 * A solid block of ink at least BAR_WIDTH columns wide whose columns are
 * inked over more than BAR_RUN rows is a seam too, however short: a chat
 * bubble of one line, shrunk (0.76x), leaves a seam of 8 x 46 px at its edge,
 * under RULE_COLUMN_RUN, and beside the key's last glyph it made tesseract
 * read the whole key as an image (wild-2702 recompressed-010: `WER NEE BR)`).
 * A key-sized glyph's stem is 1-4 px wide and under 30 px high (an 18 px font
 * at device scale 2); only a heading's bold stems reach such a block. Erased
 * only when asked (`bars`): the page read again when nothing key-like was
 * read. Erased on every page, they changed how tesseract laid out 125 of the
 * shared sets' 1,060 pages, and one key under a tooltip lost its flag so.
 */
const BAR_RUN = 32;
const BAR_WIDTH = 6;

/**
 * Erase rules, bars and box edges: runs of ink longer than `maxRun` pixels in a
 * row (or `maxColumnRun` in a column), and with `bars` solid seams (BAR_RUN). No glyph of a key-sized font is that long, but bubble
 * edges, separators, selection bars and the dark seams that theme detection
 * leaves at a box's border are, and they make tesseract take a line for an
 * image. In place: a 40-megapixel page is 40 MB a copy. Both passes judge the
 * image as it was: columns are measured before the rows are erased.
 */
export function eraseRules(src: Grey, maxRun: number, maxColumnRun = maxRun, bars = false): Grey {
  const { width, height, data } = src;
  const INK = 128;
  // Long column runs as [x, from, to) triples: few on any page, none in noise.
  const columnRuns: number[] = [];
  // Column runs a bar's height long, [from, to) per column: a solid block of them is a seam.
  const tall: number[][] = [];
  for (let x = 0; x < width; x++) {
    let y = 0;
    while (y < height) {
      if (data[y * width + x]! >= INK) { y++; continue; }
      let e = y;
      while (e < height && data[e * width + x]! < INK) e++;
      if (e - y > maxColumnRun) columnRuns.push(x, y, e);
      else if (bars && e - y > BAR_RUN) (tall[x] ??= []).push(y, e);
      y = e;
    }
  }
  const tallAt = (x: number, y: number): boolean => {
    const runs = tall[x];
    if (!runs) return false;
    for (let i = 0; i < runs.length; i += 2) if (runs[i]! <= y && y < runs[i + 1]!) return true;
    return false;
  };
  tall.forEach((runs, x) => {
    for (let i = 0; i < runs.length; i += 2) {
      const mid = (runs[i]! + runs[i + 1]!) >> 1;
      let w = 1;
      for (let l = x - 1; l >= 0 && w < BAR_WIDTH && tallAt(l, mid); l--) w++;
      for (let r = x + 1; r < width && w < BAR_WIDTH && tallAt(r, mid); r++) w++;
      if (w >= BAR_WIDTH) columnRuns.push(x, runs[i]!, runs[i + 1]!);
    }
  });
  // A row's run is measured before it is erased, and erasing it touches no other row.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let x = 0;
    while (x < width) {
      if (data[row + x]! >= INK) { x++; continue; }
      let e = x;
      while (e < width && data[row + e]! < INK) e++;
      if (e - x > maxRun) data.fill(255, row + x, row + e);
      x = e;
    }
  }
  for (let i = 0; i < columnRuns.length; i += 3) {
    const x = columnRuns[i]!;
    for (let k = columnRuns[i + 1]!; k < columnRuns[i + 2]!; k++) data[k * width + x] = 255;
  }
  return src;
}

/**
 * Dark-on-light for one small crop as a whole: its median grey is the
 * background, its text polarity the side of it holding more ink in strokes. A
 * second view of a key line for when the tile-wise normalize() went wrong at a
 * box's edge. `inkRows`: the rows whose strokes decide the polarity (all of them
 * unless given).
 */
export function normalizeCrop(src: Grey, background?: number, inkRows?: { from: number; to: number }): Grey {
  const hist = new Uint32Array(256);
  for (const v of src.data) hist[v]!++;
  const half = src.data.length / 2;
  let acc = 0;
  let bg = 0;
  if (background !== undefined) bg = background;
  else for (; bg < 256; bg++) { acc += hist[bg]!; if (acc >= half) break; }
  let maxUp = 0;
  let maxDown = 0;
  for (let u = 0; u < 256; u++) {
    if (!hist[u]) continue;
    if (u > bg + 25) maxUp = u - bg;
    else if (u < bg - 25 && !maxDown) maxDown = bg - u;
  }
  const { bright, dark } = strokeInk(inkRows ? crop(src, 0, inkRows.from, src.width, inkRows.to - inkRows.from) : src, bg);
  const invert = bright > dark;
  const range = Math.max(60, (invert ? maxUp : maxDown) * 0.85);
  const out = new Uint8Array(src.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = src.data[i]!;
    const ink = invert ? v - bg : bg - v;
    const s = 255 - (ink * 255) / range;
    out[i] = s < 0 ? 0 : s > 255 ? 255 : s;
  }
  return { data: out, width: src.width, height: src.height };
}

/** Two stretches of a line's background differ when their greys are this far apart (see stretchesOf). */
export const STRETCH_STEP = 24;

/** Columns [from, to) of a line on one background grey `bg`. */
export interface Stretch { from: number; to: number; bg: number }

/**
 * The commonest grey of columns [x0, x1) over rows [y0, y1), in steps of 8
 * (the mean of the pixels in that step), and the share of the pixels in that
 * step: a background is drawn flat, a glyph's ink spreads over many greys by
 * its anti-aliased edges.
 */
function modeBin(src: Grey, x0: number, x1: number, y0: number, y1: number): { grey: number; share: number } {
  const count = new Uint32Array(32);
  const sum = new Uint32Array(32);
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = Math.max(0, x0); x < Math.min(src.width, x1); x++) {
      const v = src.data[y * src.width + x]!;
      count[v >> 3]!++;
      sum[v >> 3]! += v;
      n++;
    }
  }
  let best = 0;
  for (let i = 1; i < 32; i++) if (count[i]! > count[best]!) best = i;
  return count[best] ? { grey: Math.round(sum[best]! / count[best]!), share: count[best]! / n } : { grey: 0, share: 0 };
}

/** The rows of a band's middle half: a highlight is as tall as the line, the band half as tall again. */
function middleHalf(band: { from: number; to: number }, height: number): { y0: number; y1: number } {
  const lineH = Math.round(band.to - band.from);
  return { y0: Math.max(0, Math.floor(band.from + lineH / 4)), y1: Math.min(height, Math.ceil(band.to - lineH / 4)) };
}

/**
 * Where a line's background changes along it, as [from, to) column ranges: a
 * selection highlight over part of a key (light text on a light-blue bar, dark
 * text on light blue) is a stretch of its own. A column's background is its
 * median grey over the line's band, smoothed by a median over a line height of
 * columns (a glyph's stem inks a few columns, a highlight many); a stretch ends
 * where that differs from its start by STRETCH_STEP, and one narrower than
 * `narrow` line heights joins the one before.
 */
export function stretchesOf(src: Grey, band: { from: number; to: number }, narrow = 1): Stretch[] {
  const { width, height, data } = src;
  const lineH = Math.round(band.to - band.from);
  const { y0, y1 } = middleHalf(band, height);
  const rows = y1 - y0;
  if (rows < 3) return [{ from: 0, to: width, bg: -1 }];
  const col = new Uint8Array(width);
  const vals = new Uint8Array(rows);
  for (let x = 0; x < width; x++) {
    for (let y = y0; y < y1; y++) vals[y - y0] = data[y * width + x]!;
    col[x] = vals.sort()[rows >> 1]!;
  }
  const half = lineH >> 1;
  const smooth = new Uint8Array(width);
  const win = new Uint8Array(2 * half + 1);
  for (let x = 0; x < width; x++) {
    let n = 0;
    for (let k = Math.max(0, x - half); k <= Math.min(width - 1, x + half); k++) win[n++] = col[k]!;
    smooth[x] = win.subarray(0, n).sort()[n >> 1]!;
  }
  const spans: Stretch[] = [];
  let start = 0;
  for (let x = 1; x <= width; x++) {
    if (x < width && Math.abs(smooth[x]! - smooth[start]!) < STRETCH_STEP) continue;
    const last = spans[spans.length - 1];
    if (last && x - start < lineH * narrow) last.to = x;
    else spans.push({ from: start, to: x, bg: -1 });
    start = x;
  }
  // A narrow first stretch (the line's left edge) joins the one after it.
  if (spans.length > 1 && spans[0]!.to - spans[0]!.from < lineH) spans.splice(0, 2, { from: 0, to: spans[1]!.to, bg: -1 });
  for (const s of spans) s.bg = col.slice(s.from, s.to).sort()[(s.to - s.from) >> 1]!;
  return spans;
}

/**
 * Moves the edge between stretches a and b to the column within `reach` of it
 * that leaves the fewest pixels of b's grey left of it and of a's right of it:
 * the smoothed column median turns late where glyphs crowd a highlight's end
 * (wild-3404 occluded-006: 5 px early, cutting its last glyph off the bar).
 */
export function settleEdge(src: Grey, a: Stretch, b: Stretch, reach: number, y0: number, y1: number): void {
  const lo = Math.max(a.from + 1, a.to - reach);
  const hi = Math.min(b.to - 1, a.to + reach);
  const near = (x: number, bg: number) => {
    let n = 0;
    for (let y = y0; y < y1; y++) if (Math.abs(src.data[y * src.width + x]! - bg) < STRETCH_STEP / 2) n++;
    return n;
  };
  let cost = 0;
  for (let x = lo; x < hi; x++) cost += near(x, a.bg);
  let best = cost;
  let edge = lo;
  for (let x = lo; x < hi; x++) {
    cost += near(x, b.bg) - near(x, a.bg);
    if (cost < best) { best = cost; edge = x + 1; }
  }
  a.to = edge;
  b.from = edge;
}

/**
 * The rows [y0, y1) out from the band's middle on the stretch's background
 * over columns [from, to): a highlight is a bar only as tall as
 * the line, and the bubble's grey above and below it, normalised on the bar's
 * background, would come out as grey bars.
 */
export function rowsOn(src: Grey, from: number, to: number, bg: number, band: { from: number; to: number }): { y0: number; y1: number } {
  // A row leaves the bar only on another flat grey: light glyphs dense on a row spread over many greys.
  const off = (y: number) => {
    const m = modeBin(src, from, to, y, y + 1);
    return Math.abs(m.grey - bg) >= STRETCH_STEP && m.share >= 0.5;
  };
  const mid = Math.min(src.height - 1, Math.max(0, Math.round((band.from + band.to) / 2)));
  let y0 = mid;
  let y1 = mid + 1;
  while (y0 > 0 && !off(y0 - 1)) y0--;
  while (y1 < src.height && !off(y1)) y1++;
  return { y0, y1 };
}

/**
 * normalizeCrop per stretch of background (see stretchesOf), each on its own
 * background and contrast: one background for the whole crop turns the glyphs
 * on a highlight into a grey bar. Null when the line has one stretch: then
 * normalizeCrop is this view.
 */
export function normalizeStretches(src: Grey, band: { from: number; to: number }): Grey | null {
  const spans = stretchesOf(src, band);
  return spans.length === 1 ? null : paint(src, spans, ({ from, to, bg }) => ({ y0: 0, part: normalizeCrop(crop(src, from, 0, to - from, src.height), bg) }));
}

/**
 * A highlight's stretches fit to its bar: as stretchesOf, but a stretch joins
 * its neighbour only under half a line height (a line height joined a chat
 * bubble's 23 px after a highlight to it, wild-3404 occluded-006), its
 * background is its commonest grey (the column median is the text's where light
 * glyphs crowd the bar), and each edge is settled on the pixels (settleEdge).
 */
export function barsOf(src: Grey, band: { from: number; to: number }): Stretch[] {
  const spans = stretchesOf(src, band, 0.5);
  if (spans.length === 1) return spans;
  const lineH = Math.round(band.to - band.from);
  const { y0, y1 } = middleHalf(band, src.height);
  for (const s of spans) s.bg = modeBin(src, s.from, s.to, y0, y1).grey;
  for (let i = 1; i < spans.length; i++) settleEdge(src, spans[i - 1]!, spans[i]!, lineH >> 1, y0, y1);
  return spans;
}

/**
 * normalizeStretches over barsOf, each stretch normalised only on its own rows
 * (rowsOn) and its polarity taken from the band's middle half: a bubble's
 * rounded corner beside a narrow stretch outweighed its glyph and erased it.
 * Null when the line has one stretch.
 */
export function normalizeBars(src: Grey, band: { from: number; to: number }): Grey | null {
  const spans = barsOf(src, band);
  if (spans.length === 1) return null;
  const q = (band.to - band.from) / 4;
  const mid0 = Math.floor(band.from + q);
  const mid1 = Math.ceil(band.to - q);
  return paint(src, spans, ({ from, to, bg }) => {
    const { y0, y1 } = rowsOn(src, from, to, bg, band);
    return { y0, part: normalizeCrop(crop(src, from, y0, to - from, y1 - y0), bg, { from: Math.max(0, mid0 - y0), to: Math.min(y1, mid1) - y0 }) };
  });
}

/** Each stretch's normalised `part` set in place from row y0, on white. */
function paint(src: Grey, spans: Stretch[], norm: (s: Stretch) => { y0: number; part: Grey }): Grey {
  const out = new Uint8Array(src.data.length).fill(255);
  for (const s of spans) {
    const { y0, part } = norm(s);
    for (let y = 0; y < part.height; y++) out.set(part.data.subarray(y * part.width, (y + 1) * part.width), (y0 + y) * src.width + s.from);
  }
  return { data: out, width: src.width, height: src.height };
}

/**
 * Ink on each side of the background `bg`, counted only in runs along a row no
 * longer than a quarter of the crop's height: strokes of glyphs. A key at the
 * edge of a chat bubble has the dark page beside it in the same crop; counted
 * whole, that solid area outweighs the bubble's white text and flips it.
 */
function strokeInk(src: Grey, bg: number): { bright: number; dark: number } {
  const { width, height, data } = src;
  const maxStroke = Math.max(3, height / 4);
  const side = (v: number) => (v > bg + 25 ? 1 : v < bg - 25 ? -1 : 0);
  let bright = 0;
  let dark = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let x = 0;
    while (x < width) {
      const s = side(data[row + x]!);
      if (s === 0) { x++; continue; }
      let e = x;
      let sum = 0;
      for (; e < width && side(data[row + e]!) === s; e++) sum += Math.abs(data[row + e]! - bg);
      if (e - x <= maxStroke) { if (s > 0) bright += sum; else dark += sum; }
      x = e;
    }
  }
  return { bright, dark };
}

/** Tilts searched (degrees either way): a scan or a photo held crooked, up to 5, and some margin. */
const SKEW_RANGE = 6;
/** Ink points the tilt is measured on, at most: spread over the page, enough for its lines. */
const SKEW_POINTS = 60_000;

/**
 * The tilt of a page's text lines, in degrees (positive: lines fall to the
 * right, y down). Ink points (dark in the normalised page) are projected
 * across each candidate direction into one-pixel bins; along the lines' own
 * direction the bins are sharpest (ink in the lines, none between), which the
 * sum of squared bin counts measures. Coarse steps of 0.25 degrees, then 0.05
 * around the best.
 */
export function skewAngle(norm: Grey): number {
  const { width, height, data } = norm;
  let ink = 0;
  for (let i = 0; i < data.length; i += 7) if (data[i]! < 128) ink++;
  const stride = Math.max(1, Math.ceil((ink * 7) / SKEW_POINTS));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < data.length; i += stride) {
    if (data[i]! < 128) { xs.push(i % width); ys.push((i / width) | 0); }
  }
  if (xs.length < 50) return 0;
  const span = Math.ceil(width + height) + 2;
  const bins = new Float64Array(span * 2);
  const score = (deg: number): number => {
    const a = (deg * Math.PI) / 180;
    const c = Math.cos(a);
    const s = Math.sin(a);
    bins.fill(0);
    for (let k = 0; k < xs.length; k++) bins[Math.round(ys[k]! * c - xs[k]! * s) + span]! += 1;
    let sum = 0;
    for (let b = 0; b < bins.length; b++) sum += bins[b]! * bins[b]!;
    return sum;
  };
  let best = 0;
  let bestScore = score(0);
  for (let d = -SKEW_RANGE; d <= SKEW_RANGE + 1e-9; d += 0.25) {
    const v = score(d);
    if (v > bestScore) { best = d; bestScore = v; }
  }
  const coarse = best;
  for (let d = coarse - 0.2; d <= coarse + 0.2 + 1e-9; d += 0.05) {
    const v = score(d);
    if (v > bestScore) { best = d; bestScore = v; }
  }
  return best;
}

/** Catmull-Rom weights of the four samples around a point `t` (0..1) past the second. */
function catmullRom(t: number, w: Float64Array): void {
  const t2 = t * t;
  const t3 = t2 * t;
  w[0] = (-t3 + 2 * t2 - t) / 2;
  w[1] = (3 * t3 - 5 * t2 + 2) / 2;
  w[2] = (-3 * t3 + 4 * t2 + t) / 2;
  w[3] = (t3 - t2) / 2;
}

/**
 * The page turned by `degrees` about its centre onto a canvas big enough to
 * hold all of it (outside is the median of its border), and the map from the
 * turned page's pixels back to the original's. Bilinear, or `cubic`
 * (Catmull-Rom) for a second reading of a key left unproven: a stem one pixel
 * wide that lands between two pixels keeps more of its contrast (bilinear
 * averages it with the paper), and the close-ups scale the turned page up
 * again. Not for every reading: on a noisy photo the sharper turn sharpens
 * the noise too (docs/ocr.md, "Tilted pages").
 */
export function rotateGrey(src: Grey, degrees: number, cubic = false): { grey: Grey; back: (x: number, y: number) => [number, number] } {
  const { width: W, height: H, data } = src;
  const a = (degrees * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const W2 = Math.ceil(Math.abs(W * c) + Math.abs(H * s));
  const H2 = Math.ceil(Math.abs(W * s) + Math.abs(H * c));
  const border: number[] = [];
  for (let x = 0; x < W; x += 4) border.push(data[x]!, data[(H - 1) * W + x]!);
  for (let y = 0; y < H; y += 4) border.push(data[y * W]!, data[y * W + W - 1]!);
  border.sort((p, q) => p - q);
  const fill = border[border.length >> 1] ?? 255;
  // Output (u, v) -> source: turn back by -degrees about the centres.
  const back = (u: number, v: number): [number, number] => {
    const du = u - W2 / 2;
    const dv = v - H2 / 2;
    return [W / 2 + du * c + dv * s, H / 2 - du * s + dv * c];
  };
  const out = new Uint8Array(W2 * H2);
  const wx = new Float64Array(4);
  const wy = new Float64Array(4);
  for (let v = 0; v < H2; v++) {
    for (let u = 0; u < W2; u++) {
      const [x, y] = back(u + 0.5, v + 0.5);
      const fx = x - 0.5;
      const fy = y - 0.5;
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= W || y0 + 1 >= H) { out[v * W2 + u] = fill; continue; }
      if (!cubic) {
        const ax = fx - x0;
        const ay = fy - y0;
        const i = y0 * W + x0;
        out[v * W2 + u] = (data[i]! * (1 - ax) + data[i + 1]! * ax) * (1 - ay) + (data[i + W]! * (1 - ax) + data[i + W + 1]! * ax) * ay;
        continue;
      }
      catmullRom(fx - x0, wx);
      catmullRom(fy - y0, wy);
      // The outer taps repeat the edge pixel: text cut by the picture's edge keeps its last rows.
      const xl = Math.max(0, x0 - 1);
      const xr = Math.min(W - 1, x0 + 2);
      let sum = 0;
      for (let j = 0; j < 4; j++) {
        const row = Math.min(H - 1, Math.max(0, y0 - 1 + j)) * W;
        sum += wy[j]! * (wx[0]! * data[row + xl]! + wx[1]! * data[row + x0]! + wx[2]! * data[row + x0 + 1]! + wx[3]! * data[row + xr]!);
      }
      out[v * W2 + u] = sum < 0 ? 0 : sum > 255 ? 255 : sum;
    }
  }
  return { grey: { data: out, width: W2, height: H2 }, back };
}
