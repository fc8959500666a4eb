// Which commits introduced a key at a path: the commit whose new version of the
// path holds the key while none of its parents' versions did. One `git log --raw`
// walk answers it for every key at once (with -c, a merge lists the paths it changed
// against every parent: a key that only its conflict resolution added shows there).
// The walk asks git for no rename detection: on git/git, finding renames is 83 s of
// a 93 s walk. A rename then shows as a deletion and an addition in one commit, and
// only the few that carry keys are paired here: a key that leaves a deleted path
// and arrives at an added path in the same commit moved, it was not introduced.
// The walk starts with the scan and runs beside it; its output waits, raw, until
// the scan knows which blobs hold keys (and is dropped if none do). At most
// BUFFERED bytes wait: then git is held until the scan is done, and the rest is
// parsed as it comes, so a commit of a million paths never sits whole in memory.
// Places are capped per key (PLACES_PER_KEY, in walk order: newest commit first);
// the rest are counted, so one blob at a million paths is one key with a count.
import { spawn, type ChildProcess } from 'node:child_process';
import { latin1ToUtf8 } from './lines.js';
import { gitErrors, gitSpawnError, unquoteGitPath } from './run.js';

export interface CommitInfo {
  id: string;
  author: string;
  date: string;
}

export interface Introduction {
  commit: CommitInfo;
  path: string;
  blob: string;
  /** The keys (SHA-256) this commit brought into this path. */
  keys: string[];
}

/** Paths the walk shows entering history, for the few that `wants` picks (keys in names). */
export interface NewPaths {
  /** A cheap test on raw log text (a chunk of it, then each change line: modes, blob ids, status, quoted path). */
  wants(line: string): boolean;
  /** A path this commit brought in: added, or the new name of a rename or copy. Called newest commit first. */
  add(path: string, commit: CommitInfo): void;
}

/** Places (commit, path) listed per key; further ones are only counted. */
export const PLACES_PER_KEY = 1000;

/** Raw log output (bytes) kept while the scan runs, before git is made to wait (SPREEFLO_SCAN_LOG_BUFFER overrides it, for tests). */
const BUFFERED = Number(process.env.SPREEFLO_SCAN_LOG_BUFFER ?? 32 * 1024 * 1024);

/** Places of a key beyond PLACES_PER_KEY. */
export interface MorePlaces {
  count: number;
  /** How many commits brought them in, the first of them the walk met, and the latest. */
  commits: number;
  first: string;
  latest: string;
}

const HEADER = '\x01';
const ZERO = /^0+$/;
/** A change whose path no parent had: added, renamed or copied to, against every parent. */
const ADDS_PATH = /^(?:[ARC]\d*)+$/;
/** A path every parent had and this commit removed. */
const DELETES_PATH = /^D+$/;
const SUBMODULE = '160000';

export class ChangeLog {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  /** Set once analyse() runs: the output is parsed as it arrives. */
  private parse: ((chunk: Buffer) => void) | null = null;
  private readonly child: ChildProcess;
  /** Null once the walk is whole; git's error when it stopped early (a damaged repository). */
  private readonly finished: Promise<string | null>;
  private stopped = false;

