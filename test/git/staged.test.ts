// `staged` on real repositories: the index, not the work tree; added lines only by
// default; text read from the diff and binary content from git, byte for byte.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { runCli, tempDir } from '../support/cli.js';
import { TestRepo } from '../support/git.js';
import { docx, zip } from '../fixtures/documents/make.js';

const OCR_NOTICE = 'spreeflo-scan: reading pictures with OCR (a few seconds while the engine loads; `ocr: false` in the config turns it off)…\n';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function staged(repo: TestRepo, args: string[] = []) {
  const run = runCli(['staged', '--format', 'json', '--no-cache', ...args], { cwd: repo.dir });
  if (run.code === 2) throw new Error(run.stderr);
  return { code: run.code, findings: JSON.parse(run.stdout).findings as Array<{ path: string; line: number; column: number; keySha256: string; source: string }> };
}

interface Case {
  name: string;
  /** Committed before; null for nothing. */
  head?: Record<string, string | Buffer>;
  /** Written and staged. */
  index: (key: string) => Record<string, string | Buffer>;
  /** Written after staging (the work tree differs from the index). */
  workTree?: (key: string) => Record<string, string | Buffer>;
  args?: string[];
  expect: Array<{ path: string; line: number; column?: number }>;
}

const CASES: Case[] = [
  { name: 'a new file', index: (k) => ({ 'a.env': `X=1\nKEY=${k}\n` }), expect: [{ path: 'a.env', line: 2, column: 5 }] },
  { name: 'a key in the index, the work tree cleaned', index: (k) => ({ 'a.env': `KEY=${k}\n` }), workTree: () => ({ 'a.env': 'KEY=\n' }), expect: [{ path: 'a.env', line: 1 }] },
  { name: 'a key only in the work tree', index: () => ({ 'a.env': 'KEY=\n' }), workTree: (k) => ({ 'a.env': `KEY=${k}\n` }), expect: [] },
  {
    name: 'lines of the staged version, after lines removed above',
    head: { 'app.py': 'one\ntwo\nthree\nfour\n' },
    index: (k) => ({ 'app.py': `one\nfour\nKEY = "${k}"\n` }),
    expect: [{ path: 'app.py', line: 3, column: 8 }],
  },
  { name: 'no final newline', index: (k) => ({ 'last.txt': `first\n${k}` }), expect: [{ path: 'last.txt', line: 2, column: 1 }] },
  { name: 'CRLF', index: (k) => ({ 'w.ini': `[a]\r\nkey=${k}\r\n` }), expect: [{ path: 'w.ini', line: 2, column: 5 }] },
  { name: 'a line that starts with ++', index: (k) => ({ 'c.txt': `++ counter\n${k}\n` }), expect: [{ path: 'c.txt', line: 2 }] },
  { name: 'Latin-1 bytes before the key', index: (k) => ({ 'l.txt': Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(` ${k}\n`)]) }), expect: [{ path: 'l.txt', line: 1, column: 6 }] },
  { name: 'a binary file (read from git)', index: (k) => ({ 'b.bin': Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(k), Buffer.from([0])]) }), expect: [{ path: 'b.bin', line: 1 }] },
  { name: 'UTF-16 (binary to git)', index: (k) => ({ 'u.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`x\nkey=${k}\n`, 'utf16le')]) }), expect: [{ path: 'u.txt', line: 2, column: 5 }] },
  { name: 'an odd path', index: (k) => ({ 'dir with space/"q"\tä.env': `K=${k}\n` }), expect: [{ path: 'dir with space/"q"\tä.env', line: 1 }] },
];

describe('staged', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const repo = new TestRepo();
    repo.commit('init', { 'README.md': '# x\n', ...(c.head ?? {}) });
    const key = makeV2Key();
    repo.write(c.index(key));
    repo.git('add', '-A');
    if (c.workTree) repo.write(c.workTree(key));
    const { code, findings } = staged(repo, c.args);
    expect(findings.map((f) => ({ path: f.path, line: f.line, ...(c.expect.find((e) => e.path === f.path)?.column ? { column: f.column } : {}) }))).toEqual(c.expect);
    for (const f of findings) expect(f.keySha256).toBe(sha(key));
    expect(code).toBe(c.expect.length ? 1 : 0);
    // The hook's exact call (its own CommonJS bundle) decides the same, and says where.
    const hook = runCli(['staged'], { cwd: repo.dir });
    expect(hook.code).toBe(code);
    // The text report shows a path's control characters escaped (a tab as \t).
    for (const e of c.expect) expect(hook.stdout).toContain(`${e.path.replaceAll('\t', '\\t')}:${e.line}`);
    expect(hook.stdout + hook.stderr).not.toContain(key);
  });

  // The hook's bundle holds the readers and OCR too, loaded only when a commit needs them.
  const IMAGES = join(import.meta.dirname, '..', 'fixtures', 'images');
  const shot = JSON.parse(readFileSync(join(IMAGES, 'manifest.json'), 'utf8')).images[0] as { file: string; keys: Array<{ key: string }> };
  it.each([
    ['a screenshot', () => ({ 'docs/shot.png': readFileSync(join(IMAGES, shot.file)) }), 'docs/shot.png', shot.keys[0]!.key],
    ['a zip archive', (k: string) => ({ 'dist/bundle.zip': zip({ 'conf/app.env': `KEY=${k}\n` }) }), 'dist/bundle.zip', null],
    ['a Word document', (k: string) => ({ 'docs/setup.docx': docx([`Use ${k} to log in.`]) }), 'docs/setup.docx', null],
  ] as const)('the hook call finds a key in %s', (_name, files, path, fixedKey) => {
    const repo = new TestRepo();
    repo.commit('init', { 'README.md': '# x\n' });
    const key = fixedKey ?? makeV2Key();
    repo.write(files(key));
    repo.git('add', '-A');
    // A cache that has not seen the picture: the engine starts, and the hook says so in one line.
    const hook = runCli(['staged'], { cwd: repo.dir, env: { SPREEFLO_SCAN_CACHE_DIR: tempDir() } });
    expect(hook.stderr).toBe(path.endsWith('.png') ? OCR_NOTICE : '');
    expect(hook.code).toBe(1);
    expect(hook.stdout).toContain(path);
    expect(hook.stdout).not.toContain(key);
  });

  it("scan --hook says when OCR starts too (the framework's entry gives --no-progress); committed ocr: false skips the pixels, and the wait", () => {
    const repo = new TestRepo();
    repo.commit('init', { 'README.md': '# x\n' });
    repo.write({ 'docs/shot.png': readFileSync(join(IMAGES, shot.file)) });
    repo.git('add', '-A');
    const framework = runCli(['scan', '--no-progress', '--unread=fail', '--hook', '--', 'docs/shot.png'], { cwd: repo.dir, env: { SPREEFLO_SCAN_CACHE_DIR: tempDir() } });
    expect(framework.stderr).toBe(OCR_NOTICE);
    expect(framework.code).toBe(1);
    repo.commit('a fast hook', { '.spreeflo-scan.yaml': 'ocr: false\n' });
    repo.write({ 'docs/other.png': readFileSync(join(IMAGES, shot.file)) });
    repo.git('add', '-A');
    const fast = runCli(['staged'], { cwd: repo.dir, env: { SPREEFLO_SCAN_CACHE_DIR: tempDir() } });
    expect(fast.stderr).toBe('');
    expect(fast.code).toBe(0);
    expect(fast.stdout).toContain('docs/other.png: pixels not read (OCR is off)');
  });

  it('by default a key already committed in a modified file does not block; --all-staged reports it', () => {
    const repo = new TestRepo();
    const key = makeV2Key();
    repo.commit('old key', { 'k.env': `KEY=${key}\n` });
    writeFileSync(join(repo.dir, 'k.env'), `KEY=${key}\nOTHER=1\n`);
    repo.git('add', 'k.env');
    expect(staged(repo).findings).toEqual([]);
    expect(staged(repo, ['--all-staged']).findings.map((f) => [f.path, f.line])).toEqual([['k.env', 1]]);
  });

  it('outside a repository exits 2 with a clear message', () => {
    const run = runCli(['staged'], { cwd: new TestRepo().dir + '/..' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a git repository/);
  });
});
