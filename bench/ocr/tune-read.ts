// Tuning aid: read each v2 key from its true box (manifest) with several
// preprocessing variants and report character errors per variant.
//   npx tsx bench/ocr/tune-read.ts [--dir bench/.work/ocr]
import './shown.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { read, startWorker } from '../../src/ocr/engine.js';
import sharp from 'sharp';
import { crop, decode, eraseRules, isolateLine, normalize, toPng, type Grey, type Style } from '../../src/ocr/preprocess.js';

const { values } = parseArgs({ options: { dir: { type: 'string', default: 'bench/.work/ocr' }, variants: { type: 'string' }, only: { type: 'string' }, print: { type: 'boolean', default: false } } });
const dir = values.dir!;
const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { images: { file: string; keys: { key: string; ruleId: string; box: { x: number; y: number; width: number; height: number } }[] }[] };
const WL = `0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-.:;,="'()[]{}<>/$`;

function lev(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1), d[i - 1]![j]! + 1, d[i]![j - 1]! + 1);
  return d[a.length]![b.length]!;
}

/**
 * Besides the pipeline's own styles: binarised at mid grey, or at a higher bar
 * for ink (thinner strokes); Sauvola's local threshold after scaling (a window
 * of one text height: uneven light, moiré); sharpened after scaling (a
 * photo's blur).
 */
type TuneStyle = Style | 'binary' | 'thin' | 'sauvola' | 'sharpen' | 'smooth4' | 'smooth6' | 'smooth8' | 'median' | 'mitchell' | 'cubic' | 'linear';

/** Sauvola: ink where a pixel is under mean * (1 + k (sd / 128 - 1)) of its window. */
async function sauvola(png: Buffer, win: number, k = 0.2): Promise<Buffer> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const W = info.width, H = info.height;
  const S = new Float64Array((W + 1) * (H + 1));
  const Q = new Float64Array((W + 1) * (H + 1));
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const v = data[y * W + x]!, i = (y + 1) * (W + 1) + x + 1;
    S[i] = v + S[i - 1]! + S[i - W - 1]! - S[i - W - 2]!;
    Q[i] = v * v + Q[i - 1]! + Q[i - W - 1]! - Q[i - W - 2]!;
  }
  const r = Math.max(2, Math.round(win / 2));
  const out = Buffer.alloc(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const x0 = Math.max(0, x - r), x1 = Math.min(W, x + r + 1), y0 = Math.max(0, y - r), y1 = Math.min(H, y + r + 1);
    const n = (x1 - x0) * (y1 - y0);
    const sum = (T: Float64Array) => T[y1 * (W + 1) + x1]! - T[y0 * (W + 1) + x1]! - T[y1 * (W + 1) + x0]! + T[y0 * (W + 1) + x0]!;
    const m = sum(S) / n;
    const sd = Math.sqrt(Math.max(0, sum(Q) / n - m * m));
    out[y * W + x] = data[y * W + x]! < m * (1 + k * (sd / 128 - 1)) ? 0 : 255;
  }
  return sharp(out, { raw: { width: W, height: H, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer();
}
type Variant = { name: string; target: number; wl: boolean; psm: '7' | '13' | '6'; style?: TuneStyle; hex?: boolean; spaced?: number };

/**
 * The same line with `gap` white columns inserted between glyphs (runs of
 * inked columns): tesseract's LSTM then leans less on a glyph's neighbours,
 * which is what makes it read the `6` of `ea6b` as `b`.
 */
function spaceOut(src: Grey, gap: number): Grey {
  const { width, height, data } = src;
  const inked = new Uint8Array(width);
  for (let x = 0; x < width; x++) for (let y = 0; y < height; y++) if (data[y * width + x]! < 160) { inked[x] = 1; break; }
  const cols: number[] = [];
  for (let x = 0; x < width; x++) {
    cols.push(x);
    if (inked[x] && x + 1 < width && !inked[x + 1]) for (let k = 0; k < gap; k++) cols.push(-1);
  }
  const w = cols.length;
  const out = new Uint8Array(w * height).fill(255);
  for (let y = 0; y < height; y++) for (let i = 0; i < w; i++) if (cols[i]! >= 0) out[y * w + i] = data[y * width + cols[i]!]!;
  return { data: out, width: w, height };
}

/** A separable Gaussian at the picture's own resolution: JPEG's 8x8 blocks and ringing smoothed before the upscale. */
function blurGrey(src: Grey, sigma: number): Grey {
  const r = Math.ceil(sigma * 3);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  const { width: W, height: H, data } = src;
  const tmp = new Float32Array(W * H);
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) { let a = 0; for (let i = -r; i <= r; i++) a += k[i + r]! * data[y * W + Math.min(W - 1, Math.max(0, x + i))]!; tmp[y * W + x] = a / sum; }
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) { let a = 0; for (let i = -r; i <= r; i++) a += k[i + r]! * tmp[Math.min(H - 1, Math.max(0, y + i)) * W + x]!; out[y * W + x] = Math.round(a / sum); }
  return { data: out, width: W, height: H };
}

