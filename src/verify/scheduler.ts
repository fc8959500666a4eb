// A pacing scheduler shared by every in-flight request of a run: request starts
// are spaced at least 1000/rate ms apart (so no one-second window, sliding or
// fixed, holds more than `rate` starts), a 429 pauses everyone, and retries go
// ahead of first attempts so a key that failed once does not wait behind the
// whole queue.

export class PacingScheduler {
  private readonly intervalMs: number;
  private lastStart = -Infinity;
  private pausedUntil = -Infinity;
  private readonly urgent: Array<() => void> = [];
  private readonly normal: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
      throw new Error(`ratePerSecond must be a positive number (got ${ratePerSecond})`);
    }
    this.intervalMs = 1000 / ratePerSecond;
  }

  /**
   * Resolves when the caller may start one request. FIFO within each class;
   * `retry` callers are served before first attempts. Also resolves, at once and
   * without taking a start, when `signal` aborts: the caller checks it.
   */
  acquire(retry = false, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const queue = retry ? this.urgent : this.normal;
      const onAbort = () => {
        queue.splice(queue.indexOf(start), 1);
        this.idleIfEmpty();
        resolve();
      };
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(start);
      this.pump();
    });
  }

  /** Hold every request start until `ms` from now (for example a 429's Retry-After). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /** No waiter left: no wake-up either, so an abandoned run keeps no timer alive. */
  private idleIfEmpty(): void {
    if (this.urgent.length || this.normal.length || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
  }

  private pump(): void {
    if (this.timer) return; // a wake-up is pending; it re-checks everything
    while (this.urgent.length || this.normal.length) {
      const wait = Math.max(this.lastStart + this.intervalMs, this.pausedUntil) - this.now();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, Math.ceil(wait));
        return;
      }
      const next = this.urgent.shift() ?? this.normal.shift()!;
      this.lastStart = this.now();
      next();
    }
  }
}
