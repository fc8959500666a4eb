// A command that reads gigabytes runs in a child node started with a small young
// generation and a heap that grows in small steps: V8's defaults (16 MiB semi-spaces,
// a heap that grows by half or more) let that much garbage pile up between
// collections. Neither can be set once the process runs (V8 fixes the young
// generation when it starts), and node refuses them in NODE_OPTIONS, so the
// command line starts node again, with the same arguments, and waits.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { setFlagsFromString } from 'node:v8';

/** Set in the child: it runs the command itself. */
const CHILD_ENV = 'SPREEFLO_SCAN_LEAN_CHILD';
/**
 * On git/git's history node peaked at 259-264 MB with both, 303-306 MB with the
 * second alone, no lower with the first alone, 323-388 MB with neither; for about
 * 1 s more of an 18 s scan (bench/README.md, "Field benchmark").
 */
const LEAN_HEAP = ['--max-semi-space-size=1', '--heap-growing-percent=20'];
/** Signals that end the child with the parent; a terminal's Ctrl-C reaches both already, a kill only the parent. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * This command line run again in a lean child node, its standard streams
 * this process's: the child's exit code (128 + the signal's number when a signal
 * ended it). Null in that child, which runs the command itself.
 */
export function inLeanNode(): Promise<number> | null {
  if (process.env[CHILD_ENV]) return null;
  return new Promise((resolve, reject) => {
    // Listening before the child starts: a signal that comes while spawn() runs would
    // otherwise end this process and leave the child running. Handlers run only once
    // spawn() has returned, so `child` is set by then.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const s of FORWARDED) process.on(s, forward);
    const child = spawn(process.execPath, [...process.execArgv, ...LEAN_HEAP, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, [CHILD_ENV]: '1' },
    });
    const done = () => {
      for (const s of FORWARDED) process.off(s, forward);
    };
    child.on('error', (err) => {
      done();
      reject(err);
    });
    child.on('exit', (code, signal) => {
      done();
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

/**
 * A scan of a tree reads its containers (PDFs, jars) on the main thread, each leaving
 * tens of MB of garbage, and V8 let its old space double before collecting. Unlike the
 * young generation, the step it grows by can be set while the process runs, so a scan
 * needs no second node: the system trees peaked at 443 MB with V8's default, 328 MB
 * with 40%, in the same time (bench/README.md, "Real trees").
 */
export function growHeapInSteps(): void {
  setFlagsFromString('--heap-growing-percent=40');
}