  constructor(cwd: string, revisions: string[]) {
    const args = [
      '-c', 'core.quotePath=true',
      'log', ...revisions, '--raw', '-c', '--no-renames', '--no-abbrev', '--no-color', '--no-ext-diff',
      `--format=${HEADER}%H%x00%an <%ae>%x00%aI`, '--',
    ];
    this.child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const err: Buffer[] = [];
    this.child.stdout!.on('data', (chunk: Buffer) => {
      if (this.parse) return this.parse(chunk);
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered >= BUFFERED) this.child.stdout!.pause();
    });
    this.child.stderr!.on('data', (d: Buffer) => err.push(d));
    this.finished = new Promise((resolve, reject) => {
      this.child.on('error', (e: NodeJS.ErrnoException) => reject(gitSpawnError(e)));
      this.child.on('close', (code) => {
        // A tree or commit git cannot read stops the walk: what it gave so far still counts.
        if (code === 0 || this.stopped) resolve(null);
        else resolve(gitErrors(Buffer.concat(err).toString('utf8')) ?? `git log stopped (exit code ${code})`);
      });
    });
    // Awaited only when keys turn up; until then a failure must not go unhandled.
    this.finished.catch(() => undefined);
  }

  /** The scan found no keys: the walk is not needed. */
  stop(): void {
    this.stopped = true;
    this.child.kill();
  }

  /**
   * For every blob that holds keys, the (commit, path) pairs where its keys entered
   * history (`keysOf` gives the key hashes a blob holds; `blobsWith` every blob that
   * holds a given key); the blobs history names that the repository lacks; and a
   * path for each blob in `named` (blobs that were skipped, to say which file they are).
   * `places` lets each key's first places through and counts the rest. `broken`: git's
   * error when the walk stopped early (then `reached` and `commits` are partial).
   */
  async analyse(
    keysOf: (blob: string) => string[] | undefined,
    blobsWith: (keySha: string) => Set<string>,
    exists: (blob: string) => boolean,
    named: Set<string>,
    places: PlaceCap,
    newPaths?: NewPaths,
  ): Promise<{ introductions: Introduction[]; missing: Map<string, string>; paths: Map<string, string>; reached: Set<string>; commits: Set<string>; broken: string | null }> {
    const found: Introduction[] = [];
    const missing = new Map<string, string>();
    const paths = new Map<string, string>();
    /** Blobs holding keys that some commit records (the rest no ref reaches). */
    const reached = new Set<string>();
    /** Every commit the walk met: the ones history reaches. */
    const commits = new Set<string>();
    let commit: CommitInfo | null = null;
    let rest = '';
    /** Set while the text at hand could hold a path `newPaths` wants (it seldom does). */
    let wanted: NewPaths | undefined;
    /** The current commit's changes that bring keys, held until its last change is seen (a rename's deletion may come after its addition). */
    let arriving: { change: RawChange; keys: string[] }[] = [];
    /** Keys held by paths the current commit deleted. */
    const leaving = new Set<string>();
    const endCommit = () => {
      for (const { change, keys } of arriving) {
        // An added path whose key a deleted path of the same commit held: a rename (or a move), not a new leak.
        const brought = ADDS_PATH.test(change.status) ? keys.filter((k) => !leaving.has(k)) : keys;
        const listed = places.take(brought, commit!.id);
        // With core.quotePath, any byte outside ASCII is quoted, so the unquoted path is exact.
        if (listed.length > 0) found.push({ commit: { ...commit!, author: latin1ToUtf8(commit!.author) }, path: unquoteGitPath(change.path), blob: change.result, keys: listed });
      }
      arriving = [];
      leaving.clear();
    };
    const onLine = (line: string) => {
      if (line.startsWith(HEADER)) {
        if (commit) endCommit();
        // The author stays Latin-1 text of its bytes until an introduction needs it.
        const [id, author, date] = line.slice(1).split('\x00');
        commit = { id: id!, author: author ?? '', date: date ?? '' };
        commits.add(commit.id);
        return;
      }
      if (!commit || !line.startsWith(':')) return;
      if (wanted?.wants(line)) {
        const change = parseRawLine(line);
        if (ADDS_PATH.test(change.status)) wanted.add(unquoteGitPath(change.path), { ...commit, author: latin1ToUtf8(commit.author) });
      }
      // Most changes hold no key and name a blob the store has: nothing to learn from them.
      const result = resultOf(line);
      if (!keysOf(result) && !named.has(result) && exists(result)) return;
      const change = parseRawLine(line);
      if (change.mode !== SUBMODULE && !ZERO.test(change.result) && !exists(change.result)) {
        missing.set(change.result, unquoteGitPath(change.path));
      }
      if (named.has(change.result) && !paths.has(change.result)) paths.set(change.result, unquoteGitPath(change.path));
      if (DELETES_PATH.test(change.status)) for (const src of change.sources) for (const k of keysOf(src) ?? []) leaving.add(k);
      if (keysOf(change.result)) reached.add(change.result);
      const keys = newKeysIn(change, keysOf, blobsWith);
      if (keys.length > 0) arriving.push({ change, keys });
    };
    const parse = (chunk: Buffer): void => {
      const text = rest + chunk.toString('latin1');
      wanted = newPaths?.wants(text) ? newPaths : undefined;
      const lines = text.split('\n');
      rest = lines.pop()!;
      for (const line of lines) onLine(line);
    };
    for (const chunk of this.chunks.splice(0)) parse(chunk);
    this.parse = parse;
    this.child.stdout!.resume();
    const broken = await this.finished;
    wanted = newPaths?.wants(rest) ? newPaths : undefined;
    // A walk that died may have left half a line.
    if (rest && !broken) onLine(rest);
    if (commit) endCommit();
    return { introductions: found, missing, paths, reached, commits, broken };
  }
}

