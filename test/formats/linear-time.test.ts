// Text extraction from Office documents and HTML/Markdown takes time linear in the input,
// whatever is repeated in it: a property test (fast-check) repeats each anchor the parsers
// look for ('<', '<w:t', '&', '<![CDATA[', 'data:', '](' ...) with some filler n and 4n times
// and checks the time grows about 4x, not 16x. The bound is generous so a loaded machine
// does not fail it, and still far below what a quadratic scan takes at these sizes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { attributes, officeParts, officeReader, walkXml } from '../../src/formats/office.js';
import { htmlReader } from '../../src/formats/html.js';
import { DEFAULT_LIMITS } from '../../src/formats/types.js';
import { zip } from '../fixtures/documents/make.js';
import { makeV2Key } from '../support/keys.js';

type Files = Record<string, string>;

function readOffice(files: Files): unknown {
  return officeParts({ entries: Object.entries(files).map(([path, text]) => ({ path, data: Buffer.from(text) })), skipped: [] });
}

interface Format {
  /** The document the repeated text goes into, as the reader gets it. */
  read(body: string): unknown;
  /** What its parsers look for, each repeated on its own. */
  anchors: string[];
}

const XML_ANCHORS = ['<', ' <x', '<w:t', '<w:t a="', "<a:t b='", '</', '<x/', '&', '&#x', '&amp', '<![CDATA[', '<!--', '<?', '<!', '"', "'", '=', 'a=', '="', 'a'];

const FORMATS: Record<string, Format> = {
  docx: {
    read: (body) => readOffice({ 'word/document.xml': `<w:document><w:body><w:p><w:r><w:t>${body}` }),
    anchors: XML_ANCHORS,
  },
  pptx: {
    read: (body) =>
      readOffice({
        'ppt/presentation.xml': `<p:presentation><p:sldIdLst><p:sldId r:id="${body}`,
        'ppt/_rels/presentation.xml.rels': `<Relationships><Relationship Id="rId1" Target="${body}`,
        'ppt/slides/slide1.xml': `<p:sld><a:p><a:r><a:t>${body}`,
      }),
    anchors: ['<Relationship Target="', '<p:sldId r:id="', ' x="', '<a:t>', '<a:br/', ...XML_ANCHORS.slice(0, 8)],
  },
  xlsx: {
    read: (body) =>
      readOffice({
        'xl/sharedStrings.xml': `<sst><si><t>${body}`,
        'xl/worksheets/sheet1.xml': `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>${body}`,
      }),
    anchors: ['<c r="', '<row r="', '<c t="s"><v>0</v></c', '<si><t>', '<is><t>', '<f>', ...XML_ANCHORS.slice(0, 8)],
  },
  odt: {
    read: (body) =>
      readOffice({
        mimetype: 'application/vnd.oasis.opendocument.text',
        'content.xml': `<office:document-content><office:text><text:p>${body}`,
        'styles.xml': `<office:document-styles><draw:page><draw:image xlink:href="${body}`,
      }),
    anchors: ['<text:s text:c="', '<draw:image xlink:href="', '<draw:page', '<text:p>', '<dc:creator>', ...XML_ANCHORS.slice(0, 8)],
  },
  html: {
    read: (body) => htmlReader.read(Buffer.from(`<p>${body}`), 'page.html', DEFAULT_LIMITS),
    anchors: ['data:', 'data:image/', 'data:image/png;a=', 'data:image/png;base64,', 'data:image/png;base64,AAAA\n', '=', '](', '![x](data:image/png;base64,', 'url(data:image/', '<img src="data:image/gif;base64,', '\\\n', '%22', 'A'.repeat(60) + '\n'],
  },
};

/** Characters the anchors are made of, for the filler between repeats. */
const FILLER = fc.string({ unit: fc.constantFrom('<', '>', '&', ';', '"', "'", '=', ' ', 'a', '/', ':', '!', '[', ']', '(', ')', '\n', '#'), maxLength: 3 });