async function render(region: Grey, scale: number, style: TuneStyle = 'plain', target = 34): Promise<Buffer> {
  if (style === 'sauvola') return sauvola(await toPng(region, scale, 12), target);
  if (style === 'sharpen') return sharp(await toPng(region, scale, 12)).sharpen({ sigma: Math.max(0.5, scale * 0.5) }).png({ compressionLevel: 1 }).toBuffer();
  if (style === 'smooth4' || style === 'smooth6' || style === 'smooth8') return toPng(blurGrey(region, Number(style.slice(6)) / 10), scale, 12);
  if (style === 'median') return sharp(await toPng(region, scale, 12)).median(Math.max(3, Math.round(scale) | 1)).png({ compressionLevel: 1 }).toBuffer();
  if (style === 'mitchell' || style === 'cubic' || style === 'linear') return sharp(Buffer.from(region.data.buffer, region.data.byteOffset, region.data.length), { raw: { width: region.width, height: region.height, channels: 1 } }).resize({ width: Math.round(region.width * scale), height: Math.round(region.height * scale), kernel: style === 'linear' ? 'linear' : style }).extend({ top: 12, bottom: 12, left: 12, right: 12, background: '#ffffff' }).png({ compressionLevel: 1 }).toBuffer();
  if (style !== 'binary' && style !== 'thin') return toPng(region, scale, 12, style);
  // The border is white, so binarising after it is the same as before it.
  return sharp(await toPng(region, scale, 12)).threshold(style === 'binary' ? 128 : 80).png({ compressionLevel: 1 }).toBuffer();
}

const all: Variant[] = [];
for (const target of [20, 22, 24, 26, 28, 30, 32, 36, 44, 56]) for (const wl of [true]) all.push({ name: `t${target}${wl ? 'w' : ''}`, target, wl, psm: '7' });
all.push({ name: 't36-psm13', target: 36, wl: true, psm: '13' });
all.push({ name: 't36-nowl', target: 36, wl: false, psm: '7' });
for (const sp of [1, 2, 3]) all.push({ name: `t30-sp${sp}`, target: 30, wl: true, psm: '7', spaced: sp }, { name: `t30-hexsp${sp}`, target: 30, wl: true, psm: '7', hex: true, spaced: sp });
all.push({ name: 't30-psm13', target: 30, wl: true, psm: '13' });
all.push({ name: 't30-hex', target: 30, wl: true, psm: '7', hex: true });
all.push({ name: 't30-hex13', target: 30, wl: true, psm: '13', hex: true });
for (const style of ['binary', 'bold', 'thin', 'sauvola', 'sharpen'] as const) for (const target of [28, 34, 46, 58]) all.push({ name: `t${target}-${style}`, target, wl: true, psm: '7', style });
for (const style of ['smooth4', 'smooth6', 'smooth8', 'median', 'mitchell', 'cubic', 'linear'] as const) for (const target of [34, 46, 58]) all.push({ name: `t${target}-${style}`, target, wl: true, psm: '7', style });
const variants = values.variants ? all.filter((v) => values.variants!.split(',').includes(v.name)) : all;
const worker = await startWorker();
const errs: Record<string, number[]> = {};
for (const e of manifest.images) {
  const keys = e.keys.filter((k) => k.box && (!values.only || values.only.split(',').some((o) => e.file.startsWith(o))));
  if (!keys.length) continue;
  const d = await decode(await readFile(join(dir, e.file)));
  if (!d.ok) continue;
  const norm = eraseRules(normalize(d.grey), 56, 72);
  for (const k of keys) {
    const b = k.box;
    const h = b.height;
    const cy = Math.max(0, Math.floor(b.y - h * 0.5));
    const region: Grey = isolateLine(crop(norm, b.x - h * 0.8, b.y - h * 0.5, b.width + h * 1.6, h * 2), { from: b.y - h * 0.1 - cy, to: b.y + h * 1.1 - cy });
    const row: string[] = [];
    for (const v of variants) {
      const s = Math.min(8, Math.max(0.5, v.target / h));
      const words = await read(() => worker, await render(v.spaced ? spaceOut(region, Math.max(1, Math.round((h * v.spaced) / 10))) : region, s, v.style, v.target), { psm: v.psm, choices: false, ...(v.wl ? { whitelist: v.hex ? '0123456789abcdef-s ' : WL } : {}) });
      const text = words.map((w) => w.text).join(' ');
      // Best substring distance: compare against the text stripped to key chars.
      const flat = text.replace(/[^A-Za-z0-9_-]/g, '');
      const err = Math.min(lev(k.key, flat), ...[...Array(Math.max(1, flat.length - k.key.length + 1)).keys()].map((o) => lev(k.key, flat.slice(o, o + k.key.length))));
      (errs[v.name] ??= []).push(err);
      row.push(`${v.name}:${err}`);
      if (values.print) console.log('   ', v.name, flat);
    }
    console.log(e.file, k.ruleId.slice(-2), h, row.join(' '));
  }
}
for (const [n, a] of Object.entries(errs)) console.log(n, 'total', a.reduce((x, y) => x + y, 0), 'zero', a.filter((x) => x === 0).length, '/', a.length);
await worker.terminate();
