// End to end, as a user gets it: `npm pack` this repository, install the tarball
// (into a project, with and without husky, or globally), `spreeflo-scan init`, then
// real `git commit`s. npm works from its cache (--prefer-offline): everything the
// tarball needs was cached when this repository was installed.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { tempDir } from '../support/cli.js';
import { gitRepo, type Run } from './helpers.js';
import { NPM_FLAGS, npmEnvironment, packTarball } from '../support/pack.js';

function runAsync(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, out: stdout + stderr }));
  });
}

async function must(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const res = await runAsync(cmd, args, cwd, env);
  if (res.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.code}):\n${res.out}`);
  return res;
}

let tarball = '';
let npmEnv: NodeJS.ProcessEnv = {};
const huskyVersion = (JSON.parse(readFileSync('node_modules/husky/package.json', 'utf8')) as { version: string }).version;

beforeAll(() => {
  // The package holds dist/ as test/support/build-once.ts built it (npm pack builds nothing).
  tarball = packTarball();
  npmEnv = npmEnvironment();
}, 120_000);

/**
 * Commits a made-up key (must fail, naming the file and printing its fingerprint, never
 * the key), then a clean file (must pass). `dir`: where the key file goes, from the root.
 */
async function expectHookBlocksKeys(root: string, env: NodeJS.ProcessEnv, dir = ''): Promise<void> {
  const key = makeV2Key();
  const file = dir ? `${dir}/settings.env` : 'settings.env';
  writeFileSync(join(root, file), `SPREEFLO_API_KEY=${key}\n`);
  await must('git', ['add', file], root, env);
  const blocked = await runAsync('git', ['commit', '-m', 'add settings'], root, env);
  expect(blocked.code, blocked.out).not.toBe(0);
  expect(blocked.out).toContain('Commit blocked');
  // The fingerprint, ready to paste into the ignore file: the key's SHA-256 and its path from the top.
  expect(blocked.out).toContain(`${createHash('sha256').update(key).digest('hex')}:${file}`);
  expect(blocked.out).not.toContain(key);

  await must('git', ['rm', '-q', '--cached', file], root, env);
  writeFileSync(join(root, 'notes.md'), 'nothing secret here\n');
  await must('git', ['add', 'notes.md'], root, env);
  const clean = await runAsync('git', ['commit', '-m', 'add notes'], root, env);
  expect(clean.code, clean.out).toBe(0);
  const files = (await must('git', ['ls-tree', '-r', '--name-only', 'HEAD'], root, env)).stdout;
  expect(files).toContain('notes.md');
  expect(files).not.toContain('settings.env');
}

/** Made-up keys marked as deliberate (a comment on the line, or on the line above in JSON) pass the hook, scan and history. */
async function expectAllowFormsPass(root: string, env: NodeJS.ProcessEnv): Promise<void> {
  // The key the hook blocked is still in the work tree: it goes, as its message says.
  rmSync(join(root, 'settings.env'));
  writeFileSync(join(root, 'fixture.env'), `KEY=${makeV2Key()} # spreeflo-scan:allow\n`);
  writeFileSync(join(root, 'fixture.json'), `{\n  "//": "spreeflo-scan:allow-next-line",\n  "key": "${makeV2Key()}"\n}\n`);
  await must('git', ['add', 'fixture.env', 'fixture.json'], root, env);
  await must('git', ['commit', '-m', 'test fixtures'], root, env);
  for (const command of ['scan', 'history']) {
    const run = await runAsync('npx', ['--no-install', 'spreeflo-scan', command, '--no-progress'], root, env);
    expect(run.code, run.out).toBe(0);
  }
}

/** The first scan of a project that installed the tool: its own rules and bundle are not leaks. */
async function expectFirstScanClean(root: string, env: NodeJS.ProcessEnv): Promise<void> {
  const first = await runAsync('npx', ['--no-install', 'spreeflo-scan', 'scan', '--no-progress'], root, env);
  expect(first.code, first.out).toBe(0);
  // In a workspace package npm hoists the install to the top, outside this scan.
  if (!existsSync(join(root, 'node_modules'))) return;
  expect(first.out).toMatch(/node_modules/);
  // Dependencies read too: the documented example keys in the tool's own files are ignored, and said so.
  const deps = await runAsync('npx', ['--no-install', 'spreeflo-scan', 'scan', '--no-progress', '--include-deps'], root, env);
  expect(deps.code, deps.out).toBe(0);
  expect(deps.out).toMatch(/documented example keys? ignored/);
}

