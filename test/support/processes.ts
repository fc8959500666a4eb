// The processes a command line starts (Linux /proc): what the lean child node tests look for.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** The command line of each process `pid` started (Linux); one forked but not yet started shows `pid`'s own. */
export function children(pid: number): { pid: number; args: string[] }[] {
  const found: { pid: number; args: string[] }[] = [];
  try {
    const own = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number)) {
        try {
          const args = readFileSync(`/proc/${child}/cmdline`, 'utf8');
          if (args !== own) found.push({ pid: child, args: args.split('\0') });
        } catch {
          // Gone already.
        }
      }
    }
  } catch {
    // The parent is gone.
  }
  return found;
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Runs `node bin args` to its end, watching for a child node running `bin`: its exit code, and whether one was seen. */
export async function runWatchingForNodeChild(bin: string, args: string[], cwd?: string): Promise<{ code: number | null; nodeChild: boolean }> {
  const parent = spawn(process.execPath, [bin, ...args], { cwd, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => parent.on('exit', (code) => resolve(code)));
  let nodeChild = false;
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    nodeChild ||= children(parent.pid!).some((c) => c.args.includes(bin));
    await new Promise((r) => setTimeout(r, 2));
  }
  return { code: await exited, nodeChild };
}
