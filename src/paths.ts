// Path containment, shared by whatever must not reach past a folder, and the git
// work tree a path is in, shared by what reports or looks up paths from its top.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

/** Whether `child` is `parent` or inside it (both absolute, in the same form). */
export function within(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The top of the git work tree holding the folder `dir`: the nearest folder at or
 * above it with a `.git` (git's folder, or the file a worktree or submodule has), or
 * null. Found on disk, not by running git: a scan outside a repository pays nothing.
 */
export function workTreeTop(dir: string): string | null {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return null;
  }
}

/** The folder `from` and each one above it up to `top`, nearest first; only `from` when `top` is not above it. */
export function foldersUpTo(from: string, top: string | null): string[] {
  const start = resolve(from);
  if (top === null || !within(start, top)) return [start];
  const out = [start];
  for (let d = start; d !== top; ) out.push((d = dirname(d)));
  return out;
}
