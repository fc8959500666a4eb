// A change cannot silence itself: a gate reads the suppression settings (config and
// ignore file, and a tracked baseline) as they were approved, from HEAD for a commit
// and from the base of a pull request's range, never from the change under review.
import { relative, resolve } from 'node:path';
import { CONFIG_NAMES, IGNORE_FILE_NAME } from '../config.js';
import { CatFile, type CatFileResult } from './cat-file.js';
import { gitOk } from './run.js';

/** A settings file as git holds it: `name` says where (`HEAD:.spreeflo-scan.yaml`). */
export interface GitText {
  name: string;
  text: string;
}

export interface ApprovedSettings {
  /** The revision they were read at (`HEAD`, a base commit), or `` for the index (a first commit). */
  rev: string;
  config: GitText | null;
  ignore: GitText | null;
  /** Notes for the report: which of them the change edits, and that the edit does not apply to it. */
  notes: string[];
}

const FILES = [...CONFIG_NAMES, IGNORE_FILE_NAME];

/** A file's text; a folder of that name, or nothing, is no settings file. */
function found(result: CatFileResult, name: string): GitText | null {
  return 'missing' in result || result.type !== 'blob' ? null : { name, text: result.data.toString('utf8') };
}

/** The config (first of its names present) and the ignore file among `FILES`' results at `rev`. */
function pick(results: CatFileResult[], rev: string): Pick<ApprovedSettings, 'config' | 'ignore'> {
  const texts = results.map((r, i) => found(r, `${rev}:${FILES[i]}`));
  return { config: texts.slice(0, CONFIG_NAMES.length).find((t) => t !== null) ?? null, ignore: texts[CONFIG_NAMES.length] ?? null };
}

function objectId(result: CatFileResult): string | null {
  return 'missing' in result ? null : result.id;
}

/**
 * For `staged`: the settings in HEAD, with a note for each the index changes (the change
 * applies from the next commit on). A first commit has no HEAD: the index's are used.
 * One `git cat-file --batch`, started beside the staged diff.
 */
export async function stagedSettings(cwd: string): Promise<ApprovedSettings> {
  const cat = new CatFile(cwd);
  const pending = cat.request(['HEAD', ...FILES.map((f) => `HEAD:${f}`), ...FILES.map((f) => `:${f}`)]);
  cat.close();
  const [head, ...rest] = await Promise.all(pending);
  const inHead = rest.slice(0, FILES.length);
  const inIndex = rest.slice(FILES.length);
  if ('missing' in head!) return { rev: '', ...pick(inIndex, ''), notes: [] };
  const notes = FILES.filter((_, i) => objectId(inHead[i]!) !== objectId(inIndex[i]!)).map(
    (f) => `review: this commit changes ${f}, which can silence findings; the commit is checked with the version in HEAD`,
  );
  return { rev: 'HEAD', ...pick(inHead, 'HEAD'), notes };
}

/**
 * The commit a range is measured against: `A..B` -> A, `A...B` -> their merge base
 * (an empty side is HEAD); null for anything else (one revision: no base to go by).
 */
export async function rangeBase(root: string, range: string): Promise<string | null> {
  const symmetric = /^(.*?)\.\.\.(.*)$/.exec(range);
  const two = symmetric ?? /^(.*?)\.\.(.*)$/.exec(range);
  if (!two) return null;
  const [from, to] = [two[1] || 'HEAD', two[2] || 'HEAD'];
  const args = symmetric ? ['merge-base', '--end-of-options', from, to] : ['rev-parse', '--verify', '--end-of-options', `${from}^{commit}`];
  return (await gitOk(args, root)).toString('utf8').trim();
}

/** For `history BASE..HEAD`: the settings as they are at the base. */
export async function settingsAt(root: string, base: string): Promise<ApprovedSettings> {
  const cat = new CatFile(root);
  const pending = cat.request(FILES.map((f) => `${base}:${f}`));
  cat.close();
  const short = base.slice(0, 12);
  return { rev: base, ...pick(await Promise.all(pending), short), notes: [`suppression settings read as they are at the base of the range (${short}); the range's own changes to them do not apply to it`] };
}

/**
 * A `--baseline` report tracked in the repository, as it is at `rev` (empty when the
 * change adds it), with a note when the change edits it. null: not tracked, so it
 * applies as given.
 */
export async function baselineAt(root: string, rev: string, file: string): Promise<{ baseline: GitText; note?: string } | null> {
  const rel = relative(root, resolve(file)).split('\\').join('/');
  if (rel.startsWith('../')) return null;
  const cat = new CatFile(root);
  const pending = cat.request([`${rev}:${rel}`, `:${rel}`]);
  cat.close();
  const [approved, staged] = (await Promise.all(pending)) as [CatFileResult, CatFileResult];
  if ('missing' in approved && 'missing' in staged) return null;
  const name = `${rev.slice(0, 12)}:${rel}`;
  if ('missing' in approved) {
    return {
      baseline: { name, text: '{"findings":[]}' },
      note: `review: this change adds the baseline ${rel}, which can silence findings; it applies once approved (committed before the change)`,
    };
  }
  const edited = objectId(approved) !== objectId(staged);
  return {
    baseline: { name, text: approved.data.toString('utf8') },
    ...(edited ? { note: `review: this change edits the baseline ${rel}, which can silence findings; the change is checked with the version at ${rev.slice(0, 12) || 'the index'}` } : {}),
  };
}
