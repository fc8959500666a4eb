// PDFs: page text (keys drawn in pieces come out whole), embedded pictures read by
// OCR, link targets, attachments, and clear skips for what cannot be opened.
// The PDFs are written here by hand, so every run uses fresh keys.
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { makePdfReader, pdfReader, joinTextItems, wrappedRuns } from '../../src/formats/pdf.js';
import { DEFAULT_LIMITS, type ReadResult } from '../../src/formats/types.js';
import { makeV2Key } from '../support/keys.js';
import { scanJson, tempDir, writeTree } from '../support/cli.js';

const IMAGES = resolve('test/fixtures/images');
const MEDIA = resolve('test/fixtures/media');
const manifest = JSON.parse(readFileSync(join(IMAGES, 'manifest.json'), 'utf8'));
const SHOT = manifest.images.find((i: any) => i.file === '000-settings-light.png');
const SHOT_KEY: string = SHOT.keys[0].key;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

// ---- a minimal PDF writer -------------------------------------------------

interface PdfImage {
  name: string;
  width: number;
  height: number;
  /** 8-bit RGB, row by row. */
  rgb: Buffer;
}

interface PdfPageSpec {
  /** Content stream operators; fonts: /F1 Helvetica, /F2 Courier. */
  content: string;
  images?: PdfImage[];
  /** Link annotations (URI actions). */
  links?: string[];
  /** The content stream as written, encoded: its filter chain and bytes (instead of `content`). */
  encoded?: { filter: string; data: Buffer; lengthRef?: boolean };
}

interface PdfSpec {
  pages: PdfPageSpec[];
  attachments?: { name: string; data: string }[];
  title?: string;
  /** A standard security handler whose user password is not empty; 'open': AES-256 (revision 5) with an empty user password, which opens. */
  encrypted?: boolean | 'open';
}

const str = (s: string) => `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;

function buildPdf(spec: PdfSpec): Buffer {
  const objects: (string | Buffer)[] = [];
  const add = (body: string | Buffer): number => objects.push(body);
  const fileKey = randomBytes(32);
  const sealed = (data: Buffer): Buffer => {
    if (spec.encrypted !== 'open') return data;
    const iv = randomBytes(16);
    const c = createCipheriv('aes-256-cbc', fileKey, iv);
    return Buffer.concat([iv, c.update(data), c.final()]);
  };
  /** `lengthRef`: /Length is a reference to an object holding it, as pdfTeX writes. */
  const stream = (dict: string, plain: Buffer, lengthRef = false): Buffer => {
    const data = sealed(plain);
    const length = lengthRef ? `${add(String(data.length))} 0 R` : data.length;
    return Buffer.concat([Buffer.from(`<< ${dict} /Length ${length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);
  };

  const catalog = add('');
  const pages = add('');
  const helvetica = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const courier = add('<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>');
  const kids: number[] = [];
  for (const p of spec.pages) {
    const xobjects = (p.images ?? []).map((img) => {
      const id = add(stream(`/Type /XObject /Subtype /Image /Width ${img.width} /Height ${img.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode`, deflateSync(img.rgb)));
      return `/${img.name} ${id} 0 R`;
    });
    const contents = add(p.encoded ? stream(`/Filter ${p.encoded.filter}`, p.encoded.data, p.encoded.lengthRef) : stream('', Buffer.from(p.content, 'latin1')));
    const annots = (p.links ?? []).map((uri, i) => add(`<< /Type /Annot /Subtype /Link /Rect [10 ${10 + i * 20} 200 ${25 + i * 20}] /Border [0 0 0] /A << /S /URI /URI ${str(uri)} >> >>`));
    kids.push(
      add(
        `<< /Type /Page /Parent ${pages} 0 R /MediaBox [0 0 900 700] /Contents ${contents} 0 R ` +
          `/Resources << /Font << /F1 ${helvetica} 0 R /F2 ${courier} 0 R >> /XObject << ${xobjects.join(' ')} >> >>` +
          (annots.length ? ` /Annots [${annots.map((a) => `${a} 0 R`).join(' ')}]` : '') +
          ' >>',
      ),
    );
  }
  objects[pages - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  const files = (spec.attachments ?? []).map((a) => {
    const ef = add(stream('/Type /EmbeddedFile', Buffer.from(a.data, 'utf8')));
    return `${str(a.name)} ${add(`<< /Type /Filespec /F ${str(a.name)} /UF ${str(a.name)} /EF << /F ${ef} 0 R >> >>`)} 0 R`;
  });
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pages} 0 R${files.length ? ` /Names << /EmbeddedFiles << /Names [${files.join(' ')}] >> >>` : ''} >>`;
  const info = spec.title ? add(`<< /Title ${str(spec.title)} /Producer (hand-written test PDF) >>`) : 0;
  const encrypt =
    spec.encrypted === 'open'
      ? add(openAes256(fileKey))
      : spec.encrypted
    ? add(`<< /Filter /Standard /V 1 /R 2 /O <${randomBytes(32).toString('hex')}> /U <${randomBytes(32).toString('hex')}> /P -4 >>`)
    : 0;

  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    const bytes = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), Buffer.from('\nendobj\n', 'latin1')]);
    offsets.push(offset);
    offset += bytes.length;
    chunks.push(bytes);
  });
  const id = randomBytes(16).toString('hex');
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R${info ? ` /Info ${info} 0 R` : ''}${encrypt ? ` /Encrypt ${encrypt} 0 R` : ''} /ID [<${id}> <${id}>] >>\nstartxref\n${offset}\n%%EOF\n`;
  chunks.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(chunks);
}

