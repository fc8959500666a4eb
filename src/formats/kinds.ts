// What a file is, from its name and first bytes: cheap checks that decide which
// reader it needs without loading any reader.
import { basename } from 'node:path';

/**
 * A name's extension in lower case, `` for none: what `extname` says (a name's leading dot,
 * `.bashrc`, starts none) for every extension the kinds list. Asked of every file a walk
 * lists, twice: `extname` and a lower-cased copy of it cost a tree's main thread 50 ms.
 */
function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > name.lastIndexOf('/') + 1 ? name.slice(dot).toLowerCase() : '';
}

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.bmp', '.gif', '.tif', '.tiff', '.avif', '.heic', '.heif']);

export function isImagePath(path: string): boolean {
  return IMAGE_EXTENSIONS.has(extensionOf(path));
}

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'tiff' | 'avif' | 'heic';

const at = (d: Buffer, offset: number, ascii: string) => d.length >= offset + ascii.length && d.toString('latin1', offset, offset + ascii.length) === ascii;

/** HEIF brands of HEVC-coded pictures (ISO/IEC 23008-12); AVIF's are `avif` and `avis`. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);

/**
 * AVIF or HEIC from the `ftyp` box's brands: the major one, then the compatible
 * ones (a HEIF picture may say only `mif1` first). Any AVIF brand wins: AV1 decodes.
 */
function heifFormat(d: Buffer): 'avif' | 'heic' | null {
  const size = d.readUInt32BE(0);
  if (size < 16 || size > 4096 || size > d.length || !at(d, 4, 'ftyp')) return null;
  const brands: string[] = [d.toString('latin1', 8, 12)];
  for (let i = 16; i + 4 <= size; i += 4) brands.push(d.toString('latin1', i, i + 4));
  if (brands.some((b) => b === 'avif' || b === 'avis')) return 'avif';
  return brands.some((b) => HEIC_BRANDS.has(b)) ? 'heic' : null;
}

/**
 * A picture's format from its first bytes, or null. Every file's content is asked
 * (a screenshot saved as `.dat`, a history blob with no name yet), so the first
 * byte is compared before any string is made: text files cost one comparison.
 */
export function imageFormat(d: Buffer): ImageFormat | null {
  switch (d[0]) {
    case 0x89:
      return at(d, 1, 'PNG') ? 'png' : null;
    case 0xff:
      return d[1] === 0xd8 && d[2] === 0xff ? 'jpeg' : null;
    case 0x47:
      return at(d, 0, 'GIF8') ? 'gif' : null;
    case 0x52:
      return at(d, 0, 'RIFF') && at(d, 8, 'WEBP') ? 'webp' : null;
    case 0x42:
      return d[1] === 0x4d && d.length >= 6 && d.readUInt32LE(2) === d.length ? 'bmp' : null;
    case 0x49:
      return at(d, 0, 'II*\x00') ? 'tiff' : null;
    case 0x4d:
      return at(d, 0, 'MM\x00*') ? 'tiff' : null;
    case 0x00:
      return d.length >= 16 ? heifFormat(d) : null;
    default:
      return null;
  }
}

export function isImageData(data: Buffer): boolean {
  return imageFormat(data) !== null;
}

export const PNG_TEXT_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt']);

export interface PngChunk {
  type: string;
  body: Buffer;
}

/** A chunk type's four letters as the big-endian number they are in the file. */
const chunkType = (ascii: string) => Buffer.from(ascii, 'latin1').readUInt32BE(0);
const [TEXT, ZTEXT, ITEXT, END] = ['tEXt', 'zTXt', 'iTXt', 'IEND'].map(chunkType);

/**
 * Where the first text chunk of a PNG at or after the chunk at `at` starts, or -1: none
 * before IEND or where the file stops making sense. CRCs are not checked: text is text.
 * Every PNG of a tree is asked: types are compared as numbers, no string or object made.
 */
