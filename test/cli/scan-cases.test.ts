// The scanner over a tree of real-looking files: every planted key at its line,
// nothing from the decoys, and no key in full in the text report.
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { makeBrokenV2Key, makeV1Key, makeV2Key } from '../support/keys.js';
import { runCli, scanJson, tempDir, writeTree, type JsonFinding } from '../support/cli.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const b64 = (s: string) => Buffer.from(s).toString('base64');

interface Planted {
  name: string;
  path: string;
  content: (key: string) => string | Buffer;
  key?: () => string;
  line: number;
  column?: number;
  encoding?: string;
}

const filler = (n: number) => Array.from({ length: n }, (_, i) => `2026-11-27T10:00:${String(i % 60).padStart(2, '0')}Z INFO request ${i} served in ${i % 97} ms`).join('\n');

const PLANTED: Planted[] = [
  { name: 'deep folder', path: 'a/b/c/d/e/f/deep.env', content: (k) => `K=${k}\n`, line: 1, column: 3 },
  { name: 'dotenv', path: '.env', content: (k) => `# local settings\nSPREEFLO_API_KEY=${k}\n`, line: 2, column: 18 },
  { name: 'json string', path: 'config/app.json', content: (k) => `{\n  "spreeflo": { "apiKey": "${k}" }\n}\n`, line: 2, column: 28 },
  { name: 'notebook with escaped newline', path: 'nb/analysis.ipynb', content: (k) => JSON.stringify({ cells: [{ cell_type: 'code', source: ['import spreeflo\n', `client = spreeflo.Client("x\\n${k}")\n`] }] }, null, 1), line: 7 },
  { name: 'kubernetes secret base64', path: 'k8s/secret.yaml', content: (k) => `apiVersion: v1\nkind: Secret\ntype: Opaque\ndata:\n  SPREEFLO_KEY: ${b64(k)}\n`, line: 5, column: 17, encoding: 'base64' },
  { name: 'base64 of an env file', path: 'ci/vars.txt', content: (k) => `ENV_B64=${b64(`A=1\nSPREEFLO=${k}\nB=2\n`)}\n`, line: 1, column: 26, encoding: 'base64' },
  { name: 'utf-16le with bom', path: 'win/settings.ini', content: (k) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`[api]\r\nkey=${k}\r\n`, 'utf16le')]), line: 2, column: 5, encoding: 'utf-16le' },
  { name: 'utf-16be with bom', path: 'win/be.txt', content: (k) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(`x\nkey=${k}\n`, 'utf16le').swap16()]), line: 2, column: 5, encoding: 'utf-16be' },
  { name: 'crlf', path: 'src/crlf.cs', content: (k) => `using X;\r\n\r\nvar key = "${k}";\r\n`, line: 3, column: 12 },
  { name: 'no final newline', path: 'src/last.txt', content: (k) => `first\nsecond ${k}`, line: 2, column: 8 },
  { name: 'minified megabyte line', path: 'dist/app.min.js', content: (k) => `${'var a=1;'.repeat(250_000)}var k="${k}";`, line: 1, column: 2_000_008 },
  { name: 'multi-megabyte log', path: 'logs/app.log', content: (k) => `${filler(60_000)}\nERROR auth failed for key=${k} retrying\n${filler(20_000)}\n`, line: 60_001, column: 27 },
  { name: 'binary with printable run', path: 'bin/blob.dat', content: (k) => Buffer.concat([Buffer.from([0, 1, 2, 0, 255, 0]), Buffer.from(k), Buffer.from([0, 0, 7])]), line: 1, column: 7 },
  { name: 'invalid utf-8 before key', path: 'data/latin1.txt', content: (k) => Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(` key ${k}\n`)]), line: 1 },
  { name: 'unicode before key', path: 'docs/fr.md', content: (k) => `Clé d’API : ${k}\n`, line: 1, column: 13 },
  { name: 'url-encoded query', path: 'logs/access.log', content: (k) => `GET /hook?cfg=api_key%3D${k}%26x HTTP/1.1\n`, line: 1, column: 25 },
  { name: 'markdown code block', path: 'README.md', content: (k) => `# Setup\n\n\`\`\`sh\nexport SPREEFLO_API_KEY="${k}"\n\`\`\`\n`, line: 4, column: 26 },
  { name: 'html attribute', path: 'web/index.html', content: (k) => `<html><body>\n<div data-key='${k}'></div>\n</body></html>\n`, line: 2, column: 16 },
  { name: 'v1 in python', path: 'legacy/client.py', key: () => makeV1Key(7), content: (k) => `import requests\nAPI_KEY = "${k}"\n`, line: 2, column: 12 },
  { name: 'v1 in yaml dc 24', path: 'legacy/conf.yml', key: () => makeV1Key(24), content: (k) => `spreeflo:\n  key: ${k}\n`, line: 2, column: 8 },
  { name: 'v1 base64', path: 'legacy/secret.yaml', key: () => makeV1Key(12), content: (k) => `data:\n  key: ${b64(k)}\n`, line: 2, column: 8, encoding: 'base64' },
];

