// A command that reads gigabytes (`history` of a whole store, `scan` of a large tree)
// runs in a child node started with a small young generation: V8's default (16 MiB
// semi-spaces) lets that much garbage pile up between collections, on top of which
// the buffers it points to stay allocated. It cannot be set once the process runs (V8
// fixes the young generation when it starts), and node refuses it in NODE_OPTIONS, so
// the command line starts node again, with the same arguments, and waits.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { setFlagsFromString } from 'node:v8';

/** Set in the child: it runs the command itself. */
const CHILD_ENV = 'SPREEFLO_SCAN_LEAN_CHILD';
const LEAN_FLAGS = {
  /**
   * On git/git's history node peaked at 259-264 MB with both, 303-306 MB with the
   * second alone, no lower with the first alone, 323-388 MB with neither; for about
   * 1 s more of an 18 s scan (bench/README.md, "Field benchmark").
   */
  history: ['--max-semi-space-size=1', '--heap-growing-percent=20'],
  /**
   * The system trees with every container opened: the main thread's young generation
   * was 32 MB, more than its old space (bench/README.md, "Peak RSS of a tree's scan").
   * How fast the heap grows is set once running (growHeapInSteps), for small trees too.
   */
  scan: ['--max-semi-space-size=2'],
};
/** Signals that end the child with the parent; a terminal's Ctrl-C reaches both already, a kill only the parent. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * This command line run again in a child node lean for `command`, its standard streams
 * this process's: the child's exit code (128 + the signal's number when a signal
 * ended it). Null in that child, which runs the command itself. Rejects when no child
 * could be started.
 */
export function inLeanNode(command: keyof typeof LEAN_FLAGS): Promise<number> | null {
  if (process.env[CHILD_ENV]) return null;
  return new Promise((resolve, reject) => {
    // Listening before the child starts: a signal that comes while spawn() runs would
    // otherwise end this process and leave the child running. Handlers run only once
    // spawn() has returned, so `child` is set by then.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const s of FORWARDED) process.on(s, forward);
    const child = spawn(process.execPath, [...process.execArgv, ...LEAN_FLAGS[command], ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, [CHILD_ENV]: '1' },
    });
    const done = () => {
      for (const s of FORWARDED) process.off(s, forward);
    };
    child.on('error', (err) => {
      // Past its start (a signal that could not be passed on), its exit still comes.
      if (child.pid !== undefined) return;
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
 * young generation, the step it grows by can be set while the process runs, so it is
 * set here, for a scan in this process as in a lean child: the system trees peaked at
 * 443 MB with V8's default, 328 MB with 40%, in the same time (bench/README.md, "Real trees").
 */
export function growHeapInSteps(): void {
  setFlagsFromString('--heap-growing-percent=40');
}
