// Which commits introduced a key at a path: the commit whose new version of the
// path holds the key while none of its parents' versions did. One `git log --raw`
// walk answers it for every key at once (with -c, a merge lists the paths it changed
// against every parent: a key that only its conflict resolution added shows there).
import { gitLines, latin1ToUtf8 } from './lines.js';
import { unquoteGitPath } from './run.js';

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

const HEADER = '\x01';
const ZERO = /^0+$/;

/**
 * Walks `revisions` and returns, for every listed blob that holds keys, the
 * (commit, path) pairs where its keys entered history. `keysOf` gives the key
 * hashes a blob holds; `blobsWith` gives every blob that holds a given key.
 */
export async function findIntroductions(
  cwd: string,
  revisions: string[],
  keysOf: (blob: string) => string[] | undefined,
  blobsWith: (keySha: string) => Set<string>,
): Promise<Introduction[]> {
  const found: Introduction[] = [];
  let commit: CommitInfo | null = null;
  const args = [
    '-c', 'core.quotePath=true',
    'log', ...revisions, '--raw', '-c', '-M', '--no-abbrev', '--no-color', '--no-ext-diff',
    `--format=${HEADER}%H%x00%an <%ae>%x00%aI`, '--',
  ];
  await gitLines(args, cwd, (line) => {
    if (line.startsWith(HEADER)) {
      const [id, author, date] = line.slice(1).split('\x00');
      commit = { id: id!, author: latin1ToUtf8(author ?? ''), date: date ?? '' };
      return;
    }
    if (!commit || !line.startsWith(':')) return;
    const tab = line.indexOf('\t');
    const fields = line.slice(0, tab).replace(/^:+/, '').split(' ');
    // Fields: modes (one per parent, then the result's), source blobs (one per parent), result blob, status.
    const parents = (line.length - line.replace(/^:+/, '').length);
    const sources = fields.slice(parents + 1, parents * 2 + 1);
    const result = fields[parents * 2 + 1]!;
    const keys = keysOf(result);
    if (!keys) return;
    const newKeys = keys.filter((keySha) => {
      const holders = blobsWith(keySha);
      return sources.every((src) => ZERO.test(src) || !holders.has(src));
    });
    if (newKeys.length === 0) return;
    // With core.quotePath, any byte outside ASCII is quoted, so the unquoted path is exact.
    const paths = line.slice(tab + 1).split('\t');
    found.push({ commit, path: unquoteGitPath(paths[paths.length - 1]!), blob: result, keys: newKeys });
  });
  return found;
}
