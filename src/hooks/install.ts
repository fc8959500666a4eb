// Installs and removes the pre-commit check: in husky's `.husky/pre-commit` when the
// project uses husky, otherwise as a plain git hook (in core.hooksPath when set).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { UsageError } from '../errors.js';
import { gitFailure } from '../git/run.js';
import { addBlock, hasBlock, hookBlock, notShellReason, removeBlock } from './hook-block.js';
import { foldersUpTo } from '../paths.js';

const PLAIN_HEADER = ['#!/bin/sh'];
const HUSKY8_HEADER = ['#!/usr/bin/env sh', '. "$(dirname -- "$0")/_/husky.sh"'];

interface Repo {
  git: SimpleGit;
  top: string;
  commonDir: string;
  /** The workspace packages from where init runs up to the top (see packageDirs). */
  packages: string[];
}

export interface HookReport {
  /** One or two lines for the person who ran the command. */
  lines: string[];
}

/** Turns what simple-git throws into the project's one-line errors. */
function gitError(err: unknown, args: string[]): Error {
  const message = err instanceof Error ? err.message : String(err);
  if (/spawn git ENOENT/.test(message)) return new UsageError('git was not found on PATH: install git, then run spreeflo-scan init again');
  if (/not a git repository/i.test(message)) return new UsageError('not a git repository: run spreeflo-scan init inside the repository the hook is for');
  return gitFailure(message, args);
}

async function openRepo(cwd: string): Promise<Repo> {
  const { simpleGit } = await import('simple-git');
  const git = simpleGit({ baseDir: cwd });
  const args = ['rev-parse', '--show-toplevel', '--git-common-dir'];
  let out: string;
  try {
    out = await git.revparse(args.slice(1));
  } catch (err) {
    throw gitError(err, args);
  }
  const [top, commonDir] = out.split('\n').map((l) => l.trim());
  if (!top || !commonDir) throw new UsageError('not inside the work tree of a git repository (run this inside a repository)');
  const repo = { git, top: resolve(cwd, top), commonDir: resolve(cwd, commonDir) };
  return { ...repo, packages: packageDirs(repo.top, cwd) };
}

async function hooksPathConfig(repo: Repo): Promise<string | undefined> {
  try {
    const value = (await repo.git.getConfig('core.hooksPath')).value;
    return value ? value : undefined;
  } catch (err) {
    throw gitError(err, ['config', 'core.hooksPath']);
  }
}

/** Where git looks for hooks: core.hooksPath (relative to the work tree's top) or the common git dir's hooks/. */
function hooksDir(repo: Repo, configured: string | undefined): string {
  if (!configured) return join(repo.commonDir, 'hooks');
  const expanded = configured === '~' || configured.startsWith('~/') ? join(homedir(), configured.slice(1)) : configured;
  return isAbsolute(expanded) ? expanded : resolve(repo.top, expanded);
}

type HookKind = 'plain' | 'husky' | 'husky8';

/** The file to edit for the hooks folder git uses: husky's layouts put the user's hook beside the generated folder. */
function targetFor(dir: string): { file: string; kind: HookKind } {
  if (basename(dir) === '_' && existsSync(join(dir, 'h'))) return { file: join(dirname(dir), 'pre-commit'), kind: 'husky' };
  if (existsSync(join(dir, '_', 'husky.sh')) && !existsSync(join(dir, '_', 'h'))) return { file: join(dir, 'pre-commit'), kind: 'husky8' };
  return { file: join(dir, 'pre-commit'), kind: 'plain' };
}

