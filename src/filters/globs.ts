// Path globs, everywhere a user writes one (config `include`, `exclude`, `allow.paths`,
// ignore-file lines, `--include`, `--exclude`): gitignore's rules, as users expect from
// the file next to it. `*.png` matches at any depth, `dir/` a folder and what it holds,
// a leading `/` anchors to the top, `!` re-includes; case counts, as in git on Linux.

/** Whether a path (relative, forward slashes; a folder ends in `/`) matches. */
export type PathTest = (path: string) => boolean;

const NOTHING: PathTest = () => false;

/** Matchers by their list of globs: the ignore file's feed two filters and are compiled once. */
const compiled = new WeakMap<readonly string[], PathTest>();

export async function globMatcher(globs: readonly string[]): Promise<PathTest> {
  if (globs.length === 0) return NOTHING;
  const known = compiled.get(globs);
  if (known) return known;
  // Loaded only when there are globs: a pre-commit run usually has none.
  const { default: ignore } = await import('ignore');
  const rules = ignore({ ignorecase: false }).add([...globs]);
  const test: PathTest = (path) => {
    // gitignore has no word for a path outside the top (a file named on the command
    // line as `../x.env` or `/tmp/x.env`): it is matched by what follows the prefix.
    const rel = path.replace(/^(?:\.{0,2}\/)+/, '');
    return rel !== '' && rules.ignores(rel);
  };
  compiled.set(globs, test);
  return test;
}