/** Counts places per key (in content and in names alike) and lets the first PLACES_PER_KEY through. */
export class PlaceCap {
  private readonly listed = new Map<string, number>();
  readonly more = new Map<string, MorePlaces>();

  /** The keys of one place that are still listed; the others are counted against `commit`. */
  take(keys: string[], commit: string): string[] {
    return keys.filter((key) => {
      const n = this.listed.get(key) ?? 0;
      if (n < PLACES_PER_KEY) {
        this.listed.set(key, n + 1);
        return true;
      }
      const more = this.more.get(key);
      if (!more) this.more.set(key, { count: 1, commits: 1, first: commit, latest: commit });
      else {
        more.count++;
        // The walk gives a commit's changes together: a new id is a new commit.
        if (more.latest !== commit) more.commits++;
        more.latest = commit;
      }
      return false;
    });
  }
}

interface RawChange {
  /** The new version's mode (160000: a submodule's commit, not a blob here). */
  mode: string;
  sources: string[];
  result: string;
  /** One letter per parent (`M`, `AA`), a rename or copy with its score (`R086`). */
  status: string;
  /** As git wrote it (quoted when it needs to be). */
  path: string;
}

/** The new blob of a raw line: the field before the status (`… dst M\tpath`). */
function resultOf(line: string): string {
  const status = line.lastIndexOf(' ', line.indexOf('\t'));
  return line.slice(line.lastIndexOf(' ', status - 1) + 1, status);
}

/** `:100644 100644 src dst M\tpath`, or a merge's `::m1 m2 m3 p1 p2 dst MM\tpath`. */
function parseRawLine(line: string): RawChange {
  const tab = line.indexOf('\t');
  const parents = line.length - line.replace(/^:+/, '').length;
  // Fields: modes (one per parent, then the result's), source blobs (one per parent), result blob, status.
  const fields = line.slice(parents, tab).split(' ');
  const paths = line.slice(tab + 1).split('\t');
  return {
    mode: fields[parents]!,
    sources: fields.slice(parents + 1, parents * 2 + 1),
    result: fields[parents * 2 + 1]!,
    status: fields[parents * 2 + 2]!,
    path: paths[paths.length - 1]!,
  };
}

/** The keys a change's new blob brings that its sources lacked. */
function newKeysIn(change: RawChange, keysOf: (blob: string) => string[] | undefined, blobsWith: (keySha: string) => Set<string>): string[] {
  const keys = keysOf(change.result) ?? [];
  return keys.filter((keySha) => {
    const holders = blobsWith(keySha);
    return change.sources.every((src) => ZERO.test(src) || !holders.has(src));
  });
}
