// bin/ runs the CLI (dist/cli.cjs) from a V8 code cache it writes into dist/ as soon as the
// bundle is compiled. Whatever the cache holds, or whether it can be written at all, a scan
// gives the same report; pdf.js, an ES module, still loads from a cached run. Each test runs
// a copy of the package, so the caches it makes and spoils are its own.
import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { tempDir, writeTree } from '../support/cli.js';

/** bin/, dist/ (without caches), rules/ and package.json, with this checkout's node_modules. */
function packageCopy(): { root: string; dist: string; cache: string } {
  const root = tempDir('sfscan-pkg-');
  for (const part of ['bin', 'rules', 'package.json']) cpSync(part, join(root, part), { recursive: true });
  cpSync('dist', join(root, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.v8cache') });
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
  const id = /^\/\/ spreeflo-scan cli ([0-9a-f]{16})\n/.exec(readFileSync(join(root, 'dist', 'cli.cjs'), 'utf8'))?.[1];
  expect(id).toBeDefined();
  return { root, dist: join(root, 'dist'), cache: join(root, 'dist', `cli-${id}.v8cache`) };
}

/** A folder with a key in a text file and the PDF fixture (keys in its text). */
function tree(key: string): string {
  const dir = tempDir();
  writeTree(dir, { 'config/prod.env': `SPREEFLO_API_KEY=${key}\n` });
  cpSync('test/fixtures/media/chromium-print.pdf', join(dir, 'doc.pdf'));
  return dir;
}

function scan(root: string, dir: string, nodeFlags: string[] = []) {
  const res = spawnSync(process.execPath, [...nodeFlags, join(root, 'bin', 'spreeflo-scan.js'), 'scan', dir, '--no-ocr', '--no-progress', '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '' },
  });
  expect([res.status, res.stderr]).toEqual([1, '']);
  const report = JSON.parse(res.stdout) as { findings: { path: string }[]; skipped: { unread: boolean }[] };
  return { paths: report.findings.map((f) => f.path).sort(), unread: report.skipped.filter((s) => s.unread).length };
}

const expected = { paths: ['config/prod.env', 'doc.pdf', 'doc.pdf', 'doc.pdf', 'doc.pdf'], unread: 0 };
const leftovers = (dist: string) => readdirSync(dist).filter((f) => f.endsWith('.tmp'));

describe('the CLI from a V8 code cache', () => {
  it('is written by the first run, then used as it is, PDFs read', () => {
    const dir = tree(makeV2Key());
    const pkg = packageCopy();
    expect(scan(pkg.root, dir)).toEqual(expected);
    // Accepted by V8: the next runs leave it as it is (a rejected one is written again).
    const made = statSync(pkg.cache);
    expect(scan(pkg.root, dir)).toEqual(expected);
    expect(scan(pkg.root, dir)).toEqual(expected);
    expect(statSync(pkg.cache).ino).toBe(made.ino);
    expect(leftovers(pkg.dist)).toEqual([]);
  });

  it('one that V8 rejects is not used, and is written again', () => {
    const dir = tree(makeV2Key());
    const pkg = packageCopy();
    writeFileSync(pkg.cache, Buffer.alloc(100_000, 0x5a));
    expect(scan(pkg.root, dir)).toEqual(expected);
    expect(readFileSync(pkg.cache).subarray(0, 100).equals(Buffer.alloc(100, 0x5a))).toBe(false);
  });

  it('one that cannot be written is no error', () => {
    const dir = tree(makeV2Key());
    const pkg = packageCopy();
    // A folder in its place: reading it and renaming onto it fail, as in a read-only dist/.
    mkdirSync(pkg.cache);
    expect(scan(pkg.root, dir)).toEqual(expected);
    expect(leftovers(pkg.dist)).toEqual([]);
  });

  it('node started with V8 flags (a lean child) has a cache of its own, kept as well', () => {
    const dir = tree(makeV2Key());
    const pkg = packageCopy();
    expect(scan(pkg.root, dir)).toEqual(expected);
    const plain = statSync(pkg.cache);
    expect(scan(pkg.root, dir, ['--max-semi-space-size=2'])).toEqual(expected);
    const caches = readdirSync(pkg.dist).filter((f) => f.startsWith('cli-') && f.endsWith('.v8cache'));
    expect(caches).toHaveLength(2);
    const flagged = statSync(join(pkg.dist, caches.find((f) => join(pkg.dist, f) !== pkg.cache)!));
    expect(scan(pkg.root, dir, ['--max-semi-space-size=2'])).toEqual(expected);
    expect(scan(pkg.root, dir)).toEqual(expected);
    expect(statSync(pkg.cache).ino).toBe(plain.ino);
    expect(statSync(join(pkg.dist, caches.find((f) => join(pkg.dist, f) !== pkg.cache)!)).ino).toBe(flagged.ino);
  });
});
