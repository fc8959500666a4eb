// Running git. The hot paths (pre-commit, history) spawn git directly: one process,
// output as raw bytes, nothing loaded that the command does not need.
import { spawn } from 'node:child_process';
import { UsageError } from '../errors.js';

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/** `timeoutMs`: git is stopped after this long (a stalled clone), and the result's code is -1. */
export function git(args: string[], cwd: string, env?: NodeJS.ProcessEnv, timeoutMs?: number): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], ...(timeoutMs ? { timeout: timeoutMs } : {}) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => reject(gitSpawnError(e)));
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 }));
  });
}

export function gitSpawnError(e: NodeJS.ErrnoException): Error {
  return e.code === 'ENOENT' ? new UsageError('git was not found on PATH: install git, or scan files with `spreeflo-scan scan`') : e;
}

/** Runs git and returns its output, or throws a one-line error naming what failed. */
export async function gitOk(args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Buffer> {
  const res = await git(args, cwd, env);
  if (res.code !== 0) throw gitFailure(res.stderr, args);
  return res.stdout;
}

export function gitFailure(stderr: string, args: string[]): UsageError {
  const first = gitErrors(stderr) ?? stderr.split('\n').find((l) => l.trim()) ?? 'no error message';
  if (/not a git repository/i.test(first)) return new UsageError('not a git repository (run this inside a repository, or use `spreeflo-scan scan`)');
  // The subcommand, past any `-c name=value`.
  const command = args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '-c');
  return new UsageError(`git ${command} failed: ${first}`);
}

/**
 * git's error lines (`error: …`, `fatal: …`) as one line without their prefixes, each
 * once: a damaged object is often named by the first (`Could not read <id>`) and the
 * command's giving up by the last. Null when git wrote none.
 */
export function gitErrors(stderr: string): string | null {
  const lines = new Set(stderr.split('\n').filter((l) => /^(?:fatal|error): /.test(l)).map((l) => l.replace(/^(?:fatal|error): /, '')));
  return lines.size > 0 ? [...lines].join('; ') : null;
}

/** Unquotes a path as git writes it when core.quotePath needs quoting ("a\"b", octal bytes). */
export function unquoteGitPath(text: string): string {
  if (!text.startsWith('"')) return text;
  const bytes: number[] = [];
  const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 1; i < text.length - 1; i++) {
    const ch = text[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = text[++i]!;
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(text.slice(i, i + 3), 8));
      i += 2;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
