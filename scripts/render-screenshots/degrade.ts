// What happens to a screenshot on its way: tilted, photographed off a monitor,
// recompressed, shared as a video frame. Pixel work on raw RGB with sharp for
// decoding, resizing, blurring and encoding; seeded, so a set is reproducible.
import sharp from 'sharp';
import type { Rng } from './keys.js';
import type { Box } from './shoot.js';

export interface Rgb { data: Uint8Array; width: number; height: number }

export async function toRgb(image: Buffer): Promise<Rgb> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

const raw = (img: Rgb) => sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } });

/** A 3x3 homography (row-major) taking output pixels to source pixels. */
type H = number[];

function invert3(m: H): H {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A, -(b * i - c * h), b * f - c * e, B, a * i - c * g, -(a * f - c * d), C, -(a * h - b * g), a * e - b * d].map((v) => v / det);
}

const apply = (m: H, x: number, y: number): [number, number] => {
  const w = m[6]! * x + m[7]! * y + m[8]!;
  return [(m[0]! * x + m[1]! * y + m[2]!) / w, (m[3]! * x + m[4]! * y + m[5]!) / w];
};

/** The homography taking the four points `from` to `to` (each [x, y], clockwise from top-left). */
function quadToQuad(from: [number, number][], to: [number, number][]): H {
  // Solve the 8x8 system of the standard DLT with h33 = 1.
  const rows: number[][] = [];
  for (let k = 0; k < 4; k++) {
    const [x, y] = from[k]!;
    const [u, v] = to[k]!;
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let piv = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(rows[r]![col]!) > Math.abs(rows[piv]![col]!)) piv = r;
    [rows[col], rows[piv]] = [rows[piv]!, rows[col]!];
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = rows[r]![col]! / rows[col]![col]!;
      for (let c = col; c < 9; c++) rows[r]![c]! -= f * rows[col]![c]!;
    }
  }
  return [...rows.map((r, i) => r[8]! / r[i]!), 1];
}

/**
 * Warp by the map taking the image's corners to `corners` (output pixels, on
 * a canvas of `outW` x `outH`), bilinear, `fill` outside. Returns the warped
 * image and the map for boxes.
 */
function warp(img: Rgb, corners: [number, number][], fill: [number, number, number], outW = img.width, outH = img.height): { img: Rgb; map: (x: number, y: number) => [number, number] } {
  const { width: W, height: Hh, data } = img;
  const src: [number, number][] = [[0, 0], [W, 0], [W, Hh], [0, Hh]];
  const fwd = quadToQuad(src, corners);
  const back = invert3(fwd);
  const out = new Uint8Array(outW * outH * 3);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const [sx, sy] = apply(back, x + 0.5, y + 0.5);
      const fx = sx - 0.5, fy = sy - 0.5;
      const x0 = Math.floor(fx), y0 = Math.floor(fy);
      const o = (y * outW + x) * 3;
      if (x0 < 0 || y0 < 0 || x0 + 1 >= W || y0 + 1 >= Hh) { out[o] = fill[0]; out[o + 1] = fill[1]; out[o + 2] = fill[2]; continue; }
      const ax = fx - x0, ay = fy - y0;
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => data[(yy * W + xx) * 3 + c]!;
        out[o + c] = Math.round((p(y0, x0) * (1 - ax) + p(y0, x0 + 1) * ax) * (1 - ay) + (p(y0 + 1, x0) * (1 - ax) + p(y0 + 1, x0 + 1) * ax) * ay);
      }
    }
  }
  return { img: { data: out, width: outW, height: outH }, map: (x, y) => apply(fwd, x, y) };
}

/** The box around a box's four corners after `map`. */
export function mapBox(b: Box, map: (x: number, y: number) => [number, number]): Box {
  const pts = [map(b.x, b.y), map(b.x + b.width, b.y), map(b.x + b.width, b.y + b.height), map(b.x, b.y + b.height)];
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const x = Math.min(...xs), y = Math.min(...ys);
  return { x: Math.round(x), y: Math.round(y), width: Math.round(Math.max(...xs) - x), height: Math.round(Math.max(...ys) - y) };
}

function cornerColour(img: Rgb): [number, number, number] {
  return [img.data[0]!, img.data[1]!, img.data[2]!];
}

/**
 * Turn by `degrees` onto a canvas that holds the whole turned picture (the page's
 * corner colour fills in), as a crooked scan keeps the whole page. Turned within
 * its own size, a key near the top edge lost its last glyphs out of the picture
 * while the manifest counted it readable (wild-3004 rotated-000, wild-3104
 * rotated-009, wild-3401 rotated-000: h25rot in bench/README.md).
 */
