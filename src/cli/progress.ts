// Progress on stderr for long scans, only when stderr is a terminal.
import cliProgress from 'cli-progress';

const SHOW_AFTER_MS = 400;

export interface Progress {
  update(files: number, bytes: number): void;
  stop(): void;
}

const SILENT: Progress = { update() {}, stop() {} };

export function createProgress(enabled: boolean, totalLabel = 'files'): Progress {
  if (!enabled || !process.stderr.isTTY) return SILENT;
  const started = performance.now();
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(files, bytes) {
      const elapsed = performance.now() - started;
      if (elapsed < SHOW_AFTER_MS) return;
      const mb = bytes / 1024 / 1024;
      const payload = { mb: mb.toFixed(1), rate: (mb / (elapsed / 1000)).toFixed(1) };
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { format: `scanning {value} ${totalLabel} | {mb} MB | {rate} MB/s`, stream: process.stderr, clearOnComplete: true, hideCursor: true },
          cliProgress.Presets.shades_classic,
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
