// What a commit would add, from one `git diff --cached` with unlimited context: for
// each staged file its blob id, the line numbers (in the staged version) the commit
// adds, and, for text files, the whole staged content (every context and added
// line), so the pre-commit check needs no second git process unless a file is binary.
import { gitOk, unquoteGitPath } from './run.js';

export interface StagedFile {
  path: string;
  blob: string;
  /** Added line numbers in the staged version; null when every line counts (binary files). */
  added: Set<number> | null;
  /** The staged content, when the diff shows all of it (text files); else read the blob. */
  content: Buffer | null;
}

const DIFF_ARGS = [
  // Paths with bytes outside ASCII come quoted, so the patch can be read as Latin-1
  // (file contents byte for byte) while paths are decoded from their escapes.
  '-c', 'core.quotePath=true',
  'diff', '--cached', '--no-color', '--no-ext-diff', '--no-textconv', '--full-index', '-M',
  '--unified=2147483647', '--diff-filter=ACMRT',
];

function pathAfterPrefix(raw: string, prefix: string): string {
  const text = unquoteGitPath(raw.replace(/\t$/, ''));
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

interface Building extends StagedFile {
  lines: string[];
  /** Whether the new side ends without a newline ("\ No newline at end of file"). */
  noFinalNewline: boolean;
  /** The side the last content line belonged to, which a "\ No newline" marker refers to. */
  lastSide: 'new' | 'old' | null;
}

/** Parses `git diff --cached --full-index` output (read as Latin-1) into staged files. */
export function parseStagedDiff(patch: string): StagedFile[] {
  const files: Building[] = [];
  let current: Building | null = null;
  let inHunk = false;
  let newLine = 0;
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = { path: '', blob: '', added: new Set(), content: null, lines: [], noFinalNewline: false, lastSide: null };
      files.push(current);
      inHunk = false;
      continue;
    }
    if (!current) continue;
    if (inHunk) {
      // Inside a hunk, +/- lines are content (an added "++ x" reads "+++ x"), not headers.
      const tag = line[0];
      if (tag === ' ' || tag === '+') {
        current.lines.push(line.slice(1));
        if (tag === '+') current.added?.add(newLine);
        newLine++;
        current.lastSide = 'new';
      } else if (tag === '-') {
        current.lastSide = 'old';
      } else if (tag === '\\') {
        if (current.lastSide === 'new') current.noFinalNewline = true;
      } else if (line.startsWith('@@ ')) {
        newLine = Number(/^@@ -\d+(?:,\d+)? \+(\d+)/.exec(line)?.[1] ?? 1);
      }
      continue;
    }
    if (line.startsWith('index ')) {
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
      newLine = Number(/^@@ -\d+(?:,\d+)? \+(\d+)/.exec(line)?.[1] ?? 1);
    }
  }
  // A rename or mode change with no new lines adds nothing; its key, if any, is in HEAD already.
  return files
    .filter((f) => f.blob && f.path && !/^0+$/.test(f.blob))
    .map((f) => ({
      path: f.path,
      blob: f.blob,
      added: f.added,
      // With unlimited context one hunk holds the whole new file.
      content: f.added && f.lines.length > 0 ? Buffer.from(f.lines.join('\n') + (f.noFinalNewline ? '' : '\n'), 'latin1') : null,
    }));
}

export async function stagedFiles(cwd: string): Promise<StagedFile[]> {
  const patch = await gitOk(DIFF_ARGS, cwd);
  return parseStagedDiff(patch.toString('latin1'));
}
