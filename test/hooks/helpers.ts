// Real git repositories in temp folders for the hook tests, run in a clean
// environment: no GIT_* variables from a surrounding hook, a throw-away HOME (so a
// global core.hooksPath or the tester's git config cannot interfere) and no
// node_modules/.bin from the test runner on PATH.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { BIN, tempDir } from '../support/cli.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together (git hands a hook's output to stderr). */
  out: string;
}

const HOME = tempDir('sfscan-home-');

export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('GIT_') || k.startsWith('npm_') || k === 'HUSKY' || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((p) => p && !p.includes(`node_modules${'/'}.bin`))
    .join(delimiter);
  env.HOME = HOME;
  env.XDG_CONFIG_HOME = join(HOME, '.config');
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.NO_COLOR = '1';
  return { ...env, ...extra };
}

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): Run {
  const res = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw res.error;
  const stdout = res.stdout ?? '';
  const stderr = res.stderr ?? '';
  return { code: res.status ?? -1, stdout, stderr, out: stdout + stderr };
}

export function git(cwd: string, ...args: string[]): string {
  const res = run('git', args, cwd);
  if (res.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${res.out}`);
  return res.stdout.trim();
}

/** `spreeflo-scan init ARGS` with this checkout's built CLI. */
export function init(cwd: string, args: string[] = [], env?: NodeJS.ProcessEnv): Run {
  return run(process.execPath, [BIN, 'init', ...args], cwd, env);
}

export function gitRepo(files: Record<string, string> = {}): string {
  const root = tempDir('sfscan-repo-');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'user.name', 'Hook Test');
  git(root, 'config', 'user.email', 'hook-test@example.invalid');
  git(root, 'config', 'commit.gpgsign', 'false');
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(resolve(abs, '..'), { recursive: true });
    writeFileSync(abs, content);
  }
  return root;
}

/** Makes this checkout's CLI the project's own install (node_modules/.bin/spreeflo-scan). */
export function linkLocalCli(root: string): void {
  mkdirSync(join(root, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(BIN, join(root, 'node_modules', '.bin', 'spreeflo-scan'));
}

/** Puts this repository's husky into the project, as `npm install --save-dev husky` would. */
export function installHuskyCopy(root: string): void {
  const target = join(root, 'node_modules', 'husky');
  cpSync(resolve('node_modules/husky'), target, { recursive: true });
  mkdirSync(join(root, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(join(target, 'bin.js'), join(root, 'node_modules', '.bin', 'husky'));
  chmodSync(join(target, 'bin.js'), 0o755);
}

/** Stages `files` and commits; returns git's result (the hook's output is in `out`). */
export function commit(root: string, files: Record<string, string>, env?: NodeJS.ProcessEnv, cwd = root): Run {
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(resolve(abs, '..'), { recursive: true });
    writeFileSync(abs, content);
    git(root, 'add', '--', rel);
  }
  return run('git', ['commit', '-q', '-m', `add ${Object.keys(files).join(' ')}`], cwd, env);
}

/**
 * A clone of this repository (its tracked files as they are in the work tree, committed) on
 * which `scripts/release.js --tag TAG` has run, building with this checkout's node_modules.
 */
export function releasedClone(tag: string): { root: string; release: Run } {
  const here = resolve('.');
  const root = tempDir('sfscan-release-');
  git(root, 'clone', '-q', here, '.');
  git(root, 'config', 'user.name', 'Release Test');
  git(root, 'config', 'user.email', 'release-test@example.invalid');
  // Uncommitted edits are what is under test: `stash create` records them without touching the work tree.
  const edits = git(here, 'stash', 'create');
  if (edits) {
    git(root, 'fetch', '-q', here, edits);
    git(root, 'read-tree', '-u', '--reset', 'FETCH_HEAD');
    git(root, 'commit', '-q', '-m', 'work tree under test');
  }
  symlinkSync(join(here, 'node_modules'), join(root, 'node_modules'));
  // A symlink is not the folder `node_modules/` the .gitignore names.
  writeFileSync(join(root, '.git', 'info', 'exclude'), 'node_modules\n');
  return { root, release: run(process.execPath, ['scripts/release.js', '--tag', tag], root) };
}
