// The audit's progress on stderr: repositories done of the shard's total, keys so far and
// the time left. Redrawn on a terminal; elsewhere (CI logs, a Kubernetes pod's log) one
// line now and then, so a long run is never silent and never floods the log.
import { forTerminal } from '../report/printed.js';
import type { RepoLine } from './results.js';

const LOG_EVERY_MS = 30_000;

export interface AuditProgress {
  done(line: RepoLine, keys: number): void;
  stop(): void;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/**
 * `before`: repositories a killed run already finished (they count as done, not in the rate).
 * `enabled` false (`--no-progress`) drops the progress lines only: a repository that could not be
 * read is still said on stderr.
 */
export function createAuditProgress(
  enabled: boolean,
  total: number,
  before: { done: number; failed: number },
  /** Masks keys in what a repository's name or error holds. */
  mask: (text: string) => string,
  stream: NodeJS.WriteStream = process.stderr,
): AuditProgress {
  const started = performance.now();
  let done = before.done;
  let failed = before.failed;
  let lastLog = started;
  let drawn = false;
  const line = (keys: number) => {
    const thisRun = done - before.done;
    const left = total - done;
    const eta = thisRun > 0 && left > 0 ? `, about ${duration(((performance.now() - started) / thisRun) * left)} left` : '';
    return `audit: ${done}/${total} repositories${failed ? ` (${failed} could not be read)` : ''}, ${keys} key${keys === 1 ? '' : 's'} so far${eta}`;
  };
  return {
    done(result, keys) {
      done++;
      if (result.status === 'failed') {
        failed++;
        // Said as it happens, in every log: a wrong URL should not wait for the end of a long run.
        stream.write(`${drawn ? '\r\x1b[2K' : ''}spreeflo-scan: ${forTerminal(mask(result.repo))}: ${forTerminal(mask(result.reason ?? ''))}\n`);
        drawn = false;
      }
      if (!enabled) return;
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${line(keys)}`);
        drawn = true;
      } else if (performance.now() - lastLog >= LOG_EVERY_MS || done === total) {
        lastLog = performance.now();
        stream.write(`${line(keys)}\n`);
      }
    },
    stop() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
