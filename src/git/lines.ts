// Streams a git command's output line by line (as Latin-1, so any path bytes survive).
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { gitFailure, gitSpawnError } from './run.js';

/**
 * Each line as its byte range in a buffer, undecoded: for outputs of hundreds of
 * thousands of lines that the caller mostly skips on their first byte.
 */
export function gitRawLines(
  args: string[],
  cwd: string,
  onLine: (buf: Buffer, start: number, end: number) => void,
  /** git's standard input: text, or another process's output. */
  input?: string | Readable,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: [input === undefined ? 'ignore' : typeof input === 'string' ? 'pipe' : input, 'pipe', 'pipe'] });
    if (typeof input === 'string') {
      // git may exit before reading all of it: that is reported by its exit code, not by a pipe error.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(input);
    }
    let rest: Buffer | null = null;
    const err: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => {
      const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
        onLine(buf, start, nl);
        start = nl + 1;
      }
      rest = start < buf.length ? buf.subarray(start) : null;
    });
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => reject(gitSpawnError(e)));
    child.on('close', (code) => {
      if (rest) onLine(rest, 0, rest.length);
      if (code === 0) resolve();
      else reject(gitFailure(Buffer.concat(err).toString('utf8'), args));
    });
  });
}

export function gitLines(args: string[], cwd: string, onLine: (line: string) => void): Promise<void> {
  return gitRawLines(args, cwd, (buf, start, end) => onLine(buf.toString('latin1', start, end)));
}

/** Latin-1 text of raw bytes back to the UTF-8 text it encodes (paths, names). */
export function latin1ToUtf8(text: string): string {
  return Buffer.from(text, 'latin1').toString('utf8');
}
