// What a commit would add, from one `git diff --cached` with unlimited context: for
// each staged file its blob id, the line numbers (in the staged version) the commit
// adds, and, for text files, the whole staged content (every context and added
// line), so the pre-commit check needs no second git process unless a file is binary.
// Paths come from the same call's raw listing (-z: bytes as they are, no prefix, no
// quoting), so no diff.* setting can change or hide them.
import { gitOk } from './run.js';

export interface StagedFile {
  path: string;
  blob: string;
  /** Added line numbers in the staged version; null when every line counts (binary files). */
  added: Set<number> | null;
  /** The staged content, when the diff shows all of it (text files); else read the blob. */
  content: Buffer | null;
}

const DIFF_ARGS = [
  // The user's configuration must not shape the output the parser reads: blank context
  // lines keep their ' ', and command-line options below override every other setting
  // (diff.relative, diff.noprefix, diff.mnemonicPrefix, color, diff.external, diff.renames).
  '-c', 'diff.suppressBlankEmpty=false',
  'diff', '--cached', '--raw', '-z', '--patch', '--no-abbrev', '--full-index',
  '--no-relative', '--src-prefix=a/', '--dst-prefix=b/', '--no-color', '--no-ext-diff', '--no-textconv',
  '--submodule=short', '-M', '--unified=2147483647', '--diff-filter=ACMRT',
];

/** GIT_DIFF_OPTS=-u0 would override --unified and cut the staged content short. */
function diffEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.GIT_DIFF_OPTS;
  return env;
}

/** One file of the raw listing: `:srcmode dstmode src dst status`, then its path(s). */
interface RawEntry {
  path: string;
  mode: string;
  src: string;
  dst: string;
}

/** The raw listing's entries, and where the patch after it starts. */
function parseRaw(out: Buffer): { entries: RawEntry[]; patchStart: number } {
  const entries: RawEntry[] = [];
  let pos = 0;
  const field = (): string => {
    const found = out.indexOf(0, pos);
    const end = found === -1 ? out.length : found;
    const text = out.toString('latin1', pos, end);
    pos = end + 1;
    return text;
  };
  while (pos < out.length && out[pos] === 0x3a /* : */) {
    const [, mode, src, dst, status] = field().split(' ') as [string, string, string, string, string];
    // Renames and copies name the source first, then the staged path.
    if (status.startsWith('R') || status.startsWith('C')) field();
    const path = Buffer.from(field(), 'latin1').toString('utf8');
    entries.push({ path, mode, src, dst });
  }
  // An empty record ends the raw listing.
  if (out[pos] === 0) pos++;
  return { entries, patchStart: pos };
}

interface Section {
  blob: string;
  added: Set<number> | null;
  lines: string[];
  /** Whether the new side ends without a newline ("\ No newline at end of file"). */
  noFinalNewline: boolean;
  /** The side the last content line belonged to, which a "\ No newline" marker refers to. */
  lastSide: 'new' | 'old' | null;
}

/** The patch's file sections: new blob, added lines and content; no paths needed. */
function parsePatch(patch: string): Section[] {
  const sections: Section[] = [];
  let current: Section | null = null;
  let inHunk = false;
  let newLine = 0;
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = { blob: '', added: new Set(), lines: [], noFinalNewline: false, lastSide: null };
      sections.push(current);
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
    } else if (line.startsWith('Binary files ')) {
      current.added = null;
    } else if (line.startsWith('@@ ')) {
      inHunk = true;
      newLine = Number(/^@@ -\d+(?:,\d+)? \+(\d+)/.exec(line)?.[1] ?? 1);
    }
  }
  return sections;
}

const SUBMODULE = '160000';

/** Parses the output of DIFF_ARGS (raw listing, then the patch read as Latin-1) into staged files. */
export function parseStagedDiff(out: Buffer): StagedFile[] {
  const { entries, patchStart } = parseRaw(out);
  const sections = parsePatch(out.toString('latin1', patchStart));
  // Each entry has its section, in the same order; one whose blob is unchanged (a pure
  // rename, a mode change) has no `index` line and adds no content: its key, if any, is
  // in HEAD already, but its name may be new, so it is kept with nothing to read. A
  // section whose blob disagrees with its entry is read whole, every line counted,
  // rather than trusted.
  const files: StagedFile[] = [];
  entries.forEach((entry, i) => {
    if (entry.mode === SUBMODULE || /^0+$/.test(entry.dst)) return;
    if (entry.src === entry.dst) {
      files.push({ path: entry.path, blob: entry.dst, added: new Set(), content: Buffer.alloc(0) });
      return;
    }
    const section = sections[i];
    if (!section || section.blob !== entry.dst) {
      files.push({ path: entry.path, blob: entry.dst, added: null, content: null });
      return;
    }
    files.push({
      path: entry.path,
      blob: entry.dst,
      added: section.added,
      // With unlimited context one hunk holds the whole new file.
      content:
        section.added && section.lines.length > 0
          ? Buffer.from(section.lines.join('\n') + (section.noFinalNewline ? '' : '\n'), 'latin1')
          : null,
    });
  });
  return files;
}

export async function stagedFiles(cwd: string): Promise<StagedFile[]> {
  return parseStagedDiff(await gitOk(DIFF_ARGS, cwd, diffEnv()));
}
