// A PNG with text chunks, pictures not OCR'd, is searched with its chunks by the scan
// thread that read it, not read again by the main thread's readers; one too large to
// read at once still goes to them. Either way a scan reports what the content scanner
// alone reports: the same findings at the same chunk, line and column, the same chunks
// listed as not read.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import sharp from 'sharp';
import { compileRule } from '../../src/detect/rules.js';
import { loadBuiltinRules } from '../../src/detect/rule-files.js';
import { Detector } from '../../src/detect/detector.js';
import { ContentScanner } from '../../src/scan/content.js';
import { FileScanner } from '../../src/scan/read-file.js';
import { isImagePath } from '../../src/formats/kinds.js';
import { DEFAULT_LIMITS } from '../../src/formats/types.js';
import { scanJson, tempDir, writeTree } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';
import { pngChunk, pngTextChunk, withPngChunks } from '../support/pictures.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const MiB = 1024 * 1024;
/** --max-file-size for the tree: the bytes a chunk may inflate to. */
const LIMITS = { ...DEFAULT_LIMITS, maxEntryBytes: 8 * MiB };
const icon = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#336699' } }).png().toBuffer();
/** Text of at least 1 KiB around a key: chunks that size are searched by the detector's native pass, which reads them in its room. */
const long = (key: string) => `${'settings page, window title, tool name\n'.repeat(30)}api key: ${key}\n`;
const key = () => makeV2Key();
const shared = key();

const cases: Record<string, Buffer> = {
  'text.png': withPngChunks(icon, pngTextChunk('tEXt', 'Comment', `a\napi key: ${key()}\n`)),
  'deflated.dat': withPngChunks(icon, pngTextChunk('zTXt', 'Comment', `api key: ${key()}`)),
  'international.png': withPngChunks(icon, pngTextChunk('iTXt', 'Title', `ünï ${key()}`), pngTextChunk('iTXt-deflated', 'Author', `x ${key()}`)),
  // Two long chunks in the bytes that were read, then the bytes themselves searched.
  'two-long.png': withPngChunks(icon, pngTextChunk('tEXt', 'Comment', long(key())), pngTextChunk('tEXt', 'Description', long(key()))),
  'long-deflated.png': withPngChunks(icon, pngTextChunk('zTXt', 'Comment', long(key())), pngTextChunk('tEXt', 'Description', long(key()))),
  // The same key in a chunk and in a chunk the reader does not know: reported once, at the chunk.
  'same-key.png': withPngChunks(icon, pngTextChunk('tEXt', 'Comment', shared), pngChunk('prVt', Buffer.from(`private ${shared} `, 'latin1'))),
  'bytes-only.png': withPngChunks(icon, pngTextChunk('zTXt', 'Comment', 'nothing'), pngChunk('prVt', Buffer.from(`private ${key()} `, 'latin1'))),
  'bomb.png': withPngChunks(icon, pngTextChunk('zTXt', 'Bomb', 'x'.repeat(9 * MiB)), pngTextChunk('tEXt', 'Comment', key())),
  'broken.png': withPngChunks(icon, pngChunk('zTXt', Buffer.from('Broken\0\0not deflate data', 'latin1')), pngTextChunk('iTXt', 'Title', key())),
  'cut.png': withPngChunks(icon, pngTextChunk('tEXt', 'Comment', key()), pngTextChunk('tEXt', 'Description', `d ${key()}`)).subarray(0, 33 + 60),
  // Larger than the chunk a scan thread reads at once: the readers read it.
  'large.png': withPngChunks(icon, pngTextChunk('zTXt', 'Comment', key()), pngChunk('prVt', Buffer.alloc(5 * MiB, 0x2e))),
};

const detector = new Detector((await loadBuiltinRules()).map(compileRule));
const reader = new ContentScanner(detector, null, LIMITS);
const place = (f: { entry?: string; line: number; column: number }, sha256: string) => `${f.entry}:${f.line}:${f.column}:${sha256}`;

describe('PNG text chunks searched by the scan workers', () => {
  it('a scan thread searches the chunks itself, with OCR off and the limits given', () => {
    const root = tempDir();
    writeTree(root, cases);
    const scanner = (images: boolean, inflate?: typeof LIMITS) => new FileScanner(detector, { maxFileSize: 64 * MiB, ...(inflate ? { inflate } : {}) }, { images });
    const here = scanner(false, LIMITS).scan(join(root, 'two-long.png'));
    expect(here.ok && here.png?.found.map((f) => f.entry)).toEqual(['tEXt:Comment', 'tEXt:Description']);
    for (const deferred of [scanner(true, LIMITS).scan(join(root, 'text.png')), scanner(false).scan(join(root, 'text.png')), scanner(false, LIMITS).scan(join(root, 'large.png'))]) {
      expect(deferred).toMatchObject({ ok: false, deferred: true });
    }
  });

  it('report what the content scanner reports, on a tree large enough for the worker threads', async () => {
    const root = tempDir();
    const files: Record<string, Buffer> = { ...cases };
    // Enough files that the pool starts its worker threads (it scans small trees itself).
    for (let i = 0; i < 300; i++) files[`filler/${i}.txt`] = Buffer.from(`line ${i}\n`);
    writeTree(root, files);
    const { report } = scanJson([root, '--no-ocr', '--max-file-size', '8MB']);
    for (const [file, data] of Object.entries(cases)) {
      const expected = await reader.scan(file, data);
      const inFile = report.findings.filter((f) => f.path === file);
      expect(inFile.map((f) => place(f as never, f.keySha256)).sort(), file).toEqual(expected.found.map((f) => place({ ...f.candidate, entry: f.entry }, sha(f.candidate.key))).sort());
      expect(inFile.map((f) => f.source).sort(), file).toEqual(expected.found.map((f) => (f.entry ? 'document' : 'file')).sort());
      const skipped = report.skipped.filter((s) => s.path === file || s.path.startsWith(`${file}!`)).map((s) => `${s.path}: ${s.reason}: ${s.unread}`);
      // The walk lists a picture's name as not read for its pixels too.
      const byName = isImagePath(file) ? [`${file}: pixels not read (OCR is off); its bytes were searched: false`] : [];
      const want = expected.skipped.map((s) => `${s.entry ? `${file}!${s.entry}` : file}: ${s.reason}: ${s.unreadContent !== false}`);
      // Listed once, though the walk (by name) and the chunks' reader (by bytes) both find a picture.
      expect(skipped.sort(), file).toEqual([...new Set([...byName, ...want])].sort());
    }
    expect(report.findings.filter((f) => f.path === 'same-key.png').map((f) => f.entry)).toEqual(['tEXt:Comment']);
    expect(report.skipped.map((s) => s.path)).toEqual(expect.arrayContaining(['bomb.png!zTXt:Bomb', 'broken.png!zTXt:Broken']));
    expect(report.summary.files).toBe(Object.keys(files).length);
  });
});
