// Keys hidden in the encodings the README lists, one case each: what the scanner must
// find (test/cli/encodings.test.ts) and what must block the pre-commit hook's exact call
// (test/git/staged-glance.test.ts), with the layers named in `encoding` and the line
// where the encoded key starts.
import { randomBytes } from 'node:crypto';
import { makeV1Key } from './keys.js';

export const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
export const utf16 = (s: string) => Buffer.from(s, 'utf16le');
/** Lines of `width` characters, as the `base64` command (76) or PEM (64) writes them. */
export const wrap = (text: string, width: number, eol = '\n', indent = '') => text.match(new RegExp(`.{1,${width}}`, 'g'))!.map((l) => indent + l).join(eol);
/** Random bytes without a newline, so lines stay countable. */
export const binary = (n: number) => Buffer.from([...randomBytes(n)].map((b) => (b === 0x0a ? 0x0b : b)));

/** Line (1-based) of base64 character `char` when wrapped at `width`, the wrapped text starting on line `first`. */
const wrappedLine = (char: number, width: number, first = 1) => first + Math.floor(char / width);
/** Base64 character where the quartet holding byte `offset` of the decoded text starts. */
const quartet = (offset: number) => Math.floor(offset / 3) * 4;

export interface EncodedCase {
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

export const ENCODED_KEYS: EncodedCase[] = [
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

