// A picture's size from its header alone. Reading it costs microseconds, while
// loading the image decoder and the OCR engine costs a quarter of a second or more:
// a damaged header, an icon too small to hold a key or a picture too large to
// decode is told apart here, before either is loaded.
import { crc32 } from '../detect/checksum.js';
import { imageFormat } from './kinds.js';

/** Below this a 40-character key cannot be drawn legibly. */
export const MIN_WIDTH = 40;
export const MIN_HEIGHT = 10;
/** Above this decoding alone would take seconds and hundreds of MB. */
export const MAX_PIXELS = 40_000_000;

export type HeaderSize = { width: number; height: number } | { defect: string };

export const TOO_SMALL = 'too small to hold a readable key';
/** Said by the OCR pipeline of a picture with nothing drawn on a background: it cannot show a key either. */
export const NO_TEXT = 'no text (nothing in it is drawn on a background: noise or grain)';

/** Why a picture of this size is not read, or null when it is worth reading. */
export function sizeProblem(width: number, height: number): string | null {
  if (width * height > MAX_PIXELS) return `too large (${width}x${height}, over ${MAX_PIXELS / 1e6} megapixels)`;
  if (width < MIN_WIDTH || height < MIN_HEIGHT) return TOO_SMALL;
  return null;
}

/** The first chunk must be a 13-byte IHDR whose CRC holds: random bytes behind the signature fail here. */
function pngSize(d: Buffer): HeaderSize {
  if (d.length < 33 || d.readUInt32BE(8) !== 13 || d.toString('latin1', 12, 16) !== 'IHDR') return { defect: 'corrupt image (no PNG header chunk)' };
  if (crc32(d.toString('latin1', 12, 29)) !== d.readUInt32BE(29)) return { defect: 'corrupt image (PNG header checksum fails)' };
  return { width: d.readUInt32BE(16), height: d.readUInt32BE(20) };
}

/** Start-of-frame markers: C0..CF except C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding). */
const isStartOfFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/**
 * Walks the marker segments up to the frame header. Bytes between segments are
 * skipped as libjpeg skips them (with a warning, still decoding the picture), so
 * only a file with no frame header at all is called damaged here.
 */
function jpegSize(d: Buffer): HeaderSize {
  let at = 2;
  while (at + 4 <= d.length) {
    if (d[at] !== 0xff) {
      at = d.indexOf(0xff, at);
      if (at === -1) break;
      continue;
    }
    const marker = d[at + 1]!;
    // Fill bytes and markers that carry no length.
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break;
    const length = d.readUInt16BE(at + 2);
    if (length < 2) break;
    if (isStartOfFrame(marker)) {
      if (at + 9 > d.length) break;
      return { width: d.readUInt16BE(at + 7), height: d.readUInt16BE(at + 5) };
    }
    at += 2 + length;
  }
  return { defect: 'corrupt image (no JPEG frame header)' };
}

function webpSize(d: Buffer): HeaderSize | null {
  const chunk = d.toString('latin1', 12, 16);
  if (chunk === 'VP8 ' && d.length >= 30) return { width: d.readUInt16LE(26) & 0x3fff, height: d.readUInt16LE(28) & 0x3fff };
  if (chunk === 'VP8L' && d.length >= 25) {
    const bits = d.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X' && d.length >= 30) return { width: d.readUIntLE(24, 3) + 1, height: d.readUIntLE(27, 3) + 1 };
  return null;
}

/**
 * The size a picture's header gives; a defect when the header is damaged; null
 * when the format's header is not read here (TIFF, odd WebP), so the decoder decides.
 */
export function headerSize(d: Buffer): HeaderSize | null {
  if (d.length === 0) return { defect: 'empty file' };
  switch (imageFormat(d)) {
    case 'png':
      return pngSize(d);
    case 'jpeg':
      return jpegSize(d);
    case 'gif':
      return d.length >= 10 ? { width: d.readUInt16LE(6), height: d.readUInt16LE(8) } : null;
    case 'webp':
      return webpSize(d);
    case 'bmp':
      return d.length >= 26 ? { width: Math.abs(d.readInt32LE(18)), height: Math.abs(d.readInt32LE(22)) } : null;
    default:
      return null;
  }
}

/**
 * sharp's prebuilt libvips decodes HEIF pictures coded in AV1 (AVIF) but has no
 * HEVC decoder (patent-encumbered), which HEIC pictures (iPhone photos) need.
 */
const HEIC_NOT_READ = 'HEIC picture (HEVC-coded), which the image decoder (sharp\'s prebuilt libvips) cannot decode; its bytes were searched as text';

/**
 * Whether a picture refused for this problem could still show a key: one too large to
 * decode could, and so could a HEIC photo; one too small or with a header no viewer can draw could not.
 */
export function couldShowKey(problem: string): boolean {
  return problem.startsWith('too large') || problem === HEIC_NOT_READ;
}

/** Why a picture is not worth decoding, judged from its header alone; null when the decoder should look. */
export function headerProblem(d: Buffer): string | null {
  if (imageFormat(d) === 'heic') return HEIC_NOT_READ;
  const size = headerSize(d);
  if (size === null) return null;
  if ('defect' in size) return size.defect;
  if (!size.width || !size.height) return 'corrupt image (zero width or height in its header)';
  return sizeProblem(size.width, size.height);
}
