// Thumbnails of pictures that hold keys, for the HTML report. Made at scan time,
// while the picture's bytes are still in hand (a picture inside a PDF or a video
// frame is not kept after the scan). Every key box is filled solid at full
// resolution BEFORE scaling, so no pixel of any key survives into the thumbnail;
// an outline is then drawn around the boxes so a person sees where the key was.
import sharp from 'sharp';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The fill over a key: solid black (also what redacted copies use). */
export const MASK_COLOUR = { r: 0, g: 0, b: 0 } as const;
/** Outline of the key the thumbnail is about; other keys' boxes get a grey one. */
const OUTLINE = '#e11d48';
const OTHER_OUTLINE = '#64748b';
export const THUMBNAIL_MAX_WIDTH = 480;
/** A taller thumbnail is cropped to the part of the picture around the key. */
const THUMBNAIL_MAX_HEIGHT = 640;
/** Pictures larger than this are not decoded for a thumbnail (OCR refuses them too). */
const MAX_PIXELS = 100e6;

sharp.cache(false);

/**
 * Pixels added around a box: OCR boxes hug the glyphs it read and can miss part of
 * the last character or a descender (up to about a character's width across the
 * test screenshots), and anti-aliasing reaches past the glyphs. So: about one
 * character (the box height) left and right, half the height above and below.
 */
export function padOf(box: Box): { x: number; y: number } {
  return { x: Math.max(8, Math.round(box.height)), y: Math.max(5, Math.round(box.height * 0.5)) };
}

/** The padded box, clipped to the picture; null when nothing of it is inside. */
export function paddedBox(box: Box, width: number, height: number): Box | null {
  const pad = padOf(box);
  const x0 = Math.max(0, Math.floor(box.x) - pad.x);
  const y0 = Math.max(0, Math.floor(box.y) - pad.y);
  const x1 = Math.min(width, Math.ceil(box.x + box.width) + pad.x);
  const y1 = Math.min(height, Math.ceil(box.y + box.height) + pad.y);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

/**
 * Fills every padded box of raw interleaved pixels with the mask colour (opaque),
 * in place. Channels 1-2 are grey(+alpha), 3-4 RGB(+alpha).
 */
export function fillBoxes(data: Buffer, info: { width: number; height: number; channels: number }, boxes: Box[]): Box[] {
  const { width, height, channels } = info;
  const grey = Math.round(0.299 * MASK_COLOUR.r + 0.587 * MASK_COLOUR.g + 0.114 * MASK_COLOUR.b);
  const pixel = channels >= 3 ? [MASK_COLOUR.r, MASK_COLOUR.g, MASK_COLOUR.b, 255] : [grey, 255];
  const filled: Box[] = [];
  for (const box of boxes) {
    const p = paddedBox(box, width, height);
    if (!p) continue;
    filled.push(p);
    for (let y = p.y; y < p.y + p.height; y++) {
      for (let x = p.x; x < p.x + p.width; x++) {
        const at = (y * width + x) * channels;
        for (let c = 0; c < channels; c++) data[at + c] = pixel[c]!;
      }
    }
  }
  return filled;
}

export interface KeyBox {
  key: string;
  box: Box;
}

/**
 * One thumbnail per distinct key in a picture: every key box filled, the boxes
 * of that key outlined in red (others in grey). Keys for which `want` says no are
 * skipped. An unreadable picture gives an empty map, never an error: a missing
 * thumbnail must not fail a scan.
 */
export async function keyThumbnails(image: Buffer, boxes: KeyBox[], want: (key: string) => boolean = () => true): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const keys = [...new Set(boxes.map((b) => b.key))].filter(want);
  if (keys.length === 0) return out;
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    const meta = await sharp(image, { failOn: 'none', limitInputPixels: false }).metadata();
    if (!meta.width || !meta.height || meta.width * meta.height > MAX_PIXELS) return out;
    raw = await sharp(image, { failOn: 'none', pages: 1 })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    return out;
  }
  const { width, height, channels } = raw.info;
  const all = boxes.map((b) => ({ key: b.key, padded: paddedBox(b.box, width, height) })).filter((b) => b.padded !== null);
  fillBoxes(raw.data, raw.info, boxes.map((b) => b.box));
  for (const key of keys) {
    try {
      const mine = all.filter((b) => b.key === key).map((b) => b.padded!);
      out.set(key, await render(raw.data, { width, height, channels }, mine, all.filter((b) => b.key !== key).map((b) => b.padded!)));
    } catch {
      // No thumbnail for this one; the report says so.
    }
  }
  return out;
}

/** Scales (and, for tall pictures, crops around `mine`) the masked pixels, outlines the boxes, encodes a PNG data URI. */
async function render(masked: Buffer, info: { width: number; height: number; channels: number }, mine: Box[], others: Box[]): Promise<string> {
  const scale = Math.min(1, THUMBNAIL_MAX_WIDTH / info.width);
  let top = 0;
  let cropH = info.height;
  if (info.height * scale > THUMBNAIL_MAX_HEIGHT && mine.length > 0) {
    cropH = Math.floor(THUMBNAIL_MAX_HEIGHT / scale);
    const y0 = Math.min(...mine.map((b) => b.y));
    const y1 = Math.max(...mine.map((b) => b.y + b.height));
    top = Math.max(0, Math.min(info.height - cropH, Math.round((y0 + y1) / 2 - cropH / 2)));
  }
  const w = Math.max(1, Math.round(info.width * scale));
  const h = Math.max(1, Math.round(cropH * scale));
  const rect = (b: Box, colour: string, stroke: number) => {
    const x = (b.x * scale) - stroke / 2;
    const y = ((b.y - top) * scale) - stroke / 2;
    return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(b.width * scale + stroke).toFixed(1)}" height="${(b.height * scale + stroke).toFixed(1)}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>`;
  };
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${others.map((b) => rect(b, OTHER_OUTLINE, 2)).join('')}${mine.map((b) => rect(b, OUTLINE, 3)).join('')}</svg>`;
  let img = sharp(masked, { raw: { width: info.width, height: info.height, channels: info.channels as 1 | 2 | 3 | 4 } });
  if (cropH !== info.height) img = img.extract({ left: 0, top, width: info.width, height: cropH });
  const png = await img
    .resize({ width: w, height: h, fit: 'fill' })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .png({ compressionLevel: 9, palette: true })
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}
