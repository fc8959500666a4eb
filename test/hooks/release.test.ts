// scripts/release.js on a clone of this repository: the tag's commit carries the built dist/,
// the branch keeps none and still reaches the tag (pre-commit autoupdate describes the branch).
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { git, releasedClone, run } from './helpers.js';

const BUILT = ['dist/cli.cjs', 'dist/history-worker.js', 'dist/hook.cjs', 'dist/hook-scan.cjs', 'dist/rules.json', 'dist/scan-worker.cjs'];

describe('scripts/release.js', () => {
  const { root, release } = releasedClone('v9.9.9-test');

  it('tags HEAD plus the built dist/, every chunk included', () => {
    expect(release.code, release.out).toBe(0);
    const tagged = git(root, 'ls-tree', '-r', '--name-only', 'v9.9.9-test', 'dist').split('\n');
    for (const file of BUILT) expect(tagged).toContain(file);
    const chunks = readdirSync(join(root, 'dist', 'chunks')).map((name) => `dist/chunks/${name}`);
    expect(tagged.filter((f) => f.startsWith('dist/chunks/')).sort()).toEqual(chunks.sort());
    // The release commit is the branch's commit plus dist/ and nothing else.
    expect(git(root, 'diff', '--name-only', 'v9.9.9-test^1', 'v9.9.9-test').split('\n').every((f) => f.startsWith('dist/'))).toBe(true);
  });

  it('leaves the branch without built files, its work tree clean, and the tag reachable from it', () => {
    expect(git(root, 'ls-tree', '--name-only', 'HEAD')).not.toMatch(/^dist$/m);
    expect(git(root, 'diff', 'HEAD^1', 'HEAD')).toBe('');
    expect(git(root, 'status', '--porcelain')).toBe('');
    expect(git(root, 'describe', '--tags', '--abbrev=0', 'HEAD')).toBe('v9.9.9-test');
  });

  it.each([
    ['the tag exists', ['--tag', 'v9.9.9-test'], /tag v9\.9\.9-test exists/],
    ['no tag name', ['--tag'], /--tag needs a name/],
  ])('refuses when %s', (_name, args, message) => {
    const res = run(process.execPath, ['scripts/release.js', ...args], root);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(message);
  });
});
