// Which characters of a key are the same glyph, judged on the pixels.
//
// The LSTM reads a glyph in the context of its neighbours, so the same `4`
// comes out `4` in one place and `b` in another (`40a44e66` read `40abbe66`,
// with high confidence, in every view). In a monospaced key every copy of a
// character is the same picture, whatever was read: the readings of all the
// copies vote together (see voteV1).
import type { Grey } from './preprocess.js';

interface Box { x: number; y: number; width: number; height: number }

/**
 * Normalised cross-correlation at or above which two cells hold the same
 * glyph. Measured with bench/ocr/glyph-pairs.ts on the true boxes of the
 * monospaced v1 keys of three sets (1,430 pairs of the same character, 20,394
 * of different ones): the same character scores 0.927 or more in 99% of
 * pairs, two different ones at most 0.879 (`3` and `8`).
 */
export const SAME_GLYPH = 0.91;

/** Cells are resampled to about this many samples high: sub-pixel alignment on small text, bounded work on large. */
const CELL_SAMPLES = 48;

/** Share of a run's box centres within a third of a cell of its fitted pitch for it to count as monospaced (monospaceCells). */
const MONOSPACED = 0.9;
/**
 * MONOSPACED for a v2 key's same-glyph votes in the second search on its reference
 * (looseCopies): a photo's or a recompressed picture's LSTM boxes stray more. Of the 52 searched regions of the 36 photo and
 * recompressed v2 misses in a monospaced font (32 wild sets), 12 fitted 90% or more, 18 fitted
 * 85-89% at 0.08 of a cell RMS or less (bench/README.md, h28photo).
 */
export const V2_MONOSPACED = 0.85;

/**
 * The cells of a monospaced run of glyphs: a straight line fitted to the
 * boxes' centres, fitted again on the centres within a third of a cell of it
 * (a misread glyph's box strays: `d` read `A` sat 2.9 px off at a 6 px
 * pitch). Null unless 90% are that near, at 0.08 of a cell RMS: the
 * monospaced keys measured gave 91-100% and 0.04-0.05, a v1 key in
 * Liberation Sans (tabular digits, narrow `f`) 81% and 0.12. `near`: the share that must
 * be that near (MONOSPACED unless given; see V2_MONOSPACED).
 */
export function monospaceCells(boxes: Box[], near = MONOSPACED): { x0: number; advance: number; y0: number; y1: number } | null {
  const n = boxes.length;
  if (n < 8) return null;
  const cx = boxes.map((b) => b.x + b.width / 2);
  let use = cx.map((_, i) => i);
  let fit = { first: 0, advance: 0 };
  for (let round = 0; round < 2; round++) {
    fit = lineFit(use.map((i) => [i, cx[i]!] as const));
    if (!(fit.advance > 2)) return null;
    use = use.filter((i) => Math.abs(cx[i]! - (fit.first + i * fit.advance)) <= fit.advance / 3);
    if (use.length < n * near) return null;
  }
  const rms = Math.sqrt(use.reduce((a, i) => a + (cx[i]! - (fit.first + i * fit.advance)) ** 2, 0) / use.length);
  if (rms > fit.advance * 0.08) return null;
  const y0 = Math.min(...boxes.map((b) => b.y)) - 1;
  const y1 = Math.max(...boxes.map((b) => b.y + b.height)) + 1;
  return { x0: fit.first - fit.advance / 2, advance: fit.advance, y0, y1 };
}

/** Least-squares line through (index, centre) points: the first cell's centre and the pitch (or any line's value at 0 and slope). */
export function lineFit(points: (readonly [number, number])[]): { first: number; advance: number } {
  const n = points.length;
  const mi = points.reduce((a, p) => a + p[0], 0) / n;
  const mx = points.reduce((a, p) => a + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [i, c] of points) { num += (i - mi) * (c - mx); den += (i - mi) ** 2; }
  const advance = num / den;
  return { first: mx - mi * advance, advance };
}

