// In pull-request mode, a range that silences findings must say so: reviewers see
// every change to the config or ignore file and every new allow comment.
import { CONFIG_NAMES, IGNORE_FILE_NAME } from '../config.js';
import { ALLOW_MARKER } from '../detect/allow.js';
import { CatFile } from './cat-file.js';
import { git, gitOk, unquoteGitPath } from './run.js';

const ALLOW_MARKER_BYTES = Buffer.from(ALLOW_MARKER);

/** Whether a blob's bytes hold the allow marker. */
export function holdsAllowMarker(data: Buffer): boolean {
  return data.includes(ALLOW_MARKER_BYTES);
}

/**
 * `withoutMarker` resolves, once the scan has read the range's blobs, to those it found
 * without the allow marker. The diff that finds added allow comments (git diffs every
 * changed file: about a third of the scan of a pull request) runs only when a blob the
 * range leaves changed holds the marker; the few the scan did not read (a file brought
 * back as it was before the base, blobs read on the workers) are read here.
 */
export async function suppressionChanges(root: string, range: string, withoutMarker: Promise<Set<string>>): Promise<string[]> {
  const notes: string[] = [];
  const [changed, newBlobs, textconv] = await Promise.all([
    gitOk(['-c', 'core.quotePath=false', 'diff', '--name-only', range, '--', ...CONFIG_NAMES, IGNORE_FILE_NAME, `**/${IGNORE_FILE_NAME}`], root),
    gitOk(['diff', '--raw', '-z', '--no-abbrev', range], root),
    // A textconv driver's text, not the blob's, is what the diff searches.
    git(['config', '--get-regexp', '^diff\\..*\\.textconv$'], root),
  ]);
  for (const path of changed.toString('utf8').split('\n').filter(Boolean)) {
    notes.push(`review: this range changes ${path}, which can silence findings`);
  }
  const clean = await withoutMarker;
  if (textconv.stdout.length === 0 && !(await anyHoldsMarker(root, changedBlobs(newBlobs).filter((b) => !clean.has(b))))) return notes;
  const patch = await gitOk(['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '-U0', `-G${ALLOW_MARKER}`, range], root);
  let path = '';
  let line = 0;
  for (const text of patch.toString('utf8').split('\n')) {
    if (text.startsWith('+++ ')) path = unquoteGitPath(text.slice(4).replace(/\t$/, '')).replace(/^b\//, '');
    else if (text.startsWith('@@ ')) line = Number(/\+(\d+)/.exec(text)?.[1] ?? 0);
    else if (text.startsWith('+')) {
      if (text.includes(ALLOW_MARKER)) notes.push(`review: this range adds a ${ALLOW_MARKER} comment at ${path}:${line}`);
      line++;
    }
  }
  return notes;
}

/** Whether any of `blobs` holds the marker, or cannot be read (then the diff decides). */
async function anyHoldsMarker(root: string, blobs: string[]): Promise<boolean> {
  if (blobs.length === 0) return false;
  const cat = new CatFile(root, { skipDamaged: true });
  const read = cat.request([...new Set(blobs)]);
  cat.close();
  for (const result of await Promise.all(read)) if ('missing' in result || holdsAllowMarker(result.data)) return true;
  return false;
}

const NO_BLOB = /^0+$/;

/**
 * The new side's blobs in `git diff --raw -z` output (`:mode mode id id status\0path\0`,
 * a second path for a rename or copy): the only texts an added line can come from. A
 * deleted file has none; a submodule's diff is a `Subproject commit` line.
 */
function changedBlobs(raw: Buffer): string[] {
  const fields = raw.toString('latin1').split('\0');
  const blobs: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const meta = fields[i]!;
    if (!meta.startsWith(':')) continue;
    const [, newMode, , newId, status] = meta.slice(1).split(' ');
    i += /^[RC]/.test(status ?? '') ? 2 : 1;
    if (newMode !== '160000' && newId && !NO_BLOB.test(newId)) blobs.push(newId);
  }
  return blobs;
}
