// `staged` under any git configuration a developer may have, run from a subfolder:
// every staged file is scanned and reported at its path from the repository's top.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { runCli } from '../support/cli.js';
import { TestRepo } from '../support/git.js';

interface Setting {
  name: string;
  config?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
}

const SETTINGS: Setting[] = [
  { name: 'no setting' },
  { name: 'diff.relative', config: { 'diff.relative': 'true' } },
  { name: 'diff.mnemonicPrefix (i/ w/ c/)', config: { 'diff.mnemonicPrefix': 'true' } },
  { name: 'diff.noprefix', config: { 'diff.noprefix': 'true' } },
  { name: 'diff.external', config: { 'diff.external': 'true' } },
  { name: 'color.diff=always', config: { 'color.diff': 'always', 'color.ui': 'always' } },
  { name: 'diff.renames=copies', config: { 'diff.renames': 'copies' } },
  { name: 'core.quotePath=false', config: { 'core.quotePath': 'false' } },
  { name: 'diff.suppressBlankEmpty', config: { 'diff.suppressBlankEmpty': 'true' } },
  { name: 'diff.submodule=diff', config: { 'diff.submodule': 'diff' } },
  { name: 'GIT_DIFF_OPTS=-u0', env: { GIT_DIFF_OPTS: '-u0' } },
  { name: 'GIT_EXTERNAL_DIFF', env: { GIT_EXTERNAL_DIFF: 'true' } },
];

/** Where each staged key must be reported: path from the top, line in the staged file. */
const EXPECTED = [
  ['bin/b and c.bin', 1],
  ['new/moved a and b.txt', 6],
  ['sub/keep.txt', 4],
  ['sub/ünï.env', 1],
  ['top.env', 2],
];

function stage(repo: TestRepo, key: string): void {
  repo.commit('base', { 'old/moved.txt': 'one\ntwo\nthree\nfour\nfive\n', 'sub/keep.txt': 'a\n\nb\n' });
  repo.write({
    'old/moved.txt': null,
    'new/moved a and b.txt': `one\ntwo\nthree\nfour\nfive\nKEY=${key}\n`,
    // The blank context line above the key is what diff.suppressBlankEmpty prints bare.
    'sub/keep.txt': `a\n\nb\nKEY=${key}\n`,
    'sub/ünï.env': `K=${key}\n`,
    'top.env': `# app\nKEY=${key}\n`,
    'bin/b and c.bin': Buffer.concat([Buffer.from([0, 1, 0]), Buffer.from(key)]),
  });
  repo.git('add', '-A');
}

describe('staged under any git configuration, from a subfolder', () => {
  it.each(SETTINGS.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const repo = new TestRepo();
    const key = makeV2Key();
    stage(repo, key);
    for (const [k, v] of Object.entries(s.config ?? {})) repo.git('config', k, v);
    const cwd = join(repo.dir, 'sub');
    const run = runCli(['staged', '--format', 'json', '--no-cache'], { cwd, env: s.env });
    expect(run.stderr).toBe('');
    const findings = JSON.parse(run.stdout).findings as Array<{ path: string; line: number }>;
    expect(findings.map((f) => [f.path, f.line]).sort()).toEqual(EXPECTED);
    expect(run.code).toBe(1);
    // The hook's exact call (its own bundle) says the same.
    const hook = runCli(['staged'], { cwd, env: s.env });
    expect(hook.code).toBe(1);
    for (const [path, line] of EXPECTED) expect(hook.stdout).toContain(`${path}:${line}`);
    expect(hook.stdout + hook.stderr).not.toContain(key);
  });
});
