// Streams a git command's output line by line (as Latin-1, so any path bytes survive).
import { spawn } from 'node:child_process';
import { gitFailure, gitSpawnError } from './run.js';

export function gitLines(args: string[], cwd: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let rest = '';
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      const text = rest + chunk.toString('latin1');
      const lines = text.split('\n');
      rest = lines.pop()!;
      for (const line of lines) onLine(line);
    });
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => reject(gitSpawnError(e)));
    child.on('close', (code) => {
      if (rest) onLine(rest);
      if (code === 0) resolve();
      else reject(gitFailure(Buffer.concat(err).toString('utf8'), args));
    });
  });
}

/** Latin-1 text of raw bytes back to the UTF-8 text it encodes (paths, names). */
export function latin1ToUtf8(text: string): string {
  return Buffer.from(text, 'latin1').toString('utf8');
}
