// A newcomer's first scan: the tool installed in node_modules (its rule files and
// bundle hold the documented example keys), dependency folders left out of `scan` by
// default and listed, --include-deps (or `includeDeps: true`) to read them; `staged`
// and `history` read a committed node_modules like any other commit.
import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scanJson, tempDir, writeTree } from '../support/cli.js';
import { TestRepo } from '../support/git.js';
import { sha256Hex } from '../../src/detect/detector.js';
import { makeV2Key } from '../support/keys.js';

const EXAMPLE_KEYS = (JSON.parse(readFileSync('rules/example-keys.json', 'utf8')) as { keys: unknown[] }).keys.length;
// Documented examples as they appear in a project's own build output (the platform page's).
const BUNDLE = 'const demo = "sfk_ZSXNdrTNulgdOPojL7hXcj70HKXHiP3dcF8u"; // 25cb257fab5a20f4284a1675da214991-sf7\n';
const DEPS_REASON = 'dependency folder (npm, yarn or pnpm), not scanned: --include-deps scans it';

/** `npm i -D spreeflo-scan` as it lands on disk: the rule files and the built bundle, beside the project's own dist/. */
function nodeProject(extra: Record<string, string> = {}): string {
  const root = tempDir();
  cpSync('rules', join(root, 'node_modules/spreeflo-scan/rules'), { recursive: true });
  cpSync('dist/rules.json', join(root, 'node_modules/spreeflo-scan/dist/rules.json'));
  writeTree(root, { 'package.json': '{"name":"app"}\n', 'dist/app.js': BUNDLE, 'src/index.js': 'export {};\n', ...extra });
  return root;
}

interface Case {
  name: string;
  files: (key: string) => Record<string, string>;
  args?: string[];
  code: number;
  /** Paths of the findings, the skipped dependency folders (path: reason) and how many example keys were ignored. */
  findings: string[];
  skipped: Record<string, string>;
  exampleKeys: number;
}

const CASES: Case[] = [
  {
    name: 'the first scan: node_modules left out and listed, the examples in dist/ ignored',
    files: () => ({}),
    code: 0,
    findings: [],
    skipped: { node_modules: DEPS_REASON },
    exampleKeys: 2,
  },
  {
    name: '--include-deps: the tool’s own rule files are read, and their examples ignored',
    files: () => ({}),
    args: ['--include-deps'],
    code: 0,
    findings: [],
    skipped: {},
    exampleKeys: EXAMPLE_KEYS,
  },
  {
    name: 'includeDeps: true in the config does the same',
    files: () => ({ '.spreeflo-scan.yaml': 'includeDeps: true\n' }),
    code: 0,
    findings: [],
    skipped: {},
    exampleKeys: EXAMPLE_KEYS,
  },
  {
    name: 'a real key in a dependency: not read by default, listed',
    files: (k) => ({ 'node_modules/foo/index.js': `module.exports = "${k}";\n` }),
    code: 0,
    findings: [],
    skipped: { node_modules: DEPS_REASON },
    exampleKeys: 2,
  },
  {
    name: 'a real key in a dependency, with --include-deps: found',
    files: (k) => ({ 'node_modules/foo/index.js': `module.exports = "${k}";\n` }),
    args: ['--include-deps'],
    code: 1,
    findings: ['node_modules/foo/index.js'],
    skipped: {},
    exampleKeys: EXAMPLE_KEYS,
  },
  {
    name: 'each dependency folder of a monorepo is one entry; vendor and venvs only with their package manager’s file',
    files: (k) => ({
      'packages/web/node_modules/left-pad/index.js': `"${k}"\n`,
      'vendor/autoload.php': `<?php // ${k}\n`,
      'go/vendor/modules.txt': `# ${k}\n`,
      '.venv/pyvenv.cfg': `home = ${k}\n`,
      'venv/pyvenv.cfg': 'home = /usr/bin\n',
      'lib/vendor/own.php': `<?php $key = "${k}";\n`,
      'tools/venv/settings.py': `KEY = "${k}"\n`,
    }),
    code: 1,
    findings: ['lib/vendor/own.php', 'tools/venv/settings.py'],
    skipped: {
      '.venv': 'dependency folder (a Python virtual environment), not scanned: --include-deps scans it',
      'go/vendor': 'dependency folder (Composer or Go), not scanned: --include-deps scans it',
      node_modules: DEPS_REASON,
      'packages/web/node_modules': DEPS_REASON,
      vendor: 'dependency folder (Composer or Go), not scanned: --include-deps scans it',
      venv: 'dependency folder (a Python virtual environment), not scanned: --include-deps scans it',
    },
    exampleKeys: 2,
  },
  {
    name: 'a dependency folder the user excluded is not listed',
    files: () => ({}),
    args: ['--exclude', 'node_modules/'],
    code: 0,
    findings: [],
    skipped: {},
    exampleKeys: 2,
  },
];