/** A cell resampled bilinearly, `s` samples per pixel; outside the picture its edge, or `outside` if given. */
function sample(g: Grey, x0: number, y0: number, w: number, h: number, s: number, outside?: number): Float64Array {
  const W = Math.max(1, Math.round(w * s));
  const H = Math.max(1, Math.round(h * s));
  const out = new Float64Array(W * H);
  const at = (x: number, y: number) =>
    outside !== undefined && (x < 0 || y < 0 || x >= g.width || y >= g.height) ? outside
    : g.data[Math.min(g.height - 1, Math.max(0, y)) * g.width + Math.min(g.width - 1, Math.max(0, x))]!;
  for (let yy = 0; yy < H; yy++) {
    const y = y0 + yy / s;
    const yi = Math.floor(y);
    const fy = y - yi;
    for (let xx = 0; xx < W; xx++) {
      const x = x0 + xx / s;
      const xi = Math.floor(x);
      const fx = x - xi;
      out[yy * W + xx] = (at(xi, yi) * (1 - fx) + at(xi + 1, yi) * fx) * (1 - fy) + (at(xi, yi + 1) * (1 - fx) + at(xi + 1, yi + 1) * fx) * fy;
    }
  }
  return out;
}

/** Best normalised cross-correlation of two W x H cells over shifts up to `shift` samples across and `shiftY` down. */
function correlation(a: Float64Array, b: Float64Array, W: number, H: number, shift: number, shiftY = 0): number {
  let best = -1;
  for (let dy = -shiftY; dy <= shiftY; dy++) for (let dx = -shift; dx <= shift; dx++) {
    const xs = Math.max(0, dx);
    const xe = Math.min(W, W + dx);
    const ys = Math.max(0, dy);
    const ye = Math.min(H, H + dy);
    let sa = 0;
    let sb = 0;
    for (let y = ys; y < ye; y++) for (let x = xs; x < xe; x++) { sa += a[y * W + x]!; sb += b[(y - dy) * W + x - dx]!; }
    const n = (xe - xs) * (ye - ys);
    const ma = sa / n;
    const mb = sb / n;
    let num = 0;
    let da = 0;
    let db = 0;
    for (let y = ys; y < ye; y++) for (let x = xs; x < xe; x++) {
      const p = a[y * W + x]! - ma;
      const q = b[(y - dy) * W + x - dx]! - mb;
      num += p * q;
      da += p * p;
      db += q * q;
    }
    const c = num / Math.sqrt(da * db + 1e-9);
    if (c > best) best = c;
  }
  return best;
}

/** Grey levels below this are ink, in a glyph's picture dark on light (inkRows here, inkRun in pipeline.ts). */
export const INK_BELOW = 160;

/** The taller of two glyphs compared by glyphLikeness is resampled to this many samples high. */
const GLYPH_SAMPLES = 32;
/**
 * Glyphs compared by glyphLikeness are blurred over about this many pixels
 * either side first: a thin stroke drawn a fraction of a pixel apart
 * (DejaVu Sans's 1 px `l`) otherwise correlates at 0.74 with its own copy.
 */
const GLYPH_BLUR = 0.5;

/**
 * How alike two glyphs of one line are (pictures dark on light, each trimmed
 * to its ink): both scaled alike, so that the taller is GLYPH_SAMPLES high,
 * centred on one canvas, their normalised cross-correlation at the best small
 * shift. Unlike cellCorrelations it needs no monospaced run, and a glyph's
 * size counts: a proportional font's `l` and `1` differ in width, its `l`
 * and `I` in height.
 */
export function glyphLikeness(a: Grey, b: Grey): number {
  const ra = inkRows(a);
  const rb = inkRows(b);
  const s = GLYPH_SAMPLES / Math.max(ra.to - ra.from, rb.to - rb.from);
  const W = Math.round(Math.max(a.width, b.width) * s) + 4;
  const H = GLYPH_SAMPLES + 4;
  const pic = (g: Grey, r: { from: number; to: number }) => sample(g, inkCentre(g) - W / s / 2, (r.from + r.to - H / s) / 2, W / s, H / s, s, 255);
  const r = Math.round(GLYPH_BLUR * s);
  return correlation(boxBlur(pic(a, ra), W, H, r), boxBlur(pic(b, rb), W, H, r), W, H, Math.max(1, Math.round(W * 0.12)), 2);
}

/** A W x H picture averaged over (2r+1) x (2r+1) squares (cut at its edges), rows then columns. */
function boxBlur(p: Float64Array, W: number, H: number, r: number): Float64Array {
  if (r < 1) return p;
  const pass = (src: Float64Array, along: 'x' | 'y'): Float64Array => {
    const out = new Float64Array(src.length);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      let sum = 0;
      let n = 0;
      for (let d = -r; d <= r; d++) {
        const xx = along === 'x' ? x + d : x;
        const yy = along === 'y' ? y + d : y;
        if (xx < 0 || xx >= W || yy < 0 || yy >= H) continue;
        sum += src[yy * W + xx]!;
        n++;
      }
      out[y * W + x] = sum / n;
    }
    return out;
  };
  return pass(pass(p, 'x'), 'y');
}

