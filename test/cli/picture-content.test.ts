// Pictures are known by their content, not their name: a screenshot saved as
// `.dat`, `.txt` or with no extension is OCR'd like a `.png`; a HEIC is listed as
// not decoded; the text a picture's metadata carries is searched, PNG text chunks
// (deflated or not) one by one. Three OCR runs in all: one per format, the rest
// answered by the cache (keyed by the bytes, so the names still go through routing).
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { makeV2Key } from '../support/keys.js';
import { runCli, scanJson, tempDir, writeTree } from '../support/cli.js';
import { TestRepo } from '../support/git.js';
import { imageFormat } from '../../src/formats/kinds.js';
import { ftypBox, pngTextChunk, withPngChunks, type TextChunkType } from '../support/pictures.js';

const FIXTURES = resolve('test/fixtures/images');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));
const SHOT = manifest.images.find((i: any) => i.file === '000-settings-light.png');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const SHOT_KEY_SHA = sha(SHOT.keys[0].key);

const FORMATS = ['png', 'jpeg', 'avif'] as const;
const NAMES = ['shot.dat', 'shot', 'shot.txt', 'shot.bin'];

/** The fixture screenshot in each format, converted at test time. */
async function shots(): Promise<Record<(typeof FORMATS)[number], Buffer>> {
  const png = readFileSync(join(FIXTURES, SHOT.file));
  return { png, jpeg: await sharp(png).jpeg({ quality: 92 }).toBuffer(), avif: await sharp(png).avif({ quality: 80 }).toBuffer() };
}

/** A blank picture too small to OCR: only its bytes and metadata are searched. */
const icon = () => sharp({ create: { width: 16, height: 16, channels: 3, background: '#336699' } });

