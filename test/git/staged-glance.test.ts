// The hook's exact call (`spreeflo-scan staged`) runs the detector on a commit of plain
// text in its small entry (dist/hook.cjs) and loads the full scan (dist/hook-scan.cjs)
// only when something needs it. Every way a key can be staged must still block the
// commit through that entry: each encoding the detector decodes, each kind of file a
// reader or OCR opens, settings in HEAD. Which bundles a run loaded is read from Node's
// own module cache at exit (a --require'd file), not guessed from timings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { ENCODED_KEYS } from '../support/encoded-keys.js';
import { runCli, tempDir } from '../support/cli.js';
import { TestRepo } from '../support/git.js';
import { gzip, tar } from '../fixtures/documents/make.js';

const watch = tempDir('sfscan-glance-');
const PRELOAD = join(watch, 'loaded.cjs');
writeFileSync(
  PRELOAD,
  "process.on('exit', () => require('node:fs').writeFileSync(process.env.SPREEFLO_TEST_LOADED, Object.keys(require.cache).filter((f) => /[\\\\/]dist[\\\\/]/.test(f)).map((f) => require('node:path').basename(f)).join('\\n')));\n",
);

/** The hook's exact call, and the dist/ bundles it loaded. */
function hook(repo: TestRepo) {
  const out = join(watch, `loaded-${Math.random().toString(36).slice(2)}`);
  const run = runCli(['staged'], { cwd: repo.dir, env: { NODE_OPTIONS: `--require ${PRELOAD}`, SPREEFLO_TEST_LOADED: out, SPREEFLO_SCAN_CACHE_DIR: tempDir() } });
  const loaded = readFileSync(out, 'utf8').split('\n');
  rmSync(out);
  return { ...run, full: loaded.includes('hook-scan.cjs'), loaded };
}

/** A repository with one commit; `files` staged on top of it. */
function staging(files: Record<string, string | Buffer>, head: Record<string, string> = {}): TestRepo {
  const repo = new TestRepo();
  repo.commit('init', { 'README.md': '# x\n', ...head });
  repo.write(files);
  repo.git('add', '-A');
  return repo;
}

afterAll(() => rmSync(watch, { recursive: true, force: true }));

describe('the hook entry: a clean commit of plain text', () => {
  it('is reported from the small entry, with the full scan\'s line and exit code', () => {
    const files = { 'src/app.ts': 'export const answer = 42;\n', 'notes.md': '# Notes\n\nNothing secret here.\n', 'run.sh': 'curl -sf https://example.com/health\n' };
    const repo = staging(files);
    const fast = hook(repo);
    expect(fast.loaded).toContain('hook.cjs');
    expect(fast.full).toBe(false);
    expect(fast.code).toBe(0);
    expect(fast.stderr).toBe('');
    // The ES module CLI (a flag takes it there) always runs the full scan.
    const full = runCli(['staged', '--no-progress'], { cwd: repo.dir });
    const seconds = (text: string) => text.replace(/in \d+\.\d\d s\)/, 'in N s)');
    expect(seconds(fast.stdout)).toBe(seconds(full.stdout));
    expect(fast.stdout).toMatch(/^✔ No Spreeflo keys found {2}\(3 files, 0\.1 KB in \d+\.\d\d s\)\n$/);
  });

  it('with nothing staged', () => {
    const repo = staging({});
    const fast = hook(repo);
    expect([fast.code, fast.full]).toEqual([0, false]);
    expect(fast.stdout).toMatch(/^✔ No Spreeflo keys found {2}\(0 files, 0\.0 KB in/);
  });

  it('outside a repository exits 2 from the small entry', () => {
    const run = runCli(['staged'], { cwd: join(new TestRepo().dir, '..') });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^spreeflo-scan: not a git repository/);
  });
});

describe('the hook entry: every encoded key blocks the commit', () => {
  // One repository, one case staged at a time.
  const repo = new TestRepo();
  beforeAll(() => repo.commit('init', { 'README.md': '# x\n' }));

  it.each(ENCODED_KEYS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const key = c.key ? c.key() : makeV2Key();
    repo.write({ 'case.txt': c.content(key) });
    repo.git('add', 'case.txt');
    const run = hook(repo);
    repo.git('rm', '-q', '--cached', 'case.txt');
    expect(run.code).toBe(1);
    expect(run.full).toBe(true);
    expect(run.stdout).toContain(`case.txt:${typeof c.line === 'number' ? c.line : c.line(key)}`);
    expect(run.stdout + run.stderr).not.toContain(key);
  });
});

describe('the hook entry: what needs more than the detector goes to the full scan', () => {
  const cases: Array<{ name: string; files: (key: string) => Record<string, string | Buffer> | Promise<Record<string, string | Buffer>>; head?: Record<string, string>; code: number; says: string | RegExp }> = [
    { name: 'a key in a file name', files: (k) => ({ [`keys/${k}.txt`]: 'nothing inside\n' }), code: 1, says: /keys\/sfk_/ },
    { name: 'a key in a folder name', files: (k) => ({ [`${k}/notes.txt`]: 'nothing inside\n' }), code: 1, says: /sfk_\S+\/?/ },
    { name: 'a gzip named as text', files: (k) => ({ 'dump.txt': gzip(`KEY=${k}\n`) }), code: 1, says: 'dump.txt' },
    { name: 'a tar archive', files: async (k) => ({ 'backup.tar': await tar([{ name: 'app/.env', body: `KEY=${k}\n` }]) }), code: 1, says: 'backup.tar' },
    { name: 'a page with a picture as a data URI', files: (k) => ({ 'page.html': `<p>${k}</p><img src="data:image/png;base64,iVBORw0KGgo=">\n` }), code: 1, says: 'page.html' },
    // Git diffs an empty new file with no hunk: its blob is read, by the full scan.
    { name: 'an empty file', files: () => ({ '__init__.py': '' }), code: 0, says: /1 file, 0\.0 KB/ },
    { name: 'a file named as a container that is not one', files: () => ({ 'fake.zip': 'just text, no key\n' }), code: 0, says: 'fake.zip' },
    { name: 'a file named as a picture that is not one', files: () => ({ 'fake.png': 'just text, no key\n' }), code: 0, says: 'fake.png' },
    // A committed setting changes what is read: here a size limit under the file's size.
    { name: 'settings in HEAD', head: { '.spreeflo-scan.yaml': 'maxFileSize: 10B\n' }, files: () => ({ 'long.txt': 'a line longer than ten bytes\n' }), code: 1, says: 'long.txt' },
    { name: 'settings staged (the report notes it)', files: () => ({ '.spreeflo-scan.yaml': 'ocr: false\n' }), code: 0, says: 'this commit changes .spreeflo-scan.yaml' },
    // Candidates go to the filters: a documented example key is set aside, not blocked.
    // The legacy rule's documented example (rules/spreeflo-api-key-v1.yaml).
    { name: 'a documented example key', files: () => ({ 'docs.txt': 'SPREEFLO_KEY=25cb257fab5a20f4284a1675da214991-sf7\n' }), code: 0, says: /documented example key/ },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const key = makeV2Key();
    const repo = staging(await c.files(key), c.head);
    const run = hook(repo);
    expect(run.full).toBe(true);
    expect(run.code).toBe(c.code);
    expect(run.stdout).toMatch(typeof c.says === 'string' ? new RegExp(c.says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : c.says);
    expect(run.stdout + run.stderr).not.toContain(key);
  });
});
