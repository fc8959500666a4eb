// Files bigger than the whole-file limit are read in overlapping chunks: a key at any
// offset, across any boundary, in any encoding, is found once at its line and column,
// whatever the length of the lines. SPREEFLO_SCAN_CHUNK_BYTES shrinks the chunks so
// the boundaries come every few hundred KB instead of every 16 MB.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { scanJson, tempDir, writeTree } from '../support/cli.js';

const CHUNK = 256 * 1024;
/** As in src/scan/read-file.ts. */
const OVERLAP = 64 * 1024;
const env = { SPREEFLO_SCAN_CHUNK_BYTES: String(CHUNK) };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** How each key is written, and how many bytes before the boundary it starts. */
const FORMS: Array<{ encoding?: string; write: (k: string) => Buffer; before: number }> = [
  { write: (k) => Buffer.from(k), before: 20 },
  { encoding: 'base64', write: (k) => Buffer.from(Buffer.from(k).toString('base64')), before: 30 },
  { encoding: 'hex', write: (k) => Buffer.from(Buffer.from(k).toString('hex')), before: 40 },
  { encoding: 'base64>base64', write: (k) => Buffer.from(Buffer.from(Buffer.from(k).toString('base64')).toString('base64')), before: 50 },
  { encoding: 'utf-16le', write: (k) => Buffer.from(k, 'utf16le'), before: 41 },
];

/** Each chunk's end, and where the next one's own part starts (half an overlap into it). */
function boundaries(size: number): number[] {
  const out: number[] = [];
  for (let start = 0; start + CHUNK < size; start += CHUNK - OVERLAP) out.push(start + CHUNK, start + CHUNK - OVERLAP / 2);
  return out.sort((a, b) => a - b);
}

interface Planted {
  key: string;
  at: number;
  encoding?: string;
}

/** Filler text (lines of `lineLength`, or one line) with keys written across every boundary. */
function bigFile(size: number, lineLength: number): { content: Buffer; planted: Planted[] } {
  const content = Buffer.alloc(size);
  const words = Buffer.from('lorem ipsum dolor sit amet, ');
  for (let i = 0; i < size; i++) content[i] = (i + 1) % lineLength === 0 ? 0x0a : words[i % words.length]!;
  const planted: Planted[] = [];
  boundaries(size).forEach((b, i) => {
    const form = FORMS[i % FORMS.length]!;
    const key = makeV2Key();
    const bytes = form.write(key);
    const at = b - form.before;
    // Spaces around: a key is delimited; a newline inside the encoded key would change it.
    content[at - 1] = 0x20;
    bytes.copy(content, at);
    content[at + bytes.length] = 0x20;
    planted.push({ key, at, ...(form.encoding ? { encoding: form.encoding } : {}) });
  });
  return { content, planted };
}

function lineAndColumn(content: Buffer, at: number): [number, number] {
  const before = content.subarray(0, at);
  let line = 1;
  for (let i = before.indexOf(0x0a); i !== -1; i = before.indexOf(0x0a, i + 1)) line++;
  return [line, at - (before.lastIndexOf(0x0a) + 1) + 1];
}