export function rotate(img: Rgb, degrees: number): { img: Rgb; map: (x: number, y: number) => [number, number] } {
  const a = (degrees * Math.PI) / 180;
  const turned = [[0, 0], [img.width, 0], [img.width, img.height], [0, img.height]].map(([x, y]): [number, number] => [x! * Math.cos(a) - y! * Math.sin(a), x! * Math.sin(a) + y! * Math.cos(a)]);
  const minX = Math.min(...turned.map((p) => p[0])), minY = Math.min(...turned.map((p) => p[1]));
  const corners = turned.map(([x, y]): [number, number] => [x - minX, y - minY]);
  const outW = Math.ceil(Math.max(...corners.map((p) => p[0]))), outH = Math.ceil(Math.max(...corners.map((p) => p[1])));
  return warp(img, corners, cornerColour(img), outW, outH);
}

/**
 * A monitor photographed at an angle: the screen in a dark frame, one side
 * shorter than the other by `keystone` (a fraction of the side), turned by
 * `degrees`. The frame is added around the screen, which keeps its pixel
 * size: issue 17 lists no downscale for photos (it does for recompression),
 * and until branch h17w the frame was cut out of the screen, which shrank
 * every photo's text to 92% before the keystone (docs/ocr.md, test data).
 */
export function keystone(img: Rgb, rng: Rng, amount: number, degrees: number): { img: Rgb; map: (x: number, y: number) => [number, number] } {
  const W = img.width, H = img.height;
  const mx = Math.round(W * 0.04), my = Math.round(H * 0.04);
  const CW = W + 2 * mx, CH = H + 2 * my;
  let c: [number, number][] = [[mx, my], [mx + W, my], [mx + W, my + H], [mx, my + H]];
  const side = Math.floor(rng() * 4);
  const k = amount / 2;
  // Pull the two corners of one side towards each other.
  if (side === 0) { c[0]![0] += W * k; c[1]![0] -= W * k; }
  if (side === 1) { c[1]![1] += H * k; c[2]![1] -= H * k; }
  if (side === 2) { c[3]![0] += W * k; c[2]![0] -= W * k; }
  if (side === 3) { c[0]![1] += H * k; c[3]![1] -= H * k; }
  const a = (degrees * Math.PI) / 180;
  c = c.map(([x, y]) => [CW / 2 + (x - CW / 2) * Math.cos(a) - (y - CH / 2) * Math.sin(a), CH / 2 + (x - CW / 2) * Math.sin(a) + (y - CH / 2) * Math.cos(a)]);
  return warp(img, c, [24, 24, 26], CW, CH);
}

/** Light falling off across the picture (a lamp to one side) and towards the corners. */
export function unevenLight(img: Rgb, rng: Rng, strength: number): Rgb {
  const { width: W, height: H, data } = img;
  const gx = rng() * 2 - 1, gy = rng() * 2 - 1;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const u = x / W - 0.5, v = y / H - 0.5;
    const f = 1 - strength * (0.5 + gx * u + gy * v) - strength * 0.6 * (u * u + v * v);
    for (let c = 0; c < 3; c++) { const o = (y * W + x) * 3 + c; out[o] = Math.max(0, Math.min(255, data[o]! * f + 8 * strength)); }
  }
  return { data: out, width: W, height: H };
}

/** Moiré: the beat of the screen's pixel grid against the sensor's, a faint slanted wave. */
export function moire(img: Rgb, rng: Rng, amplitude: number): Rgb {
  const { width: W, height: H, data } = img;
  const period = 5 + rng() * 9;
  const ang = rng() * Math.PI;
  const fx = Math.cos(ang) / period, fy = Math.sin(ang) / period;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const d = amplitude * Math.sin(2 * Math.PI * (fx * x + fy * y));
    for (let c = 0; c < 3; c++) { const o = (y * W + x) * 3 + c; out[o] = Math.max(0, Math.min(255, data[o]! + d * (c === 1 ? 0.6 : 1))); }
  }
  return { data: out, width: W, height: H };
}

/** Sensor noise: Gaussian, sigma in grey levels, per channel. */
export function noise(img: Rgb, rng: Rng, sigma: number): Rgb {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) {
    const g = Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
    out[i] = Math.max(0, Math.min(255, Math.round(img.data[i]! + g * sigma)));
  }
  return { data: out, width: img.width, height: img.height };
}

export async function blur(img: Rgb, sigma: number): Promise<Rgb> {
  return sigma >= 0.3 ? toRgb(await raw(img).blur(sigma).png().toBuffer()) : img;
}

export async function scale(img: Rgb, factor: number): Promise<Rgb> {
  return toRgb(await raw(img).resize({ width: Math.round(img.width * factor), height: Math.round(img.height * factor), kernel: 'lanczos3' }).png().toBuffer());
}

export function jpeg(img: Rgb, quality: number, chroma: '4:2:0' | '4:4:4' = '4:2:0'): Promise<Buffer> {
  return raw(img).jpeg({ quality, chromaSubsampling: chroma }).toBuffer();
}
