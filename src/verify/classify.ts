// Turn one HTTP answer from the Ping API into a verdict, exactly per the
// platform's table; anything off-contract is `unknown`, never live or dead.
import type { Verification } from '../model.js';

export type AttemptOutcome =
  | { kind: 'final'; verification: Verification }
  | { kind: 'rate_limited'; retryAfterMs: number | null }
  | { kind: 'retry'; problem: string; retryAfterMs: number | null };

/** Parse a Retry-After header: delta-seconds or an HTTP date. Null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (/^\d+\.\d+$/.test(v)) return Math.ceil(Number(v) * 1000);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/** Keep server-supplied text printable and short: it ends up in reports and terminals. */
function clean(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const s = value.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ').trim();
  if (!s) return undefined;
  return s.length > 200 ? `${s.slice(0, 199)}…` : s;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorCode(body: unknown): string | undefined {
  if (!isObject(body) || !isObject(body.error)) return undefined;
  return typeof body.error.code === 'string' ? body.error.code : undefined;
}

function keyFields(body: unknown): Pick<Verification, 'keyName' | 'keyId' | 'last4'> {
  const out: Pick<Verification, 'keyName' | 'keyId' | 'last4'> = {};
  if (!isObject(body) || !isObject(body.key)) return out;
  const name = clean(body.key.name);
  const id = clean(body.key.id);
  const last4 = clean(body.key.last4);
  if (name !== undefined) out.keyName = name;
  if (id !== undefined) out.keyId = id;
  if (last4 !== undefined) out.last4 = last4;
  return out;
}

function accountField(body: unknown): Verification['account'] | undefined {
  if (!isObject(body) || !isObject(body.account)) return undefined;
  const account: NonNullable<Verification['account']> = {};
  const id = clean(body.account.id);
  const name = clean(body.account.name);
  const plan = clean(body.account.plan);
  if (id !== undefined) account.id = id;
  if (name !== undefined) account.name = name;
  if (plan !== undefined) account.plan = plan;
  return Object.keys(account).length ? account : undefined;
}

const unknown = (detail: string): AttemptOutcome => ({ kind: 'final', verification: { status: 'unknown', detail } });

export function classifyAnswer(status: number, bodyText: string, retryAfterHeader: string | null): AttemptOutcome {
  const body = parseJson(bodyText);
  const code = errorCode(body);
  const retryAfterMs = parseRetryAfter(retryAfterHeader);

  if (status === 200) {
    if (!isObject(body) || body.status !== 'ok') {
      // A proxy or captive portal can answer 200 with anything: do not call that live.
      return unknown('HTTP 200 without the Ping API\'s {"status":"ok"} body');
    }
    const v: Verification = { status: 'live', ...keyFields(body) };
    const account = accountField(body);
    if (account) v.account = account;
    return { kind: 'final', verification: v };
  }
  if (status === 401) {
    if (code === 'invalid_api_key') return { kind: 'final', verification: { status: 'invalid' } };
    if (code === 'revoked_api_key') return { kind: 'final', verification: { status: 'revoked' } };
    return unknown(`HTTP 401 with unexpected error code ${clean(code) ?? '(none)'}`);
  }
  if (status === 403) {
    if (code === 'plan_upgrade_required') {
      const v: Verification = { status: 'plan_restricted', ...keyFields(body) };
      const account = accountField(body);
      if (account) v.account = account;
      return { kind: 'final', verification: v };
    }
    return unknown(`HTTP 403 with unexpected error code ${clean(code) ?? '(none)'}`);
  }
  if (status === 429) return { kind: 'rate_limited', retryAfterMs };
  if (status >= 500 || status === 408) return { kind: 'retry', problem: `HTTP ${status}`, retryAfterMs };
  if (status >= 300 && status < 400) return unknown(`unexpected redirect (HTTP ${status}); not followed`);
  return unknown(`unexpected HTTP ${status}${code ? ` (${clean(code)})` : ''}`);
}
