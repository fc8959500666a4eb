// One long-lived `git cat-file --batch` process: objects go in by id, contents come
// back as one stream, parsed without copying the stream into one big buffer.
// git dies on an object it cannot inflate (a damaged pack or loose file); a reader
// that can say so (`skipDamaged`) gets that object back as damaged and the rest from
// a new process, so one bad object costs itself, not the scan.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { gitErrors, gitSpawnError } from './run.js';

/** `missing`: git has no such object; with `damaged`, git's error on reading it (skipDamaged only). */
export type CatFileResult = { id: string; type: string; data: Buffer } | { id: string; missing: true; damaged?: string };

/** Why an object was not read, for a report. */
export function notReadReason(result: { damaged?: string }): string {
  return result.damaged ? `damaged, not read (${result.damaged})` : 'missing from the repository (damaged or partial clone)';
}

/**
 * Deaths in a row, with no object answered between them, before the process is taken
 * to be failing for a reason other than its objects (each death costs one object and
 * one process start, so this bounds both).
 */
const BLIND_RESTARTS = 16;
/** Bytes of git's stderr kept, for naming what it died on. */
const STDERR_KEPT = 4096;

export class CatFile {
  private child!: ChildProcessWithoutNullStreams;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Requests not yet answered, from `next` on (an index, not shift(): tens of thousands may wait). */
  private waiting: Array<{ id: string; resolve: (r: CatFileResult) => void; reject: (e: Error) => void }> = [];
  private next = 0;
  private header: { id: string; type: string; size: number } | null = null;
  private failure: Error | null = null;
  private closing = false;
  private stderr = '';
  /** Objects answered by the current process, and deaths since one last was. */
  private answered = 0;
  private blindDeaths = 0;

  constructor(
    private readonly cwd: string,
    private readonly opts: { skipDamaged?: boolean } = {},
  ) {
    this.start();
  }

  private start(): void {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: this.cwd });
    this.child = child;
    this.answered = 0;
    this.stderr = '';
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stderr.on('data', (d: Buffer) => {
      if (this.stderr.length < STDERR_KEPT) this.stderr += d.toString('utf8');
    });
    child.on('error', (e: NodeJS.ErrnoException) => this.fail(gitSpawnError(e)));
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      if (this.next < this.waiting.length && !this.failure) this.died(code);
    });
  }

  /** The process ended with objects unanswered: the first is the one it died on. */
  private died(code: number | null): void {
    const why = gitErrors(this.stderr) ?? `git cat-file stopped (exit code ${code})`;
    // Dying on an object whose header it wrote, or after answering some, is dying on that object.
    this.blindDeaths = this.header || this.answered > 0 ? 0 : this.blindDeaths + 1;
    if (!this.opts.skipDamaged || this.blindDeaths > BLIND_RESTARTS) {
      this.fail(new Error(`git cat-file stopped (exit code ${code}): ${why}`));
      return;
    }
    const { id } = this.waiting[this.next]!;
    this.pending = [];
    this.pendingBytes = 0;
    this.header = null;
    this.answer({ id, missing: true, damaged: why });
    const rest = this.waiting.slice(this.next).map((w) => w.id);
    this.start();
    this.send(rest);
    if (this.closing) this.child.stdin.end();
  }

  /** Asks for objects in order; results arrive in the same order. */
  request(ids: string[]): Promise<CatFileResult>[] {
    const promises = ids.map(
      (id) =>
        new Promise<CatFileResult>((resolve, reject) => {
          if (this.failure) reject(this.failure);
          else this.waiting.push({ id, resolve, reject });
        }),
    );
    this.send(ids);
    return promises;
  }

  close(): void {
    this.closing = true;
    if (!this.child.stdin.writableEnded) this.child.stdin.end();
  }

  private send(ids: string[]): void {
    if (ids.length > 0) this.child.stdin.write(ids.map((id) => `${id}\n`).join(''));
  }

  private fail(err: Error): void {
    this.failure = err;
    for (const { reject } of this.waiting.splice(this.next)) reject(err);
  }

  private answer(result: CatFileResult): void {
    this.answered++;
    this.waiting[this.next++]!.resolve(result);
    // Drop the answered ones once they are half the list: amortised constant time.
    if (this.next >= 1024 && this.next * 2 >= this.waiting.length) {
      this.waiting = this.waiting.slice(this.next);
      this.next = 0;
    }
  }

  /**
   * The next n bytes. Inside one chunk they are a view of it; across chunks only
   * those bytes are copied (the rest of the last chunk stays a view).
   */
  private take(n: number): Buffer {
    this.pendingBytes -= n;
    const first = this.pending[0]!;
    if (first.length >= n) {
      if (first.length === n) this.pending.shift();
      else this.pending[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    for (let filled = 0; filled < n; ) {
      const chunk = this.pending[0]!;
      const part = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, part);
      filled += part;
      if (part === chunk.length) this.pending.shift();
      else this.pending[0] = chunk.subarray(part);
    }
    return out;
  }

  /** The pending chunks as one, for a header line cut between two chunks. */
  private joinPending(): void {
    this.pending = [Buffer.concat(this.pending, this.pendingBytes)];
  }

  private onData(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    for (;;) {
      if (!this.header) {
        const first = this.pending[0]!;
        let nl = first.indexOf(10);
        if (nl === -1) {
          if (this.pending.length === 1) return;
          this.joinPending();
          nl = this.pending[0]!.indexOf(10);
          if (nl === -1) return;
        }
        const line = this.take(nl + 1).toString('utf8', 0, nl);
        const parts = line.split(' ');
        if (parts[1] === 'missing' || parts.length < 3) {
          this.answer({ id: parts[0]!, missing: true });
          if (this.pendingBytes === 0) return;
          continue;
        }
        this.header = { id: parts[0]!, type: parts[1]!, size: Number(parts[2]) };
      }
      // The object, then the newline git writes after it.
      if (this.pendingBytes < this.header.size + 1) return;
      const data = this.take(this.header.size + 1).subarray(0, this.header.size);
      const { id, type } = this.header;
      this.header = null;
      this.answer({ id, type, data });
      if (this.pendingBytes === 0) return;
    }
  }
}
