// Base64 and base64url whose text holds `-` or `_`: base64url of text dense in `?`, `>`
// or `~` (each such byte at the end of a triplet encodes as `-` or `_`), base64 joined to
// a name (`token-<base64>`), and both wrapped over lines or escaped in JSON. Every join
// could be where the base64 starts, or just a digit of it: the key is found either way,
// before or after the joins, at any offset in its triplets.
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { makeV2Key } from '../support/keys.js';
import { scanJson, tempDir, writeTree, type JsonFinding } from '../support/cli.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const wrap = (text: string, width: number, eol: string) => text.match(new RegExp(`.{1,${width}}`, 'g'))!.join(eol);

/** What is encoded around the key: its text decides how many `-`/`_` the encoding holds, and where. */
const INNER: Record<string, (k: string) => string> = {
  'dense ?>~ around': (k) => `??>>~~${k}??>>~~`,
  'dense ?>~, key first': (k) => `${k}${'?>~'.repeat(12)}`,
  'env line after dense ?>~': (k) => `${'~?>'.repeat(10)}\nSPREEFLO_API_KEY=${k}\n${'>~?'.repeat(10)}`,
};

/** Bytes before the text, so the key falls at each offset in its triplets (not letters: a key glued to a word is no key). */
const SHIFTS = ['', '=', '= '];

const ENCODE: Record<string, (s: string) => string> = {
  base64: (s) => Buffer.from(s).toString('base64'),
  base64url: (s) => Buffer.from(s).toString('base64url'),
};

/** How the encoded text sits in the file. */
const LAYOUT: Record<string, (e: string) => string> = {
  'on its own line': (e) => `${e}\n`,
  'joined to a name by -': (e) => `secret: api-token-${e}\n`,
  'joined to a snake_case name': (e) => `export SYNC_JOB_TOKEN_${e}\n`,
  'wrapped at 76 columns': (e) => `${wrap(e, 76, '\n')}\n`,
  'wrapped at 64 columns, CRLF': (e) => `-----BEGIN DATA-----\r\n${wrap(e, 64, '\r\n')}\r\n-----END DATA-----\r\n`,
};

interface Case {
  name: string;
  content: (k: string) => string;
}

const CASES: Case[] = [];
for (const [inner, text] of Object.entries(INNER)) {
  for (const [encoding, encode] of Object.entries(ENCODE)) {
    for (const [layout, place] of Object.entries(LAYOUT)) {
      for (const shift of SHIFTS) {
        // Three layouts by every shift, the others once: the shifts matter most where the text is cut.
        if (shift !== '' && !layout.startsWith('on its own') && !layout.startsWith('joined to a name')) continue;
        CASES.push({ name: `${encoding} of ${inner}, shifted ${shift.length}, ${layout}`, content: (k) => place(encode(shift + text(k))) });
      }
    }
  }
}
for (const shift of SHIFTS) {
  // `?` encodes as `/` in standard base64: JSON writes it `\/`.
  CASES.push({ name: `base64 in JSON with \\/, shifted ${shift.length}`, content: (k) => `{"blob":"${ENCODE.base64!(shift + INNER['dense ?>~ around']!(k)).replaceAll('/', '\\/')}"}\n` });
}
CASES.push(
  { name: 'base64 wrapped at 76 columns, joined to a name on its first line', content: (k) => `token-${wrap(ENCODE.base64!(INNER['env line after dense ?>~']!(k)), 76, '\n')}\n` },
  { name: 'base64url wrapped at 76 columns inside a JSON string (\\n)', content: (k) => `{"pem": "${wrap(ENCODE.base64url!(INNER['dense ?>~ around']!(k)), 76, '\\n')}"}\n` },
  { name: 'two base64url pieces joined by _', content: (k) => `${ENCODE.base64url!(`~~~${k}~~~`)}_${ENCODE.base64url!(`???${makeV2Key().slice(0, 10)}`)}\n` },
  { name: 'base64url after a kebab-case path', content: (k) => `url=/api-v2/sync-jobs/run_now/${ENCODE.base64url!(INNER['dense ?>~ around']!(k))}\n` },
);

const NEGATIVES: Record<string, () => string> = {
  'random base64url, wrapped': () => `${wrap(randomBytes(30_000).toString('base64url'), 76, '\n')}\n`,
  'snake_case and kebab-case names': () => `${'some_long_snake_case_identifier_name_with_many_parts-and-kebab-case-too '.repeat(200)}\n`,
  'random base64url joined to names': () => Array.from({ length: 200 }, () => `job-token_${randomBytes(60).toString('base64url')}`).join('\n'),
};

describe('scan: base64 and base64url with `-` and `_` inside', () => {
  const root = tempDir();
  const keys: string[] = [];
  let findings: JsonFinding[] = [];

  beforeAll(() => {
    const tree: Record<string, string> = {};
    CASES.forEach((c, i) => {
      keys[i] = makeV2Key();
      tree[`case-${i}.txt`] = c.content(keys[i]!);
    });
    for (const [i, make] of Object.values(NEGATIVES).entries()) tree[`negative-${i}.txt`] = make();
    writeTree(root, tree);
    findings = scanJson([root]).report.findings;
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const here = findings.filter((f) => f.path === `case-${i}.txt`);
    expect(here.map((f) => f.keySha256)).toEqual([sha(keys[i]!)]);
    expect(here[0]!.encoding).toBe('base64');
    expect(String(here[0]!.snippet)).not.toContain(keys[i]!.slice(8, -4));
  });

  it.each(Object.keys(NEGATIVES).map((name, i) => [name, i] as const))('nothing from %s', (_name, i) => {
    expect(findings.filter((f) => f.path === `negative-${i}.txt`)).toEqual([]);
  });
});