function nextTextChunk(d: Buffer, at: number): number {
  while (at + 12 <= d.length) {
    const end = at + 8 + d.readUInt32BE(at);
    if (end + 4 > d.length) return -1;
    const type = d.readUInt32BE(at + 4);
    if (type === TEXT || type === ZTEXT || type === ITEXT) return at;
    if (type === END) return -1;
    at = end + 4;
  }
  return -1;
}

/** A PNG's text chunks (tEXt, zTXt, iTXt), in order. */
export function pngTextChunks(d: Buffer): PngChunk[] {
  const chunks: PngChunk[] = [];
  for (let at = nextTextChunk(d, 8); at !== -1; ) {
    const end = at + 8 + d.readUInt32BE(at);
    chunks.push({ type: d.toString('latin1', at + 4, at + 8), body: d.subarray(at + 8, end) });
    at = nextTextChunk(d, end + 4);
  }
  return chunks;
}

/** A finding's entry naming a text chunk of the picture itself (`zTXt:Comment`), not a part of a container. */
export function isPngTextEntry(entry: string): boolean {
  return entry[4] === ':' && PNG_TEXT_CHUNKS.has(entry.slice(0, 4)) && !entry.includes('!');
}

/** A PNG with text chunks: read by the content scanner, which searches each chunk's text (deflated ones inflated). Only chunk headers are read. */
export function hasPngText(d: Buffer): boolean {
  return imageFormat(d) === 'png' && nextTextChunk(d, 8) !== -1;
}

export type ReaderKind = 'zip' | 'tar' | 'gzip' | 'office' | 'pdf' | 'video' | 'html';

const BY_EXTENSION: Record<string, ReaderKind> = {
  '.zip': 'zip',
  '.jar': 'zip',
  '.war': 'zip',
  '.apk': 'zip',
  '.whl': 'zip',
  '.nupkg': 'zip',
  '.epub': 'zip',
  '.tar': 'tar',
  '.tgz': 'gzip',
  '.gz': 'gzip',
  '.docx': 'office',
  '.docm': 'office',
  '.dotx': 'office',
  '.xlsm': 'office',
  '.pptm': 'office',
  '.ppsx': 'office',
  '.ott': 'office',
  '.ots': 'office',
  '.odg': 'office',
  '.pptx': 'office',
  '.xlsx': 'office',
  '.odt': 'office',
  '.odp': 'office',
  '.ods': 'office',
  '.pdf': 'pdf',
  '.mp4': 'video',
  '.m4v': 'video',
  '.mov': 'video',
  '.webm': 'video',
  '.html': 'html',
  '.htm': 'html',
  '.md': 'html',
  '.markdown': 'html',
};

const isZip = (d: Buffer) => d.length >= 4 && d[0] === 0x50 && d[1] === 0x4b && (d[2] === 0x03 || d[2] === 0x05);
const isGzip = (d: Buffer) => d.length >= 2 && d[0] === 0x1f && d[1] === 0x8b;
/** PDF readers accept the header anywhere in the first kilobyte. */
const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
// Every file is asked: memchr for each `%` in its first kilobyte (a byte needle; a Buffer one sets up a
// string search per call), the rest compared where one is. A loop over every byte cost four times more.
const isPdf = (d: Buffer) => {
  const head = d.length > 1024 ? d.subarray(0, 1024) : d;
  const end = head.length - PDF_MAGIC.length;
  for (let i = head.indexOf(0x25); i !== -1 && i <= end; i = head.indexOf(0x25, i + 1)) {
    if (d[i + 1] === 0x50 && d[i + 2] === 0x44 && d[i + 3] === 0x46 && d[i + 4] === 0x2d) return true;
  }
  return false;
};
// Every file is asked: the first byte is compared before any string is made.
const isUstar = (d: Buffer) => d.length >= 262 && d[257] === 0x75 && d.toString('latin1', 257, 262) === 'ustar';
/** Encrypted Office documents are OLE compound files, not zips. */
const isOle = (d: Buffer) => d.length >= 4 && d.readUInt32BE(0) === 0xd0cf11e0;
const VIDEO_BOXES = new Set(['ftyp', 'moov', 'mdat', 'wide', 'free']);
// The box name's string is made only when its first byte could start one (f, m, w).
const isVideo = (d: Buffer) =>
  (d.length >= 4 && d.readUInt32BE(0) === 0x1a45dfa3) || (d.length >= 8 && (d[4] === 0x66 || d[4] === 0x6d || d[4] === 0x77) && VIDEO_BOXES.has(d.toString('latin1', 4, 8)));

