// Exit codes, suppression (allow comments, ignore file, config, baseline) and bad input.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { runCli, scanJson, tempDir, writeTree } from '../support/cli.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('exit codes', () => {
  it.each([
    ['clean tree', { 'a.txt': 'hello\n' }, [], 0],
    ['a key', { 'a.env': `K=${makeV2Key()}\n` }, [], 1],
    ['missing path', {}, ['does-not-exist'], 2],
    ['unknown format', {}, ['--format', 'xml'], 2],
    ['unknown flag', {}, ['--frobnicate'], 2],
    ['bad config', { '.spreeflo-scan.yaml': 'nonsense: [1\n' }, [], 2],
    ['unknown config setting', { '.spreeflo-scan.yaml': 'excludes: []\n' }, [], 2],
    ['bad size', {}, ['--max-file-size', 'lots'], 2],
  ] as const)('%s', (_name, files, args, code) => {
    const root = tempDir();
    writeTree(root, files);
    const run = runCli(['scan', ...args], { cwd: root });
    expect(run.code).toBe(code);
    if (code === 2) {
      expect(run.stderr.trim().split('\n')[0]).toMatch(/^(spreeflo-scan: |error: )/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('--output writes the report to a file', () => {
    const root = tempDir();
    writeTree(root, { 'a.env': `K=${makeV2Key()}\n` });
    const out = join(root, 'report.json');
    const run = runCli(['scan', '.', '--format', 'json', '--output', out, '--exclude', 'report.json'], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
  });
});

describe('suppression', () => {
  it.each([
    ['allow comment', (k: string) => ({ 'a.py': `KEY = "${k}"  # spreeflo-scan:allow\n` }), 'spreeflo-scan:allow comment'],
    ['ignore file by path', (k: string) => ({ 'fixtures/a.env': `K=${k}\n`, '.spreeflo-scan-ignore': '# test data\nfixtures/\n' }), 'path ignored'],
    ['ignore file by key hash', (k: string) => ({ 'a.env': `K=${k}\n`, '.spreeflo-scan-ignore': `${sha(k)}\n` }), 'listed in'],
    ['ignore file by fingerprint', (k: string) => ({ 'a.env': `K=${k}\n`, '.spreeflo-scan-ignore': `${sha(k)}:a.env\n` }), 'listed in'],
    ['config allow.keys', (k: string) => ({ 'a.env': `K=${k}\n`, '.spreeflo-scan.yaml': `allow:\n  keys: [${sha(k)}]\n` }), 'key allowed in config'],
    ['config allow.paths', (k: string) => ({ 'docs/x.md': `K=${k}\n`, '.spreeflo-scan.yaml': 'allow:\n  paths: ["docs/**"]\n' }), 'path allowed in config'],
  ] as const)('%s', (_name, files, reason) => {
    const root = tempDir();
    writeTree(root, files(makeV2Key()));
    const { run, report } = scanJson(['.'], { cwd: root });
    expect(run.code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toHaveLength(1);
    expect(report.suppressed[0].reason).toContain(reason);
  });

  it('a config file excludes paths', () => {
    const root = tempDir();
    writeTree(root, { 'vendor/a.env': `K=${makeV2Key()}\n`, '.spreeflo-scan.yaml': 'exclude: ["vendor/**"]\n' });
    const { run } = scanJson(['.'], { cwd: root });
    expect(run.code).toBe(0);
  });

  it('--baseline fails only on findings not in the earlier report', () => {
    const root = tempDir();
    writeTree(root, { 'old.env': `K=${makeV2Key()}\n` });
    const first = runCli(['scan', '.', '--format', 'json'], { cwd: root });
    const baselineFile = join(tempDir(), 'baseline.json');
    writeFileSync(baselineFile, first.stdout);
    expect(runCli(['scan', '.', '--baseline', baselineFile], { cwd: root }).code).toBe(0);
    writeTree(root, { 'new.env': `K=${makeV2Key()}\n` });
    const { run, report } = scanJson(['.', '--baseline', baselineFile], { cwd: root });
    expect(run.code).toBe(1);
    expect(report.findings.map((f) => f.path)).toEqual(['new.env']);
  });

  it('a bad baseline is a usage error', () => {
    const root = tempDir();
    writeTree(root, { 'b.json': '{"nope": 1}' });
    expect(runCli(['scan', '.', '--baseline', 'b.json'], { cwd: root }).code).toBe(2);
  });
});

describe('user rules from the config', () => {
  it('loads a rule file and uses it', () => {
    const root = tempDir();
    writeTree(root, {
      'rules/internal.yaml': [
        'id: internal-token',
        'name: Internal token',
        'prefilter: ["itk_"]',
        "pattern: 'itk_[a-z]{10}'",
        'examples:',
        '  positive: ["itk_abcdefghij"]',
        '  negative: ["itk_short"]',
      ].join('\n'),
      '.spreeflo-scan.yaml': 'rules: [rules/internal.yaml]\n',
      'a.txt': 'token itk_qwertyuiop here\n',
    });
    const { run, report } = scanJson(['.', '--exclude', 'rules/**'], { cwd: root });
    expect(run.code).toBe(1);
    expect(report.findings.map((f) => [f.rule, f.path, f.line])).toEqual([['internal-token', 'a.txt', 1]]);
  });
});
