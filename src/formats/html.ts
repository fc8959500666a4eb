// HTML and Markdown that carry pictures inline as data URIs (`<img src="data:image/png;base64,...">`,
// `![shot](data:image/png;base64,...)`, CSS `url(data:image/...)`). The document itself is one
// text part with no entry, so keys in its text are reported at their usual line and column;
// each picture is decoded into an image part for OCR, named by its MIME type
// (`data-uri-1.png`) and placed by its line (`data URI #1 (line 12)`).
import { lineIndexOf, lineStarts } from '../detect/locate.js';
import { IMAGE_EXTENSIONS } from './kinds.js';
import { formatBytes } from '../units.js';
import type { ContainerLimits, FormatReader, Part, PartSkip, ReadResult } from './types.js';

const EXTENSIONS: Record<string, string> = {
  png: '.png',
  apng: '.png',
  jpeg: '.jpg',
  jpg: '.jpg',
  pjpeg: '.jpg',
  gif: '.gif',
  webp: '.webp',
  bmp: '.bmp',
  'x-ms-bmp': '.bmp',
  tiff: '.tif',
  'svg+xml': '.svg',
  avif: '.avif',
  'x-icon': '.ico',
  'vnd.microsoft.icon': '.ico',
};

/**
 * `data:image/<type>[;param=value...];base64,` — the payload is read after it by readPayload.
 * No part of the header may hold a ':', so a match tried at one `data:` never runs past the
 * next one: text of many `data:image/x;a=` without `;base64,` is scanned in linear time.
 */
const DATA_URI = /data:image\/([a-z0-9.+-]+)((?:;[a-z0-9_.+-]+=[^;,:\s"'()]*)*);base64,/gi;
const BASE64_CHAR = /[A-Za-z0-9+/=_-]/;
/** A payload line at least this long that ends at a line break is taken as wrapped (CSS, HTML, MIME). */
const WRAPPED_LINE = 60;

/**
 * The payload from `start`: base64 characters, continued over line breaks only where
 * a long line ends at the break (a wrapped URI), so the text after a short URI is
 * never taken for more data.
 */
function readPayload(text: string, start: number): { payload: string; end: number } {
  let i = start;
  let lineStart = start;
  for (;;) {
    while (i < text.length && BASE64_CHAR.test(text[i]!)) i++;
    if (i - lineStart < WRAPPED_LINE) break;
    const wrap = /^\\?\r?\n[ \t]*/.exec(text.slice(i, i + 80));
    if (!wrap || !BASE64_CHAR.test(text[i + wrap[0].length] ?? '')) break;
    i += wrap[0].length;
    lineStart = i;
  }
  return { payload: text.slice(start, i), end: i };
}

/** Characters that may follow a data URI: quotes, brackets, whitespace, markup, the end. */
const ENDS_URI = /^(?:$|["'()\s<>,;{}[\]&\\`|]|%22|%27)/;

/** The decoded payload, or why it is not valid base64. */
function decodeBase64(payload: string): Buffer | string {
  // Wrapped lines (and backslash-newline continuations in CSS) are not part of the data.
  const clean = payload.replace(/\\\r?\n|\s+/g, '');
  if (clean === '') return 'empty data URI';
  if (/[^A-Za-z0-9+/=_-]/.test(clean)) return 'invalid base64 characters';
  // Not /=+$/: tried at each '=' of a long run that does not end the text, it is quadratic.
  let bodyEnd = clean.length;
  while (bodyEnd > 0 && clean[bodyEnd - 1] === '=') bodyEnd--;
  const body = clean.slice(0, bodyEnd);
  if (body.includes('=')) return "invalid base64 ('=' inside the data)";
  if (clean.length - body.length > 2 || body.length % 4 === 1) return 'invalid base64 length (cut short?)';
  const urlSafe = /[-_]/.test(body);
  if (urlSafe && /[+/]/.test(body)) return 'invalid base64 (mixed alphabets)';
  return Buffer.from(body, urlSafe ? 'base64url' : 'base64');
}

export const htmlReader: FormatReader = {
  async read(data: Buffer, name: string, limits: ContainerLimits): Promise<ReadResult> {
    const parts: Part[] = [{ name, data, kind: 'text' }];
    const skipped: PartSkip[] = [];
    try {
      const text = data.toString('utf8');
      let starts: number[] | null = null;
      let count = 0;
      let total = 0;
      DATA_URI.lastIndex = 0;
      for (let m = DATA_URI.exec(text); m; m = DATA_URI.exec(text)) {
        count++;
        const { payload, end } = readPayload(text, m.index + m[0].length);
        DATA_URI.lastIndex = end;
        starts ??= lineStarts(text);
        const line = lineIndexOf(starts, m.index) + 1;
        const entry = `data URI #${count} (line ${line})`;
        if (count > limits.maxEntries) {
          skipped.push({ entry, reason: `more than ${limits.maxEntries} data URIs: the rest not read` });
          break;
        }
        const mime = m[1]!.toLowerCase();
        const after = text.slice(end, end + 3);
        if (!ENDS_URI.test(after)) {
          // No browser draws a data URI it cannot decode either: no picture there to read.
          skipped.push({ entry, reason: `invalid base64 in data:image/${mime} (unexpected ${JSON.stringify(after[0])}): not read`, unreadContent: false });
          continue;
        }
        const decoded = decodeBase64(payload);
        if (typeof decoded === 'string') {
          skipped.push({ entry, reason: `${decoded} in data:image/${mime}: not read`, unreadContent: false });
          continue;
        }
        if (decoded.length > limits.maxEntryBytes) {
          skipped.push({ entry, reason: `${formatBytes(decoded.length)}, over the ${formatBytes(limits.maxEntryBytes)} limit per entry: not read` });
          continue;
        }
        if (total + decoded.length > limits.maxTotalBytes) {
          skipped.push({ entry, reason: `the data URIs add up to more than ${formatBytes(limits.maxTotalBytes)}: the rest not read` });
          break;
        }
        total += decoded.length;
        const ext = EXTENSIONS[mime] ?? `.${mime.replace(/[^a-z0-9]/g, '') || 'bin'}`;
        // Raster pictures go to OCR; others (SVG, icons) are read by their name, as any file.
        const kind = IMAGE_EXTENSIONS.has(ext) ? 'image' : 'auto';
        parts.push({ name: `data-uri-${count}${ext}`, entry, data: decoded, kind });
      }
    } catch (err) {
      skipped.push({ reason: `data URIs not read: ${err instanceof Error ? err.message : String(err)}` });
    }
    return { parts, skipped };
  },
};
