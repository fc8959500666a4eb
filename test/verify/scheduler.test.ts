import { describe, expect, it } from 'vitest';
import { PacingScheduler } from '../../src/verify/scheduler.js';

describe('PacingScheduler', () => {
  it('spaces starts at 1000/rate ms', async () => {
    const s = new PacingScheduler(20); // 50 ms apart
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        await s.acquire();
        starts.push(performance.now());
      }),
    );
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(49);
  });

  it('pause holds every waiter, including those already queued', async () => {
    const s = new PacingScheduler(1000);
    await s.acquire();
    const t0 = performance.now();
    const waiting = Promise.all([s.acquire(), s.acquire()]);
    s.pause(200);
    await waiting;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(195);
  });

  it('serves retries before first attempts', async () => {
    const s = new PacingScheduler(50);
    await s.acquire();
    const order: string[] = [];
    await Promise.all([
      s.acquire().then(() => order.push('first-a')),
      s.acquire().then(() => order.push('first-b')),
      s.acquire(true).then(() => order.push('retry')),
    ]);
    expect(order).toEqual(['retry', 'first-a', 'first-b']);
  });

  it('an abort releases every waiter at once, even during a long pause; a later acquire on it returns at once', async () => {
    const s = new PacingScheduler(1000);
    await s.acquire();
    s.pause(60_000);
    const controller = new AbortController();
    const t0 = performance.now();
    const waiting = Promise.all([s.acquire(false, controller.signal), s.acquire(true, controller.signal)]);
    setTimeout(() => controller.abort(), 50);
    await waiting;
    expect(performance.now() - t0).toBeLessThan(500);
    await s.acquire(false, controller.signal);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('rejects a silly rate', () => {
    expect(() => new PacingScheduler(0)).toThrow();
    expect(() => new PacingScheduler(Number.NaN)).toThrow();
  });
});
