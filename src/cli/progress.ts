// Progress on stderr for long scans, only when stderr is a terminal.
import type cliProgress from 'cli-progress';
import type { VerifyProgress } from '../verify/ping.js';

const SHOW_AFTER_MS = 400;

export interface Progress {
  update(files: number, bytes: number): void;
  stop(): void;
}

const SILENT: Progress = { update() {}, stop() {} };

export function createProgress(enabled: boolean, totalLabel = 'files'): Progress {
  if (!enabled || !process.stderr.isTTY) return SILENT;
  const started = performance.now();
  // Loaded only for a terminal (most scans run with stderr elsewhere), while the bar waits its SHOW_AFTER_MS.
  let lib: typeof cliProgress | null = null;
  void import('cli-progress').then((m) => (lib = m.default));
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(files, bytes) {
      const elapsed = performance.now() - started;
      if (elapsed < SHOW_AFTER_MS || lib === null) return;
      const mb = bytes / 1024 / 1024;
      const payload = { mb: mb.toFixed(1), rate: (mb / (elapsed / 1000)).toFixed(1) };
      if (!bar) {
        bar = new lib.SingleBar(
          { format: `scanning {value} ${totalLabel} | {mb} MB | {rate} MB/s`, stream: process.stderr, clearOnComplete: true, hideCursor: true },
          lib.Presets.shades_classic,
        );
        bar.start(0, files, payload);
      }
      bar.update(files, payload);
    },
    stop() {
      bar?.stop();
    },
  };
}

/** A check slower than this earns one line on a stderr that is not a terminal (CI logs). */
const NOTE_AFTER_MS = 2000;
const REDRAW_MS = 1000;

/**
 * On a terminal, a line redrawn each second until every key has its verdict;
 * elsewhere, one note if the check is still waiting after a few seconds, so a
 * slow or silent server is never a silent wait. Nothing with --no-progress.
 */
export function createVerifyProgress(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): VerifyProgress {
  if (!enabled) return { start() {}, settled() {}, stop() {} };
  let total = 0;
  let answered = 0;
  let limit = '';
  let started = 0;
  let timer: NodeJS.Timeout | null = null;
  let drawn = false;
  // To the nearest second: libuv's timers can fire up to a millisecond early by performance.now()
  // (libuv/libuv#4773, nodejs/node#26578), and a floor then draws the first second's line as `0 s`.
  const seconds = () => Math.round((performance.now() - started) / 1000);
  const draw = () => {
    stream.write(`\r\x1b[2Kverifying keys with Spreeflo: ${answered} of ${total} answered, ${seconds()} s (gives up after ${limit})`);
    drawn = true;
  };
  const note = () => {
    stream.write(
      `spreeflo-scan: --verify: still waiting for Spreeflo (${answered} of ${total} keys answered); ` +
        `gives up after ${limit} (--verify-deadline)\n`,
    );
  };
  return {
    start(keys, deadlineMs) {
      total = keys;
      limit = `${Math.round(deadlineMs / 100) / 10} s`;
      started = performance.now();
      timer = stream.isTTY ? setInterval(draw, REDRAW_MS) : setTimeout(note, NOTE_AFTER_MS);
      // The check's own deadline ends the run; this timer must never hold it open.
      timer.unref();
    },
    settled() {
      answered++;
    },
    stop() {
      if (timer) clearTimeout(timer);
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