function display(repo: Repo, file: string): string {
  const rel = relative(repo.top, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : file;
}

// ---------------------------------------------------------------------------------
// husky

interface PackageJson {
  text: string;
  data: Record<string, unknown>;
}

function readPackageJson(top: string): PackageJson | undefined {
  const path = join(top, 'package.json');
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  try {
    const data = JSON.parse(text) as unknown;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error('not an object');
    return { text, data: data as Record<string, unknown> };
  } catch (err) {
    throw new UsageError(`package.json is not valid JSON (${(err as Error).message}): fix it and run spreeflo-scan init again`);
  }
}

function declaresHusky(pkg: PackageJson): boolean {
  return ['dependencies', 'devDependencies', 'optionalDependencies'].some((field) => {
    const deps = pkg.data[field];
    return deps !== null && typeof deps === 'object' && 'husky' in deps;
  });
}

interface InstalledHusky {
  bin: string;
  major: number;
}

function installedHusky(top: string): InstalledHusky | undefined {
  const dir = join(top, 'node_modules', 'husky');
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  const meta = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string; bin?: string | Record<string, string> };
  const binRel = typeof meta.bin === 'string' ? meta.bin : meta.bin?.husky;
  if (!binRel) return undefined;
  return { bin: join(dir, binRel), major: Number.parseInt(meta.version ?? '0', 10) };
}

/** Runs the project's own husky, as its `prepare` script would: it sets core.hooksPath and writes its helper folder. */
function runHusky(top: string, husky: InstalledHusky): string {
  if (husky.major < 8) {
    throw new UsageError(`husky ${husky.major} is too old for spreeflo-scan init (husky 8 or newer): upgrade husky, or add \`spreeflo-scan staged\` to your hook yourself`);
  }
  const args = husky.major >= 9 ? [] : ['install'];
  const res = spawnSync(process.execPath, [husky.bin, ...args], { cwd: top, encoding: 'utf8' });
  if (res.error) throw res.error;
  const said = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim().split('\n')[0] ?? '';
  if (res.status !== 0) throw new UsageError(`husky failed: ${said || `exit code ${res.status}`}`);
  return said;
}

/** `"prepare": "husky"`, so everyone's `npm install` activates the hooks. Returns what changed. */
function ensurePrepareScript(top: string, pkg: PackageJson, major: number): string | undefined {
  const command = major >= 9 ? 'husky' : 'husky install';
  const scripts = (pkg.data.scripts ??= {}) as Record<string, unknown>;
  const prepare = scripts.prepare;
  if (typeof prepare === 'string' && /\bhusky\b/.test(prepare)) return undefined;
  scripts.prepare = typeof prepare === 'string' && prepare.trim() ? `${prepare} && ${command}` : command;
  const indent = /^\t/m.test(pkg.text) ? '\t' : (/^( +)"/m.exec(pkg.text)?.[1] ?? '  ');
  const eol = pkg.text.includes('\r\n') ? '\r\n' : '\n';
  writeFileSync(join(top, 'package.json'), JSON.stringify(pkg.data, null, indent).replace(/\n/g, eol) + eol);
  return `"prepare": "${String(scripts.prepare)}"`;
}

// ---------------------------------------------------------------------------------
// install / uninstall

function readHook(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Git ignores a hook that is not executable: give x to whoever can read it. */
function makeExecutable(file: string): void {
  const mode = statSync(file).mode & 0o777;
  const wanted = mode | ((mode & 0o444) >> 2);
  if (wanted !== mode) chmodSync(file, wanted);
}

/**
 * The workspace packages between `cwd` and the top (folders with a package.json, nearest
 * first, as paths from the top): where the hook looks for the scanner before the top's
 * node_modules, so `init` run in `packages/web` finds the install it was run from.
 */
function packageDirs(top: string, cwd: string): string[] {
  return foldersUpTo(cwd, top)
    .filter((dir) => dir !== top && existsSync(join(dir, 'package.json')))
    .map((dir) => relative(top, dir).split(sep).join('/'));
}

function writeHook(repo: Repo, file: string, kind: HookKind): boolean {
  const existing = readHook(file);
  if (existing !== undefined) {
    const reason = notShellReason(existing);
    if (reason) throw new UsageError(`${display(repo, file)} exists and ${reason}: add \`spreeflo-scan staged\` to it yourself`);
  }
  const header = kind === 'plain' ? PLAIN_HEADER : kind === 'husky8' ? HUSKY8_HEADER : [];
  const edit = addBlock(existing ?? '', hookBlock(repo.packages), header);
  if (edit.changed) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, edit.text, { mode: 0o755 });
  }
  makeExecutable(file);
  return edit.changed;
}

