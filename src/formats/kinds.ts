// What a file is, from its name and first bytes: cheap checks that decide which
// reader it needs without loading any reader.
import { extname } from 'node:path';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.bmp', '.gif', '.tif', '.tiff']);

export function isImagePath(path: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(path).toLowerCase());
}

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'tiff';

/** A picture's format from its first bytes, or null (history blobs have no name until traced to a path). */
export function imageFormat(data: Buffer): ImageFormat | null {
  const ascii = data.toString('latin1', 0, 12);
  if (ascii.startsWith('\x89PNG')) return 'png';
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (ascii.startsWith('GIF8')) return 'gif';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'webp';
  if (ascii.startsWith('BM') && data.length >= 6 && data.readUInt32LE(2) === data.length) return 'bmp';
  if (ascii.startsWith('II*\x00') || ascii.startsWith('MM\x00*')) return 'tiff';
  return null;
}

export function isImageData(data: Buffer): boolean {
  return imageFormat(data) !== null;
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
const isPdf = (d: Buffer) => d.subarray(0, 1024).indexOf(PDF_MAGIC) !== -1;
// Every file is asked: the first byte is compared before any string is made.
const isUstar = (d: Buffer) => d.length >= 262 && d[257] === 0x75 && d.toString('latin1', 257, 262) === 'ustar';
/** Encrypted Office documents are OLE compound files, not zips. */
const isOle = (d: Buffer) => d.length >= 4 && d.readUInt32BE(0) === 0xd0cf11e0;
const isVideo = (d: Buffer) =>
  (d.length >= 4 && d.readUInt32BE(0) === 0x1a45dfa3) || ['ftyp', 'moov', 'mdat', 'wide', 'free'].includes(d.toString('latin1', 4, 8));

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
  const byName = BY_EXTENSION[extname(name).toLowerCase()] ?? null;
  if (byName === 'html') return head && head.indexOf('data:image/') !== -1 ? 'html' : null;
  if (!head) return byName;
  if (byName && byName !== 'tar' && !LOOKS_LIKE[byName](head)) return byMagic(head);
  return byName ?? byMagic(head);
}

/** Whether content with no name needs more than the detector: a reader, or OCR (`images`). */
export function needsReaderForData(data: Buffer, images: boolean): boolean {
  return (images && isImageData(data)) || readerKind('', data) !== null;
}

/** Kinds a file's name alone sends to a reader (HTML needs a look inside first). */
export function readerKindByName(name: string): ReaderKind | null {
  const kind = BY_EXTENSION[extname(name).toLowerCase()] ?? null;
  return kind === 'html' ? null : kind;
}