describe('scan: dependency folders and documented example keys', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const key = makeV2Key();
    const root = nodeProject(c.files(key));
    const { run, report } = scanJson(['.', '--no-cache', ...(c.args ?? [])], { cwd: root });
    expect(run.code, run.stderr).toBe(c.code);
    expect(report.findings.map((f) => f.path).sort()).toEqual(c.findings);
    expect(report.findings.every((f) => f.keySha256 === sha256Hex(key))).toBe(true);
    const deps = report.skipped.filter((s) => s.reason.startsWith('dependency folder'));
    expect(Object.fromEntries(deps.map((s) => [s.path, s.reason]))).toEqual(c.skipped);
    expect(deps.every((s) => s.unread === false)).toBe(true);
    expect(report.summary.exampleKeys).toBe(c.exampleKeys);
    expect(report.suppressed.every((s) => s.reason === 'documented example key')).toBe(true);
  });

  it('the text report says what was left out and how to include it, and how many example keys were ignored', () => {
    const run = runCli(['scan', '--no-cache'], { cwd: nodeProject() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`node_modules: ${DEPS_REASON}`);
    expect(run.stdout).toContain('2 documented example keys ignored, in 2 places');
    expect(run.stdout).not.toContain('Suppressed');
  });

  it('with --follow-symlinks, a link named node_modules is known by its name and not followed', () => {
    const root = nodeProject({ 'shared/deps/foo/index.js': `"${makeV2Key()}"\n` });
    mkdirSync(join(root, 'web'));
    symlinkSync('../shared/deps', join(root, 'web', 'node_modules'));
    const { run, report } = scanJson(['.', '--no-cache', '--follow-symlinks', '--exclude', 'shared/**'], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    expect(report.skipped.map((s) => [s.path, s.reason])).toEqual([
      ['node_modules', DEPS_REASON],
      ['web/node_modules', DEPS_REASON],
    ]);
  });

  it('a dependency folder named on the command line is scanned: the user chose it', () => {
    const key = makeV2Key();
    const root = nodeProject({ 'node_modules/foo/index.js': `"${key}"\n` });
    const { run, report } = scanJson(['node_modules/foo', '--no-cache'], { cwd: root });
    expect(run.code).toBe(1);
    expect(report.findings.map((f) => f.keySha256)).toEqual([sha256Hex(key)]);
  });
});

describe('staged and history read a committed node_modules: the example keys in it pass', () => {
  function trackedNodeModules(): TestRepo {
    const repo = new TestRepo();
    repo.commit('start', { 'README.md': '# app\n' });
    cpSync('rules', join(repo.dir, 'node_modules/spreeflo-scan/rules'), { recursive: true });
    cpSync('dist/rules.json', join(repo.dir, 'node_modules/spreeflo-scan/dist/rules.json'));
    repo.git('add', '-A');
    return repo;
  }

  it.each([
    ['only example keys: the commit passes', () => ({}), 0, []],
    ['a real key beside them: the commit is blocked', (k: string) => ({ 'node_modules/foo/index.js': `"${k}"\n` }), 1, ['node_modules/foo/index.js']],
  ] as const)('%s', (_name, extra, code, paths) => {
    const repo = trackedNodeModules();
    repo.write(extra(makeV2Key()));
    repo.git('add', '-A');
    const run = runCli(['staged', '--format', 'json', '--no-cache'], { cwd: repo.dir });
    expect(run.code, run.stderr).toBe(code);
    const report = JSON.parse(run.stdout);
    expect(report.findings.map((f: { path: string }) => f.path)).toEqual(paths);
    expect(report.summary.exampleKeys).toBe(EXAMPLE_KEYS);
  });

  it('history of that commit passes too', () => {
    const repo = trackedNodeModules();
    repo.git('commit', '-q', '-m', 'vendor node_modules');
    const run = runCli(['history', '--format', 'json'], { cwd: repo.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).summary.exampleKeys).toBe(EXAMPLE_KEYS);
  });
});
