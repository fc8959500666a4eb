// The file source: which files under the scanned paths are read. Every file is
// scanned (a gitignored .env still leaks in a published zip) except .git internals,
// excluded globs and, with --gitignore, ignored files. Nothing is dropped quietly:
// unreadable folders, broken links and link loops become skipped entries.
import fs from 'node:fs';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import picomatch from 'picomatch';
import ignore, { type Ignore } from 'ignore';
import type { Skipped } from '../model.js';
import { UsageError } from '../errors.js';
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface FileJob {
  /** Absolute path to read. */
  abs: string;
  /** Path reported to the user: relative to the scan root, forward slashes. */
  rel: string;
}

export interface WalkOptions {
  include: string[];
  exclude: string[];
  gitignore: boolean;
  followSymlinks: boolean;
  /** Folders never scanned, known by device and inode (found by name first: a stat only for those). */
  skipFolders?: SkipFolder[];
}

export interface SkipFolder {
  dev: number;
  ino: number;
  /** The folder's own name. */
  name: string;
  reason: string;
}

export interface WalkResult {
  files: number;
  skipped: Skipped[];
}

/** Git's own folder (or the file a worktree has in its place) is never scanned. */
const GIT_DIR = '.git';

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/**
 * fast-glob's fs: readdir failures are recorded instead of silently swallowed, and
 * `.git` entries are dropped as they are read, far cheaper than an ignore pattern
 * that fast-glob would test against every path.
 */
function scanningFs(onError: (dir: string, err: NodeJS.ErrnoException) => void, skip: (dir: string, name: string) => boolean) {
  const readdirSync = ((dir: string, opts: any) => {
    let entries: Array<string | fs.Dirent>;
    try {
      entries = fs.readdirSync(dir, opts);
    } catch (err) {
      onError(dir, err as NodeJS.ErrnoException);
      throw err;
    }
    return entries.filter((e) => {
      const name = typeof e === 'string' ? e : e.name;
      return name !== GIT_DIR && !((typeof e === 'string' || e.isDirectory()) && skip(dir, name));
    });
  }) as typeof fs.readdirSync;
  return { readdirSync };
}

function errorReason(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ELOOP':
      return 'symlink loop';
    case 'ENOENT':
      return 'broken symlink (target does not exist)';
    case 'EACCES':
    case 'EPERM':
      return `unreadable (${err.code}: permission denied)`;
    default:
      return `unreadable (${err.code ?? err.message})`;
  }
}

class GitignoreFilter {
  private readonly byDir = new Map<string, Ignore | null>();

  constructor(private readonly root: string) {}

  private rulesFor(dirRel: string): Ignore | null {
    if (!this.byDir.has(dirRel)) {
      const file = join(this.root, dirRel, '.gitignore');
      this.byDir.set(dirRel, existsSync(file) ? ignore().add(readFileSync(file, 'utf8')) : null);
    }
    return this.byDir.get(dirRel)!;
  }

  /** True when a .gitignore in any folder above `rel` ignores it. */
  ignores(rel: string): boolean {
    const parts = rel.split('/');
    for (let depth = 0; depth < parts.length; depth++) {
      const dirRel = parts.slice(0, depth).join('/');
      const rules = this.rulesFor(dirRel);
      if (!rules) continue;
      // Each ancestor folder below this .gitignore may be ignored as a whole.
      for (let end = depth + 1; end <= parts.length; end++) {
        const sub = parts.slice(depth, end).join('/') + (end < parts.length ? '/' : '');
        if (rules.ignores(sub)) return true;
      }
    }
    return false;
  }
}

/**
 * Lists the files to scan under `root` (a folder or a single file), handing each to
 * `onFile`. fast-glob's synchronous walk is several times cheaper than its stream
 * (no per-entry promises); it runs as one call per top-level folder.
 */
