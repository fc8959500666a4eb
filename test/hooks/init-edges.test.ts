// `spreeflo-scan init`: existing hook lines kept, the hook's behaviour, and errors.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BEGIN_MARKER } from '../../src/hooks/hook-block.js';
import { makeV2Key } from '../support/keys.js';
import { tempDir } from '../support/cli.js';
import { cleanEnv, commit, gitRepo, init, installHuskyCopy, linkLocalCli } from './helpers.js';

const key = () => makeV2Key();

describe('spreeflo-scan init with existing hooks, and errors', () => {
  it.each([
    ['plain hook ending in exit 0', '.git/hooks/pre-commit', '#!/bin/sh\n# lint first\nnpm run lint\nexit 0\n'],
    ['bash hook with CRLF line ends', '.git/hooks/pre-commit', '#!/usr/bin/env bash\r\necho checking\r\n'],
    ['husky hook from husky init', '.husky/pre-commit', 'npm test\n'],
  ])('keeps the lines of an existing %s, and --uninstall restores it exactly', (_name, rel, original) => {
    const root = gitRepo();
    if (rel.startsWith('.husky')) {
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'app', scripts: { prepare: 'husky' }, devDependencies: { husky: '^9' } }, null, 2) + '\n');
      installHuskyCopy(root);
    }
    const file = join(root, rel);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, original, { mode: 0o644 });

    expect(init(root).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    // Our block comes first (so an `exit 0` cannot skip it), after the shebang; every original line stays.
    const lines = text.split(/\r?\n/);
    const firstOriginal = original.split(/\r?\n/)[0]!;
    if (firstOriginal.startsWith('#!')) expect(lines[0]).toBe(firstOriginal);
    expect(lines.indexOf(BEGIN_MARKER)).toBeLessThanOrEqual(1);
    for (const line of original.split(/\r?\n/)) expect(lines).toContain(line);
    if (original.includes('\r\n')) expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(statSync(file).mode & 0o111).toBe(0o111);

    expect(init(root).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);

    const removed = init(root, ['--uninstall']);
    expect(removed.stdout).toMatch(/its other commands stay/);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('a hook that only runs after our check still runs (and its exit code counts)', () => {
    const root = gitRepo();
    linkLocalCli(root);
    writeFileSync(join(root, '.git/hooks/pre-commit'), '#!/bin/sh\necho "other hook ran"\nexit 3\n', { mode: 0o755 });
    expect(init(root).code).toBe(0);
    const res = commit(root, { 'a.txt': 'fine\n' });
    expect(res.code).not.toBe(0);
    expect(res.out).toContain('other hook ran');
  });

  it('the hook works when the commit is made from a subfolder', () => {
    const root = gitRepo();
    linkLocalCli(root);
    expect(init(root).code).toBe(0);
    mkdirSync(join(root, 'deep', 'er'), { recursive: true });
    const k = key();
    const res = commit(root, { 'deep/er/x.py': `KEY = "${k}"\n` }, undefined, join(root, 'deep', 'er'));
    expect(res.code).not.toBe(0);
    expect(res.out).toContain('deep/er/x.py');
    expect(res.out).not.toContain(k);
  });

  it('the hook stops the commit with advice when spreeflo-scan cannot be found', () => {
    const root = gitRepo();
    expect(init(root).code).toBe(0);
    const res = commit(root, { 'a.txt': 'fine\n' });
    expect(res.code).not.toBe(0);
    expect(res.out).toContain('spreeflo-scan is not installed here');
    expect(res.out).toContain('npm install --save-dev spreeflo-scan');
  });

  it.each([
    ['outside a git repository', () => tempDir(), {}, /^spreeflo-scan: not a git repository/],
    ['without git on PATH', () => gitRepo(), { PATH: tempDir('sfscan-empty-path-') }, /^spreeflo-scan: git was not found on PATH/],
    [
      'an existing hook that is not a shell script',
      () => {
        const root = gitRepo();
        writeFileSync(join(root, '.git/hooks/pre-commit'), '#!/usr/bin/env python3\nprint("hi")\n', { mode: 0o755 });
        return root;
      },
      {},
      /not a shell script.*add `spreeflo-scan staged` to it yourself/,
    ],
    [
      'husky in package.json but not installed',
      () => gitRepo({ 'package.json': JSON.stringify({ devDependencies: { husky: '^9' } }) }),
      {},
      /husky is in package.json but not installed: run npm install/,
    ],
    ['a broken package.json', () => gitRepo({ 'package.json': '{ "name": ' }), {}, /package\.json is not valid JSON/],
  ] as const)('%s: exit 2 with one line', (_name, make, env, message) => {
    const cwd = make();
    const res = init(cwd, [], cleanEnv({ GIT_CEILING_DIRECTORIES: join(cwd, '..'), ...env }));
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(message);
  });
});