/** An AES-256 (revision 5) encryption dictionary whose user password is empty. */
function openAes256(fileKey: Buffer): string {
  const [check, salt] = [randomBytes(8), randomBytes(8)];
  const u = Buffer.concat([createHash('sha256').update(check).digest(), check, salt]);
  const wrap = createCipheriv('aes-256-cbc', createHash('sha256').update(salt).digest(), Buffer.alloc(16)).setAutoPadding(false);
  const ue = Buffer.concat([wrap.update(fileKey), wrap.final()]);
  const hex = (b: Buffer) => `<${b.toString('hex')}>`;
  return (
    `<< /Filter /Standard /V 5 /R 5 /Length 256 /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF ` +
    `/O ${hex(randomBytes(48))} /U ${hex(u)} /OE ${hex(randomBytes(32))} /UE ${hex(ue)} /P -4 /Perms ${hex(randomBytes(16))} >>`
  );
}

async function rgbOf(file: string): Promise<PdfImage> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { name: 'Im1', width: info.width, height: info.height, rgb: data };
}

/** Courier is monospaced (600/1000 em): pieces placed by hand land exactly where the previous one ended. */
const courierX = (x: number, size: number, chars: number) => (x + (chars * 600 * size) / 1000).toFixed(3);

/** A page whose key is drawn as five text items: Tj, Tj, a TJ array with kerning, and a separately placed run. */
function splitKeyPage(key: string, wrappedKey: string): string {
  const [a, b, c, d, e] = [key.slice(0, 9), key.slice(9, 17), key.slice(17, 25), key.slice(25, 31), key.slice(31)];
  return [
    'BT /F1 18 Tf 72 640 Td (Integration settings) Tj ET',
    'BT /F1 11 Tf 72 600 Td (Use this key for the sandbox:) Tj ET',
    `BT /F2 10 Tf 72 580 Td ${str(a!)} Tj ${str(b!)} Tj [${str(c!)} -0.5 ${str(d!)}] TJ ET`,
    `BT /F2 10 Tf ${courierX(72, 10, 31)} 580 Td ${str(e!)} Tj ET`,
    `BT /F1 11 Tf ${courierX(72, 10, 40 + 1)} 580 Td (\\(expires in 30 days\\)) Tj ET`,
    // A narrow table cell: the key wraps over three lines.
    `BT /F2 9 Tf 72 520 Td 11 TL ${str(wrappedKey.slice(0, 14))} Tj T* ${str(wrappedKey.slice(14, 28))} Tj T* ${str(wrappedKey.slice(28))} Tj ET`,
    'BT /F1 11 Tf 72 470 Td (Next section) Tj ET',
  ].join('\n');
}

// ---- streams that expand: encoders for the filters a bomb can use -------------

/** RunLengthDecode: each 2 bytes become 128 spaces. */
const runLengthSpaces = (n: number) => Buffer.concat([Buffer.alloc(Math.ceil(n / 128) * 2, Buffer.from([129, 0x20])), Buffer.from([128])]);

