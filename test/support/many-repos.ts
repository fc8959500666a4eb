// Many small bare repositories, fast: one `git init` and one `git fast-import` each (no
// work tree, no commit hooks), for the audit's end-to-end test and its benchmark.
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** One commit: the files it adds or changes, path -> content. */
export type CommitFiles = Record<string, string>;

export type RepoSpec =
  | { name: string; kind: 'commits'; commits: CommitFiles[] }
  /** `git init --bare` and nothing else: no commit, no ref. */
  | { name: string; kind: 'empty' }
  /** A repository whose pack has garbage in the middle: it cannot be cloned or read. */
  | { name: string; kind: 'corrupt'; commits: CommitFiles[] };

function run(args: string[], cwd: string, input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git ${args[0]} failed in ${cwd}: ${err}`))));
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** A fast-import stream: each commit on main, one second apart, its files inline. */
export function fastImportStream(commits: CommitFiles[]): string {
  const parts: string[] = [];
  commits.forEach((files, i) => {
    const message = `commit ${i + 1}\n`;
    parts.push(`commit refs/heads/main\ncommitter Dana Dev <dana@example.com> ${1_700_000_000 + i} +0000\ndata ${Buffer.byteLength(message)}\n${message}`);
    for (const [path, content] of Object.entries(files)) parts.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
  });
  return parts.join('');
}

/** Overwrites the middle third of the repository's pack with bytes no object starts or inflates from. */
function corruptPack(dir: string): void {
  const packDir = join(dir, 'objects', 'pack');
  const pack = readdirSync(packDir).find((f) => f.endsWith('.pack'))!;
  const fd = openSync(join(packDir, pack), 'r+');
  const size = fstatSync(fd).size;
  writeSync(fd, Buffer.alloc(Math.floor(size / 3), 0xa5), 0, Math.floor(size / 3), Math.floor(size / 3));
  closeSync(fd);
}

async function makeRepo(root: string, spec: RepoSpec): Promise<void> {
  const dir = join(root, spec.name);
  await run(['init', '--quiet', '--bare', '--initial-branch=main', dir], root);
  if (spec.kind === 'empty') return;
  // Kept as one pack, as a served repository is (fast-import unpacks small imports otherwise).
  await run(['-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet'], dir, fastImportStream(spec.commits));
  if (spec.kind === 'corrupt') corruptPack(dir);
}

/** Creates each repository as `root/<name>` (bare), `parallel` at a time. */
export async function makeRepos(root: string, specs: RepoSpec[], parallel = 8): Promise<void> {
  mkdirSync(root, { recursive: true });
  let next = 0;
  const worker = async () => {
    while (next < specs.length) await makeRepo(root, specs[next++]!);
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