/**
 * What a kind's content must look like. A file named .pdf or .png that is not one
 * (a stub, a text file) is read as plain content, without loading the reader.
 */
const LOOKS_LIKE: Record<Exclude<ReaderKind, 'html' | 'tar'>, (d: Buffer) => boolean> = {
  zip: isZip,
  gzip: isGzip,
  pdf: isPdf,
  office: (d) => isZip(d) || isOle(d),
  video: isVideo,
};

/** Kinds whose files are recognised by their first bytes too (a zip without .zip). */
function byMagic(head: Buffer): ReaderKind | null {
  if (isZip(head)) return 'zip';
  if (isGzip(head)) return 'gzip';
  if (isPdf(head)) return 'pdf';
  if (isUstar(head)) return 'tar';
  return null;
}

/**
 * The reader a file needs, or null for plain content. HTML and Markdown need one
 * only when they embed pictures as data URIs; otherwise they are plain text.
 */
export function readerKind(name: string, head?: Buffer): ReaderKind | null {
  const byName = BY_EXTENSION[extensionOf(name)] ?? null;
  if (byName === 'html') return head && head.indexOf('data:image/') !== -1 ? 'html' : null;
  if (!head) return byName;
  if (byName && byName !== 'tar' && !LOOKS_LIKE[byName](head)) return byMagic(head);
  return byName ?? byMagic(head);
}

/**
 * What content needs besides the detector: a reader, OCR (`picture`, with `images`: a
 * picture whatever its name), its PNG text chunks read (`png-text`, without), or nothing.
 */
export function contentNeeds(name: string, data: Buffer, images: boolean): ReaderKind | 'picture' | 'png-text' | null {
  const kind = readerKind(name, data);
  if (kind !== null) return kind;
  if (images) return isImageData(data) ? 'picture' : null;
  return hasPngText(data) ? 'png-text' : null;
}

/** Whether content needs more than the detector (see contentNeeds). */
export function needsReaderFor(name: string, data: Buffer, images: boolean): boolean {
  return contentNeeds(name, data, images) !== null;
}

/** The same for content with no name (history blobs). */
export function needsReaderForData(data: Buffer, images: boolean): boolean {
  return needsReaderFor('', data, images);
}

/** Kinds a file's name alone sends to a reader (HTML needs a look inside first). */
export function readerKindByName(name: string): ReaderKind | null {
  const kind = BY_EXTENSION[extensionOf(name)] ?? null;
  return kind === 'html' ? null : kind;
}

/** A tar header: 512 bytes whose checksum adds up (any tar dialect). */
export function looksLikeTar(buf: Buffer): boolean {
  if (buf.length < 512) return false;
  if (buf.toString('latin1', 257, 262) === 'ustar') return true;
  const field = buf.toString('latin1', 148, 156).replace(/[\0 ]+$/g, '').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : buf[i]!;
  return sum === parseInt(field, 8) && buf[0] !== 0;
}

/** `logs.tar.gz` -> `logs.tar`, `x.tgz` -> `x.tar`, `app.log.gz` -> `app.log`. */
export function gunzippedName(name: string): string {
  const base = basename(name);
  if (/\.tgz$/i.test(base)) return base.slice(0, -4) + '.tar';
  if (/\.gz$/i.test(base) && base.length > 3) return base.slice(0, -3);
  return base || 'gunzipped';
}
