// Verify candidate keys against Spreeflo's Ping API (GET /v1/ping), politely:
// each unique key once, request starts paced under the platform's 10 req/s
// limit, 429 pauses everyone for Retry-After, transient faults retried with
// bounded exponential backoff and jitter. A key whose state cannot be learnt is
// `unknown`, never live or dead. No full key ever appears in a message or detail.
import type { Verification } from '../model.js';
import { classifyAnswer, type AttemptOutcome } from './classify.js';
import { redactKey, scrubKey } from './redact.js';
import { PacingScheduler } from './scheduler.js';
import { BASE_URL_ENV, checkBaseUrl, pingUrlForKey } from './url.js';

export { redactKey } from './redact.js';
export { loopbackAddress, checkBaseUrl, BASE_URL_ENV } from './url.js';

export interface VerifyOptions {
  /** Overrides every host (v1 data centres included). Default: env SPREEFLO_API_URL, else the real hosts. */
  baseUrl?: string;
  /** Per attempt, connection to last body byte. Default 10000. */
  timeoutMs?: number;
  /** Request starts per second across the whole run, retries included. Default 9 (the API allows 10). */
  ratePerSecond?: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Attempts per key for retryable failures (5xx, timeouts, network errors). Default 4. 429s do not count. */
  maxAttempts?: number;
  /** Called once per HTTP request sent (progress, counting). */
  onRequest?: () => void;
  /** Backoff base for retries, ms (delay ≈ base·2^(n-1), jittered, capped). Default 250. */
  retryBaseMs?: number;
  /** Backoff cap, ms. Default 4000. */
  retryMaxMs?: number;
  /** Longest Retry-After the verifier will wait; beyond it the key is `unknown`. Default 60000. */
  maxRetryAfterMs?: number;
}

export interface KeyToVerify {
  keySha256: string;
  key: string;
  ruleId: 'spreeflo-api-key-v2' | 'spreeflo-api-key-v1';
}

/** 429s tolerated per key before giving up (they also pause the whole run). */
const MAX_RATE_LIMITED_PER_KEY = 8;
const MAX_BODY_BYTES = 64 * 1024;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * The ping URL for a key: v2 -> https://api.spreeflo.com/v1/ping, v1 ->
 * https://sf<dc>.api.spreeflo.com/v1/ping. `baseUrl` replaces every host (and is
 * checked: plain http only on loopback). Throws on a v1 key without a valid dc.
 */
export function pingUrlFor(key: KeyToVerify, baseUrl?: string): string {
  return pingUrlForKey(key.key, key.ruleId, baseUrl);
}

function resolveBaseUrl(opts: VerifyOptions): string | undefined {
  const raw = opts.baseUrl ?? process.env[BASE_URL_ENV];
  if (raw === undefined || raw.trim() === '') return undefined;
  return checkBaseUrl(raw.trim());
}

function positive(name: string, value: number | undefined, fallback: number, integer = false): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new Error(`verifyKeys: ${name} must be a positive ${integer ? 'integer' : 'number'} (got ${value})`);
  }
  return v;
}

function describeNetworkError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string } } | undefined;
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return `timeout after ${timeoutMs} ms`;
  const code = e?.cause?.code ?? e?.code;
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'UND_ERR_CLOSED') return 'connection cut';
  if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return `network error ${code}`;
  return 'network error';
}

async function readBody(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY_BYTES);
}