/** The ink-weighted mean x of a dark-on-light picture (in pixels, a pixel's centre at x + 0.5). */
function inkCentre(g: Grey): number {
  let sum = 0;
  let at = 0;
  for (let y = 0; y < g.height; y++) for (let x = 0; x < g.width; x++) {
    const ink = 255 - g.data[y * g.width + x]!;
    sum += ink;
    at += ink * (x + 0.5);
  }
  return sum ? at / sum - 0.5 : (g.width - 1) / 2;
}

/** The rows of a dark-on-light picture from its first inked one to its last (the whole picture if none is). */
function inkRows(g: Grey): { from: number; to: number } {
  let from = -1;
  let to = 0;
  for (let y = 0; y < g.height; y++) {
    let ink = false;
    for (let x = 0; x < g.width && !ink; x++) ink = g.data[y * g.width + x]! < INK_BELOW;
    if (ink) { if (from < 0) from = y; to = y + 1; }
  }
  return from < 0 ? { from: 0, to: g.height } : { from, to };
}

/**
 * The normalised cross-correlation of every pair of cells of a monospaced
 * run (its boxes as read); null when the run is not monospaced. Polarity does
 * not matter: the correlation is the same for light text on dark.
 */
export function cellCorrelations(grey: Grey, boxes: Box[], near = MONOSPACED): number[][] | null {
  const cells = monospaceCells(boxes, near);
  if (!cells) return null;
  const s = Math.min(4, Math.max(1, CELL_SAMPLES / (cells.y1 - cells.y0)));
  const W = Math.max(1, Math.round(cells.advance * s));
  const H = Math.max(1, Math.round((cells.y1 - cells.y0) * s));
  const pics = boxes.map((_, i) => sample(grey, cells.x0 + i * cells.advance, cells.y0, W / s, H / s, s));
  const shift = Math.max(1, Math.round(W * 0.12));
  const r = boxes.map(() => new Array<number>(boxes.length).fill(1));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) r[i]![j] = r[j]![i] = correlation(pics[i]!, pics[j]!, W, H, shift);
  }
  return r;
}

/**
 * Answers already worked out, per picture and boxes: a region's key is searched
 * again after every read, mostly on the same reference reading, and the
 * correlations cost more than the search.
 */
/** A run's glyph pictures compared: every pair's correlation (`r`), and per glyph the positions holding the same glyph, itself included (`same`). */
export interface SameGlyphs { r: number[][]; same: number[][] }

/**
 * How much less alike two cells may be than each one's nearest other cell,
 * and than the key's median cell is to its nearest, and still count as
 * copies in a v1 key's vote (see keyCopies). Replayed on the stored v1
 * readings of 228 pictures (19 sets): 0.02, 0.03 and 0.04 gave the same keys.
 */
export const NEAR_COPY = 0.03;

/**
 * `same` kept only between cells as alike as copies are in this picture: at
 * most NEAR_COPY below each one's nearest other cell, and below the median
 * cell's nearest (most of a key's 32 digits have a copy, so that median is how
 * alike this picture draws one glyph twice). Blur (a photo, a turned or
 * recompressed page) lifts different characters of some monospaced fonts over
 * SAME_GLYPH: a lone `0` of DejaVu Sans Mono 12 px turned 3.3 degrees scored
 * 0.92-0.94 against the key's three `8`, which scored 0.99 among themselves,
 * and their votes made it an `8` (wild-2803 rotated-008); its nearest but the
 * `8`s was the key's lone `6` (0.92). For the v1 vote only, where a copy's
 * votes are summed in full; a v2 key's copies only add alternatives.
 */
export function keyCopies(glyphs: SameGlyphs): SameGlyphs {
  const { r } = glyphs;
  const { nearest, typical } = nearestCells(r);
  const floor = (i: number, j: number) => Math.max(nearest[i]!, nearest[j]!, typical) - NEAR_COPY;
  return { r, same: glyphs.same.map((js, i) => js.filter((j) => j === i || r[i]![j]! >= floor(i, j))) };
}

