// Text a PNG carries besides its pixels: tEXt, zTXt and iTXt chunks (screenshot
// tools write comments, titles, window names there). zTXt and compressed iTXt are
// deflated, so a key in them is invisible to a search of the file's bytes; each
// chunk is read into a text part named after it (`zTXt:Comment`), inflated within
// the container limits. A scan thread that read a PNG searches its chunks itself
// (searchPng), so the file is not read again on the main thread.
import type { Candidate } from '../model.js';
import type { Detector } from '../detect/detector.js';
import { formatBytes } from '../units.js';
import { pngTextChunks, type PngChunk } from './kinds.js';
import type { InflateLimits, Part, ReadResult } from './types.js';

type Text = { keyword: string; data: Buffer } | { keyword: string; deflated: Buffer };

/** The keyword and the text (or its deflated bytes) of one text chunk, or null when malformed. */
function textOf({ type, body }: PngChunk): Text | null {
  const nul = body.indexOf(0);
  if (nul < 1) return null;
  const keyword = body.toString('latin1', 0, nul);
  if (type === 'tEXt') return { keyword, data: body.subarray(nul + 1) };
  if (type === 'zTXt') return { keyword, deflated: body.subarray(nul + 2) };
  // iTXt: keyword\0, compression flag, method, language tag\0, translated keyword\0, text.
  const compressed = body[nul + 1] === 1;
  const language = body.indexOf(0, nul + 3);
  const translated = language === -1 ? -1 : body.indexOf(0, language + 1);
  if (translated === -1) return null;
  const text = body.subarray(translated + 1);
  return compressed ? { keyword, deflated: text } : { keyword, data: text };
}

/** Every text chunk of a PNG as a text part; a chunk that does not inflate within the limits is skipped with the reason. */
export function readPngText(d: Buffer, limits: InflateLimits): ReadResult {
  const out: ReadResult = { parts: [], skipped: [] };
  let room = limits.maxTotalBytes;
  for (const chunk of pngTextChunks(d)) {
    const text = textOf(chunk);
    if (!text) continue;
    const entry = `${chunk.type}:${text.keyword}`;
    if ('data' in text) {
      out.parts.push(textPart(entry, text.data));
      continue;
    }
    const max = Math.min(limits.maxEntryBytes, room);
    try {
      // Loaded on first use: a scan worker loads this module, and node:zlib took ~10 ms of its start to compile.
      const { inflateSync } = process.getBuiltinModule('node:zlib');
      const data = inflateSync(text.deflated, { maxOutputLength: Math.max(1, max) });
      room -= data.length;
      out.parts.push(textPart(entry, data));
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? `inflates past ${formatBytes(max)} (zip bomb?): not read` : 'corrupt deflated text: not read';
      out.skipped.push({ entry, reason });
    }
  }
  return out;
}

export interface PngSearch {
  /** Keys in the text chunks, at their chunk (`zTXt:Comment`), then those only in the bytes. */
  found: { candidate: Candidate; entry?: string }[];
  /** Chunks not read, with the reason. */
  skipped: { entry: string; reason: string }[];
}

/**
 * A PNG's bytes and its text chunks through the detector: a key in a chunk is reported
 * there, once (a deflated chunk hides its text from the bytes, a tEXt one does not).
 */
export function searchPng(detector: Detector, data: Buffer, limits: InflateLimits): PngSearch {
  const read = readPngText(data, limits);
  // `data` may lie in the detector's chunk room (a scan thread reads there), which a search
  // of another buffer overwrites: the bytes are searched first, the chunks' text from copies.
  const texts = read.parts.map((part) => ({ entry: part.entry!, data: part.data.buffer === data.buffer ? Buffer.from(part.data) : part.data }));
  const inBytes = detector.scan(data);
  const found: PngSearch['found'] = [];
  const inChunks = new Set<string>();
  for (const text of texts) {
    for (const candidate of detector.scan(text.data)) {
      inChunks.add(candidate.key);
      found.push({ candidate, entry: text.entry });
    }
  }
  for (const candidate of inBytes) if (!inChunks.has(candidate.key)) found.push({ candidate });
  return { found, skipped: read.skipped.map((skip) => ({ entry: skip.entry!, reason: skip.reason })) };
}

function textPart(entry: string, data: Buffer): Part {
  return { name: entry, entry, data, kind: 'text' };
}
