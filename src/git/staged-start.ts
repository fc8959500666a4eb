// The pre-commit path's git work, started before the scanner's own code loads, so
// git runs while Node reads the rest of the CLI.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gitOk } from './run.js';
import { stagedFiles, type StagedFile } from './staged-diff.js';
import { stagedSettings, type ApprovedSettings } from './approved-settings.js';

export interface StagedGit {
  /** The work tree's top folder (config and ignore files live there). */
  root: Promise<string>;
  files: Promise<StagedFile[]>;
  /** The config and ignore file as committed in HEAD: a commit cannot widen what silences it. */
  settings: Promise<ApprovedSettings>;
}

/** The folder holding `.git` above `cwd`, found without running git; null when git must be asked. */
function topByLooking(cwd: string): string | null {
  if (process.env.GIT_DIR || process.env.GIT_WORK_TREE) return null;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

export function startStagedGit(cwd: string): StagedGit {
  const files = stagedFiles(cwd);
  const settings = stagedSettings(cwd);
  const top = topByLooking(cwd);
  const root = top ? Promise.resolve(top) : gitOk(['rev-parse', '--show-toplevel'], cwd).then((out) => out.toString('utf8').trim());
  // Whoever awaits them reports failures; until then they must not go unhandled.
  files.catch(() => undefined);
  settings.catch(() => undefined);
  root.catch(() => undefined);
  return { root, files, settings };
}