/** LZWDecode (EarlyChange 1) of a run of spaces: codes 32, 258, 259, … spell ever longer runs; a clear code restarts the table. */
function lzwSpaces(n: number): Buffer {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  let next = 258;
  const put = (code: number): void => {
    const w = next + 1 >= 2048 ? 12 : next + 1 >= 1024 ? 11 : next + 1 >= 512 ? 10 : 9;
    acc = (acc << w) | code;
    bits += w;
    while (bits >= 8) out.push((acc >> (bits -= 8)) & 255);
    acc &= (1 << bits) - 1;
  };
  for (let made = 0; made < n; ) {
    put(32);
    made++;
    for (let code = 258; code < 4000 && made < n; code++) {
      put(code);
      made += code - 256;
      next = code + 1;
    }
    put(256);
    next = 258;
  }
  put(257);
  if (bits > 0) out.push((acc << (8 - bits)) & 255);
  return Buffer.from(out);
}

const ascii85 = (data: Buffer): Buffer => {
  let s = '';
  for (let i = 0; i < data.length; i += 4) {
    const group = Buffer.concat([data.subarray(i, i + 4), Buffer.alloc(4)]).subarray(0, 4);
    let v = group.readUInt32BE(0);
    const digits: string[] = [];
    for (let k = 0; k < 5; k++, v = Math.floor(v / 85)) digits.unshift(String.fromCharCode(33 + (v % 85)));
    s += digits.join('').slice(0, Math.min(4, data.length - i) + 1);
  }
  return Buffer.from(s + '~>', 'latin1');
};

const read = (pdf: Buffer, limits = DEFAULT_LIMITS): Promise<ReadResult> => pdfReader.read(pdf, 'doc.pdf', limits);
const texts = (r: ReadResult) => r.parts.filter((p) => p.kind === 'text').map((p) => p.data.toString('utf8')).join('\n');

// ---- the reader -----------------------------------------------------------

