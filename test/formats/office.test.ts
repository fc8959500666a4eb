// Office documents (docx, pptx, xlsx, odt, odp, ods) built from XML strings in a zip,
// read by officeReader and through the whole CLI: text the way a reader sees it (a key
// cut into runs comes out whole), slides with their page, rows with their line, pictures
// for OCR, and corrupt or encrypted documents skipped with the reason.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { officeReader } from '../../src/formats/office.js';
import { zipReader } from '../../src/formats/archive.js';
import { DEFAULT_LIMITS, type ReadResult } from '../../src/formats/types.js';
import { scanJson, tempDir, writeTree } from '../support/cli.js';
import { makeV1Key, makeV2Key } from '../support/keys.js';
import { docx, odf, pptx, wParagraph, xlsx, zip } from '../fixtures/documents/make.js';

const FIXTURES = resolve('test/fixtures/images');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));
const SHOT = readFileSync(join(FIXTURES, '000-settings-light.png'));
const SHOT_KEY_SHA = sha(manifest.images.find((i: any) => i.file === '000-settings-light.png').keys[0].key);
const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function split3(key: string): [string, string, string] {
  return [key.slice(0, 9), key.slice(9, 25), key.slice(25)];
}

/** The text parts as entry -> text, and the other parts as [entry, kind, page]. */
function texts(r: ReadResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of r.parts) if (p.kind === 'text') out[`${p.entry}${p.page !== undefined ? ` p${p.page}` : ''}`] = p.data.toString('utf8');
  return out;
}

function others(r: ReadResult): [string | undefined, string, number | undefined][] {
  return r.parts.filter((p) => p.kind !== 'text').map((p) => [p.entry, p.kind, p.page]);
}

const read = (data: Buffer, name: string) => officeReader.read(data, name, DEFAULT_LIMITS);