const DECOYS: Record<string, string> = {
  'decoy/wrong-checksum.env': `KEY=${makeBrokenV2Key()}\n`,
  'decoy/glued.txt': `mysfk_${makeV2Key().slice(4)} and key_${makeV2Key()}\n`,
  'decoy/long.txt': `${makeV2Key()}X\n${makeV2Key().slice(0, -1)}\n`,
  'decoy/hex.txt': `0${makeV1Key(7)}\n${randomHex(32)}-sf0\n${randomHex(32)}-sf25\n${randomHex(32)}-sf07\n${randomHex(32).toUpperCase()}-sf3\n`,
  'decoy/masked.md': 'Your key: sfk_••••••••••••••••••••••••••••••••cF8u\n',
  'decoy/placeholder.env': 'SPREEFLO_API_KEY=sfk_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n',
  'decoy/upper.txt': `${makeV2Key().replace('sfk_', 'SFK_')}\n`,
  'decoy/b64-broken.yaml': `data:\n  k: ${b64(makeBrokenV2Key())}\n`,
  'decoy/random-b64.txt': `blob: ${Buffer.from(randomHex(400), 'hex').toString('base64')}\n`,
  'decoy/clean.ts': 'export const answer = 42;\n',
  // git's own folders (HEAD and objects) are not part of the tree (history is `history`'s business).
  '.git/config': `[remote "origin"]\n\turl = https://x:${makeV2Key()}@example.com/repo.git\n`,
  '.git/HEAD': 'ref: refs/heads/main\n',
  '.git/objects/info/packs': '',
  'sub/.git/objects/info': `${makeV2Key()}\n`,
  'sub/.git/HEAD': 'ref: refs/heads/main\n',
};

function randomHex(n: number): string {
  return Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
}

describe('scan: planted keys and decoys', () => {
  const root = tempDir();
  const keys = new Map<string, string>();
  let findings: JsonFinding[] = [];
  let code = -1;

  beforeAll(() => {
    const files: Record<string, string | Buffer> = { ...DECOYS };
    for (const p of PLANTED) {
      const key = p.key ? p.key() : makeV2Key();
      keys.set(p.name, key);
      files[p.path] = p.content(key);
    }
    writeTree(root, files);
    const { run, report } = scanJson([root]);
    findings = report.findings;
    code = run.code;
  });

  it('exits 1 when keys are found', () => expect(code).toBe(1));

  it.each(PLANTED.map((p) => [p.name, p] as const))('finds the key: %s', (_name, p) => {
    const key = keys.get(p.name)!;
    const here = findings.filter((f) => f.path === p.path);
    expect(here).toHaveLength(1);
    const f = here[0]!;
    expect(f.keySha256).toBe(sha(key));
    expect(f.line).toBe(p.line);
    if (p.column !== undefined) expect(f.column).toBe(p.column);
    expect(f.confidence).toBe('high');
    expect(f.source).toBe('file');
    if (p.encoding) expect(f.encoding).toBe(p.encoding);
    expect(f.redacted).not.toContain(key.slice(8, -4));
  });

  it('reports nothing but the planted keys', () => {
    expect(findings.map((f) => f.path).sort()).toEqual(PLANTED.map((p) => p.path).sort());
  });

  it('never prints a key in full in the text report', () => {
    const run = runCli(['scan', root]);
    expect(run.code).toBe(1);
    for (const key of keys.values()) {
      expect(run.stdout).not.toContain(key);
      expect(run.stdout).not.toContain(key.slice(8, -4));
    }
    expect(run.stdout).toContain(`${keys.get('dotenv')!.slice(0, 8)}…${keys.get('dotenv')!.slice(-4)}`);
  });

  it('prints whole keys only with --show-secrets', () => {
    const run = runCli(['scan', root, '--show-secrets']);
    expect(run.stdout).toContain(keys.get('dotenv')!);
  });
});

