// One long-lived `git cat-file --batch` process: objects go in by id, contents come
// back as one stream, parsed without copying the stream into one big buffer.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { gitSpawnError } from './run.js';

export type CatFileResult = { id: string; type: string; data: Buffer } | { id: string; missing: true };

export class CatFile {
  private readonly child: ChildProcessWithoutNullStreams;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Requests not yet answered, from `next` on (an index, not shift(): tens of thousands may wait). */
  private waiting: Array<{ resolve: (r: CatFileResult) => void; reject: (e: Error) => void }> = [];
  private next = 0;
  private header: { id: string; type: string; size: number } | null = null;
  private failure: Error | null = null;

  constructor(cwd: string) {
    this.child = spawn('git', ['cat-file', '--batch'], { cwd });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.on('error', (e: NodeJS.ErrnoException) => this.fail(gitSpawnError(e)));
    this.child.stdin.on('error', () => undefined);
    this.child.on('close', (code) => {
      if (this.next < this.waiting.length) this.fail(new Error(`git cat-file stopped (exit code ${code})`));
    });
  }

  /** Asks for objects in order; results arrive in the same order. */
  request(ids: string[]): Promise<CatFileResult>[] {
    const promises = ids.map(
      () =>
        new Promise<CatFileResult>((resolve, reject) => {
          if (this.failure) reject(this.failure);
          else this.waiting.push({ resolve, reject });
        }),
    );
    this.child.stdin.write(ids.map((id) => `${id}\n`).join(''));
    return promises;
  }

  close(): void {
    if (!this.child.stdin.writableEnded) this.child.stdin.end();
  }

  private fail(err: Error): void {
    this.failure = err;
    for (const { reject } of this.waiting.splice(this.next)) reject(err);
  }

  private answer(result: CatFileResult): void {
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
