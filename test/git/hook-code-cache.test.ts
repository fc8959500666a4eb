// bin/ runs the hook's entry (dist/hook.cjs) from a V8 code cache that a run writes into
// dist/ at exit. Whatever the cache holds, or whether it can be written at all, the hook
// gives the same answer: a clean commit passes, a key blocks it. Each test runs a copy of
// the package, so the caches it makes and spoils are its own.
import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { tempDir } from '../support/cli.js';
import { TestRepo } from '../support/git.js';

/** bin/, dist/ (without caches), rules/ and package.json, with this checkout's node_modules. */
function packageCopy(): { root: string; dist: string; cache: string } {
  const root = tempDir('sfscan-pkg-');
  for (const part of ['bin', 'rules', 'package.json']) cpSync(part, join(root, part), { recursive: true });
  cpSync('dist', join(root, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.v8cache') && !src.includes('pdfjs') });
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
  const id = /^\/\/ spreeflo-scan hook ([0-9a-f]{16})\n/.exec(readFileSync(join(root, 'dist', 'hook.cjs'), 'utf8'))?.[1];
  expect(id).toBeDefined();
  return { root, dist: join(root, 'dist'), cache: join(root, 'dist', `hook-${id}.v8cache`) };
}

function hook(root: string, cwd: string) {
  const res = spawnSync(process.execPath, [join(root, 'bin', 'spreeflo-scan.js'), 'staged'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

const leftovers = (dist: string) => readdirSync(dist).filter((f) => f.endsWith('.tmp'));

/** A clean commit staged, and a second repository with a key staged. */
function repos(key: string) {
  const clean = new TestRepo();
  clean.commit('init', { 'README.md': '# x\n' });
  clean.write({ 'notes.md': '# Notes\n\nNothing secret here.\n' });
  clean.git('add', '-A');
  const leak = new TestRepo();
  leak.commit('init', { 'README.md': '# x\n' });
  leak.write({ 'config/prod.env': `SPREEFLO_API_KEY=${key}\n` });
  leak.git('add', '-A');
  return { clean, leak };
}

function expectAnswers(root: string, clean: TestRepo, leak: TestRepo, key: string): void {
  const passed = hook(root, clean.dir);
  expect([passed.code, passed.stderr]).toEqual([0, '']);
  expect(passed.stdout).toMatch(/^✔ No Spreeflo keys found {2}\(1 file,/);
  const blocked = hook(root, leak.dir);
  expect(blocked.code).toBe(1);
  expect(blocked.stdout).toContain('config/prod.env:1');
  expect(blocked.stdout + blocked.stderr).not.toContain(key);
}

describe('the hook entry from a V8 code cache', () => {
  it('is written by the first run, then used as it is', () => {
    const key = makeV2Key();
    const { clean, leak } = repos(key);
    const pkg = packageCopy();
    expectAnswers(pkg.root, clean, leak, key);
    // Accepted by V8: the next runs leave it as it is (a rejected one is written again).
    const made = statSync(pkg.cache);
    expectAnswers(pkg.root, clean, leak, key);
    expect(statSync(pkg.cache).ino).toBe(made.ino);
    expect(leftovers(pkg.dist)).toEqual([]);
  });

  it('is not made by a run that stops at an error', () => {
    const pkg = packageCopy();
    const outside = hook(pkg.root, join(new TestRepo().dir, '..'));
    expect(outside.code).toBe(2);
    expect(readdirSync(pkg.dist).filter((f) => f.endsWith('.v8cache') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('one that V8 rejects is not used, and is written again', () => {
    const key = makeV2Key();
    const { clean, leak } = repos(key);
    const pkg = packageCopy();
    writeFileSync(pkg.cache, Buffer.alloc(100_000, 0x5a));
    expectAnswers(pkg.root, clean, leak, key);
    expect(readFileSync(pkg.cache).subarray(0, 100).equals(Buffer.alloc(100, 0x5a))).toBe(false);
  });

  it('one that cannot be written is no error', () => {
    const key = makeV2Key();
    const { clean, leak } = repos(key);
    const pkg = packageCopy();
    // A folder in its place: reading it and renaming onto it fail, as in a read-only dist/
    // (which tests run as root could still write).
    mkdirSync(pkg.cache);
    expectAnswers(pkg.root, clean, leak, key);
    expect(leftovers(pkg.dist)).toEqual([]);
  });

  it('a checkout with CRLF line ends (core.autocrlf) still names and uses its cache', () => {
    const key = makeV2Key();
    const { clean, leak } = repos(key);
    const pkg = packageCopy();
    const entry = join(pkg.dist, 'hook.cjs');
    writeFileSync(entry, readFileSync(entry, 'utf8').replace(/\n/g, '\r\n'));
    expectAnswers(pkg.root, clean, leak, key);
    const made = statSync(pkg.cache);
    expectAnswers(pkg.root, clean, leak, key);
    expect(statSync(pkg.cache).ino).toBe(made.ino);
  });

  it('the entry runs without import(): rule files parsed from rules/ when dist/rules.json is missing', () => {
    const key = makeV2Key();
    const { clean, leak } = repos(key);
    const pkg = packageCopy();
    rmSync(join(pkg.dist, 'rules.json'));
    expectAnswers(pkg.root, clean, leak, key);
    expectAnswers(pkg.root, clean, leak, key);
  });
});
