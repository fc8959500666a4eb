// Memory given back after a big picture. A 40-megapixel picture leaves its grey and
// normalised copies (40 MB each) and sharp's buffers as garbage held outside V8's
// heap; V8 sizes its next collection by its own heap (a few MB here), so without a
// nudge the next big picture is decoded while the last one's copies are still held.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Pictures above this many pixels are followed by a full collection (it costs tens of ms). */
export const COLLECT_AFTER_PIXELS = 4_000_000;

let collect: (() => void) | undefined;

/**
 * A full, synchronous garbage collection, without asking the user for
 * `--expose-gc`: the flag is set at run time and `gc` taken from a new context
 * (V8 installs it on contexts created while the flag is on), then the flag is
 * turned off again so no later context (a user's vm, a worker) gets it.
 */
export function collectGarbage(): void {
  collect ??= (() => {
    const own = (globalThis as { gc?: () => void }).gc;
    if (typeof own === 'function') return own;
    setFlagsFromString('--expose-gc');
    try {
      return runInNewContext('gc') as () => void;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  })();
  collect();
}
