// The file source: which files under the scanned paths are read. Every file is
// scanned (a gitignored .env still leaks in a published zip) except git's own folders,
// dependency folders (unless --include-deps), what the include and exclude globs leave
// out (gitignore's rules, as in every command: see filters/globs.ts) and, with
// --gitignore, ignored files. Nothing is dropped quietly:
// git's folders, unreadable folders, broken links and link loops become skipped
// entries, and names a string cannot hold (not UTF-8) or that hold control characters
// are walked by their bytes.
import { readSettingsFile } from '../settings-file.js';
import fs from 'node:fs';
import { closeSync, existsSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { within } from '../paths.js';
import ignore, { type Ignore } from 'ignore';
import { globMatcher } from '../filters/globs.js';
import type { Skipped } from '../model.js';
import { UsageError } from '../errors.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { NOT_PLAIN, printable, printableName } from './names.js';
import { dependencyFolderReason, isDependencyFolderName } from './dependency-folders.js';

export interface FileJob {
  /** Absolute path to read: bytes when the name is not UTF-8 or holds a control character; `-` for standard input. */
  abs: string | Buffer;
  /** Read as a stream, up to --max-file-size: standard input, or a FIFO or device named on the command line. */
  stream?: boolean;
  /** Path reported to the user: relative to the walk's `base`, forward slashes. */
  rel: string;
}

export interface WalkOptions {
  include: string[];
  exclude: string[];
  gitignore: boolean;
  followSymlinks: boolean;
  /** Scan dependency folders (node_modules, …) met in the walk too; they are listed as skipped otherwise. */
  includeDeps: boolean;
  /** Folders never scanned, known by device and inode (found by name first: a stat only for those). */
  skipFolders?: SkipFolder[];
  /** Asked between turns: a promise when the walk must wait for the scan to catch up (ScanPool.keepUp). */
  keepUp?: () => Promise<void> | null;
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

const GIT_DIR = '.git';
const GIT_DIR_REASON = "git's own folder; use `history` to scan it";
const SLASH = Buffer.from('/');

function inside(dir: Buffer, name: Buffer): Buffer;
function inside(dir: string | Buffer, name: string | Buffer): string | Buffer;
function inside(dir: string | Buffer, name: string | Buffer): string | Buffer {
  return typeof dir === 'string' && typeof name === 'string' ? `${dir}/${name}` : Buffer.concat([Buffer.from(dir), SLASH, Buffer.from(name)]);
}

/**
 * A repository's own `.git`: a folder with HEAD and objects, or the `gitdir:` file a
 * worktree or submodule has in its place. Any other `.git` is content like the rest.
 */
function isGitsOwn(abs: string | Buffer): boolean {
  try {
    const info = statSync(abs);
    if (info.isDirectory()) return existsSync(inside(abs, 'HEAD')) && existsSync(inside(abs, 'objects'));
    if (!info.isFile()) return false;
    const fd = openSync(abs, 'r');
    try {
      const head = Buffer.alloc(8);
      return readSync(fd, head, 0, 8, 0) === 8 && head.toString('latin1') === 'gitdir: ';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** A folder in the walk: its absolute path and how it is reported. */
type Folder = [abs: string, rel: string];

/** The kind of an entry, as both fs.Dirent and fs.Stats tell it. */
interface Kind {
  isDirectory(): boolean;
  isFile(): boolean;
  isSymbolicLink(): boolean;
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** How a scanned path (a root) is reported from `base`: `` for the base itself; as named when outside it. */
export function pathFrom(base: string, root: string): string {
  const rel = relative(base, resolve(root));
  return printable(toPosix(rel.startsWith('..') || isAbsolute(rel) ? root.replace(/(.)\/+$/, '$1') : rel));
}

function joinRel(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
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

/** Skips that leave nothing unread: a link to nothing or to itself, a special file, a link not followed by choice. */
const NOTHING_UNREAD = { unreadContent: false } as const;

/** The .gitignore files in the scanned folder and below it; paths come with the walk's `prefix` (the folder's own path). */
class GitignoreFilter {
  private readonly byDir = new Map<string, Ignore | null>();

  constructor(
    private readonly root: string,
    private readonly prefix: string,
  ) {}

  private rulesFor(dirRel: string): Ignore | null {
    if (!this.byDir.has(dirRel)) {
      const file = join(this.root, dirRel, '.gitignore');
      this.byDir.set(dirRel, existsSync(file) ? ignore().add(readSettingsFile(file, 'gitignore', '.gitignore')) : null);
    }
    return this.byDir.get(dirRel)!;
  }

  /** True when a .gitignore in any folder above `rel` ignores it. */
  ignores(rel: string): boolean {
    const parts = (this.prefix ? rel.slice(this.prefix.length + 1) : rel).split('/');
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

/** `/dev/stdin` and its like: through the path, a socket on standard input could not be opened. */
function isStandardInput(info: fs.Stats): boolean {
  if (info.isFile() || info.isDirectory()) return false;
  try {
    const stdin = fstatSync(0);
    return stdin.dev === info.dev && stdin.ino === info.ino;
  } catch {
    return false;
  }
}

/**
 * Throws (exit 2) when a path named on the command line cannot be read: what the
 * user named is never a quiet skip. FIFOs and devices are not opened here (opening a
 * FIFO waits for a writer); they are read as streams.
 */
export function checkRoot(root: string): void {
  let info: fs.Stats;
  try {
    info = statSync(root);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `path not found: ${printable(root)}` : `cannot scan ${printable(root)}: ${errorReason(err as NodeJS.ErrnoException)}`);
  }
  if (info.isSocket() && !isStandardInput(info)) throw new UsageError(`cannot scan ${printable(root)}: a socket holds nothing to read`);
  try {
    if (info.isDirectory()) fs.opendirSync(root).closeSync();
    else if (info.isFile()) closeSync(openSync(root, 'r'));
  } catch (err) {
    throw new UsageError(`cannot scan ${printable(root)}: ${errorReason(err as NodeJS.ErrnoException)}`);
  }
}

/**
 * Files listed between two turns of the event loop: the scan workers' replies come in
 * and they are sent more files while the walk goes on (one synchronous walk of a big
 * folder, such as fast-glob's that this replaced, left them idle for a third of a scan).
 */
const FILES_PER_TURN = 256;

/**
 * Lists the files to scan under `root` (a folder or a single file), handing each to
 * `onFile`. Paths are relative to `base` (absolute), both as reported and as globs
 * match them. The walk is readdirSync's (no promise per entry): a root's own files, then
 * each of its folders breadth first (walkDir).
 */
export async function walkFiles(root: string, base: string, opts: WalkOptions, onFile: (file: FileJob) => void): Promise<WalkResult> {
  const absRoot = resolve(root);
  const prefix = pathFrom(base, absRoot);
  let rootStat: fs.Stats;
  try {
    rootStat = statSync(absRoot);
  } catch (err) {
    throw new UsageError(`cannot scan ${printable(root)}: ${errorReason(err as NodeJS.ErrnoException)}`);
  }
  const skipFolders = opts.skipFolders ?? [];
  const skipOf = (st: fs.Stats) => skipFolders.find((f) => f.dev === st.dev && f.ino === st.ino);
  const rootSkip = skipOf(rootStat);
  if (rootSkip) return { files: 0, skipped: [{ path: prefix || '.', reason: rootSkip.reason, ...NOTHING_UNREAD }] };
  if (!rootStat.isDirectory()) {
    // A stream (a FIFO, a device) has no place in a tree: it is reported as named.
    if (!rootStat.isFile()) onFile({ abs: isStandardInput(rootStat) ? '-' : absRoot, rel: printable(root), stream: true });
    else onFile({ abs: absRoot, rel: prefix || printable(absRoot) });
    return { files: 1, skipped: [] };
  }
  let files = 0;
  const add = (file: FileJob) => {
    files++;
    onFile(file);
  };
  const skipped: Skipped[] = [];
  // The native realpath: the JavaScript one decodes a Buffer path as UTF-8 and loses bytes that are not.
  const realKey = (abs: string | Buffer) => realpathSync.native(abs, 'buffer').toString('latin1');
  const seenDirs = new Set<string>([realKey(absRoot)]);
  const isIncluded = opts.include.length ? await globMatcher(opts.include) : () => true;
  const isExcluded = await globMatcher(opts.exclude);
  const excluding = opts.exclude.length > 0;
  /**
   * Each folder is tested against the excludes on the way down, so a file's own name is
   * what is left to test. Not when a name in the root's own path is excluded (`scan
   * x.gz/`): that folder was never tested, and every path under it matches.
   */
  const testedAbove = !excluding || !prefix || !isExcluded(`${prefix}/`);
  /** Whether a folder named `name` may be one skipFolder lists: most names are neither that nor a dependency folder. */
  const mayBeSkipped = (name: string) => skipFolders.some((f) => f.name === name) || (!opts.includeDeps && isDependencyFolderName(name));
  const gitignore = opts.gitignore ? new GitignoreFilter(absRoot, prefix) : null;

  /**
   * True (and listed as skipped) when the folder `abs`, named `name` and reported as
   * `rel`, is one never scanned or, without --include-deps, a dependency folder.
   */
  const skipsFolder = (abs: string | Buffer, name: string, rel: string): boolean => {
    const found = skipFolders.some((f) => f.name === name) ? skipOfPath(abs) : undefined;
    const reason = found?.reason ?? (opts.includeDeps ? null : dependencyFolderReason(name, (file) => existsSync(inside(abs, file))));
    if (!reason) return false;
    skipped.push({ path: rel, reason, ...NOTHING_UNREAD });
    return true;
  };
  const skipOfPath = (abs: string | Buffer): SkipFolder | undefined => {
    try {
      return skipOf(statSync(abs));
    } catch {
      return undefined;
    }
  };

  let listed = 0;
  /** Lists one folder: its files to `visit`, its subfolders to `folders`, itself to `notPlain` when it holds names a string loses. */
  const listFolder = async (dir: string, rel: string, folders: Folder[], notPlain: Folder[]): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      skipped.push({ path: rel || '.', reason: `folder ${errorReason(err as NodeJS.ErrnoException)}` });
      return;
    }
    const below = dir.endsWith(sep) ? dir : dir + sep;
    let plain = true;
    for (const entry of entries) {
      const name = entry.name;
      if (NOT_PLAIN.test(name)) {
        plain = false;
        continue;
      }
      const abs = below + name;
      const childRel = joinRel(rel, name);
      const folder = entry.isDirectory();
      // Excluded first: a folder the user excluded is never read, nor listed (as a dependency folder, or git's).
      if (folder && ((excluding && isExcluded(`${childRel}/`, testedAbove ? name : undefined)) || (mayBeSkipped(name) && skipsFolder(abs, name, childRel)))) continue;
      if (name === GIT_DIR && isGitsOwn(abs)) {
        skipped.push({ path: childRel, reason: GIT_DIR_REASON, ...NOTHING_UNREAD });
        continue;
      }
      if (folder) {
        folders.push([abs, childRel]);
        continue;
      }
      // A promise only for links: most entries are files, and need none.
      const following = visit(abs, childRel, name, entry);
      if (following) await following;
      if (++listed % FILES_PER_TURN === 0) await (opts.keepUp?.() ?? nextTurn());
    }
    if (!plain) notPlain.push([dir, rel]);
  };
  /** What a string cannot name, walked by its bytes. */
  const walkNotPlain = async (notPlain: Folder[]): Promise<void> => {
    for (const [dir, rel] of notPlain.splice(0)) await walkBytes(Buffer.from(dir), rel, (name) => NOT_PLAIN.test(name.toString('utf8')));
  };
  /**
   * The folder's files, then each folder in it breadth first: the order the walk has
   * always had (fast-glob's), which decides which of several links to one file is read
   * and which are listed as read through it.
   */
  const walkDir = async (dirAbs: string, relPrefix: string): Promise<void> => {
    const notPlain: Folder[] = [];
    const top: Folder[] = [];
    await listFolder(dirAbs, relPrefix, top, notPlain);
    await walkNotPlain(notPlain);
    for (const folder of top) {
      const queue = [folder];
      for (let i = 0; i < queue.length; i++) await listFolder(...queue[i]!, queue, notPlain);
      await walkNotPlain(notPlain);
    }
  };

  /**
   * The walk for names a string cannot hold: the entries of `dir` that `wanted`
   * picks, by their bytes, and everything below them.
   */
  const walkBytes = async (dir: Buffer, rel: string, wanted: (name: Buffer) => boolean): Promise<void> => {
    let entries: fs.Dirent<Buffer>[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      skipped.push({ path: rel || '.', reason: `folder ${errorReason(err as NodeJS.ErrnoException)}` });
      return;
    }
    for (const entry of entries) {
      if (!wanted(entry.name)) continue;
      const name = printableName(entry.name);
      const abs = inside(dir, entry.name);
      const childRel = joinRel(rel, name);
      if (name === GIT_DIR && isGitsOwn(abs)) skipped.push({ path: childRel, reason: GIT_DIR_REASON, ...NOTHING_UNREAD });
      else if (entry.isDirectory()) {
        if (!isExcluded(`${childRel}/`) && !skipsFolder(abs, name, childRel)) await walkBytes(abs, childRel, () => true);
      }
      else await visit(abs, childRel, name, entry);
    }
  };

  /** Anything but a folder met in the walk, named `name`. */
  const visit = (abs: string | Buffer, rel: string, name: string, kind: Kind): Promise<void> | undefined => {
    if (!isIncluded(rel) || (excluding && isExcluded(rel, testedAbove ? name : undefined))) return;
    if (gitignore?.ignores(rel)) return;
    if (kind.isFile()) add({ abs, rel });
    else if (kind.isSymbolicLink()) return followLink(abs, rel);
    // Never opened: opening a FIFO waits for a writer.
    else skipped.push({ path: rel, reason: 'not a regular file (device, socket or pipe)', ...NOTHING_UNREAD });
  };

  const realRoot = realKey(absRoot);
  /**
   * A file link is read where it points only inside the scanned folder (or with
   * --follow-symlinks): a checkout must not make the scan print files from elsewhere
   * on the machine. The kernel's own files (/proc/self/environ) are never read.
   */
  const fileLinkRefusal = (real: string): string | null => {
    if (/^\/(proc|sys)(\/|$)/.test(real)) return `symlink to ${real.split('/').slice(0, 2).join('/')}: never read`;
    return !within(real, realRoot) && !opts.followSymlinks ? 'symlink to a file outside the scanned folder, not followed (use --follow-symlinks)' : null;
  };

  /**
   * Files reached through links, by device and inode, with the first link's path: 200
   * links to one 50 MB file read it once, not 200 times. (A plain file is not stat'ed,
   * so the file itself, when the walk meets it too, is read once more.)
   */
  const linkedFiles = new Map<string, string>();
  const followLink = async (abs: string | Buffer, rel: string): Promise<void> => {
    let target: fs.Stats;
    try {
      target = statSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const dangling = code === 'ENOENT' || code === 'ELOOP';
      skipped.push({ path: rel, reason: errorReason(err as NodeJS.ErrnoException), ...(dangling ? NOTHING_UNREAD : {}) });
      return;
    }
    if (target.isFile()) {
      const why = fileLinkRefusal(realKey(abs));
      const id = `${target.dev}:${target.ino}`;
      const first = linkedFiles.get(id);
      if (why) skipped.push({ path: rel, reason: why, ...NOTHING_UNREAD });
      else if (first !== undefined) skipped.push({ path: rel, reason: `symlink to a file already read through ${first}`, ...NOTHING_UNREAD });
      else {
        linkedFiles.set(id, rel);
        add({ abs, rel });
      }
    } else if (target.isDirectory()) {
      const skip = skipOf(target);
      if (skip) {
        skipped.push({ path: rel, reason: skip.reason, ...NOTHING_UNREAD });
        return;
      }
      if (!opts.followSymlinks) {
        skipped.push({ path: rel, reason: 'symlink to a folder, not followed (use --follow-symlinks)', ...NOTHING_UNREAD });
        return;
      }
      // Known by the link's own name, as the tree shows it.
      if (skipsFolder(abs, rel.slice(rel.lastIndexOf('/') + 1), rel)) return;
      const real = realKey(abs);
      if (seenDirs.has(real)) {
        skipped.push({ path: rel, reason: 'symlink loop (folder already scanned)', ...NOTHING_UNREAD });
        return;
      }
      seenDirs.add(real);
      if (typeof abs === 'string') await walkDir(abs, rel);
      else await walkBytes(abs, rel, () => true);
    } else {
      skipped.push({ path: rel, reason: 'symlink to something that is not a file or folder', ...NOTHING_UNREAD });
    }
  };

  await walkDir(absRoot, prefix);
  return { files, skipped };
}