/** Per cell, the correlation of its nearest other cell; and the median of those (`typical`). */
function nearestCells(r: number[][]): { nearest: number[]; typical: number } {
  const nearest = r.map((row, i) => Math.max(...row.filter((_, j) => j !== i)));
  return { nearest, typical: [...nearest].sort((a, b) => a - b)[Math.floor(nearest.length / 2)]! };
}

/**
 * `same` kept only between cells at least as alike as the median cell is to its nearest.
 * In a v2 key (36 characters of 62) most cells have no copy (a cell has one with odds
 * 1 - (61/62)^35, 0.43), so that median is how alike this picture draws two different
 * glyphs; a copy must be no less alike than that. For the runs only V2_MONOSPACED calls
 * monospaced: there the cells sit up to a fifth of a cell off the fitted pitch, and a
 * photo's blur puts wide glyphs over SAME_GLYPH against each other. wild-3001 photo-000
 * (a photo, 7.4 px pitch, median nearest 0.93): `R`, `N`, `W`, `m`, `n`, `o`, `K` were
 * 0.92-0.955 alike in ten pairs, the key's six true pairs 0.93-0.98; all 16 voting, the
 * key ranked past the 2^22 it is found at with no votes. Four of the ten stay (0.929-0.955):
 * the key is found.
 */
export function typicalCopies(glyphs: SameGlyphs): SameGlyphs {
  const { r } = glyphs;
  const { typical } = nearestCells(r);
  return { r, same: glyphs.same.map((js, i) => js.filter((j) => j === i || r[i]![j]! >= typical)) };
}

/**
 * A v2 key's copies for its second search (docs/ocr.md step 6): on a run only V2_MONOSPACED
 * calls monospaced, the copies typicalCopies keeps; undefined when the run fits MONOSPACED
 * (the first search pooled those already) or fits neither.
 */
export function looseCopies(grey: Grey, boxes: Box[]): number[][] | undefined {
  if (sameGlyphs(grey, boxes)) return undefined;
  const loose = sameGlyphs(grey, boxes, V2_MONOSPACED);
  return loose ? typicalCopies(loose).same : undefined;
}

const known = new WeakMap<Grey, Map<string, SameGlyphs | null>>();

/**
 * For each glyph of a monospaced run, the positions holding the same glyph,
 * itself included (`same`), and every pair's correlation (`r`); null when not
 * monospaced.
 */
export function sameGlyphs(grey: Grey, boxes: Box[], near = MONOSPACED): SameGlyphs | null {
  const id = `${near} ${boxes.map((b) => `${b.x},${b.y},${b.width},${b.height}`).join(' ')}`;
  let seen = known.get(grey);
  if (!seen) known.set(grey, (seen = new Map()));
  if (seen.has(id)) return seen.get(id)!;
  const r = cellCorrelations(grey, boxes, near);
  const res = r && { r, same: r.map((row, i) => row.flatMap((c, j) => (j === i || c >= SAME_GLYPH ? [j] : []))) };
  seen.set(id, res);
  return res;
}

/** A glyph's inked height in its picture (dark on light) and the darkness at its middle. */
export interface InkShape { height: number; centre: number }

/**
 * The inked height of a glyph's picture, and the mean darkness (0-1) of the
 * middle third of its inked box each way: a dotted or slashed zero's mark, an
 * empty counter's nothing.
 */
export function inkShape(g: Grey): InkShape | null {
  let x0 = g.width;
  let x1 = 0;
  let y0 = g.height;
  let y1 = 0;
  for (let y = 0; y < g.height; y++) for (let x = 0; x < g.width; x++) {
    if (g.data[y * g.width + x]! >= INK_BELOW) continue;
    if (x < x0) x0 = x;
    if (x + 1 > x1) x1 = x + 1;
    if (y < y0) y0 = y;
    if (y + 1 > y1) y1 = y + 1;
  }
  if (x1 <= x0) return null;
  const w = x1 - x0;
  const h = y1 - y0;
  let sum = 0;
  let n = 0;
  for (let y = Math.floor(y0 + h / 3); y < Math.ceil(y1 - h / 3); y++) for (let x = Math.floor(x0 + w / 3); x < Math.ceil(x1 - w / 3); x++) {
    sum += 255 - g.data[y * g.width + x]!;
    n++;
  }
  return { height: h, centre: n ? sum / n / 255 : 0 };
}