export async function walkFiles(root: string, opts: WalkOptions, onFile: (file: FileJob) => void): Promise<WalkResult> {
  const absRoot = resolve(root);
  let rootStat: fs.Stats;
  try {
    rootStat = statSync(absRoot);
  } catch (err) {
    throw new UsageError(`cannot scan ${root}: ${errorReason(err as NodeJS.ErrnoException)}`);
  }
  const skipFolders = opts.skipFolders ?? [];
  const skipOf = (st: fs.Stats) => skipFolders.find((f) => f.dev === st.dev && f.ino === st.ino);
  const rootSkip = skipOf(rootStat);
  if (rootSkip) return { files: 0, skipped: [{ path: '.', reason: rootSkip.reason }] };
  if (rootStat.isFile()) {
    onFile({ abs: absRoot, rel: toPosix(relative(process.cwd(), absRoot)) || absRoot });
    return { files: 1, skipped: [] };
  }
  let files = 0;
  const add = (file: FileJob) => {
    files++;
    onFile(file);
  };
  const skipped: Skipped[] = [];
  const seenDirs = new Set<string>([realpathSync(absRoot)]);
  const isIncluded = opts.include.length ? picomatch(opts.include, { dot: true }) : () => true;
  const gitignore = opts.gitignore ? new GitignoreFilter(absRoot) : null;

  /** True (and listed as skipped) when `dir/name` is one of the folders never scanned. */
  const skipsFolder = (dir: string, name: string): boolean => {
    if (!skipFolders.some((f) => f.name === name)) return false;
    const abs = join(dir, name);
    let st: fs.Stats;
    try {
      st = statSync(abs);
    } catch {
      return false;
    }
    const found = skipOf(st);
    if (found) skipped.push({ path: toPosix(relative(absRoot, abs)), reason: found.reason });
    return found !== undefined;
  };

  const walkDir = async (dirAbs: string, relPrefix: string): Promise<void> => {
    const options: fg.Options & { objectMode: true } = {
      cwd: dirAbs,
      dot: true,
      onlyFiles: false,
      objectMode: true,
      followSymbolicLinks: false,
      suppressErrors: true,
      // Without followed links no path can come twice: no need to track them.
      unique: false,
      ignore: opts.exclude,
      fs: scanningFs(
        (dir, err) => skipped.push({ path: toPosix(relative(absRoot, dir)) || '.', reason: `folder ${errorReason(err)}` }),
        skipsFolder,
      ),
    };
    // The top level, then each folder in it, with a turn of the event loop between:
    // the workers get files to scan while the walk goes on. (A call per folder at
    // every level would cost more than the walk itself.)
    const folders: string[] = [];
    await handle(fg.sync('**', { ...options, deep: 1 }), dirAbs, relPrefix, folders);
    for (const folder of folders) {
      await nextTurn();
      await handle(fg.sync(`${fg.escapePath(folder)}/**`, options), dirAbs, relPrefix, null);
    }
  };

  /** Files go to onFile; top-level folders to `folders` (null: their contents are listed already). */
  const handle = async (entries: fg.Entry[], dirAbs: string, relPrefix: string, folders: string[] | null): Promise<void> => {
    // fast-glob's paths are normalised and the folder is absolute: no join() per file.
    const base = dirAbs.endsWith(sep) ? dirAbs : dirAbs + sep;
    for (const entry of entries) {
      const rel = relPrefix ? `${relPrefix}/${entry.path}` : entry.path;
      const abs = base + entry.path;
      const d = entry.dirent;
      if (d.isDirectory()) {
        folders?.push(entry.path);
        continue;
      }
      if (!isIncluded(rel)) continue;
      if (gitignore?.ignores(rel)) continue;
      if (d.isFile()) {
        add({ abs, rel });
      } else if (d.isSymbolicLink()) {
        await followLink(abs, rel);
      } else {
        skipped.push({ path: rel, reason: 'not a regular file (device, socket or pipe)' });
      }
    }
  };

  const followLink = async (abs: string, rel: string): Promise<void> => {
    let target: fs.Stats;
    try {
      target = statSync(abs);
    } catch (err) {
      skipped.push({ path: rel, reason: errorReason(err as NodeJS.ErrnoException) });
      return;
    }
    if (target.isFile()) {
      add({ abs, rel });
    } else if (target.isDirectory()) {
      const skip = skipOf(target);
      if (skip) {
        skipped.push({ path: rel, reason: skip.reason });
        return;
      }
      if (!opts.followSymlinks) {
        skipped.push({ path: rel, reason: 'symlink to a folder, not followed (use --follow-symlinks)' });
        return;
      }
      const real = realpathSync(abs);
      if (seenDirs.has(real)) {
        skipped.push({ path: rel, reason: 'symlink loop (folder already scanned)' });
        return;
      }
      seenDirs.add(real);
      await walkDir(abs, rel);
    } else {
      skipped.push({ path: rel, reason: 'symlink to something that is not a file or folder' });
    }
  };

  await walkDir(absRoot, '');
  return { files, skipped };
}
