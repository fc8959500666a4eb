// `spreeflo-scan init`: where the hook goes, idempotency, other hook lines kept,
// --uninstall, errors. Real git repositories; the commits run the real hook with
// this checkout's CLI linked in as the project's own install.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BEGIN_MARKER, END_MARKER } from '../../src/hooks/hook-block.js';
import { makeV2Key } from '../support/keys.js';
import { tempDir } from '../support/cli.js';
import { commit, git, gitRepo, init, installHuskyCopy, linkLocalCli, run } from './helpers.js';

interface Scenario {
  name: string;
  /** Prepares the repository; returns the folder init runs in (default: the top). */
  setup(root: string): string | void;
  /** The hook file init must edit, relative to the repository's top (or absolute). */
  hook: string | ((root: string) => string);
  /** A line init must print. */
  says: RegExp;
  check?(root: string): void;
}

const absHooks = tempDir('sfscan-abs-hooks-');

const scenarios: Scenario[] = [
  {
    name: 'plain repository',
    setup: () => {},
    hook: '.git/hooks/pre-commit',
    says: /Added the key check to \.git\/hooks\/pre-commit: every commit now runs `spreeflo-scan staged`/,
  },
  {
    name: 'from a subfolder',
    setup: (root) => {
      mkdirSync(join(root, 'src', 'deep'), { recursive: true });
      return join(root, 'src', 'deep');
    },
    hook: '.git/hooks/pre-commit',
    says: /\.git\/hooks\/pre-commit/,
  },
  {
    name: 'relative core.hooksPath',
    setup: (root) => void git(root, 'config', 'core.hooksPath', '.githooks'),
    hook: '.githooks/pre-commit',
    says: /\.githooks\/pre-commit \(core\.hooksPath\)/,
  },
  {
    name: 'relative core.hooksPath, from a subfolder',
    setup: (root) => {
      git(root, 'config', 'core.hooksPath', 'tools/hooks');
      mkdirSync(join(root, 'tools'), { recursive: true });
      return join(root, 'tools');
    },
    hook: 'tools/hooks/pre-commit',
    says: /tools\/hooks\/pre-commit \(core\.hooksPath\)/,
  },
  {
    name: 'absolute core.hooksPath',
    setup: (root) => void git(root, 'config', 'core.hooksPath', join(absHooks, 'h')),
    hook: () => join(absHooks, 'h', 'pre-commit'),
    says: /core\.hooksPath/,
  },
  {
    name: 'Node project without husky',
    setup: (root) => writeFileSync(join(root, 'package.json'), '{ "name": "app", "version": "1.0.0" }\n'),
    hook: '.git/hooks/pre-commit',
    says: /hook of this clone only.*npm install --save-dev husky/,
  },
  {
    name: 'Node project with husky (not yet initialised)',
    setup: (root) => {
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'app', devDependencies: { husky: '^9.1.7' } }, null, 2) + '\n');
      installHuskyCopy(root);
    },
    hook: '.husky/pre-commit',
    says: /Added the key check to \.husky\/pre-commit \(husky\)/,
    check: (root) => {
      expect(git(root, 'config', 'core.hooksPath')).toBe('.husky/_');
      expect(existsSync(join(root, '.husky', '_', 'h'))).toBe(true);
      expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.prepare).toBe('husky');
      expect(readFileSync(join(root, 'package.json'), 'utf8')).toMatch(/^ {2}"name"/m);
    },
  },
  {
    name: 'Node project with husky and its own prepare script (tab-indented)',
    setup: (root) => {
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'app', scripts: { prepare: 'tsc' }, devDependencies: { husky: '^9' } }, null, '\t') + '\n');
      installHuskyCopy(root);
    },
    hook: '.husky/pre-commit',
    says: /added "prepare": "tsc && husky"/,
    check: (root) => {
      const text = readFileSync(join(root, 'package.json'), 'utf8');
      expect(JSON.parse(text).scripts.prepare).toBe('tsc && husky');
      expect(text).toMatch(/^\t"name"/m);
    },
  },
  {
    name: 'Node project with husky already set up (hooksPath and prepare in place)',
    setup: (root) => {
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'app', scripts: { prepare: 'husky' }, devDependencies: { husky: '^9' } }, null, 2) + '\n');
      installHuskyCopy(root);
      expect(run(process.execPath, [join(root, 'node_modules/husky/bin.js')], root).code).toBe(0);
    },
    hook: '.husky/pre-commit',
    says: /\.husky\/pre-commit \(husky\)/,
  },
  {
    name: 'husky set up in the repository, package.json in a subfolder',
    setup: (root) => {
      mkdirSync(join(root, 'web'), { recursive: true });
      writeFileSync(join(root, 'web', 'package.json'), '{ "name": "web" }\n');
      installHuskyCopy(root);
      expect(run(process.execPath, [join(root, 'node_modules/husky/bin.js')], root).code).toBe(0);
      return join(root, 'web');
    },
    hook: '.husky/pre-commit',
    says: /\.husky\/pre-commit \(husky\)/,
  },
];

const hookPath = (root: string, s: Scenario) => (typeof s.hook === 'function' ? s.hook(root) : join(root, s.hook));
const key = () => makeV2Key();

describe('spreeflo-scan init', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s: installs, is idempotent, blocks a key, uninstalls', (_name, s) => {
    const root = gitRepo();
    const cwd = s.setup(root) ?? root;
    const first = init(cwd);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(s.says);
    expect(first.stdout.trim().split('\n').length).toBeLessThanOrEqual(2);
    s.check?.(root);

    const file = hookPath(root, s);
    const text = readFileSync(file, 'utf8');
    expect(text.split(BEGIN_MARKER)).toHaveLength(2);
    expect(text).toContain(END_MARKER);
    expect(statSync(file).mode & 0o111).toBe(0o111);

    // Running it again adds nothing.
    const again = init(cwd);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already in/);
    expect(readFileSync(file, 'utf8')).toBe(text);

    // The hook really runs: a staged key stops the commit, a clean change goes through.
    if (!existsSync(join(root, 'node_modules', '.bin', 'spreeflo-scan'))) linkLocalCli(root);
    const k = key();
    const blocked = commit(root, { 'config/app.env': `SPREEFLO_API_KEY=${k}\n` });
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toContain('config/app.env');
    expect(blocked.out).not.toContain(k);
    git(root, 'rm', '-q', '--cached', 'config/app.env');
    expect(commit(root, { 'README.md': 'hello\n' }).code).toBe(0);

    const removed = init(cwd, ['--uninstall']);
    expect(removed.code).toBe(0);
    if (existsSync(file)) {
      // Only husky's own hook files keep existing; never our lines.
      expect(readFileSync(file, 'utf8')).not.toContain('spreeflo-scan');
    } else {
      expect(removed.stdout).toMatch(/Removed .*pre-commit \(it held only the spreeflo-scan check\)/);
    }
    expect(init(cwd, ['--uninstall']).stdout).toMatch(/nothing to remove/);
  });
});
