// The repositories an audit covers: the --repos list, each named once, and this shard's share.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { printable } from '../sources/names.js';

export interface Repo {
  /** The list's line without any password or token: how reports, state and shards know it. */
  name: string;
  /** What `git clone` is given: the URL as written, or the local path made absolute. */
  cloneFrom: string;
}

export interface Shard {
  /** 0-based, as a Kubernetes JOB_COMPLETION_INDEX or a matrix index is. */
  index: number;
  count: number;
}

export const WHOLE: Shard = { index: 0, count: 1 };

/** `scheme://` URLs and scp-like `user@host:path` are cloned over the network; anything else is a path. */
function isRemote(line: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(line) || /^[^/\s]+@[^/\s]+:/.test(line);
}

/** `https://user:token@host/x` -> `https://host/x`: a credential in the list never reaches a report. */
export function nameOf(line: string): string {
  return line.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

/**
 * One repository a line; blank lines and `#` comments are skipped, a repeated one is
 * audited once. Relative paths are from the list's folder, so every shard reads the
 * same list the same way wherever it runs.
 */
export function readRepoList(file: string): { repos: Repo[]; repeated: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot read --repos ${printable(file)}: ${code === 'ENOENT' ? 'not found' : message}`);
  }
  const seen = new Set<string>();
  const repos: Repo[] = [];
  let repeated = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const name = nameOf(line);
    if (seen.has(name)) {
      repeated++;
      continue;
    }
    seen.add(name);
    repos.push({ name, cloneFrom: isRemote(line) || isAbsolute(line) ? line : resolve(dirname(file), line) });
  }
  if (repos.length === 0) throw new UsageError(`--repos ${printable(file)} lists no repository (one a line: a path or a clone URL)`);
  return { repos, repeated };
}

/** `I/N` with 0 <= I < N. */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) throw new UsageError(`--shard ${printable(value)}: expected I/N with 0 <= I < N (for example 0/4 … 3/4)`);
  return { index, count };
}

export function shardText(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The shard a repository belongs to: by a hash of its name, so no two jobs need to agree on anything else. */
export function shardOfName(name: string, count: number): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0) % count;
}

export function inShard(repos: Repo[], shard: Shard): Repo[] {
  return repos.filter((r) => shardOfName(r.name, shard.count) === shard.index);
}

/** Identifies the list: shards of different lists must never be merged as one audit. */
export function listDigest(repos: Repo[]): string {
  return createHash('sha256').update(repos.map((r) => r.name).join('\n')).digest('hex');
}
