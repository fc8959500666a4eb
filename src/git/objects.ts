// Which objects a history scan reads: blobs (file contents) and commits (messages),
// each once, in pack order so cat-file streams through its packs.
import { gitLines } from './lines.js';

export interface ObjectInfo {
  id: string;
  type: 'blob' | 'commit';
  size: number;
}

/** Every blob and commit in the object store, in pack order (reachable or not). */
export async function allObjectsInPackOrder(cwd: string): Promise<ObjectInfo[]> {
  const objects: ObjectInfo[] = [];
  await gitLines(
    ['cat-file', '--batch-all-objects', '--unordered', '--batch-check=%(objectname) %(objecttype) %(objectsize)'],
    cwd,
    (line) => {
      const [id, type, size] = line.split(' ');
      if (type === 'blob' || type === 'commit') objects.push({ id: id!, type, size: Number(size) });
    },
  );
  return objects;
}

export interface Reachable {
  /** Blob id -> the first path it was seen at (Latin-1 text of the path's bytes). */
  blobPaths: Map<string, string>;
  commits: Set<string>;
}

/**
 * Objects reachable from the given revisions (`--all`, or a range such as
 * `origin/main..HEAD`, which leaves out what the range's base already had).
 */
export async function reachableObjects(cwd: string, revisions: string[]): Promise<Reachable> {
  const blobPaths = new Map<string, string>();
  const commits = new Set<string>();
  // --missing=print keeps a damaged repository walkable; the change log reports what is missing.
  await gitLines(['rev-list', '--objects', '--missing=print', ...revisions, '--'], cwd, (line) => {
    if (line.startsWith('?')) return;
    const space = line.indexOf(' ');
    if (space === -1) commits.add(line);
    else blobPaths.set(line.slice(0, space), line.slice(space + 1));
  });
  // Trees are listed with their paths too; the caller keeps only ids that are blobs.
  return { blobPaths, commits };
}

/** The commits the revisions reach (no trees or blobs: quick). */
export async function reachableCommits(cwd: string, revisions: string[]): Promise<Set<string>> {
  const commits = new Set<string>();
  await gitLines(['rev-list', ...revisions, '--'], cwd, (line) => {
    if (line) commits.add(line);
  });
  return commits;
}
