// Keys hidden in the encodings the README lists, one file per case, found with the
// layers named in `encoding` and at the line where the encoded key starts; random
// encoded data that holds no key gives nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { makeBrokenV2Key, makeV1Key, makeV2Key } from '../support/keys.js';
import { scanJson, tempDir, writeTree, type JsonFinding } from '../support/cli.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const utf16 = (s: string) => Buffer.from(s, 'utf16le');
/** Lines of `width` characters, as the `base64` command (76) or PEM (64) writes them. */
const wrap = (text: string, width: number, eol = '\n', indent = '') => text.match(new RegExp(`.{1,${width}}`, 'g'))!.map((l) => indent + l).join(eol);
/** Random bytes without a newline, so lines stay countable. */
const binary = (n: number) => Buffer.from([...randomBytes(n)].map((b) => (b === 0x0a ? 0x0b : b)));

/** Line (1-based) of base64 character `char` when wrapped at `width`, the wrapped text starting on line `first`. */
const wrappedLine = (char: number, width: number, first = 1) => first + Math.floor(char / width);
/** Base64 character where the quartet holding byte `offset` of the decoded text starts. */
const quartet = (offset: number) => Math.floor(offset / 3) * 4;

interface Case {
  name: string;
  key?: () => string;
  content: (key: string) => string | Buffer;
  line: number | ((key: string) => number);
  column?: number;
  encoding: string | undefined;
}

const ENV = (k: string) => `# settings for the sync job ${'x'.repeat(20)}\nSPREEFLO_API_KEY=${k}\n`;
// The key's byte offset in ENV's text: 48 + 1 + 17.
const ENV_KEY_AT = 66;

