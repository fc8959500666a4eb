// What a commit would add: for each staged file, its blob id and the line numbers
// (in the staged version) that the commit adds, from one `git diff --cached`.
import { gitOk, unquoteGitPath } from './run.js';

export interface StagedFile {
  path: string;
  blob: string;
  /** Added line numbers in the staged version; null when every line counts (binary files). */
  added: Set<number> | null;
}

const DIFF_ARGS = [
  '-c', 'core.quotePath=false',
  'diff', '--cached', '--no-color', '--no-ext-diff', '--no-textconv', '--full-index', '-U0', '-M',
  '--diff-filter=ACMRT',
];

function pathAfterPrefix(raw: string, prefix: string): string {
  const text = unquoteGitPath(raw.replace(/\t$/, ''));
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

/** Parses `git diff --cached -U0 --full-index` output into staged files and added lines. */
export function parseStagedDiff(patch: string): StagedFile[] {
  const files: StagedFile[] = [];
  let current: StagedFile | null = null;
  // Inside a hunk, +/- lines are content (an added "++ x" reads "+++ x"), not headers.
  let inHunk = false;
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = { path: '', blob: '', added: new Set() };
      files.push(current);
      inHunk = false;
    } else if (!current || (inHunk && !line.startsWith('@@ '))) {
      continue;
    } else if (line.startsWith('index ')) {
      current.blob = /^index [0-9a-f]+\.\.([0-9a-f]+)/.exec(line)?.[1] ?? '';
    } else if (line.startsWith('+++ ')) {
      current.path = pathAfterPrefix(line.slice(4), 'b/');
    } else if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
      current.path = unquoteGitPath(line.slice(line.indexOf(' to ') + 4));
    } else if (line.startsWith('Binary files ')) {
      const m = /^Binary files .* and (.*) differ$/.exec(line);
      if (m) current.path = pathAfterPrefix(m[1]!, 'b/');
      current.added = null;
    } else if (line.startsWith('@@ ')) {
      inHunk = true;
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (m && current.added) {
        const start = Number(m[1]);
        const count = m[2] === undefined ? 1 : Number(m[2]);
        for (let n = start; n < start + count; n++) current.added.add(n);
      }
    }
  }
  // A rename or mode change with no new lines adds nothing; its key, if any, is in HEAD already.
  return files.filter((f) => f.blob && f.path && !/^0+$/.test(f.blob));
}

export async function stagedFiles(cwd: string): Promise<StagedFile[]> {
  const patch = await gitOk(DIFF_ARGS, cwd);
  return parseStagedDiff(patch.toString('utf8'));
}
