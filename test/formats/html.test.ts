// HTML and Markdown with pictures inline as data URIs: the document is one text part
// (keys in its text keep their line), each picture an image part for OCR, named by its
// MIME type and placed by its line; bad base64 is skipped with the reason.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { htmlReader } from '../../src/formats/html.js';
import { DEFAULT_LIMITS, type ContainerLimits } from '../../src/formats/types.js';
import { scanJson, tempDir, writeTree } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';

const FIXTURES = resolve('test/fixtures/images');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));
const SHOT = readFileSync(join(FIXTURES, '000-settings-light.png'));
const SHOT_KEY_SHA = sha(manifest.images.find((i: any) => i.file === '000-settings-light.png').keys[0].key);
const CLEAN_JPG = readFileSync(join(FIXTURES, '014-chat-light.jpg'));
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Wrapped at 76 columns, as MIME and many editors do. */
function wrap(b64: string, indent = ''): string {
  return (b64.match(/.{1,76}/g) ?? []).join(`\n${indent}`);
}

describe('htmlReader', () => {
  const cases: Array<{ name: string; file: string; text: string; limits?: ContainerLimits; images: [string, string, string, number][]; skipped: RegExp[] }> = [
    {
      name: 'HTML img: the page as text without entry, the picture decoded',
      file: 'page.html',
      text: `<html>\n<body>\n<p>hi</p>\n<img alt="x" src="data:image/png;base64,${PNG_1PX}">\n</body></html>\n`,
      images: [['data-uri-1.png', 'data URI #1 (line 4)', 'image', 70]],
      skipped: [],
    },
    {
      name: 'Markdown image, JPEG and parameters, two on one line',
      file: 'README.md',
      text: `# Setup\n\n![a](data:image/jpeg;base64,${CLEAN_JPG.toString('base64')}) and ![b](data:image/PNG;charset=utf-8;base64,${PNG_1PX} "title")\n`,
      images: [
        ['data-uri-1.jpg', 'data URI #1 (line 3)', 'image', CLEAN_JPG.length],
        ['data-uri-2.png', 'data URI #2 (line 3)', 'image', 70],
      ],
      skipped: [],
    },
    {
      name: 'CSS url() with the base64 wrapped over lines; quoted and unquoted',
      file: 'style.html',
      text: `<style>\n.a { background: url(data:image/jpeg;base64,${wrap(CLEAN_JPG.toString('base64'), '    ')}); }\n.b { background: url('data:image/gif;base64,R0lGODlhAQABAAAAACw=') }\n</style>\n`,
      images: [
        ['data-uri-1.jpg', 'data URI #1 (line 2)', 'image', CLEAN_JPG.length],
        ['data-uri-2.gif', expect.stringMatching(/^data URI #2 \(line \d+\)$/) as unknown as string, 'image', 14],
      ],
      skipped: [],
    },
    {
      name: 'SVG pictures are read as their (text) bytes, not by OCR; URL-safe base64',
      file: 'icons.md',
      // `-` and `_` in place of `+` and `/`
      text: `![i](data:image/svg+xml;base64,${Buffer.from('<svg><text>??>></text></svg>').toString('base64url')})\n`,
      images: [['data-uri-1.svg', 'data URI #1 (line 1)', 'auto', 28]],
      skipped: [],
    },
    {
      name: 'bad base64: stray characters, a cut payload, empty data',
      file: 'bad.html',
      text: `<img src="data:image/png;base64,iVBOR*w0KGgo">\n<img src="data:image/png;base64,iVBORw0KG">\n<img src="data:image/png;base64,">\n<img src="data:image/png;base64,${PNG_1PX}">\n`,
      images: [['data-uri-4.png', 'data URI #4 (line 4)', 'image', 70]],
      skipped: [/^data URI #1 \(line 1\): invalid base64 in data:image\/png \(unexpected "\*"\)/, /^data URI #2 \(line 2\): invalid base64 length/, /^data URI #3 \(line 3\): empty data URI/],
    },
    {
      name: 'limits: pictures over the entry size, too many pictures',
      file: 'many.html',
      text: `<img src="data:image/jpeg;base64,${CLEAN_JPG.toString('base64')}">\n${`<img src="data:image/png;base64,${PNG_1PX}">\n`.repeat(4)}`,
      limits: { maxDepth: 3, maxEntries: 3, maxTotalBytes: 10_000, maxEntryBytes: 1000 },
      images: [
        ['data-uri-2.png', 'data URI #2 (line 2)', 'image', 70],
        ['data-uri-3.png', 'data URI #3 (line 3)', 'image', 70],
      ],
      skipped: [/^data URI #1 \(line 1\): .* over the 1000 bytes limit per entry/, /^data URI #4 \(line 4\): more than 3 data URIs/],
    },
  ];

  it.each(cases)('$name', async ({ file, text, limits, images, skipped }) => {
    const data = Buffer.from(text);
    const result = await htmlReader.read(data, file, limits ?? DEFAULT_LIMITS);
    const [doc, ...rest] = result.parts;
    expect(doc).toEqual({ name: file, data, kind: 'text' });
    expect(rest.map((p) => [p.name, p.entry, p.kind, p.data.length])).toEqual(images);
    expect(result.skipped).toHaveLength(skipped.length);
    skipped.forEach((re, i) => expect(`${result.skipped[i]!.entry}: ${result.skipped[i]!.reason}`).toMatch(re));
  });

  it('decodes the picture exactly', async () => {
    const result = await htmlReader.read(Buffer.from(`<img src="data:image/png;base64,${SHOT.toString('base64')}">`), 'a.html', DEFAULT_LIMITS);
    expect(result.parts[1]!.data.equals(SHOT)).toBe(true);
  });
});

describe('scan reads data URIs in HTML and Markdown (CLI)', () => {
  it('a page with a screenshot as a data URI and a key in its text; a Markdown file with one; plain HTML as before', () => {
    const root = tempDir();
    const [k1, k2, k3] = [makeV2Key(), makeV2Key(), makeV2Key()];
    const shot = SHOT.toString('base64');
    writeTree(root, {
      'site/index.html': `<!doctype html>\n<html>\n<head><title>Docs</title></head>\n<body>\n<p>Use <code>${k1}</code></p>\n<img alt="settings"\n     src="data:image/png;base64,${shot}">\n</body>\n</html>\n`,
      'docs/setup.md': `# Setup\n\nOpen Settings:\n\n![settings](data:image/png;base64,${shot})\n\nThen export SPREEFLO_KEY=${k2}\n`,
      'plain.html': `<p>\n${k3}\n</p>\n`,
      'clean.md': `# Clean\n\n![chat](data:image/jpeg;base64,${CLEAN_JPG.toString('base64')})\n`,
    });
    const { run, report } = scanJson([root, '--no-cache']);
    expect(run.code).toBe(1);
    const got = report.findings.map((f) => [f.path, f.entry, f.line, f.source, f.keySha256]);
    expect(got).toEqual([
      ['docs/setup.md', 'data URI #1 (line 5)', 0, 'image', SHOT_KEY_SHA],
      ['docs/setup.md', undefined, 7, 'file', sha(k2)],
      ['plain.html', undefined, 2, 'file', sha(k3)],
      ['site/index.html', 'data URI #1 (line 7)', 0, 'image', SHOT_KEY_SHA],
      ['site/index.html', undefined, 5, 'file', sha(k1)],
    ]);
    expect(report.skipped).toEqual([]);
  });

  it('bad base64 in a data URI is reported as skipped, the page still scanned', () => {
    const root = tempDir();
    const key = makeV2Key();
    writeTree(root, { 'bad.html': `<img src="data:image/png;base64,iVBOR!!">\n<p>${key}</p>\n` });
    const { run, report } = scanJson([root, '--no-cache']);
    expect(run.code).toBe(1);
    expect(report.findings.map((f) => [f.path, f.line, f.source])).toEqual([['bad.html', 2, 'file']]);
    expect(report.skipped).toEqual([{ path: 'bad.html!data URI #1 (line 1)', reason: expect.stringMatching(/invalid base64/), unread: false }]);
  });
});