/** The input grows from about this many characters to 4 times as many. */
const BASE_CHARS = 24_000;

async function fastest(f: () => unknown): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await f();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

async function growsLinearly(format: string, anchor: string, filler: string): Promise<boolean> {
  const unit = anchor + filler;
  const n = Math.ceil(BASE_CHARS / unit.length);
  const { read } = FORMATS[format]!;
  const small = await fastest(() => read(unit.repeat(n)));
  const large = await fastest(() => read(unit.repeat(4 * n)));
  // Linear: about 4x. Quadratic: 16x, and far over 50 ms at these sizes.
  return large < 10 * small + 50;
}

describe('text extraction time is linear in the input', () => {
  it('for pathological repeats of every anchor, in every document kind (n and 4n)', async () => {
    const examples: [string, string, string][] = Object.entries(FORMATS).flatMap(([format, { anchors }]) => anchors.map((a): [string, string, string] => [format, a, '']));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(FORMATS)).chain((format) => fc.tuple(fc.constant(format), fc.oneof(fc.constantFrom(...FORMATS[format]!.anchors), fc.string({ minLength: 1, maxLength: 6 })), FILLER)),
        async ([format, anchor, filler]) => growsLinearly(format, anchor, filler),
      ),
      // A timing failure is not shrunk: each smaller try of a quadratic input is slow too.
      { numRuns: 40, examples: examples.map((e) => [e]), endOnFailure: true },
    );
  });

  it('a docx with a key, then 40,000 stray "<" to the end and no ">", is read at once and the key found', async () => {
    const key = makeV2Key();
    const data = zip({
      '[Content_Types].xml': '<Types/>',
      'word/document.xml': `<w:document><w:body><w:p><w:r><w:t>${key}</w:t></w:r></w:p>${' <x'.repeat(40_000)}`,
    });
    const start = performance.now();
    const result = await officeReader.read(data, 'hostile.docx', DEFAULT_LIMITS);
    const elapsed = performance.now() - start;
    const text = result.parts.filter((p) => p.kind === 'text').map((p) => p.data.toString('utf8'));
    expect(text.some((t) => t.includes(key)), 'key before the stray "<" found').toBe(true);
    expect(elapsed).toBeLessThan(1500);
  });
});

describe('the one-pass XML parsers read what a lenient reader expects', () => {
  function events(xml: string): string[] {
    const out: string[] = [];
    walkXml(xml, { open: (n, a, self) => out.push(`<${n}|${a}|${self ? '/' : ''}>`), close: (n) => out.push(`</${n}>`), text: (t) => out.push(t) });
    return out;
  }

  it.each([
    ['<a b=">"/>x', ['<a| b=">"|/>', '</a>', 'x']],
    ['<a/b>', ['<a|/b|>']],
    ['<a<b>', ['<', 'a', '<b||>']],
    // XML allows no '<' in a value: the tag is broken there, as it ends at the next '<'.
    ['<a b="<">t</a>', ['<', 'a b="', '<"||>', 't', '</a>']],
    ['< a>', ['<', ' a>']],
    ['</a >&lt;', ['</a>', '<']],
    ["<a b='x>", ['<', "a b='x>"]],
  ])('tags: %j', (xml, expected) => {
    expect(events(xml)).toEqual(expected);
  });

  it.each([
    [' a="1" b=\'2\'', { a: '1', b: '2' }],
    ['a = "x &amp; y"', { a: 'x & y' }],
    ['a="x b=\'y\'', { b: 'y' }],
    ['a=b="c"', { b: 'c' }],
    ['a="1" "stray" c="3"', { a: '1', c: '3' }],
    ['=a="1"', { a: '1' }],
    ['no pairs here', {}],
  ])('attributes: %j', (attrs, expected) => {
    expect(attributes(attrs)).toEqual(expected);
  });
});
