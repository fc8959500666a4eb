// Which objects a history scan reads: blobs (file contents), commits and annotated
// tags (messages), each once, in pack order so cat-file streams through its packs.
import { spawn } from 'node:child_process';
import { gitLines, gitRawLines } from './lines.js';
import { gitFailure, gitSpawnError } from './run.js';

export interface ObjectInfo {
  id: string;
  type: 'blob' | 'commit' | 'tag';
  size: number;
}

const T = 't'.charCodeAt(0);
const R = 'r'.charCodeAt(0);

/**
 * Listing every object touches every page of every pack, and git maps packs in 1 GiB
 * windows up to 8 GiB: on git/git the listing's RSS was the whole 304 MB pack (337 MB,
 * the scan's largest process). Small windows keep 64 MiB mapped at a time, for about
 * 0.1 s more of a 1 s listing.
 */
const SMALL_PACK_WINDOWS = ['-c', 'core.packedGitWindowSize=16m', '-c', 'core.packedGitLimit=64m'];

/**
 * Every blob, commit and tag in the object store (reachable or not), in pack order,
 * as git lists them. Trees (about three in four objects) are dropped on their first
 * bytes, before any text is made of them.
 */
export function eachObjectInPackOrder(cwd: string, onObject: (o: ObjectInfo) => void): Promise<void> {
  return gitRawLines(
    [...SMALL_PACK_WINDOWS, 'cat-file', '--batch-all-objects', '--unordered', '--batch-check=%(objecttype) %(objectname) %(objectsize)'],
    cwd,
    (buf, start, end) => {
      if (buf[start] === T && buf[start + 1] === R) return;
      const [type, id, size] = buf.toString('latin1', start, end).split(' ');
      if (type === 'blob' || type === 'commit' || type === 'tag') onObject({ id: id!, type, size: Number(size) });
    },
  );
}

/** The header cat-file writes for each object asked for by id (`<id> missing` when the store lacks it). */
const CHECK_FORMAT = '--batch-check=%(objecttype) %(objectname) %(objectsize)';

/** One line of CHECK_FORMAT output: the object, or its id into `missing`. */
function checkedObject(buf: Buffer, start: number, end: number, onObject: (o: ObjectInfo) => void, missing: Set<string>): void {
  if (buf[start] === T && buf[start + 1] === R) return;
  const [type, id, size] = buf.toString('latin1', start, end).split(' ');
  // rev-list names a missing object `?<id>`; cat-file answers `<name> missing`.
  if (id === 'missing') missing.add(type!.replace(/^\?/, ''));
  else if (type === 'blob' || type === 'commit' || type === 'tag') onObject({ id: id!, type, size: Number(size) });
}

/**
 * The blobs and commits a range's commits added (not what its base already had),
 * with their sizes, as git lists them: rev-list's output goes straight into
 * cat-file, so the first objects arrive while the walk goes on. Ids named but not in
 * the store go to `missing`.
 */
export function rangeObjects(cwd: string, revisions: string[], onObject: (o: ObjectInfo) => void, missing: Set<string>): Promise<void> {
  // --missing=print keeps a damaged repository walkable.
  const args = ['rev-list', '--objects', '--no-object-names', '--missing=print', ...revisions, '--'];
  const walk = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const err: Buffer[] = [];
  walk.stderr.on('data', (d: Buffer) => err.push(d));
  const walked = new Promise<void>((resolve, reject) => {
    walk.on('error', (e: NodeJS.ErrnoException) => reject(gitSpawnError(e)));
    walk.on('close', (code) => (code === 0 ? resolve() : reject(gitFailure(Buffer.concat(err).toString('utf8'), args))));
  });
  walked.catch(() => undefined);
  const checked = gitRawLines(['cat-file', CHECK_FORMAT], cwd, (buf, start, end) => checkedObject(buf, start, end, onObject, missing), walk.stdout);
  // cat-file has the pipe now; this process's end of it would hold back the walk's 'close'.
  walk.stdout.destroy();
  return Promise.all([walked, checked]).then(() => undefined);
}

/**
 * The blobs, commits and tags among `ids`, with their sizes, as git's store has
 * them; ids it lacks go to `missing`.
 */
export async function objectsByIds(cwd: string, ids: Iterable<string>, onObject: (o: ObjectInfo) => void, missing: Set<string>): Promise<void> {
  const input = [...ids].join('\n');
  if (!input) return;
  await gitRawLines(['cat-file', CHECK_FORMAT], cwd, (buf, start, end) => checkedObject(buf, start, end, onObject, missing), input + '\n');
}

/** What a range scan needs of the refs, from one `for-each-ref`. */
export interface RefFacts {
  /** The annotated tags refs point at, and the tags those tag (a tag of a tag), as ids. */
  tags: Set<string>;
  /** The notes refs (refs/notes/*) by name. */
  notes: string[];
}

export async function refFacts(cwd: string): Promise<RefFacts> {
  const facts: RefFacts = { tags: new Set(), notes: [] };
  // A ref name holds no space (git check-ref-format), so it leads the line.
  await gitLines(['for-each-ref', '--format=%(refname) %(objecttype) %(objectname) %(*objecttype) %(*objectname)'], cwd, (line) => {
    const [ref, type, id, targetType, target] = line.split(' ');
    if (type === 'tag') facts.tags.add(id!);
    if (targetType === 'tag') facts.tags.add(target!);
    if (ref!.startsWith('refs/notes/')) facts.notes.push(ref!);
  });
  return facts;
}
