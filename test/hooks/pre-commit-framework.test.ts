// .pre-commit-hooks.yaml: the pre-commit framework itself cannot run here (no PyPI),
// so this checks the manifest and runs its entry the way pre-commit does: the entry's
// words, then the file names, from the repository's top.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { makeV2Key } from '../support/keys.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

interface ManifestHook {
  id: string;
  entry: string;
  language: string;
  pass_filenames?: boolean;
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
});
