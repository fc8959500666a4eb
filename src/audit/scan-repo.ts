// One repository of an audit: cloned into the work folder, scanned with `history` (or, with
// --files, its default branch's files as `scan` reads them), and turned into its result line.
// Whatever goes wrong is the repository's result, never the audit's end.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleDefinition } from '../detect/rules.js';
import type { HistoryCommandOptions } from '../cli/history-command.js';
import type { ScanOptions } from '../cli/scan-command.js';
import { scanHistory } from '../cli/history-command.js';
import { scanRoots } from '../cli/scan-command.js';
import { reportView } from '../cli/emit.js';
import { jsonReport } from '../report/json.js';
import { git, gitErrors } from '../git/run.js';
import { maskKeys } from '../detect/names.js';
import { sealKey } from './sealed-keys.js';
import type { Repo } from './repo-list.js';
import type { RepoLine } from './results.js';

export interface RepoScanOptions extends HistoryCommandOptions, ScanOptions {
  /** The default branch's files instead of the whole history. */
  files?: boolean;
  /** Seconds a clone may take. */
  cloneTimeout: number;
  /** Seal each key into the result line (--carry-keys). */
  sealing?: Buffer;
}

/** git never asks for a password or a host key here: with nobody to answer, it would wait forever. */
function cloneEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes' };
}

/**
 * History: a mirror (every ref, notes and pull-request refs included) whose `.git` is not
 * bare, so `history` finds the repository's top; nothing is checked out, so no config or
 * ignore file of the repository is read unless --config names one. Files: the default
 * branch, shallow, checked out. No template: hook samples are files to copy and nothing to run.
 */
async function clone(repo: Repo, dir: string, opts: RepoScanOptions): Promise<string | null> {
  const args = opts.files
    ? ['clone', '--quiet', '--template=', '--depth', '1', '--no-tags', '--', repo.cloneFrom, dir]
    : ['clone', '--quiet', '--template=', '--mirror', '--', repo.cloneFrom, join(dir, '.git')];
  const res = await git(args, process.cwd(), cloneEnv(), opts.cloneTimeout * 1000);
  if (res.code === -1) return `git clone stopped after ${opts.cloneTimeout} s (--clone-timeout)`;
  if (res.code !== 0) return `git clone failed: ${gitErrors(res.stderr) ?? (res.stderr.trim() || `exit code ${res.code}`)}`;
  if (opts.files) return null;
  return unbare(join(dir, '.git'));
}

/**
 * `core.bare = false` in a fresh mirror's config, written directly: spawning git costs more
 * than the rest of a small repository's clone (a profile of 100 of them), and git writes
 * this line of a new repository the same way every time. Any other config: `git config`.
 */
async function unbare(gitDir: string): Promise<string | null> {
  const file = join(gitDir, 'config');
  const config = readFileSync(file, 'utf8');
  const BARE = /^\tbare = true$/m;
  if (BARE.test(config)) {
    writeFileSync(file, config.replace(BARE, '\tbare = false'));
    return null;
  }
  const res = await git(['config', 'core.bare', 'false'], gitDir);
  return res.code === 0 ? null : `git config failed: ${gitErrors(res.stderr) ?? res.stderr.trim()}`;
}

async function scan(dir: string, opts: RepoScanOptions) {
  if (!opts.files) return scanHistory(undefined, opts, dir);
  const { result, setup } = await scanRoots([dir], opts);
  // The clone's own .git, which the audit made, is no news in every repository's report.
  result.skipped = result.skipped.filter((s) => s.path !== '.git');
  return { result, setup };
}

/** The sealed form of each key found, by its SHA-256. */
function sealedKeysOf(findings: { secret: { sha256: string; reveal(): string } }[], sealing: Buffer): Record<string, string> {
  const sealed: Record<string, string> = {};
  for (const f of findings) sealed[f.secret.sha256] ??= sealKey(f.secret.reveal(), f.secret.sha256, sealing);
  return sealed;
}

export async function auditRepo(repo: Repo, workDir: string, opts: RepoScanOptions, rules: RuleDefinition[]): Promise<RepoLine> {
  const started = performance.now();
  const dir = join(workDir, createHash('sha256').update(repo.name).digest('hex').slice(0, 16));
  const seconds = () => Number(((performance.now() - started) / 1000).toFixed(3));
  // git may quote the URL it was given, password and all; a message may quote a key.
  const failed = (reason: string): RepoLine => ({
    type: 'repo',
    repo: repo.name,
    status: 'failed',
    reason: maskKeys(reason.split(repo.cloneFrom).join(repo.name), rules),
    seconds: seconds(),
  });
  try {
    const cloneProblem = await clone(repo, dir, opts);
    if (cloneProblem) return failed(cloneProblem);
    const { result, setup } = await scan(dir, opts);
    const showSecrets = opts.showSecrets === true;
    return {
      type: 'repo',
      repo: repo.name,
      status: 'scanned',
      seconds: seconds(),
      report: jsonReport(result, { showSecrets, ...reportView(setup.rules, showSecrets) }),
      ...(opts.sealing && result.findings.length > 0 ? { sealedKeys: sealedKeysOf(result.findings, opts.sealing) } : {}),
    };
  } catch (err) {
    return failed((err as Error).message ?? String(err));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