describe('a screenshot under any name is read as a picture', () => {
  let images: Awaited<ReturnType<typeof shots>>;
  let cache: string;
  let cold: ReturnType<typeof scanJson>;

  beforeAll(async () => {
    images = await shots();
    cache = tempDir('sfscan-cache-');
    const root = tempDir();
    writeTree(root, { 'shot.dat': images.png, shot: images.jpeg, 'shot.txt': images.avif });
    cold = scanJson([root, '--cache-dir', cache]);
  }, 180_000);

  it('PNG as .dat, JPEG with no extension, AVIF as .txt: each OCR\'d, the key found in its pixels', () => {
    expect(cold.run.code).toBe(1);
    expect(cold.report.findings.map((f) => [f.path, f.source, f.keySha256, f.confidence]).sort()).toEqual([
      ['shot', 'image', SHOT_KEY_SHA, 'high'],
      ['shot.dat', 'image', SHOT_KEY_SHA, 'high'],
      ['shot.txt', 'image', SHOT_KEY_SHA, 'high'],
    ]);
    expect(cold.report.skipped).toEqual([]);
  });

  it('every name with every format', () => {
    const root = tempDir();
    const tree: Record<string, Buffer> = {};
    for (const format of FORMATS) for (const name of NAMES) tree[`${format}/${name}`] = images[format];
    writeTree(root, tree);
    const { report } = scanJson([root, '--cache-dir', cache]);
    expect(report.findings.filter((f) => f.source === 'image' && f.keySha256 === SHOT_KEY_SHA).map((f) => f.path).sort()).toEqual(Object.keys(tree).sort());
  });

  it('--no-ocr: the same files are bytes, as before', () => {
    const root = tempDir();
    writeTree(root, { 'shot.dat': images.png, shot: images.jpeg });
    const { run, report } = scanJson([root, '--no-ocr']);
    expect([run.code, report.findings, report.skipped]).toEqual([0, [], []]);
  });

  it('staged reads a screenshot staged as .dat', () => {
    const repo = new TestRepo();
    repo.commit('init', { 'a.txt': 'x\n' });
    repo.write({ 'capture.dat': images.png });
    repo.git('add', 'capture.dat');
    const run = runCli(['staged', '--format', 'json', '--cache-dir', cache], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings[0]).toMatchObject({ source: 'image', path: 'capture.dat', keySha256: SHOT_KEY_SHA });
  });

  it('history --ocr reads a screenshot committed with no extension', () => {
    const repo = new TestRepo();
    repo.commit('init', { 'a.txt': 'x\n' });
    const added = repo.commit('add capture', { capture: images.jpeg });
    const run = runCli(['history', '--ocr', '--cache-dir', cache, '--format', 'json'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings[0]).toMatchObject({ source: 'image', path: 'capture', commit: added, keySha256: SHOT_KEY_SHA });
  });
});

describe('HEIC', () => {
  it.each(['photo.heic', 'IMG_0001'])('%s: listed as not decoded, with the reason; its bytes still searched', (name) => {
    const key = makeV2Key();
    const root = tempDir();
    writeTree(root, { [name]: Buffer.concat([ftypBox('heic', ['mif1', 'heic']), Buffer.from(`\0\0meta ${key} \0`, 'latin1'), Buffer.alloc(200)]) });
    const { run, report } = scanJson([root, '--no-cache']);
    expect(run.code).toBe(1);
    expect(report.findings.map((f) => [f.path, f.source, f.keySha256])).toEqual([[name, 'file', sha(key)]]);
    expect(report.skipped).toEqual([
      { path: name, reason: "image not read: HEIC picture (HEVC-coded), which the image decoder (sharp's prebuilt libvips) cannot decode; its bytes were searched as text", unread: true },
    ]);
  });
});

describe('text in a picture\'s metadata', () => {
  const CHUNKS: TextChunkType[] = ['tEXt', 'zTXt', 'iTXt', 'iTXt-deflated'];

  /** One PNG per chunk type, named with and without .png; the key on the text's second line. */
  async function chunkTree(): Promise<{ root: string; keys: Record<string, string> }> {
    const png = await icon().png().toBuffer();
    const root = tempDir();
    const keys: Record<string, string> = {};
    for (const type of CHUNKS) {
      for (const name of [`${type}.png`, `${type}.dat`]) {
        const key = (keys[name] = makeV2Key());
        writeTree(root, { [name]: withPngChunks(png, pngTextChunk(type, 'Comment', `Settings page\napi key: ${key}\n`)) });
      }
    }
    return { root, keys };
  }

  it.each([[[] as string[]], [['--no-ocr']]])('PNG tEXt, zTXt and iTXt: the key reported at the chunk, line and column in its text (%j)', async (flags) => {
    const { root, keys } = await chunkTree();
    const { run, report } = scanJson([root, '--no-cache', ...flags]);
    expect(run.code).toBe(1);
    const got = report.findings.map((f) => [f.path, f.entry, f.source, f.line, f.column, f.keySha256]).sort();
    const want = Object.entries(keys).map(([name, key]) => [name, `${name.split('.')[0]!.replace('-deflated', '')}:Comment`, 'document', 2, 10, sha(key)]).sort();
    expect(got).toEqual(want);
  });

  it('a zTXt key in a PNG committed with no extension: found by plain history (no OCR)', async () => {
    const key = makeV2Key();
    const repo = new TestRepo();
    repo.commit('init', { 'a.txt': 'x\n' });
    const added = repo.commit('add', { capture: withPngChunks(await icon().png().toBuffer(), pngTextChunk('zTXt', 'Comment', `key ${key}`)) });
    const run = runCli(['history', '--format', 'json'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings).toMatchObject([{ path: 'capture', entry: 'zTXt:Comment', commit: added, keySha256: sha(key) }]);
  });

  it('--write-redacted copies a picture named .dat whose zTXt holds a key, without its metadata', async () => {
    const key = makeV2Key();
    const root = tempDir();
    const out = join(tempDir('sfscan-redacted-'), 'r');
    writeTree(root, { 'capture.dat': withPngChunks(await icon().png().toBuffer(), pngTextChunk('zTXt', 'Comment', key)) });
    expect(runCli(['scan', root, '--no-cache', '--write-redacted', out]).code).toBe(1);
    expect(scanJson([out, '--no-cache']).report.findings).toEqual([]);
    expect(imageFormat(readFileSync(join(out, 'capture.dat')))).toBe('png');
  });

  it('a zTXt chunk inflating past the limit is listed as not read', async () => {
    const root = tempDir();
    writeTree(root, { 'bomb.png': withPngChunks(await icon().png().toBuffer(), pngTextChunk('zTXt', 'Comment', 'x'.repeat(2 * 1024 * 1024))) });
    const { report } = scanJson([root, '--no-cache', '--max-file-size', '1MB']);
    expect(report.skipped).toContainEqual({ path: 'bomb.png!zTXt:Comment', reason: 'inflates past 1 MiB (zip bomb?): not read', unread: true });
  });

  it('JPEG comment, EXIF ImageDescription and UserComment, XMP: plain text in the file, found in its bytes', async () => {
    const keys = { com: makeV2Key(), description: makeV2Key(), comment: makeV2Key(), xmp: makeV2Key() };
    const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>${keys.xmp}</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>`;
    const jpeg = await icon().jpeg().withExif({ IFD0: { ImageDescription: keys.description }, IFD2: { UserComment: keys.comment } }).withXmp(xmp).toBuffer();
    // A COM segment (FF FE, length, text) right after the start-of-image marker.
    const com = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from(`shot by tool ${keys.com}`, 'latin1')]);
    com.writeUInt16BE(com.length - 2, 2);
    const root = tempDir();
    writeTree(root, { shot: Buffer.concat([jpeg.subarray(0, 2), com, jpeg.subarray(2)]) });
    const { report } = scanJson([root, '--no-cache']);
    expect(report.findings.map((f) => [f.path, f.source, f.keySha256]).sort()).toEqual(Object.values(keys).map((k) => ['shot', 'file', sha(k)]).sort());
  });
});
