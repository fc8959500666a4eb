// Keys hidden in the encodings the README lists, one file per case, found with the
// layers named in `encoding` and at the line where the encoded key starts; random
// encoded data that holds no key gives nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { makeBrokenV2Key, makeV2Key } from '../support/keys.js';
import { b64, binary, ENCODED_KEYS, utf16, wrap, type EncodedCase } from '../support/encoded-keys.js';
import { scanJson, tempDir, writeTree, type JsonFinding } from '../support/cli.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
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
  const file = (c: EncodedCase) => `case-${ENCODED_KEYS.indexOf(c)}.txt`;

  beforeAll(() => {
    const tree: Record<string, string | Buffer> = {};
    for (const c of ENCODED_KEYS) {
      const key = c.key ? c.key() : makeV2Key();
      keys.set(c.name, key);
      tree[file(c)] = c.content(key);
    }
    for (const [i, make] of Object.values(NEGATIVES).entries()) tree[`negative-${i}.txt`] = make();
    writeTree(root, tree);
    findings = scanJson([root]).report.findings;
  });

  it.each(ENCODED_KEYS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
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
