// What a file is, from its name and first bytes: cheap checks that decide which
// reader it needs without loading any reader.
import { extname } from 'node:path';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.bmp', '.gif', '.tif', '.tiff']);

export function isImagePath(path: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(path).toLowerCase());
}

/** Pictures recognised by their first bytes (history blobs have no name until traced to a path). */
export function isImageData(data: Buffer): boolean {
  const ascii = data.toString('latin1', 0, 12);
  const head = data;
  return (
    ascii.startsWith('\x89PNG') ||
    (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) ||
    ascii.startsWith('GIF8') ||
    (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') ||
    (ascii.startsWith('BM') && data.length >= 6 && data.readUInt32LE(2) === data.length) ||
    ascii.startsWith('II*\x00') ||
    ascii.startsWith('MM\x00*')
  );
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

/** Kinds whose files are recognised by their first bytes too (a zip without .zip). */
function byMagic(head: Buffer): ReaderKind | null {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 5 && head.toString('latin1', 0, 5) === '%PDF-') return 'pdf';
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  return null;
}

/**
 * The reader a file needs, or null for plain content. HTML and Markdown need one
 * only when they embed pictures as data URIs; otherwise they are plain text.
 */
export function readerKind(name: string, head?: Buffer): ReaderKind | null {
  const kind = BY_EXTENSION[extname(name).toLowerCase()] ?? (head ? byMagic(head) : null);
  if (kind === 'html') return head && head.indexOf('data:image/') !== -1 ? 'html' : null;
  return kind;
}

/** Kinds a file's name alone sends to a reader (HTML needs a look inside first). */
export function readerKindByName(name: string): ReaderKind | null {
  const kind = BY_EXTENSION[extname(name).toLowerCase()] ?? null;
  return kind === 'html' ? null : kind;
}