/** In a workspace package, which install the hook runs (git runs it from the top, not from here). */
function fromWhere(repo: Repo): string {
  return repo.packages.length ? ` (${repo.packages[0]}'s own install, else the top's)` : '';
}

export async function installHook(cwd: string): Promise<HookReport> {
  const repo = await openRepo(cwd);
  const pkg = readPackageJson(repo.top);
  const declared = pkg !== undefined && declaresHusky(pkg);
  const husky = pkg ? installedHusky(repo.top) : undefined;

  if (pkg && (declared || husky)) {
    if (!husky) {
      throw new UsageError('husky is in package.json but not installed: run npm install, then spreeflo-scan init again');
    }
    const huskySaid = runHusky(repo.top, husky);
    const prepare = ensurePrepareScript(repo.top, pkg, husky.major);
    const file = join(repo.top, '.husky', 'pre-commit');
    const changed = writeHook(repo, file, husky.major >= 9 ? 'husky' : 'husky8');
    const active = targetFor(hooksDir(repo, await hooksPathConfig(repo))).file === file;
    const lines = [
      changed
        ? `Added the key check to ${display(repo, file)} (husky): every commit now runs \`spreeflo-scan staged\`${fromWhere(repo)}.`
        : `The key check is already in ${display(repo, file)} (husky); nothing to add.`,
    ];
    if (!active) {
      lines.push(`husky did not activate its hooks${huskySaid ? ` (${huskySaid})` : ''}: run \`npx husky\` in ${repo.top}, or unset HUSKY.`);
    } else if (changed || prepare) {
      lines.push(`Commit ${display(repo, file)}${prepare ? ` and package.json (added ${prepare})` : ''} so everyone who runs npm install gets the check.`);
    }
    return { lines };
  }

  const configured = await hooksPathConfig(repo);
  const { file, kind } = targetFor(hooksDir(repo, configured));
  const changed = writeHook(repo, file, kind);
  const where = kind === 'plain' && configured ? ` (core.hooksPath)` : kind === 'plain' ? '' : ' (husky)';
  const lines = [
    changed
      ? `Added the key check to ${display(repo, file)}${where}: every commit now runs \`spreeflo-scan staged\`${fromWhere(repo)}.`
      : `The key check is already in ${display(repo, file)}${where}; nothing to add.`,
  ];
  if (changed && pkg && kind === 'plain' && !configured) {
    lines.push('It is a hook of this clone only; to share it with your team, add husky (npm install --save-dev husky) and run spreeflo-scan init again.');
  }
  return { lines };
}

export async function uninstallHook(cwd: string): Promise<HookReport> {
  const repo = await openRepo(cwd);
  const candidates = [
    targetFor(hooksDir(repo, await hooksPathConfig(repo))).file,
    join(repo.top, '.husky', 'pre-commit'),
    join(repo.commonDir, 'hooks', 'pre-commit'),
  ];
  const lines: string[] = [];
  for (const file of [...new Set(candidates.map((f) => resolve(f)))]) {
    const text = readHook(file);
    if (text === undefined || !hasBlock(text)) continue;
    const removal = removeBlock(text);
    if (removal.empty) {
      unlinkSync(file);
      lines.push(`Removed ${display(repo, file)} (it held only the spreeflo-scan check).`);
    } else {
      writeFileSync(file, removal.text);
      lines.push(`Removed the spreeflo-scan check from ${display(repo, file)}; its other commands stay.`);
    }
  }
  if (lines.length === 0) lines.push('No spreeflo-scan pre-commit check is installed in this repository; nothing to remove.');
  return { lines };
}