describe('scan: files bigger than a chunk', () => {
  it.each([
    ['lines longer than a chunk (one 1.5 MB line)', Number.MAX_SAFE_INTEGER],
    ['lines longer than 64 KiB', 100_000],
    ['short lines', 97],
  ])('%s: every key across every boundary, once, at its line and column', (_name, lineLength) => {
    const root = tempDir();
    const { content, planted } = bigFile(1_500_000, lineLength);
    writeTree(root, { 'dump.sql': content });
    const { run, report } = scanJson([root], { env });
    expect(run.code).toBe(1);
    expect(report.skipped).toEqual([]);
    const found = report.findings.map((f) => [f.keySha256, f.line, f.encoding === 'utf-16le' ? 0 : f.column, f.encoding]);
    const expected = planted.map((p) => {
      const [line, column] = lineAndColumn(content, p.at);
      return [sha(p.key), line, p.encoding === 'utf-16le' ? 0 : column, p.encoding];
    });
    expect(found.sort()).toEqual(expected.sort());
  });

  it.each([
    ['ASCII', 'lorem ipsum dolor sit amet, '],
    ['UTF-8 of two and three bytes', 'lörem ïpsum dolor sit ämet € '],
  ])('one line over many chunks, %s: each key at its column in characters', (_name, words) => {
    const root = tempDir();
    const parts: string[] = [];
    const planted: Array<[string, number, number]> = [];
    let characters = 0;
    for (let bytes = 0; bytes < 1_200_000; ) {
      const piece = planted.length < 40 && parts.length % 2000 === 1999 ? ` ${makeV2Key()} ` : words;
      if (piece !== words) planted.push([sha(piece.trim()), 1, characters + 2]);
      parts.push(piece);
      characters += [...piece].length;
      bytes += Buffer.byteLength(piece);
    }
    writeTree(root, { 'one-line.txt': `${parts.join('')}\n` });
    const { report } = scanJson([root], { env });
    expect(report.findings.map((f) => [f.keySha256, f.line, f.column]).sort()).toEqual(planted.sort());
  });

  it.each([
    ['short lines', 'lorem ipsum dolor sit amet,\n'],
    // Characters of two bytes, keys padded to an even length: no chunk starts inside a character.
    ['one UTF-8 line', 'éèàü'],
    // Seven bytes a word: the first key's chunk starts (at 5 x 192 KiB) inside a `€`.
    ['one UTF-8 line, a chunk starting inside a character', 'a€€'],
  ])('keys only in late chunks, after chunks with none (%s): lines counted from the file read again, at their line and column', (_name, words) => {
    const root = tempDir();
    const filler = (bytes: number) => words.repeat(Math.ceil(bytes / Buffer.byteLength(words)));
    const keys = [makeV2Key(), makeV2Key()];
    const piece = (key: string) => ` ${key} ${key.length % 2 ? ' ' : ''}`;
    // The first key in the fifth chunk, the second two chunks later.
    const pieces = [filler(4 * CHUNK), piece(keys[0]!), filler(2 * CHUNK), piece(keys[1]!), filler(CHUNK)];
    writeTree(root, { 'late.txt': pieces.join('') });
    const where = (i: number) => {
      const before = pieces.slice(0, 2 * i + 1).join('') + ' ';
      const lines = before.split('\n');
      return [sha(keys[i]!), lines.length, [...lines.at(-1)!].length + 1];
    };
    const { report } = scanJson([root], { env });
    expect(report.findings.map((f) => [f.keySha256, f.line, f.column])).toEqual([where(0), where(1)]);
  });

  it('one base64 blob over many chunks: keys encoded across every boundary, each once', () => {
    const root = tempDir();
    const text = Buffer.alloc(1_200_000);
    const words = Buffer.from('lorem ipsum dolor sit amet, ');
    for (let i = 0; i < text.length; i++) text[i] = words[i % words.length]!;
    const blobSize = Math.ceil(text.length / 3) * 4;
    const planted = boundaries(blobSize).map((b) => {
      const key = makeV2Key();
      // The key's bytes start in the quartet 20 characters before the boundary.
      const at = Math.floor(((b - 20) * 3) / 4);
      text[at - 1] = 0x20;
      text.write(key, at, 'latin1');
      text[at + key.length] = 0x20;
      return [sha(key), 1, Math.floor(at / 3) * 4 + 1, 'base64'];
    });
    writeTree(root, { 'blob.b64': text.toString('base64') });
    const { report } = scanJson([root], { env });
    expect(report.findings.map((f) => [f.keySha256, f.line, f.column, f.encoding]).sort()).toEqual(planted.sort());
  });

  it('a file of random words and base64 over many chunks gives nothing', () => {
    const root = tempDir();
    const parts: string[] = [];
    for (let i = 0, size = 0; size < 1_200_000; i++) {
      parts.push(i % 3 ? `row ${i}, ${Buffer.from(`value-${i * 7919}`).toString('base64')}\n` : createHash('sha512').update(String(i)).digest('base64'));
      size += parts.at(-1)!.length;
    }
    writeTree(root, { 'export.jsonl': parts.join('') });
    const { run, report } = scanJson([join(root, 'export.jsonl')], { env });
    expect(run.code).toBe(0);
    expect(report.findings).toEqual([]);
  });
});