async function attempt(url: string, key: string, timeoutMs: number): Promise<AttemptOutcome> {
  try {
    const res = await fetch(url, {
      method: 'GET',
      headers: { authorization: `Bearer ${key}`, accept: 'application/json', 'user-agent': 'spreeflo-scan' },
      // Never carry the key to wherever a redirect points.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await readBody(res);
    return classifyAnswer(res.status, body, res.headers.get('retry-after'));
  } catch (err) {
    return { kind: 'retry', problem: describeNetworkError(err, timeoutMs), retryAfterMs: null };
  }
}

interface RunContext {
  baseUrl: string | undefined;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxRetryAfterMs: number;
  scheduler: PacingScheduler;
  onRequest: (() => void) | undefined;
}

function backoffMs(ctx: RunContext, failures: number): number {
  const ceiling = Math.min(ctx.retryMaxMs, ctx.retryBaseMs * 2 ** (failures - 1));
  // "Equal jitter": half fixed, half random, so retries of many keys spread out.
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

async function verifyOne(k: KeyToVerify, ctx: RunContext): Promise<Verification> {
  let url: string;
  try {
    url = pingUrlForKey(k.key, k.ruleId, ctx.baseUrl);
  } catch (err) {
    return { status: 'unknown', detail: (err as Error).message };
  }

  let failures = 0;
  let rateLimited = 0;
  for (;;) {
    await ctx.scheduler.acquire(failures > 0 || rateLimited > 0);
    ctx.onRequest?.();
    const outcome = await attempt(url, k.key, ctx.timeoutMs);

    if (outcome.kind === 'final') return outcome.verification;

    if (outcome.kind === 'rate_limited') {
      rateLimited++;
      const wait = outcome.retryAfterMs ?? 1000;
      if (wait > ctx.maxRetryAfterMs) {
        return { status: 'unknown', detail: `rate limited; Retry-After ${Math.ceil(wait / 1000)} s is longer than allowed` };
      }
      if (rateLimited > MAX_RATE_LIMITED_PER_KEY) {
        return { status: 'unknown', detail: `rate limited ${rateLimited} times; gave up` };
      }
      // Everyone waits, not just this key: the limit is per client.
      ctx.scheduler.pause(wait);
      continue;
    }

    failures++;
    if (failures >= ctx.maxAttempts) {
      return { status: 'unknown', detail: `${outcome.problem} (${failures} attempt${failures === 1 ? '' : 's'})` };
    }
    let wait = backoffMs(ctx, failures);
    if (outcome.retryAfterMs !== null) wait = Math.max(wait, Math.min(outcome.retryAfterMs, ctx.maxRetryAfterMs));
    await sleep(wait);
  }
}

/**
 * Ping every unique key (by keySha256) once and map each keySha256 to its
 * verdict. Throws only for bad options (for example a plain-http, non-loopback
 * base URL); every per-key problem becomes an `unknown` verdict with a detail.
 */
export async function verifyKeys(keys: KeyToVerify[], opts: VerifyOptions = {}): Promise<Map<string, Verification>> {
  const ctx: RunContext = {
    baseUrl: resolveBaseUrl(opts),
    timeoutMs: positive('timeoutMs', opts.timeoutMs, 10_000),
    maxAttempts: positive('maxAttempts', opts.maxAttempts, 4, true),
    retryBaseMs: positive('retryBaseMs', opts.retryBaseMs, 250),
    retryMaxMs: positive('retryMaxMs', opts.retryMaxMs, 4000),
    maxRetryAfterMs: positive('maxRetryAfterMs', opts.maxRetryAfterMs, 60_000),
    scheduler: new PacingScheduler(positive('ratePerSecond', opts.ratePerSecond, 9)),
    onRequest: opts.onRequest,
  };
  const concurrency = positive('concurrency', opts.concurrency, 8, true);

  const unique = new Map<string, KeyToVerify>();
  for (const k of keys) if (!unique.has(k.keySha256)) unique.set(k.keySha256, k);
  const queue = [...unique.values()];

  const results = new Map<string, Verification>();
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const k = queue[next++]!;
      let v: Verification;
      try {
        v = await verifyOne(k, ctx);
      } catch (err) {
        // Defensive: nothing above should throw, but one key must not sink the run.
        v = { status: 'unknown', detail: `verifier error: ${(err as Error)?.message ?? String(err)}` };
      }
      if (v.detail !== undefined) v.detail = scrubKey(v.detail, k.key);
      results.set(k.keySha256, v);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));

  // Keep the caller's order.
  const ordered = new Map<string, Verification>();
  for (const sha of unique.keys()) ordered.set(sha, results.get(sha)!);
  return ordered;
}