const CASES: Case[] = [
  { name: 'base64 inside base64', content: (k) => `${b64(b64(`KEY=${k}\n`))}\n`, line: 1, encoding: 'base64>base64' },
  { name: 'base64 three layers deep', content: (k) => `blob: ${b64(b64(b64(k)))}\n`, line: 1, column: 7, encoding: 'base64>base64>base64' },
  { name: 'base64 wrapped at 76 columns, key across the wrap', content: (k) => `${wrap(b64(ENV(k)), 76)}\n`, line: wrappedLine(quartet(ENV_KEY_AT), 76), encoding: 'base64' },
  {
    // The literal's own base64 (`c2Zr…`) cut by the wrap, not only the key's random body.
    name: 'base64 wrapped with the wrap inside sfk_',
    content: (k) => `${wrap(b64(`${'y'.repeat(55)}=${k}`), 76)}\n`,
    line: 1,
    encoding: 'base64',
  },
  { name: 'base64 wrapped at 64 columns with CRLF (PEM)', content: (k) => `-----BEGIN CONFIG-----\r\n${wrap(b64(ENV(k)), 64, '\r\n')}\r\n-----END CONFIG-----\r\n`, line: wrappedLine(quartet(ENV_KEY_AT), 64, 2), encoding: 'base64' },
  { name: 'base64 block in indented YAML', content: (k) => `data:\n  env: |\n${wrap(b64(ENV(k)), 76, '\n', '    ')}\n`, line: wrappedLine(quartet(ENV_KEY_AT), 76, 3), encoding: 'base64' },
  { name: 'base64 wrapped inside a JSON string (\\n)', content: (k) => `{"pem": "${wrap(b64(ENV(k)), 64, '\\n')}"}\n`, line: 1, encoding: 'base64' },
  {
    name: 'base64 of UTF-16 (PowerShell -EncodedCommand)',
    content: (k) => `powershell.exe -NoProfile -EncodedCommand ${b64(utf16(`$env:SPREEFLO_API_KEY = '${k}'; Sync-Contacts`))}\n`,
    line: 1,
    encoding: 'base64>utf-16le',
  },
  {
    // `???` encodes as `Pz8/`: the `/` before the key, escaped, must not shift the quartets after it.
    name: "JSON's \\/ inside base64",
    content: (k) => `{"blob":"${b64(`???\nKEY=${k}`).replaceAll('/', '\\/')}"}\n`,
    line: 1,
    encoding: 'base64',
  },
  { name: 'hex', content: (k) => `key_hex=${Buffer.from(k).toString('hex')}\n`, line: 1, column: 9, encoding: 'hex' },
  { name: 'hex, upper case, of an env line', content: (k) => `\n\n${Buffer.from(`KEY=${k}\n`).toString('hex').toUpperCase()}\n`, line: 3, encoding: 'hex' },
  { name: 'hex of a v1 key', key: () => makeV1Key(9), content: (k) => `legacy=${Buffer.from(k).toString('hex')}\n`, line: 1, encoding: 'hex' },
  { name: 'base64 of hex', content: (k) => `${b64(Buffer.from(k).toString('hex'))}\n`, line: 1, encoding: 'base64>hex' },
  { name: '\\uXXXX escape inside a key', content: (k) => `{"apiKey": "${k.slice(0, 12)}\\u00${k.charCodeAt(12).toString(16)}${k.slice(13)}"}\n`, line: 1, column: 13, encoding: 'unicode-escape' },
  { name: 'escaped quotes around a key: found as it is', content: (k) => `x = "\\u0022${k}\\u0022"\n`, line: 1, column: 12, encoding: undefined },
  { name: '\\uXXXX escape of the prefix', content: (k) => `{\n  "apiKey": "\\u0073fk_${k.slice(4)}"\n}\n`, line: 2, column: 14, encoding: 'unicode-escape' },
  {
    name: 'UTF-16 after 20 KB of binary (.NET assembly)',
    content: (k) => Buffer.concat([Buffer.from('MZ'), binary(20_000), Buffer.from([0, 0]), utf16(`ApiKey=${k}`), Buffer.from([0, 0]), binary(2000)]),
    line: 1,
    encoding: 'utf-16le',
  },
  { name: 'UTF-16LE Russian text without a byte-order mark', content: (k) => utf16(`${'Привет '.repeat(600)} key=${k}\n`), line: 1, column: 4206, encoding: 'utf-16le' },
  { name: 'UTF-16BE without a byte-order mark', content: (k) => utf16(`# sync settings\nkey=${k}\n`).swap16(), line: 2, column: 5, encoding: 'utf-16be' },
  // Column not checked: the line starts at the second byte of the UTF-16 newline.
  { name: 'UTF-16 followed by appended UTF-8', content: (k) => Buffer.concat([Buffer.from([0xff, 0xfe]), utf16('start\r\n'), Buffer.from(`appended KEY=${k}\n`)]), line: 2, encoding: undefined },
  { name: 'base64 inside a UTF-16 file', content: (k) => Buffer.concat([Buffer.from([0xff, 0xfe]), utf16(`# ps1\r\n$k = '${b64(k)}'\r\n`)]), line: 2, column: 7, encoding: 'utf-16le>base64' },
];

const nest = (s: string, layers: number): string => (layers === 0 ? s : nest(b64(s), layers - 1));

const NEGATIVES: Record<string, () => string | Buffer> = {
  'random base64, wrapped': () => `${wrap(randomBytes(48_000).toString('base64'), 76)}\n`,
  'random base64 inside base64': () => `${b64(randomBytes(30_000).toString('base64'))}\n`,
  'random hex': () => `${randomBytes(8000).toString('hex')}\n${randomBytes(8000).toString('hex').toUpperCase()}\n`,
  'random UTF-16 and binary': () => Buffer.concat([binary(40_000), utf16(randomBytes(3000).toString('base64'))]),
  'base64 and hex of a wrong checksum': () => `${b64(makeBrokenV2Key())}\n${Buffer.from(makeBrokenV2Key()).toString('hex')}\n`,
  'base64 of a key glued to a word': () => `${b64(`mysfk_${makeV2Key().slice(4)}`)}\n`,
  'backslashes between base64 letters (Windows paths)': () => `${'ProgramData\\'.repeat(6)}${'AbCdEfGhIj'.repeat(9)}\\x\n`.repeat(40),
  // The documented depth: a fourth layer of base64 is not decoded.
  'base64 four layers deep': () => `${nest(makeV2Key(), 4)}\n`,
};

