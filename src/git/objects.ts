// Which objects a history scan reads: blobs (file contents), commits and annotated
// tags (messages), each once, in pack order so cat-file streams through its packs.
import { gitLines, gitRawLines } from './lines.js';

export interface ObjectInfo {
  id: string;
  type: 'blob' | 'commit' | 'tag';
  size: number;
}

const T = 't'.charCodeAt(0);
const R = 'r'.charCodeAt(0);

/**
 * Every blob, commit and tag in the object store (reachable or not), in pack order,
 * as git lists them. Trees (about three in four objects) are dropped on their first
 * bytes, before any text is made of them.
 */
export function eachObjectInPackOrder(cwd: string, onObject: (o: ObjectInfo) => void): Promise<void> {
  return gitRawLines(
    ['cat-file', '--batch-all-objects', '--unordered', '--batch-check=%(objecttype) %(objectname) %(objectsize)'],
    cwd,
    (buf, start, end) => {
      if (buf[start] === T && buf[start + 1] === R) return;
      const [type, id, size] = buf.toString('latin1', start, end).split(' ');
      if (type === 'blob' || type === 'commit' || type === 'tag') onObject({ id: id!, type, size: Number(size) });
    },
  );
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