describe('officeReader: text as a reader sees it', () => {
  const key = makeV2Key();
  const [a, b, c] = split3(key);
  const proof = '<w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="k"/>';

  const cases: Array<{ name: string; file: string; build: () => Buffer; text: Record<string, string>; others?: unknown[] }> = [
    {
      name: 'docx: a key in three runs with proofing marks and a bookmark between them is one line',
      file: 'report.docx',
      build: () => docx([wParagraph(['Title']), wParagraph([`API key: ${a}`, b, c], proof), wParagraph(['after'])]),
      text: { 'word/document.xml': `Title\nAPI key: ${key}\nafter` },
    },
    {
      name: 'docx: entities decoded, tabs and breaks inside runs, tab stops ignored',
      file: 'e.docx',
      build: () =>
        docx([
          '<w:p><w:r><w:t>Tom &amp; Jerry &lt;3 &#x41;&#66;</w:t></w:r><w:r><w:tab/><w:t>x</w:t><w:br/><w:t>y</w:t></w:r></w:p>',
        ]),
      text: { 'word/document.xml': 'Tom & Jerry <3 AB\tx\ny' },
    },
    {
      name: 'docx: headers, footers, footnotes and comments are parts of their own',
      file: 'h.docx',
      build: () => docx([wParagraph(['body'])], { header: wParagraph(['head', 'er']), footer: wParagraph(['foot']), footnotes: wParagraph(['note']), comments: wParagraph(['remark']) }),
      text: { 'word/document.xml': 'body', 'word/header1.xml': 'header', 'word/footer1.xml': 'foot', 'word/footnotes.xml': 'note', 'word/comments.xml': 'remark' },
    },
    {
      name: 'docx: tracked changes: the text now, then the text before; field codes on their own line',
      file: 't.docx',
      build: () =>
        docx([
          `<w:p><w:r><w:t>key=</w:t></w:r><w:del w:id="1"><w:r><w:delText>${key}</w:delText></w:r></w:del><w:ins w:id="2"><w:r><w:t>REDACTED</w:t></w:r></w:ins></w:p>`,
          '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://x.test/?k=1" </w:instrText></w:r><w:r><w:t>link</w:t></w:r></w:p>',
        ]),
      text: { 'word/document.xml': `key=REDACTED\nkey=${key}\nlink\nHYPERLINK "https://x.test/?k=1"` },
    },
    {
      name: 'docx: a text box inside a paragraph does not cut the paragraph around it',
      file: 'tb.docx',
      build: () =>
        docx([
          `<w:p><w:r><w:t>${a}</w:t></w:r><w:r><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>boxed</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></w:r><w:r><w:t>${b}${c}</w:t></w:r></w:p>`,
        ]),
      text: { 'word/document.xml': `boxed\n${key}` },
    },
    {
      name: 'docx: pictures become image parts; other package files are passed on as they are',
      file: 'm.docx',
      build: () => docx([wParagraph(['x'])], { media: { 'image1.png': PNG_1PX, 'image2.emf': Buffer.from('emf') } }),
      text: { 'word/document.xml': 'x' },
      others: [
        ['[Content_Types].xml', 'auto', undefined],
        ['_rels/.rels', 'auto', undefined],
        ['word/media/image1.png', 'image', undefined],
        ['word/media/image2.emf', 'auto', undefined],
        ['word/_rels/document.xml.rels', 'auto', undefined],
      ],
    },
    {
      name: 'pptx: one part per slide in the deck order (page = slide number), notes with their slide, pictures placed',
      file: 'deck.pptx',
      build: () =>
        pptx(
          [
            { paragraphs: [['Intro']] },
            { paragraphs: [['Setup'], ['export KEY=', a, b, c]], notes: 'say the key', image: PNG_1PX },
          ],
          [2, 1],
        ),
      text: { 'ppt/slides/slide2.xml p1': `Setup\nexport KEY=${key}`, 'ppt/slides/slide1.xml p2': 'Intro', 'ppt/notesSlides/notesSlide2.xml p1': 'say the key' },
      others: [
        ['[Content_Types].xml', 'auto', undefined],
        ['_rels/.rels', 'auto', undefined],
        ['ppt/slides/_rels/slide1.xml.rels', 'auto', undefined],
        ['ppt/media/image2.png', 'image', 1],
        ['ppt/slides/_rels/slide2.xml.rels', 'auto', undefined],
        ['ppt/slideLayouts/slideLayout1.xml', 'auto', undefined],
        ['ppt/presentation.xml', 'auto', undefined],
        ['ppt/_rels/presentation.xml.rels', 'auto', undefined],
      ],
    },
    {
      name: 'xlsx: line = row, cells by tabs, shared strings (rich runs joined), inline strings, formulas, strings no cell uses',
      file: 'book.xlsx',
      build: () =>
        xlsx(
          { A1: 'name', B1: 'key', A2: 'prod', B2: { rich: [a, b, c] }, A4: 42, B4: { inline: 'inline text' }, C5: { formula: 'CONCAT("x","y")', value: 'xy' } },
          { unusedStrings: ['left behind'] },
        ),
      text: { 'xl/worksheets/sheet1.xml': `name\tkey\nprod\t${key}\n\n42\tinline text\nxy\tCONCAT("x","y")`, 'xl/sharedStrings.xml': '\n\n\n\nleft behind' },
    },
    {
      name: 'odt: spans, spaces, tabs, line breaks; footnote citations left out; footers from styles.xml; pictures',
      file: 'notes.odt',
      build: () =>
        odf(
          'text',
          `<text:h text:outline-level="1">Keys</text:h><text:p>key: <text:span text:style-name="T1">${a}</text:span>${b}<text:span>${c}</text:span><text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>a note</text:p></text:note-body></text:note></text:p><text:p>a<text:s text:c="3"/>b<text:tab/>c<text:line-break/>d &amp; e</text:p>`,
          { styles: '<style:footer><text:p>footer text</text:p></style:footer>', pictures: { 'shot.png': PNG_1PX } },
        ),
      text: { 'content.xml': `Keys\na note\nkey: ${key}\na   b\tc\nd & e`, 'styles.xml': 'footer text' },
      others: [
        ['mimetype', 'auto', undefined],
        ['META-INF/manifest.xml', 'auto', undefined],
        ['Pictures/shot.png', 'image', undefined],
      ],
    },
    {
      name: 'odp: one part per page, pictures placed on their page',
      file: 'deck.odp',
      build: () =>
        odf(
          'presentation',
          `<draw:page draw:name="p1"><draw:frame><draw:text-box><text:p>first</text:p></draw:text-box></draw:frame></draw:page><draw:page draw:name="p2"><draw:frame><draw:text-box><text:p>${a}<text:span>${b}</text:span>${c}</text:p></draw:text-box></draw:frame><draw:frame><draw:image xlink:href="Pictures/s.png"/></draw:frame></draw:page>`,
          { pictures: { 's.png': PNG_1PX } },
        ),
      text: { 'content.xml p1': 'first', 'content.xml p2': key },
      others: [
        ['mimetype', 'auto', undefined],
        ['META-INF/manifest.xml', 'auto', undefined],
        ['Pictures/s.png', 'image', 2],
      ],
    },
    {
      name: 'ods: each cell paragraph on a line',
      file: 'book.ods',
      build: () =>
        odf('spreadsheet', `<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string"><text:p>k</text:p></table:table-cell><table:table-cell><text:p>${a}${b}<text:span>${c}</text:span></text:p></table:table-cell></table:table-row></table:table>`),
      text: { 'content.xml': `k\n${key}` },
    },
  ];

  it.each(cases)('$name', async ({ file, build, text, others: rest }) => {
    const result = await read(build(), file);
    expect(result.skipped).toEqual([]);
    expect(texts(result)).toEqual(text);
    if (rest) expect(others(result)).toEqual(rest);
  });

  it('an Office package under another name (.docm, a nameless blob) is read as a document by the zip reader too', async () => {
    const [a, b, c] = split3(key);
    const data = docx([wParagraph([a, b, c], proof)]);
    for (const name of ['macros.docm', 'blob']) expect(texts(await zipReader.read(data, name, DEFAULT_LIMITS))).toEqual({ 'word/document.xml': key });
    const ods = odf('spreadsheet', `<table:table><table:table-row><table:table-cell><text:p>${a}<text:span>${b}${c}</text:span></text:p></table:table-cell></table:table-row></table:table>`);
    expect(texts(await zipReader.read(ods, 'template.ots', DEFAULT_LIMITS))).toEqual({ 'content.xml': key });
    // A plain zip stays a plain zip.
    expect((await zipReader.read(zip({ 'word/document.xml': '<x/>' }), 'a.zip', DEFAULT_LIMITS)).parts.map((p) => p.kind)).toEqual(['auto']);
  });

  it('corrupt, truncated, encrypted and empty documents are skipped with the reason', async () => {
    const whole = docx([wParagraph(['hello'])]);
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(600)]);
    const cases: Array<[string, Buffer, RegExp]> = [
      ['garbage.docx', Buffer.from('this is not a zip'), /^corrupt document: not a readable zip archive/],
      ['empty.xlsx', Buffer.alloc(0), /^corrupt document: not a readable zip archive/],
      ['locked.docx', ole, /password-protected \(encrypted\) or old binary Office document/],
      ['locked.odt', odf('text', '<text:p>x</text:p>', { encrypted: true }), /password-protected \(encrypted\) OpenDocument/],
    ];
    for (const [name, data, reason] of cases) {
      const result = await read(data, name);
      expect(result.parts, name).toEqual([]);
      expect(result.skipped.map((s) => s.reason).join('; '), name).toMatch(reason);
    }
    // Cut before the central directory: what is left is still read.
    const cut = await read(whole.subarray(0, whole.indexOf('PK\x01\x02')), 'cut.docx');
    expect(texts(cut)).toEqual({ 'word/document.xml': 'hello' });
    expect(cut.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/truncated zip/)]);
    // Broken XML: the text that can be read is read.
    const broken = await read(zip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document><w:body><w:p><w:r><w:t>half <b a="1>"</w:t></w:r></w:p><w:p><w:r><w:t>ok' }), 'broken.docx');
    expect(Object.values(texts(broken)).join('\n')).toContain('half');
  });
});