describe('pdfReader', () => {
  it('loads pdf.js without @napi-rs/canvas, which it asks for but only renders with, as users have it', async () => {
    const requireHere = createRequire(import.meta.url);
    // Installed here with pdfjs-dist (a devDependency); users' installs do not have it.
    expect(() => requireHere.resolve('@napi-rs/canvas')).not.toThrow();
    const key = makeV2Key();
    const r = await read(buildPdf({ pages: [{ content: `BT /F1 12 Tf 72 700 Td (KEY=${key}) Tj ET` }] }));
    expect(texts(r)).toContain(key);
    expect(Object.keys(requireHere.cache).filter((path) => path.includes('@napi-rs'))).toEqual([]);
  });

  it('reads each page as text, with keys drawn in pieces whole, and its pictures as PNGs', async () => {
    const key = makeV2Key();
    const wrapped = makeV2Key();
    const linked = makeV2Key();
    const attached = makeV2Key();
    const shot = await rgbOf(join(IMAGES, SHOT.file));
    const pdf = buildPdf({
      title: 'Setup guide',
      pages: [
        { content: splitKeyPage(key, wrapped), links: [`https://app.example.com/connect?api_key=${linked}`] },
        { content: `BT /F1 12 Tf 72 650 Td (The settings page:) Tj ET\nq ${shot.width} 0 0 ${shot.height} 20 100 cm /Im1 Do Q`, images: [shot] },
      ],
      attachments: [{ name: 'sandbox.env', data: `SPREEFLO_KEY=${attached}\n` }],
    });
    const r = await read(pdf);
    expect(r.skipped).toEqual([]);
    const page1 = r.parts.find((p) => p.entry === 'page 1')!;
    expect(page1).toMatchObject({ kind: 'text', page: 1 });
    const text1 = page1.data.toString('utf8');
    expect(text1).toContain(`${key} (expires in 30 days)`);
    expect(text1).toContain('Use this key for the sandbox:\n');
    expect(text1).toContain(linked);
    expect(text1).not.toContain(wrapped);
    expect(r.parts.find((p) => p.entry === 'page 1 (wrapped lines joined)')!.data.toString('utf8').split('\n')).toContain(wrapped);

    const pictures = r.parts.filter((p) => p.kind === 'image');
    expect(pictures.map((p) => [p.entry, p.page, p.name])).toEqual([['page 2 image 1', 2, 'page-2-image-1.png']]);
    const meta = await sharp(pictures[0]!.data).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', shot.width, shot.height]);

    expect(r.parts.find((p) => p.entry === 'attachment sandbox.env')).toMatchObject({ kind: 'auto', name: 'sandbox.env' });
    expect(r.parts.find((p) => p.entry === 'metadata')!.data.toString()).toContain('Setup guide');
    expect(r.parts.find((p) => p.entry === 'page 2')!.data.toString()).toBe('The settings page:');
  });

  it('with OCR off, lists its pictures once instead of decoding them, and reads the rest as before', async () => {
    const key = makeV2Key();
    const shot = await rgbOf(join(IMAGES, SHOT.file));
    const withPicture = buildPdf({ pages: [{ content: `BT /F1 12 Tf 72 650 Td (KEY=${key}) Tj ET\nq ${shot.width} 0 0 ${shot.height} 20 100 cm /Im1 Do Q`, images: [shot] }] });
    const textOnly = buildPdf({ pages: [{ content: `BT /F1 12 Tf 72 650 Td (KEY=${key}) Tj ET` }] });
    const cases: Array<[string, Buffer, ReadResult['skipped']]> = [
      ['a picture', withPicture, [{ entry: 'pictures', reason: 'pictures not decoded (OCR is off)', unreadContent: false }]],
      ['no picture', textOnly, []],
    ];
    for (const [name, pdf, skipped] of cases) {
      const r = await pdfReader.read(pdf, 'doc.pdf', DEFAULT_LIMITS, { pictures: false });
      expect(r.skipped, name).toEqual(skipped);
      expect(r.parts.filter((p) => p.kind === 'image'), name).toEqual([]);
      expect(texts(r), name).toContain(key);
    }
  });

  it('a password-protected PDF is skipped with the reason', async () => {
    const r = await read(buildPdf({ pages: [{ content: 'BT /F1 12 Tf 72 650 Td (secret) Tj ET' }], encrypted: true }));
    expect(r.skipped).toEqual([{ reason: 'encrypted PDF (a password is needed to open it): not read' }]);
    expect(r.parts.filter((p) => p.kind !== 'text' || p.entry)).toEqual([]);
  });

  it('a corrupt PDF is skipped with the reason, its bytes still searched', async () => {
    const garbage = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(2000)]);
    const objectsOnly = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
    for (const [data, reason] of [
      [garbage, 'corrupt PDF (no objects in it): not read'],
      [Buffer.alloc(0), 'corrupt PDF (no objects in it): not read'],
      // Objects but no pages: pdf.js is loaded and says what is wrong.
      [objectsOnly, /^corrupt PDF \(.+\): not read$|^PDF not read: /],
    ] as const) {
      const r = await read(data);
      expect(r.skipped).toHaveLength(1);
      expect(r.skipped[0]!.reason).toMatch(typeof reason === 'string' ? new RegExp(`^${reason.replace(/[()]/g, '\\$&')}$`) : reason);
      expect(r.parts).toEqual([{ name: 'raw.bin', data, kind: 'text' }]);
    }
  });

  it('a PDF whose cross-reference table is damaged is still read, from its objects', async () => {
    const key = makeV2Key();
    const pdf = buildPdf({ pages: [{ content: `BT /F1 12 Tf 72 650 Td (${key}) Tj ET` }] });
    const text = pdf.toString('latin1');
    const damaged = Buffer.from(text.slice(0, text.lastIndexOf('xref')), 'latin1');
    const r = await read(damaged);
    expect(r.parts.some((p) => p.data.toString('utf8').includes(key))).toBe(true);
  });

  it('honours the container limits and says what was left out', async () => {
    const pages = Array.from({ length: 6 }, (_, i) => ({ content: `BT /F1 12 Tf 72 650 Td (page ${i + 1}) Tj ET` }));
    const r = await read(buildPdf({ pages }), { ...DEFAULT_LIMITS, maxEntries: 4 });
    expect(r.parts.map((p) => p.entry)).toEqual(['page 1', 'page 2', 'page 3', 'page 4']);
    expect(r.skipped).toEqual([{ entry: 'pages 5-6', reason: 'limit of 4 entries reached: not read' }]);
    const small = await read(buildPdf({ pages }), { ...DEFAULT_LIMITS, maxTotalBytes: 13 });
    expect(small.parts.map((p) => p.entry)).toEqual(['page 1', 'page 2']);
    expect(small.skipped).toEqual([{ entry: 'pages 3-6', reason: 'limit of 13 bytes reached: not read' }]);
  });
});

