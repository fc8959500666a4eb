// .pre-commit-hooks.yaml: the manifest, and its entry run the way pre-commit does: the
// entry's words, then the file names, from the repository's top. The real framework's
// install and run: pre-commit-install.test.ts (slow, opt-in).
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';
import { makeV2Key } from '../support/keys.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

interface ManifestHook {
  id: string;
  entry: string;
  language: string;
  pass_filenames?: boolean;
  require_serial?: boolean;
  stages?: string[];
}

const manifest = parse(readFileSync('.pre-commit-hooks.yaml', 'utf8')) as ManifestHook[];
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string>; files: string[] };

describe('.pre-commit-hooks.yaml', () => {
  it('declares node hooks whose entries are this package’s binary', () => {
    expect(manifest.map((h) => h.id)).toEqual(['spreeflo-scan', 'spreeflo-scan-staged']);
    for (const hook of manifest) {
      expect(hook.language).toBe('node');
      expect(Object.keys(pkg.bin)).toContain(hook.entry.split(' ')[0]);
    }
    expect(manifest[0]!.entry.split(' ')[1]).toBe('scan');
    expect(manifest[0]!.pass_filenames).toBe(true);
    expect(manifest[1]!.entry.split(' ')[1]).toBe('staged');
    expect(manifest[1]!.pass_filenames).toBe(false);
    expect(pkg.files).toContain('.pre-commit-hooks.yaml');
    for (const hook of manifest) {
      // One process: one report, one OCR pool.
      expect(hook.require_serial).toBe(true);
      // File names after `--` are never options.
      expect(hook.entry.endsWith(' --')).toBe(true);
      // Stage names differ before and after pre-commit 3.2: none is valid in both.
      expect(hook.stages).toBeUndefined();
    }
    // bin/ sends exactly `staged --` to the one-file hook bundle.
    expect(manifest[1]!.entry).toBe('spreeflo-scan staged --');
  });

  const key = makeV2Key();
  const tree = {
    'README.md': '# app\n',
    'src/app.ts': 'export const x = 1;\n',
    'config/prod/settings.env': `SPREEFLO_API_KEY=${key}\n`,
    'docs/example.md': `key: ${makeV2Key()}\n`,
    '.spreeflo-scan.yaml': 'allow:\n  paths: ["docs/**"]\n',
  };

  it.each([
    ['clean files', ['README.md', 'src/app.ts'], 0, []],
    ['a key among several files', ['README.md', 'config/prod/settings.env', 'src/app.ts'], 1, ['config/prod/settings.env']],
    ['a key in the first file', ['config/prod/settings.env', 'README.md'], 1, ['config/prod/settings.env']],
    ['an allowed path (the repository’s config applies)', ['docs/example.md', 'README.md'], 0, []],
  ] as const)('entry + file names: %s', (_name, files, code, paths) => {
    const root = tempDir();
    writeTree(root, tree);
    const [, ...entryArgs] = manifest[0]!.entry.split(' ');
    const text = runCli([...entryArgs, ...files], { cwd: root });
    expect(text.code, text.stderr).toBe(code);
    expect(text.stdout).not.toContain(key);
    for (const p of paths) expect(text.stdout).toMatch(new RegExp(`^\\s+${p.replace(/[./]/g, '\\$&')}:1:\\d+$`, 'm'));

    // Options go before the entry's closing `--`.
    const json = runCli([entryArgs[0]!, '--format', 'json', ...entryArgs.slice(1), ...files], { cwd: root });
    const report = JSON.parse(json.stdout) as { findings: { path: string }[] };
    expect(report.findings.map((f) => f.path)).toEqual(paths);
  });

  it.each([
    ['a commit', {}, ['Commit blocked: a Spreeflo API key is staged in config/prod/settings.env.', 'under the place (or a path glob) to .spreeflo-scan-ignore.']],
    [
      'a push (pre-commit sets the refs)',
      { PRE_COMMIT: '1', PRE_COMMIT_FROM_REF: 'a'.repeat(40), PRE_COMMIT_TO_REF: 'b'.repeat(40) },
      ['Push blocked: a Spreeflo API key is in config/prod/settings.env, changed by the commits being pushed.', '`git push --no-verify`'],
    ],
  ] as const)('the blocked message for %s: the key has not left this machine', (_name, env, lines) => {
    const root = tempDir();
    writeTree(root, tree);
    const [, ...entryArgs] = manifest[0]!.entry.split(' ');
    const res = runCli([...entryArgs, 'config/prod/settings.env'], { cwd: root, env: { ...process.env, ...env } });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('The key has not left this machine yet.');
    for (const line of lines) expect(res.stdout).toContain(line);
    expect(res.stdout).not.toContain(key);
  });

  it('without --hook, scan keeps its own advice', () => {
    const root = tempDir();
    writeTree(root, tree);
    const res = runCli(['scan', '--no-progress', 'config/prod/settings.env'], { cwd: root });
    expect(res.code).toBe(1);
    expect(res.stdout).not.toContain('blocked');
  });

  it.each([['staged', '--'], ['scan', '--hook', '--', 'README.md']])('a copy without dist/ (a branch, not a release tag) says so: %s', (...args) => {
    const copy = tempDir();
    cpSync('bin', join(copy, 'bin'), { recursive: true });
    const res = spawnSync(process.execPath, [join(copy, 'bin', 'spreeflo-scan.js'), ...args], { encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('this copy has no built dist/');
    expect(res.stderr).toContain('release tag');
  });
});