describe('scan reads office documents (CLI)', () => {
  it('finds keys in docx (split over runs, once), pptx (slide page), xlsx (row), odt; clean documents report nothing', () => {
    const root = tempDir();
    const keys = { docx: makeV2Key(), pptx: makeV2Key(), xlsx: makeV1Key(), odt: makeV2Key(), footer: makeV2Key(), docm: makeV2Key() };
    const [a, b, c] = split3(keys.docx);
    const [o1, o2, o3] = split3(keys.odt);
    writeTree(root, {
      'docs/report.docx': docx([wParagraph(['Report']), wParagraph(['']), wParagraph([`Key: ${a}`, b, c], '<w:proofErr w:type="spellStart"/>')], {
        footer: wParagraph([keys.footer.slice(0, 10), keys.footer.slice(10)]),
      }),
      'docs/macros.docm': docx([wParagraph(split3(keys.docm), '<w:proofErr w:type="gramStart"/>')]),
      'docs/deck.pptx': pptx([{ paragraphs: [['Welcome']] }, { paragraphs: [['Config'], ['SPREEFLO_KEY=', keys.pptx]] }]),
      'docs/book.xlsx': xlsx({ A1: 'env', B1: 'key', A3: 'prod', B3: keys.xlsx }),
      'docs/notes.odt': odf('text', `<text:p>intro</text:p><text:p>${o1}<text:span>${o2}</text:span>${o3}</text:p>`),
      'docs/clean.docx': docx([wParagraph(['Nothing', ' to ', 'see'])], { media: { 'image1.jpeg': readFileSync(join(FIXTURES, '014-chat-light.jpg')) } }),
      'docs/clean.pptx': pptx([{ paragraphs: [['Hello']], notes: 'no keys' }]),
      'docs/clean.xlsx': xlsx({ A1: 'a', B2: 3 }),
      'docs/clean.ods': odf('spreadsheet', '<table:table><table:table-row><table:table-cell><text:p>1</text:p></table:table-cell></table:table-row></table:table>'),
    });
    const { run, report } = scanJson([root, '--no-cache']);
    expect(run.code).toBe(1);
    const got = report.findings.map((f) => ({ path: f.path, entry: f.entry, page: f.page, line: f.line, source: f.source, key: f.keySha256 }));
    expect(got).toEqual([
      { path: 'docs/book.xlsx', entry: 'xl/worksheets/sheet1.xml', page: undefined, line: 3, source: 'document', key: sha(keys.xlsx) },
      { path: 'docs/deck.pptx', entry: 'ppt/slides/slide2.xml', page: 2, line: 2, source: 'document', key: sha(keys.pptx) },
      { path: 'docs/macros.docm', entry: 'word/document.xml', page: undefined, line: 1, source: 'document', key: sha(keys.docm) },
      { path: 'docs/notes.odt', entry: 'content.xml', page: undefined, line: 2, source: 'document', key: sha(keys.odt) },
      { path: 'docs/report.docx', entry: 'word/footer1.xml', page: undefined, line: 1, source: 'document', key: sha(keys.footer) },
      { path: 'docs/report.docx', entry: 'word/document.xml', page: undefined, line: 3, source: 'document', key: sha(keys.docx) },
    ]);
    expect(report.skipped).toEqual([]);
  });

  it('a docx with a key split over runs and another in a picture: both found', () => {
    const root = tempDir();
    const key = makeV2Key();
    writeTree(root, {
      'guide.docx': docx([wParagraph(['Setup']), wParagraph(split3(key), '<w:proofErr w:type="spellStart"/>')], { media: { 'image1.png': SHOT } }),
    });
    const { run, report } = scanJson([root, '--no-cache']);
    expect(run.code).toBe(1);
    expect(report.findings.map((f) => [f.entry, f.source, f.confidence, f.keySha256])).toEqual([
      ['word/media/image1.png', 'image', 'high', SHOT_KEY_SHA],
      ['word/document.xml', 'document', 'high', sha(key)],
    ]);
  });

  it('a screenshot pasted into a slide is read by OCR, with its slide', () => {
    const root = tempDir();
    writeTree(root, { 'talk.pptx': pptx([{ paragraphs: [['Intro']] }, { paragraphs: [['Our settings page']], image: SHOT }]) });
    const { run, report } = scanJson([root, '--no-cache']);
    expect(run.code).toBe(1);
    expect(report.findings.map((f) => [f.path, f.entry, f.page, f.source, f.keySha256])).toEqual([['talk.pptx', 'ppt/media/image2.png', 2, 'image', SHOT_KEY_SHA]]);
  });
});