describe('streams that expand past the limits', () => {
  // Small limits, so small bombs do: each stream below expands to 3 MB of spaces.
  const limits = { ...DEFAULT_LIMITS, maxEntryBytes: 1024 ** 2, maxTotalBytes: 4 * 1024 ** 2 };
  const MB3 = 3 * 1024 ** 2;
  const spaces = Buffer.alloc(MB3, 0x20);
  it.each([
    ['FlateDecode', '/FlateDecode', () => deflateSync(spaces)],
    ['FlateDecode twice', '[/FlateDecode /FlateDecode]', () => deflateSync(deflateSync(spaces))],
    ['ASCII85 then Flate', '[/ASCII85Decode /FlateDecode]', () => ascii85(deflateSync(spaces))],
    ['LZWDecode', '/LZWDecode', () => lzwSpaces(MB3)],
    ['RunLengthDecode', '/RunLengthDecode', () => runLengthSpaces(MB3)],
    // pdf.js keeps each stage's output whole: the first one counts even when the next one drops it.
    ['Flate, then ASCIIHex that drops it all', '[/FlateDecode /ASCIIHexDecode]', () => deflateSync(spaces)],
    // Data that holds `endstream` early: the /Length object, not the first `endstream`, says where it ends.
    ['an indirect /Length past a planted endstream', '/FlateDecode', () => deflateSync(Buffer.concat([Buffer.from('\nendstream\n'), spaces]), { level: 0 }), true],
  ])('%s: the stream is left out and listed as not read, the pages before it still read', async (_name, filter, data, lengthRef = false) => {
    const key = makeV2Key();
    const pdf = buildPdf({ pages: [{ content: `BT /F2 10 Tf 72 600 Td ${str(key)} Tj ET` }, { content: '', encoded: { filter, data: data(), lengthRef } }] });
    const started = Date.now();
    const r = await read(pdf, limits);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(texts(r)).toContain(key);
    const skip = r.skipped.find((s) => s.entry?.startsWith('object '));
    expect(skip).toEqual({ entry: expect.stringMatching(/^object \d+ 0$/), reason: `stream expands past the ${limits.maxEntryBytes}-byte limit per stream: not read` });
  });

  it('in a PDF encrypted with an empty user password (pdf.js opens it), the streams are measured decrypted', async () => {
    const key = makeV2Key();
    const pages = [{ content: `BT /F2 10 Tf 72 600 Td ${str(key)} Tj ET` }, { content: '', encoded: { filter: '/FlateDecode', data: deflateSync(spaces) } }];
    const r = await read(buildPdf({ pages, encrypted: 'open' }), limits);
    expect(texts(r)).toContain(key);
    expect(r.skipped).toContainEqual({ entry: expect.stringMatching(/^object \d+ 0$/), reason: `stream expands past the ${limits.maxEntryBytes}-byte limit per stream: not read` });
  });

  it('streams within the limit per entry but past the limit per file: those after the budget are left out', async () => {
    const key = makeV2Key();
    const part = deflateSync(Buffer.alloc(900 * 1024, 0x20));
    const pages = [{ content: `BT /F2 10 Tf 72 600 Td ${str(key)} Tj ET` }, ...Array.from({ length: 6 }, () => ({ content: '', encoded: { filter: '/FlateDecode', data: part } }))];
    const r = await read(buildPdf({ pages }), limits);
    expect(texts(r)).toContain(key);
    expect(r.skipped.filter((s) => s.entry?.startsWith('object ')).map((s) => s.reason)).toEqual(
      Array(2).fill(`streams expand past the ${limits.maxTotalBytes}-byte limit per file: not read`),
    );
  });

  it('a document that takes longer than its time limit is stopped; the pages not reached are listed as not read', async () => {
    const key = makeV2Key();
    // Each within the stream limit (60 MB of spaces), together seconds of parsing.
    const heavy = { content: '', encoded: { filter: '/FlateDecode', data: deflateSync(Buffer.alloc(60 * 1024 ** 2, 0x20)) } };
    const pdf = buildPdf({ pages: [{ content: `BT /F2 10 Tf 72 600 Td ${str(key)} Tj ET` }, heavy, heavy, heavy, { content: '(after) Tj' }] });
    const started = Date.now();
    const r = await makePdfReader(1000).read(pdf, 'doc.pdf', DEFAULT_LIMITS);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(texts(r)).toContain(key);
    expect(r.skipped).toContainEqual({ entry: expect.stringMatching(/^pages [2-4]-5$/), reason: 'time limit of 1 s reached: not read' });
  });
});

