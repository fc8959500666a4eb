// Waits that can stall with nothing left to wake them: a reader whose stream never
// ends (tar-stream on a directory entry that declares a size), a worker that dies
// without a word. Node does not report such a promise: when nothing else is left to
// run it just exits, with code 0 and no report, or, while an idle worker keeps the
// loop alive, it sleeps forever. Every such wait is registered here, and when the
// event loop has nothing left to run (`beforeExit`), the waits still pending can
// never settle by themselves: they are rejected with a StallError, innermost first,
// so a stalled reader becomes one unread item and the scan goes on.

export class StallError extends Error {
  override name = 'StallError';
}

interface Wait {
  what: string;
  /** Outermost waits (a whole command) are failed only when nothing inner is left. */
  outer: boolean;
  fail: (err: StallError) => void;
}

const pending = new Set<Wait>();
let watching = false;

function failStalled(): void {
  const inner = [...pending].filter((w) => !w.outer);
  for (const wait of inner.length > 0 ? inner : [...pending]) {
    pending.delete(wait);
    wait.fail(new StallError(`${wait.what} stopped without finishing`));
  }
}

/**
 * `work`, failed with a StallError if the process runs out of things to do while it
 * is still pending. `what` names it in the error ("tar reader", "scan worker").
 */
export function owned<T>(what: string, work: Promise<T>, opts: { outer?: boolean } = {}): Promise<T> {
  if (!watching) {
    watching = true;
    process.on('beforeExit', failStalled);
  }
  return new Promise<T>((resolve, reject) => {
    const wait: Wait = { what, outer: opts.outer === true, fail: reject };
    pending.add(wait);
    work.then(
      (value) => {
        pending.delete(wait);
        resolve(value);
      },
      (err: unknown) => {
        pending.delete(wait);
        reject(err);
      },
    );
  });
}