describe('scan: the same key in several files', () => {
  it('groups the places under one key', () => {
    const root = tempDir();
    const key = makeV2Key();
    writeTree(root, { 'a.env': `K=${key}\n`, 'b/c.yaml': `k: ${key}\n`, 'b/d.json': `{"k":"${key}"}` });
    const { report } = scanJson([root]);
    expect(report.findings).toHaveLength(3);
    expect(report.keys).toHaveLength(1);
    expect(report.keys[0].occurrences).toBe(3);
  });
});

describe('scan: skipped files are listed with the reason', () => {
  it.each([
    ['broken symlink', (root: string) => symlinkSync(join(root, 'missing'), join(root, 'dangling')), [], 'dangling', /broken symlink/],
    ['symlink loop', (root: string) => symlinkSync(root, join(root, 'sub', 'loop')), ['--follow-symlinks'], 'sub/loop', /symlink loop/],
    ['folder link not followed', (root: string) => symlinkSync(join(root, 'sub'), join(root, 'link')), [], 'link', /not followed/],
    ['too large', () => undefined, ['--max-file-size', '1KB'], 'big.log', /too large/],
  ] as const)('%s', (_name, setup, flags, path, reason) => {
    const root = tempDir();
    writeTree(root, { 'sub/a.txt': 'nothing here\n', 'big.log': 'x'.repeat(4096) });
    setup(root);
    const { run, report } = scanJson([root, ...flags]);
    expect(run.code).toBe(0);
    const entry = report.skipped.find((s: { path: string }) => s.path === path);
    expect(entry?.reason).toMatch(reason);
  });
});

describe('scan: the summary counts every file and byte read', () => {
  it('with worker threads, a document and files at the read buffer size', () => {
    const root = tempDir();
    const key = makeV2Key();
    const MiB = 1024 * 1024;
    const tree: Record<string, string | Buffer> = {
      // The reused read buffer is 1 MiB: one byte under, exactly, one over; a key at the very end.
      'edge/under.txt': `${'x'.repeat(MiB - 42)}\n${key}`,
      'edge/exact.txt': `${'x'.repeat(MiB - 41)}\n${key}`,
      'edge/over.txt': `${'x'.repeat(MiB - 40)}\n${key}`,
      'edge/empty.txt': '',
    };
    // Enough files for the worker pool, so results arrive while the picture is read.
    for (let i = 0; i < 400; i++) tree[`many/${i}.txt`] = `line ${i}\n`.repeat(i);
    writeTree(root, tree);
    // A document, read on the main thread while the workers' results come in.
    copyFileSync(join('test/fixtures/media', 'chromium-print.pdf'), join(root, 'doc.pdf'));
    const { run, report } = scanJson([root]);
    expect(run.code, run.stderr).toBe(1);
    const files = [...Object.values(tree), readFileSync(join(root, 'doc.pdf'))];
    expect(report.summary).toMatchObject({ files: files.length, bytes: files.reduce((n, c) => n + Buffer.byteLength(c), 0) });
    expect(report.findings.filter((f) => f.path !== 'doc.pdf').map((f) => [f.path, f.line, f.column])).toEqual([
      ['edge/exact.txt', 2, 1],
      ['edge/over.txt', 2, 1],
      ['edge/under.txt', 2, 1],
    ]);
  });

  // Once its own files are done the main thread takes files the worker holds and has not
  // begun (from the last sent): each is read by one thread, its keys reported once.
  it('each file read once, by whichever thread claims it first', () => {
    const root = tempDir();
    const tree: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) tree[`f/${String(i).padStart(4, '0')}.env`] = `${'# filler\n'.repeat(i % 50)}KEY=${makeV2Key()}\n`;
    writeTree(root, tree);
    const { run, report } = scanJson([root, '--no-progress']);
    expect(run.code, run.stderr).toBe(1);
    expect(report.summary).toMatchObject({ files: 1000, bytes: Object.values(tree).reduce((n, c) => n + Buffer.byteLength(c), 0) });
    expect(report.findings.map((f) => f.path)).toEqual(Object.keys(tree).sort());
  });
});