describe('text layout', () => {
  const item = (str: string, x: number, y: number, width: number, hasEOL = false, h = 10) => ({ str, x, transform: [h, 0, 0, h, x, y], width, height: h, hasEOL });

  it('runs pieces of one line together, spaces real gaps, breaks lines', () => {
    expect(
      joinTextItems([
        item('sfk_abc', 10, 100, 35),
        item('def', 45, 100, 15),
        item('ghi', 60.5, 100, 15),
        item('next', 90, 100, 20),
        item('below', 10, 85, 25),
        item('eol', 40, 85, 15, true),
        item('', 10, 70, 0, true),
        { type: 'beginMarkedContent' },
        item('last', 10, 55, 20),
      ]),
    ).toBe('sfk_abcdefghi next\nbelow eol\n\nlast');
  });

  it('joins a key cut by line breaks, without repeating what fits on one line', () => {
    expect(wrappedRuns('Token:\nsfk_abc\ndef\nghi\nNext one')).toBe(['sfk_abcdef', 'sfk_abcdefghi', 'sfk_abcdefghiNext', 'defghi', 'defghiNext', 'ghiNext'].join('\n'));
    expect(wrappedRuns('one line. sfk_abc!\n(two)')).toBe('');
  });
});

// ---- the whole CLI ----------------------------------------------------------

describe('scan reads PDFs', () => {
  it('finds the text keys at their pages and the key in the picture by OCR; a clean PDF gives nothing; broken ones are skipped', async () => {
    const key = makeV2Key();
    const wrapped = makeV2Key();
    const shot = await rgbOf(join(IMAGES, SHOT.file));
    const root = tempDir();
    writeTree(root, {
      'docs/guide.pdf': buildPdf({
        pages: [
          { content: splitKeyPage(key, wrapped) },
          { content: `q ${shot.width} 0 0 ${shot.height} 20 100 cm /Im1 Do Q`, images: [shot] },
        ],
      }),
      'docs/clean.pdf': buildPdf({ pages: [{ content: 'BT /F1 12 Tf 72 650 Td (Nothing to see here.) Tj ET' }] }),
      'docs/locked.pdf': buildPdf({ pages: [{ content: 'BT /F1 12 Tf 72 650 Td (x) Tj ET' }], encrypted: true }),
      'docs/broken.pdf': Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(500)]),
    });
    copyFileSync(join(MEDIA, 'chromium-print.pdf'), join(root, 'docs/printed.pdf'));
    const t0 = Date.now();
    const { run, report } = scanJson([root, '--no-cache']);
    const seconds = (Date.now() - t0) / 1000;
    expect(run.code, run.stderr).toBe(1);
    const rows = report.findings
      .map((f) => [f.path, f.source, f.entry ?? null, f.page ?? null, f.keySha256])
      .sort((x, y) => String(x[0]).localeCompare(String(y[0])) || String(x[2]).localeCompare(String(y[2])));
    const printed = JSON.parse(readFileSync(join(MEDIA, 'chromium-print.json'), 'utf8'));
    expect(rows).toEqual(
      [
        ['docs/guide.pdf', 'document', 'page 1', 1, sha(key)],
        ['docs/guide.pdf', 'document', 'page 1 (wrapped lines joined)', 1, sha(wrapped)],
        ['docs/guide.pdf', 'image', 'page 2 image 1', 2, sha(SHOT_KEY)],
        ...printed.findings.map((f: any) => ['docs/printed.pdf', f.source, f.entry, f.page, sha(f.key)]),
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0])) || String(x[2]).localeCompare(String(y[2]))),
    );
    const reasons = Object.fromEntries(report.skipped.map((s: any) => [s.path, s.reason]));
    expect(reasons['docs/locked.pdf']).toMatch(/encrypted PDF/);
    expect(reasons['docs/broken.pdf']).toMatch(/PDF/);
    expect(report.findings.filter((f) => f.path === 'docs/clean.pdf')).toEqual([]);
    expect(Object.keys(reasons).filter((p) => !/locked|broken/.test(p))).toEqual([]);
    console.log(`scan of 5 PDFs (2 pictures read by OCR): ${seconds.toFixed(1)} s`);
  });

  it('an attachment named after a key is a finding, its name masked', () => {
    const key = makeV2Key();
    const root = tempDir();
    writeTree(root, { 'report.pdf': buildPdf({ pages: [{ content: 'BT /F1 12 Tf 72 650 Td (x) Tj ET' }], attachments: [{ name: `${key}.env`, data: 'X=1\n' }] }) });
    const { run, report } = scanJson([root, '--no-ocr', '--no-progress']);
    expect(run.stdout.includes(key)).toBe(false);
    expect(report.findings.map((f) => [f.entry, f.inName, f.keySha256])).toEqual([[`attachment ${key.slice(0, 8)}…${key.slice(-4)}.env`, true, sha(key)]]);
  });
});
