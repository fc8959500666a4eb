// The lines `spreeflo-scan init` adds to a pre-commit hook, and the text edits that
// add and remove them. Pure functions: the file handling is in install.ts.

export const BEGIN_MARKER = '# >>> spreeflo-scan pre-commit check (added by `spreeflo-scan init`; remove with `spreeflo-scan init --uninstall`) >>>';
export const END_MARKER = '# <<< spreeflo-scan pre-commit check <<<';

/** A path as one shell word: plain ones as they are, any other in single quotes. */
function shellWord(path: string): string {
  return /^[\w./@+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/**
 * POSIX sh, run from the top of the work tree (git runs hooks there). Finds the
 * scanner in this order: the project's own install (`node_modules/.bin`, the version
 * the project pins), first in each workspace package `packageDirs` names (paths from
 * the top, nearest first: where `init` ran, as npm, yarn and pnpm may install there)
 * then at the top (where npm workspaces hoist it); then PATH (a global install; under
 * husky PATH also starts with the top's node_modules/.bin), then npx without
 * installing. If none works the commit is stopped with a message, so a missing
 * scanner never silently lets keys through.
 */
export function hookBlock(packageDirs: readonly string[]): string {
  const bins = [...packageDirs.map((dir) => `${dir}/node_modules/.bin/spreeflo-scan`), 'node_modules/.bin/spreeflo-scan'].map(shellWord);
  return [
    BEGIN_MARKER,
    ...bins.flatMap((bin, i) => [`${i === 0 ? 'if' : 'elif'} [ -x ${bin} ]; then`, `  ${bin} staged || exit $?`]),
    'elif command -v spreeflo-scan >/dev/null 2>&1; then',
    '  spreeflo-scan staged || exit $?',
    'elif command -v npx >/dev/null 2>&1 && npx --no-install spreeflo-scan --version >/dev/null 2>&1; then',
    '  npx --no-install spreeflo-scan staged || exit $?',
    'else',
    '  echo "spreeflo-scan: the pre-commit key check cannot run: spreeflo-scan is not installed here." >&2',
    '  echo "  Install it (npm install --save-dev spreeflo-scan, or npm install -g spreeflo-scan), or remove" >&2',
    '  echo "  the spreeflo-scan lines from $0. This commit was stopped." >&2',
    '  exit 1',
    'fi',
    END_MARKER,
  ].join('\n');
}

const SHELLS = /^#!\s*(?:\/usr\/bin\/env\s+(?:-S\s+)?)?(?:\S*\/)?(?:sh|bash|dash|zsh|ksh|ash)(?:\s|$)/;
const HUSKY_V8_SOURCE = /^\.\s+"?\$\(dirname\s+(?:--\s+)?"\$0"\)\/_\/husky\.sh"?\s*$/;

export interface BlockEdit {
  text: string;
  changed: boolean;
}

function splitLines(text: string): { lines: string[]; eol: string } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return { lines, eol };
}

/** The line range [begin, end] of our block, or undefined. */
function findBlock(lines: string[]): [number, number] | undefined {
  const begin = lines.findIndex((l) => l.startsWith('# >>> spreeflo-scan'));
  if (begin < 0) return undefined;
  const end = lines.findIndex((l, i) => i > begin && l.startsWith('# <<< spreeflo-scan'));
  return end < 0 ? undefined : [begin, end];
}

export function hasBlock(text: string): boolean {
  return findBlock(splitLines(text).lines) !== undefined;
}

/** Why an existing hook cannot take shell lines, or undefined when it can. */
export function notShellReason(text: string): string | undefined {
  const first = splitLines(text).lines[0] ?? '';
  if (!first.startsWith('#!') || SHELLS.test(first)) return undefined;
  return `it is not a shell script (${first.trim()})`;
}

/**
 * Adds the block (`text`, from hookBlock) to a hook's text (empty for a new file: then `header` starts it). It goes first, after the
 * shebang and husky 8's set-up line, so the check runs even when the hook's own
 * commands end with `exit` or `exec`. An existing block is brought up to date in place.
 */
export function addBlock(existing: string, text: string, header: string[] = []): BlockEdit {
  const { lines, eol } = splitLines(existing);
  const block = text.split('\n');
  const found = findBlock(lines);
  if (found) {
    const [begin, end] = found;
    const current = lines.slice(begin, end + 1);
    if (current.join('\n') === text) return { text: existing, changed: false };
    lines.splice(begin, end - begin + 1, ...block);
    return { text: lines.join(eol) + eol, changed: true };
  }
  if (lines.length === 0) lines.push(...header);
  let at = 0;
  while (at < lines.length && (lines[at]!.startsWith('#!') || HUSKY_V8_SOURCE.test(lines[at]!))) at++;
  const after = lines.slice(at);
  const spacer = after.length > 0 && after[0]!.trim() !== '' ? [''] : [];
  const out = [...lines.slice(0, at), ...block, ...spacer, ...after];
  return { text: out.join(eol) + eol, changed: true };
}

export interface BlockRemoval extends BlockEdit {
  /** Nothing but a shebang, husky 8's set-up line and blank lines remain. */
  empty: boolean;
}

export function removeBlock(existing: string): BlockRemoval {
  const { lines, eol } = splitLines(existing);
  const found = findBlock(lines);
  if (!found) return { text: existing, changed: false, empty: false };
  const [begin, end] = found;
  // Take the blank line addBlock put after the block too.
  const extra = lines[end + 1] !== undefined && lines[end + 1]!.trim() === '' ? 1 : 0;
  lines.splice(begin, end - begin + 1 + extra);
  const empty = lines.every((l) => l.trim() === '' || l.startsWith('#!') || HUSKY_V8_SOURCE.test(l));
  return { text: lines.length ? lines.join(eol) + eol : '', changed: true, empty };
}
