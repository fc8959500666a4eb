// Path globs, everywhere a user writes one (config `include`, `exclude`, `allow.paths`,
// ignore-file lines, `--include`, `--exclude`): gitignore's rules, as users expect from
// the file next to it. `*.png` matches at any depth, `dir/` a folder and what it holds,
// a leading `/` anchors to the top, `!` re-includes; case counts, as in git on Linux.

/**
 * Whether a path (relative, forward slashes; a folder ends in `/`) matches. `name`, from
 * a walk that tested each folder on its way down: the path's last name, which alone is
 * left for the one-name globs (the path itself, built of pieces, is not read for them).
 */
export type PathTest = (path: string, name?: string) => boolean;

const NOTHING: PathTest = () => false;

/** Matchers by their list of globs: the ignore file's feed two filters and are compiled once. */
const compiled = new WeakMap<readonly string[], PathTest>();

/**
 * A glob of one name, `*.gz` or `.env` (a literal name, or a `*` and then one, with no
 * slash): gitignore matches it against each name in the path, the file's and every
 * folder's above it. Such globs are tested here, at the end of each name, picked by
 * its last character; the others go to `ignore`, whose test of each folder above a
 * path keeps every path it was asked about in a cache, and whose 29 globs (one pattern
 * each) cost a tree scan's main thread 0.4 s (a regular expression of them all, 0.14 s).
 */
const ONE_NAME = /^\*?(?=[^*]*[^.*])[\w.@%+,=~-]+$/;
const SLASH = 0x2f;
const DOT = 0x2e;

class NameGlobs {
  private readonly byLast = new Map<number, Array<{ text: string; whole: boolean }>>();

  constructor(globs: readonly string[]) {
    for (const glob of globs) {
      const whole = !glob.startsWith('*');
      const text = whole ? glob : glob.slice(1);
      const last = text.charCodeAt(text.length - 1);
      this.byLast.set(last, [...(this.byLast.get(last) ?? []), { text, whole }]);
    }
  }

  /** Whether a name in `rel` (a file's or a folder's) matches. */
  test(rel: string): boolean {
    for (let slash = rel.indexOf('/'); ; slash = rel.indexOf('/', slash + 1)) {
      const end = slash === -1 ? rel.length : slash;
      for (const { text, whole } of this.byLast.get(rel.charCodeAt(end - 1)) ?? []) {
        const start = end - text.length;
        if (rel.endsWith(text, end) && (!whole || start === 0 || rel.charCodeAt(start - 1) === SLASH)) return true;
      }
      if (slash === -1) return false;
    }
  }
}

export async function globMatcher(globs: readonly string[]): Promise<PathTest> {
  if (globs.length === 0) return NOTHING;
  const known = compiled.get(globs);
  if (known) return known;
  // A `!` re-includes what the globs before it matched: order counts, and `ignore` alone keeps it.
  const negated = globs.some((g) => g.startsWith('!'));
  const names = negated ? [] : globs.filter((g) => ONE_NAME.test(g));
  const others = globs.filter((g) => !names.includes(g));
  const byName = names.length > 0 ? new NameGlobs(names) : null;
  // Loaded only when a glob needs it: a pre-commit run usually has none.
  const rules = others.length > 0 ? (await import('ignore')).default({ ignorecase: false }).add(others) : null;
  // gitignore has no word for a path outside the top (a file named on the command
  // line as `../x.env` or `/tmp/x.env`): it is matched by what follows the prefix.
  const fromTop = (path: string) => {
    const first = path.charCodeAt(0);
    return first === DOT || first === SLASH ? path.replace(/^(?:\.{0,2}\/)+/, '') : path;
  };
  const test: PathTest = (path, name) => {
    if (name !== undefined) return (byName?.test(name) ?? false) || (rules?.ignores(fromTop(path)) ?? false);
    const rel = fromTop(path);
    return rel !== '' && ((byName?.test(rel) ?? false) || (rules?.ignores(rel) ?? false));
  };
  compiled.set(globs, test);
  return test;
}
