// The audit's JSON Lines: one header line, then one line per repository as it finishes.
// A line is appended and flushed to disk before the next repository counts as done, so a
// run killed at any moment leaves every finished repository recorded exactly once and, at
// worst, one unfinished last line, which is cut off when the run resumes.
import { createReadStream, closeSync, fsyncSync, ftruncateSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createHash } from 'node:crypto';
import type { Report } from '../report/report-types.js';
import type { RuleDefinition } from '../detect/rules.js';
import type { Shard } from './repo-list.js';
import { UsageError } from '../errors.js';
import { printable } from '../sources/names.js';

export const RESULTS_FORMAT = 1;

export interface AuditHeader {
  type: 'audit';
  format: typeof RESULTS_FORMAT;
  tool: string;
  /** SHA-256 of the rule definitions the shard ran with: shards under different rules are told apart at the merge. */
  rules: string;
  /** The whole list (every shard's): its digest and size. */
  list: { sha256: string; repos: number };
  shard: Shard;
  /** Repositories in this shard. */
  repos: number;
  /** How the repositories were read: history, or the default branch's files; pictures or not. */
  mode: { files: boolean; ocr: boolean };
}

export interface RepoLine {
  type: 'repo';
  repo: string;
  status: 'scanned' | 'failed';
  /** Why a failed repository was not scanned. */
  reason?: string;
  seconds: number;
  /** The repository's own JSON report, as `history --format json` prints it (paths from its top). */
  report?: Report;
  /** With --carry-keys: each key, sealed, by its SHA-256. */
  sealedKeys?: Record<string, string>;
}

export type ResultLine = AuditHeader | RepoLine;

/** Rule definitions, without where they were loaded from (that differs between machines). */
export function rulesDigest(rules: RuleDefinition[]): string {
  const defs = [...rules].sort((a, b) => a.id.localeCompare(b.id)).map(({ file: _file, ...def }) => def);
  return createHash('sha256').update(JSON.stringify(defs)).digest('hex');
}

/** Appends lines, each on disk before append returns. The file is the owner's only: it says where keys are. */
export class ResultsWriter {
  readonly #fd: number;

  constructor(path: string) {
    this.#fd = openSync(path, 'a', 0o600);
  }

  append(line: ResultLine): void {
    writeSync(this.#fd, `${JSON.stringify(line)}\n`);
    fsyncSync(this.#fd);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** Cuts an unfinished last line (a run killed while writing it); its repository is simply not done yet. */
export function cutUnfinishedLine(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    let end = fstatSync(fd).size;
    const chunk = Buffer.alloc(64 * 1024);
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const n = readSync(fd, chunk, 0, end - start, start);
      const newline = chunk.subarray(0, n).lastIndexOf(0x0a);
      if (newline !== -1) {
        if (start + newline + 1 !== fstatSync(fd).size) ftruncateSync(fd, start + newline + 1);
        return;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
  } finally {
    closeSync(fd);
  }
}

function isHeader(v: unknown): v is AuditHeader {
  const h = v as AuditHeader;
  return h?.type === 'audit' && typeof h.rules === 'string' && typeof h.list?.sha256 === 'string' && Number.isInteger(h.shard?.count) && Number.isInteger(h.repos);
}

function isRepoLine(v: unknown): v is RepoLine {
  const r = v as RepoLine;
  return r?.type === 'repo' && typeof r.repo === 'string' && (r.status === 'failed' || (r.status === 'scanned' && Array.isArray(r.report?.findings)));
}

/**
 * The lines of a results file, one at a time (10,000 repositories never sit in memory
 * together): the header first, then the repositories. Anything else is an error naming
 * the file and line: a merge never passes over what it cannot read.
 */
export async function* readResults(path: string): AsyncGenerator<ResultLine> {
  const where = (n: number) => `${printable(path)}:${n}`;
  let stream;
  try {
    stream = createReadStream(path);
    await new Promise((ok, fail) => stream!.once('open', ok).once('error', fail));
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot read ${printable(path)}: ${code === 'ENOENT' ? 'not found' : message}`);
  }
  let n = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    n++;
    let line: unknown;
    try {
      line = JSON.parse(text);
    } catch {
      throw new UsageError(`${where(n)}: not a line of an audit's results (JSON Lines): an unfinished run's last line? Run the audit again with the same --state to finish it`);
    }
    if (n === 1) {
      if (!isHeader(line)) throw new UsageError(`${where(n)}: not an audit's results file (it starts with the audit's header line; give the results.jsonl of an audit's --state folder)`);
      if (line.format !== RESULTS_FORMAT) throw new UsageError(`${where(n)}: results format ${line.format}; this version reads format ${RESULTS_FORMAT}`);
    } else if (!isRepoLine(line)) {
      throw new UsageError(`${where(n)}: not a repository's result line`);
    }
    yield line;
  }
  if (n === 0) throw new UsageError(`${printable(path)} is empty: not an audit's results file`);
}