describe('scan: keys in encodings', () => {
  const root = tempDir();
  const keys = new Map<string, string>();
  let findings: JsonFinding[] = [];
  const file = (c: Case) => `case-${CASES.indexOf(c)}.txt`;

  beforeAll(() => {
    const tree: Record<string, string | Buffer> = {};
    for (const c of CASES) {
      const key = c.key ? c.key() : makeV2Key();
      keys.set(c.name, key);
      tree[file(c)] = c.content(key);
    }
    for (const [i, make] of Object.values(NEGATIVES).entries()) tree[`negative-${i}.txt`] = make();
    writeTree(root, tree);
    findings = scanJson([root]).report.findings;
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const key = keys.get(c.name)!;
    const here = findings.filter((f) => f.path === file(c));
    expect(here.map((f) => f.keySha256)).toEqual([sha(key)]);
    const f = here[0]!;
    expect(f.line).toBe(typeof c.line === 'number' ? c.line : c.line(key));
    if (c.column !== undefined) expect(f.column).toBe(c.column);
    expect(f.encoding).toBe(c.encoding);
    expect(f.confidence).toBe('high');
    // The snippet never shows the key, plain or encoded.
    expect(String(f.snippet)).not.toContain(key.slice(8, -4));
    expect(String(f.snippet)).not.toContain(b64(key).slice(8, 40));
  });

  it.each(Object.keys(NEGATIVES).map((name, i) => [name, i] as const))('nothing from %s', (_name, i) => {
    expect(findings.filter((f) => f.path === `negative-${i}.txt`)).toEqual([]);
  });
});

describe('snippets never carry another key in any form the scanner decodes', () => {
  const hex = (s: string) => Buffer.from(s).toString('hex');
  it.each([
    { form: 'base64', encode: (k: string) => b64(`B=${k}`) },
    { form: 'base64 inside base64', encode: (k: string) => b64(b64(`B=${k}`)) },
    { form: 'hex', encode: (k: string) => hex(`B=${k}\n`) },
    { form: 'plain', encode: (k: string) => k },
    // `?` then `→` (e2 86 92) put a `-` in the middle of a quartet, ahead of the key.
    { form: 'base64url (`-_`, no padding)', encode: (k: string) => Buffer.from(`?→ B=${k}`).toString('base64url') },
    { form: 'base64 joined to a name by `-`', encode: (k: string) => `token-${b64(`B=${k}`)}` },
    { form: 'UTF-16LE', encode: (k: string) => Buffer.from(k, 'utf16le') },
    { form: 'UTF-16BE', encode: (k: string) => Buffer.from(k, 'utf16le').swap16() },
  ])('key B as $form on key A\'s line', ({ encode }) => {
    const [a, b] = [makeV2Key(), makeV2Key()];
    const dir = tempDir();
    const encoded = encode(b);
    writeTree(dir, { 'two.env': Buffer.concat([Buffer.from(`A=${a} B=`), Buffer.from(encoded), Buffer.from(' end\n')]) });
    const { report } = scanJson([dir, '--no-progress']);
    expect(report.findings.map((f) => f.keySha256).sort()).toEqual([sha(a), sha(b)].sort());
    for (const f of report.findings) {
      // A UTF-16 key reads whole once its zero bytes are left out.
      const snippet = String(f.snippet).replace(/\0/g, '');
      if (typeof encoded === 'string') expect(snippet).not.toContain(encoded);
      expect(snippet).not.toContain(b.slice(4, 30));
      expect(snippet).not.toContain(a.slice(4, 30));
    }
  });
});
