// Verify candidate keys against Spreeflo's Ping API (GET /v1/ping), politely:
// each unique key once, request starts paced under the platform's 10 req/s
// limit, 429 pauses everyone for Retry-After, transient faults retried with
// bounded exponential backoff and jitter, and one deadline for the whole check.
// A key whose state cannot be learnt is `unknown`, never live or dead. No full
// key ever appears in a message, a detail or a name the server sent.
import { setTimeout as delay } from 'node:timers/promises';
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
  /**
   * The whole check, first request to last answer, in ms; keys without a verdict by
   * then are `unknown`. Default 30 s plus the time pacing alone needs for the keys.
   */
  deadlineMs?: number;
  /** Masks every key-shaped token in text the server sent (names, ids, error codes). Default: only the key itself. */
  maskText?: (text: string) => string;
  /** Told when the check starts, as each key gets its verdict, and when it is over. */
  progress?: VerifyProgress;
}

export interface VerifyProgress {
  start(keys: number, deadlineMs: number): void;
  settled(): void;
  stop(): void;
}

export interface KeyToVerify {
  keySha256: string;
  key: string;
  ruleId: 'spreeflo-api-key-v2' | 'spreeflo-api-key-v1';
}

/** 429s tolerated per key before giving up (they also pause the whole run). */
const MAX_RATE_LIMITED_PER_KEY = 8;
const MAX_BODY_BYTES = 64 * 1024;
/** The base of the default deadline: one key that never gets an answer costs this. */
const DEFAULT_DEADLINE_MS = 30_000;

/** Waits `ms`, or less when `signal` aborts first. */
const sleep = (ms: number, signal: AbortSignal) => delay(Math.max(0, ms), undefined, { signal }).catch(() => undefined);

/** `30 s`, `2 s`, `1.5 s`: for details a person reads. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}

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

async function attempt(url: string, key: string, timeoutMs: number, deadline: AbortSignal): Promise<AttemptOutcome> {
  try {
    const res = await fetch(url, {
      method: 'GET',
      headers: { authorization: `Bearer ${key}`, accept: 'application/json', 'user-agent': 'spreeflo-scan' },
      // Never carry the key to wherever a redirect points.
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), deadline]),
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
  deadlineMs: number;
  /** Aborts when the deadline passes: every wait and request of the run ends then. */
  deadline: AbortSignal;
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
  const host = new URL(url).host;
  let lastProblem: string | undefined;
  const outOfTime = (): Verification => ({
    status: 'unknown',
    detail: `no answer from ${host} in ${seconds(ctx.deadlineMs)}${lastProblem ? ` (last try: ${lastProblem})` : ''}`,
  });

  let failures = 0;
  let rateLimited = 0;
  for (;;) {
    await ctx.scheduler.acquire(failures > 0 || rateLimited > 0, ctx.deadline);
    if (ctx.deadline.aborted) return outOfTime();
    ctx.onRequest?.();
    const outcome = await attempt(url, k.key, ctx.timeoutMs, ctx.deadline);

    if (outcome.kind === 'final') return outcome.verification;
    if (ctx.deadline.aborted) return outOfTime();

    if (outcome.kind === 'rate_limited') {
      rateLimited++;
      lastProblem = 'rate limited';
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
    lastProblem = outcome.problem;
    if (failures >= ctx.maxAttempts) {
      return { status: 'unknown', detail: `${outcome.problem} (${failures} attempt${failures === 1 ? '' : 's'})` };
    }
    let wait = backoffMs(ctx, failures);
    if (outcome.retryAfterMs !== null) wait = Math.max(wait, Math.min(outcome.retryAfterMs, ctx.maxRetryAfterMs));
    await sleep(wait, ctx.deadline);
  }
}

/** Server-sent text goes into reports: neither this key nor any other key-shaped token whole. */
function sanitize(v: Verification, key: string, mask: (text: string) => string): Verification {
  const safe = (text: string) => mask(scrubKey(text, key));
  const out: Verification = { ...v };
  if (out.keyName !== undefined) out.keyName = safe(out.keyName);
  if (out.keyId !== undefined) out.keyId = safe(out.keyId);
  if (out.detail !== undefined) out.detail = safe(out.detail);
  if (out.account) {
    const { id, name, plan } = out.account;
    out.account = {
      ...(id !== undefined ? { id: safe(id) } : {}),
      ...(name !== undefined ? { name: safe(name) } : {}),
      ...(plan !== undefined ? { plan: safe(plan) } : {}),
    };
  }
  return out;
}

/**
 * Ping every unique key (by keySha256) once and map each keySha256 to its
 * verdict. Throws only for bad options (for example a plain-http, non-loopback
 * base URL); every per-key problem becomes an `unknown` verdict with a detail.
 */
export async function verifyKeys(keys: KeyToVerify[], opts: VerifyOptions = {}): Promise<Map<string, Verification>> {
  const unique = new Map<string, KeyToVerify>();
  for (const k of keys) if (!unique.has(k.keySha256)) unique.set(k.keySha256, k);
  const queue = [...unique.values()];

  const rate = positive('ratePerSecond', opts.ratePerSecond, 9);
  // Pacing alone spreads the starts over (keys - 1) ÷ rate seconds: the default never cuts a healthy run short.
  const pacingMs = 1000 * Math.ceil(Math.max(0, queue.length - 1) / rate);
  const deadlineMs = positive('deadlineMs', opts.deadlineMs, DEFAULT_DEADLINE_MS + pacingMs);
  const controller = new AbortController();
  const ctx: RunContext = {
    baseUrl: resolveBaseUrl(opts),
    timeoutMs: positive('timeoutMs', opts.timeoutMs, 10_000),
    maxAttempts: positive('maxAttempts', opts.maxAttempts, 4, true),
    retryBaseMs: positive('retryBaseMs', opts.retryBaseMs, 250),
    retryMaxMs: positive('retryMaxMs', opts.retryMaxMs, 4000),
    maxRetryAfterMs: positive('maxRetryAfterMs', opts.maxRetryAfterMs, 60_000),
    deadlineMs,
    deadline: controller.signal,
    scheduler: new PacingScheduler(rate),
    onRequest: opts.onRequest,
  };
  const concurrency = positive('concurrency', opts.concurrency, 8, true);
  const mask = opts.maskText ?? ((text: string) => text);

  const results = new Map<string, Verification>();
  let next = 0;
  const worker = async () => {
    while (next < queue.length && !ctx.deadline.aborted) {
      const k = queue[next++]!;
      let v: Verification;
      try {
        v = await verifyOne(k, ctx);
      } catch (err) {
        // Defensive: nothing above should throw, but one key must not sink the run.
        v = { status: 'unknown', detail: `verifier error: ${(err as Error)?.message ?? String(err)}` };
      }
      results.set(k.keySha256, sanitize(v, k.key, mask));
      opts.progress?.settled();
    }
  };
  const timer = setTimeout(() => controller.abort(), deadlineMs);
  opts.progress?.start(queue.length, deadlineMs);
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  } finally {
    clearTimeout(timer);
    opts.progress?.stop();
  }

  // Keep the caller's order; a key still queued at the deadline was never sent.
  const notAsked: Verification = { status: 'unknown', detail: `not asked: the ${seconds(deadlineMs)} deadline for the whole check passed first` };
  const ordered = new Map<string, Verification>();
  for (const sha of unique.keys()) ordered.set(sha, results.get(sha) ?? { ...notAsked });
  return ordered;
}