function nodeProject(): string {
  const root = gitRepo();
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'e2e-app', version: '1.0.0', private: true }, null, 2) + '\n');
  writeFileSync(join(root, '.gitignore'), 'node_modules/\n');
  return root;
}

describe('installed from the packed tarball', () => {
  it.concurrent('a Node project with husky: npx spreeflo-scan init, then commits', async () => {
    const root = nodeProject();
    await must('npm', ['install', ...NPM_FLAGS, '--save-dev', tarball, `husky@${huskyVersion}`], root, npmEnv);
    const init = await must('npx', ['--no-install', 'spreeflo-scan', 'init'], root, npmEnv);
    expect(init.stdout).toMatch(/\.husky\/pre-commit \(husky\)/);
    expect(readFileSync(join(root, '.husky', 'pre-commit'), 'utf8')).toContain('spreeflo-scan staged');
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.prepare).toBe('husky');
    await expectHookBlocksKeys(root, npmEnv);
  }, 180_000);

  it.concurrent('a Node project without husky: a plain hook that runs node_modules/.bin/spreeflo-scan', async () => {
    const root = nodeProject();
    await must('npm', ['install', ...NPM_FLAGS, '--save-dev', tarball], root, npmEnv);
    await expectFirstScanClean(root, npmEnv);
    const init = await must('npx', ['--no-install', 'spreeflo-scan', 'init'], root, npmEnv);
    expect(init.stdout).toMatch(/\.git\/hooks\/pre-commit/);
    await expectHookBlocksKeys(root, npmEnv);
    await expectAllowFormsPass(root, npmEnv);
  }, 180_000);

  it.concurrent('a workspace package of a monorepo: init there, a commit from there is blocked', async () => {
    const root = gitRepo();
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }, null, 2) + '\n');
    writeFileSync(join(root, '.gitignore'), 'node_modules/\n');
    const web = join(root, 'packages', 'web');
    mkdirSync(web, { recursive: true });
    writeFileSync(join(web, 'package.json'), JSON.stringify({ name: 'web', version: '1.0.0', private: true }, null, 2) + '\n');
    await must('npm', ['install', ...NPM_FLAGS, '--save-dev', '--workspace', 'packages/web', tarball], root, npmEnv);
    await expectFirstScanClean(web, npmEnv);
    await expectFirstScanClean(root, npmEnv);
    await must('npx', ['--no-install', 'spreeflo-scan', 'init'], web, npmEnv);
    await expectHookBlocksKeys(root, npmEnv, 'packages/web');
  }, 180_000);

  it.concurrent('a global install (npm install -g) in a repository without package.json', async () => {
    const prefix = tempDir('sfscan-global-');
    await must('npm', ['install', '-g', '--prefix', prefix, ...NPM_FLAGS, tarball], prefix, npmEnv);
    expect(existsSync(join(prefix, 'bin', 'spreeflo-scan'))).toBe(true);
    const env = { ...npmEnv, PATH: `${join(prefix, 'bin')}${delimiter}${npmEnv.PATH}` };
    const root = gitRepo({ 'main.go': 'package main\n' });
    const init = await must('spreeflo-scan', ['init'], root, env);
    expect(init.stdout).toMatch(/\.git\/hooks\/pre-commit/);
    await expectHookBlocksKeys(root, env);
    // Without the global install on PATH, the hook stops commits and says why.
    writeFileSync(join(root, 'more.md'), 'x\n');
    await must('git', ['add', 'more.md'], root, npmEnv);
    const orphan = await runAsync('git', ['commit', '-m', 'more'], root, npmEnv);
    expect(orphan.code).not.toBe(0);
    expect(orphan.out).toContain('spreeflo-scan is not installed here');
  }, 180_000);
});
