import { afterEach, describe, expect, it } from 'vitest';
import type { Verification } from '../../src/model.js';
import { verifyKeys, type VerifyOptions } from '../../src/verify/ping.js';
import { startFakeSpreeflo, type FakeKey, type FakeSpreeflo, type FakeSpreefloOptions } from '../support/fake-spreeflo.js';
import { assertNoKeyIn, fakeV1Key, fakeV2Key, sha256, toVerify } from './helpers.js';

const servers: FakeSpreeflo[] = [];
async function start(opts: FakeSpreefloOptions): Promise<FakeSpreeflo> {
  const s = await startFakeSpreeflo(opts);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const LIVE = fakeV2Key(100);
const RESTRICTED = fakeV2Key(101);
const REVOKED = fakeV2Key(102);
const NEVER_ISSUED = fakeV2Key(103);
const LIVE_V1 = fakeV1Key(104, 7);

const KEYS: FakeKey[] = [
  { key: LIVE, state: 'live', name: 'Zapier sync', id: 'key_live', account: { id: 'acct_1', name: 'Acme Marketing', plan: 'professional' } },
  { key: RESTRICTED, state: 'plan_restricted', name: 'CRM export', id: 'key_restricted' },
  { key: REVOKED, state: 'revoked', name: 'Old script' },
  { key: LIVE_V1, state: 'live', name: 'Legacy v1', id: 'key_v1', account: { id: 'acct_2', name: 'Beta Ltd', plan: 'professional' } },
];

/** Fast retries so fault tests stay quick. */
const FAST: VerifyOptions = { retryBaseMs: 20, retryMaxMs: 100 };

describe('verifyKeys: every status', () => {
  const table: Array<{ name: string; key: string; expected: Verification }> = [
    {
      name: 'live (200)',
      key: LIVE,
      expected: {
        status: 'live',
        keyName: 'Zapier sync',
        keyId: 'key_live',
        last4: LIVE.slice(-4),
        account: { id: 'acct_1', name: 'Acme Marketing', plan: 'professional' },
      },
    },
    {
      name: 'plan_restricted (403 plan_upgrade_required)',
      key: RESTRICTED,
      expected: { status: 'plan_restricted', keyName: 'CRM export', keyId: 'key_restricted', last4: RESTRICTED.slice(-4) },
    },
    { name: 'revoked (401 revoked_api_key)', key: REVOKED, expected: { status: 'revoked' } },
    { name: 'invalid (401 invalid_api_key)', key: NEVER_ISSUED, expected: { status: 'invalid' } },
    {
      name: 'live v1 key (baseUrl overrides the data-centre host)',
      key: LIVE_V1,
      expected: {
        status: 'live',
        keyName: 'Legacy v1',
        keyId: 'key_v1',
        last4: LIVE_V1.slice(-4),
        account: { id: 'acct_2', name: 'Beta Ltd', plan: 'professional' },
      },
    },
  ];

  it.each(table)('$name', async ({ key, expected }) => {
    const fake = await start({ keys: KEYS });
    const out = await verifyKeys([toVerify(key)], { baseUrl: fake.url });
    expect(out.get(sha256(key))).toEqual(expected);
    expect(fake.requests).toHaveLength(1);
  });

  it('checks each unique key once and keeps the caller order', async () => {
    const fake = await start({ keys: KEYS });
    const input = [LIVE, REVOKED, LIVE, RESTRICTED, REVOKED, NEVER_ISSUED].map(toVerify);
    let sent = 0;
    const out = await verifyKeys(input, { baseUrl: fake.url, onRequest: () => sent++ });
    expect([...out.keys()]).toEqual([LIVE, REVOKED, RESTRICTED, NEVER_ISSUED].map(sha256));
    expect([...out.values()].map((v) => v.status)).toEqual(['live', 'revoked', 'plan_restricted', 'invalid']);
    expect(fake.requests).toHaveLength(4);
    expect(sent).toBe(4);
  });

  it('an empty list sends nothing', async () => {
    const fake = await start({ keys: KEYS });
    expect((await verifyKeys([], { baseUrl: fake.url })).size).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('verifyKeys: faults', () => {
  const table: Array<{
    name: string;
    faults: FakeSpreefloOptions['faults'];
    rateLimitPerSecond?: number;
    opts?: VerifyOptions;
    expected: Partial<Verification>;
    detail?: RegExp;
    /** Statuses the fake sent, in order. */
    statuses: number[];
  }> = [
    {
      name: '503 twice, then success',
      faults: { transient503: new Map([[LIVE, 2]]) },
      expected: { status: 'live', keyName: 'Zapier sync' },
      statuses: [503, 503, 200],
    },
    {
      name: '503 for every call -> unknown after maxAttempts',
      faults: { transient503: () => true },
      opts: { maxAttempts: 3 },
      expected: { status: 'unknown' },
      detail: /^HTTP 503 \(3 attempts\)$/,
      statuses: [503, 503, 503],
    },
    {
      name: 'cut connection, then success',
      faults: { cutConnection: new Map([[LIVE, 1]]) },
      expected: { status: 'live', keyName: 'Zapier sync' },
      statuses: [0, 200],
    },
    {
      name: 'cut connection every time -> unknown',
      faults: { cutConnection: () => true },
      opts: { maxAttempts: 2 },
      expected: { status: 'unknown' },
      detail: /^connection cut \(2 attempts\)$/,
      statuses: [0, 0],
    },
    {
      name: 'slow once beyond the timeout, then fast',
      faults: { slowMs: (_key, call) => (call === 1 ? 600 : 0) },
      opts: { timeoutMs: 150 },
      expected: { status: 'live' },
      statuses: [200],
    },
    {
      name: 'always slower than the timeout -> unknown after retries',
      faults: { slowMs: () => 600 },
      opts: { timeoutMs: 150, maxAttempts: 2 },
      expected: { status: 'unknown' },
      detail: /^timeout after 150 ms \(2 attempts\)$/,
      statuses: [],
    },
  ];

  it.each(table)('$name', async ({ faults, opts, expected, detail, statuses, rateLimitPerSecond }) => {
    const fake = await start({ keys: KEYS, faults, rateLimitPerSecond });
    const out = await verifyKeys([toVerify(LIVE)], { baseUrl: fake.url, ...FAST, ...opts });
    const v = out.get(sha256(LIVE))!;
    expect(v).toMatchObject(expected);
    if (detail) expect(v.detail).toMatch(detail);
    // Delivered answers only (a timed-out slow answer is written after the client left).
    expect(fake.requests.filter((r) => r.delivered || r.status === 0).map((r) => r.status)).toEqual(statuses);
  });

  it('429 with Retry-After: pauses everyone, then every key gets its answer', async () => {
    // The fake allows 2 req/s; the client is told it may do 50/s, so it must rely on 429 + Retry-After.
    const fake = await start({ keys: KEYS, rateLimitPerSecond: 2 });
    const keys = [LIVE, RESTRICTED, REVOKED, NEVER_ISSUED];
    const t0 = performance.now();
    const out = await verifyKeys(keys.map(toVerify), { baseUrl: fake.url, ratePerSecond: 50, concurrency: 4 });
    const elapsed = performance.now() - t0;
    expect([...out.values()].map((v) => v.status)).toEqual(['live', 'plan_restricted', 'revoked', 'invalid']);
    const rateLimited = fake.requests.filter((r) => r.status === 429);
    expect(rateLimited.length).toBeGreaterThan(0);
    // After a 429 the whole client waited at least Retry-After (1 s) before the next request.
    const first429 = rateLimited[0]!.at;
    const next = fake.requests.find((r) => r.at > first429 && r.status !== 429);
    expect(next!.at - first429).toBeGreaterThanOrEqual(990);
    for (const [, n] of fake.answersPerKey()) expect(n).toBe(1);
    expect(elapsed).toBeLessThan(4000);
  });

  it('a Retry-After longer than maxRetryAfterMs -> unknown, no long wait', async () => {
    const fake = await start({ keys: KEYS, rateLimitPerSecond: 1 });
    const out = await verifyKeys([LIVE, REVOKED].map(toVerify), {
      baseUrl: fake.url,
      ratePerSecond: 100,
      maxRetryAfterMs: 500,
    });
    const statuses = [...out.values()].map((v) => v.status).sort();
    expect(statuses).toEqual(['live', 'unknown']);
    expect([...out.values()].find((v) => v.status === 'unknown')!.detail).toMatch(/Retry-After 1 s/);
  });

  it('server down -> unknown (never live or dead)', async () => {
    const fake = await start({ keys: KEYS });
    await fake.close();
    servers.splice(servers.indexOf(fake), 1);
    const out = await verifyKeys([LIVE, REVOKED].map(toVerify), { baseUrl: fake.url, ...FAST, maxAttempts: 2 });
    for (const v of out.values()) {
      expect(v.status).toBe('unknown');
      expect(v.detail).toMatch(/^network error ECONNREFUSED \(2 attempts\)$/);
    }
  });

  it('slow answers do not serialise the run', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => fakeV2Key(200 + i));
    const fake = await start({
      keys: keys.map((key) => ({ key, state: 'live', name: 'slow' })),
      rateLimitPerSecond: 100,
      faults: { slowMs: () => 500 },
    });
    const t0 = performance.now();
    const out = await verifyKeys(keys.map(toVerify), { baseUrl: fake.url, ratePerSecond: 50 });
    expect(performance.now() - t0).toBeLessThan(1200);
    expect([...out.values()].every((v) => v.status === 'live')).toBe(true);
  });
});

describe('verifyKeys: pacing against a 10 req/s API', () => {
  it('46 unique keys, transient 503s and slow answers: each answered once, < 8 s, a handful of 429s at most', async () => {
    const states = ['live', 'plan_restricted', 'revoked'] as const;
    const keys = Array.from({ length: 46 }, (_, i) => (i % 5 === 4 ? fakeV1Key(300 + i, (i % 24) + 1) : fakeV2Key(300 + i)));
    // 40 known to the fake (in three states), 6 never issued.
    const fakeKeys: FakeKey[] = keys.slice(0, 40).map((key, i) => ({ key, state: states[i % 3]!, name: `key ${i}` }));
    const transient503 = new Map(keys.filter((_, i) => i % 7 === 0).map((k) => [k, 1] as [string, number]));
    const slow = new Map(keys.filter((_, i) => i % 9 === 1).map((k) => [k, 1500] as [string, number]));
    const fake = await start({ keys: fakeKeys, rateLimitPerSecond: 10, faults: { transient503, slowMs: slow } });

    // Duplicates in the input must not cost requests.
    const input = [...keys, ...keys.slice(0, 10)].map(toVerify);
    let sent = 0;
    const t0 = performance.now();
    const out = await verifyKeys(input, { baseUrl: fake.url, onRequest: () => sent++ });
    const elapsed = performance.now() - t0;

    const count429 = fake.countStatus(429);
    const count503 = fake.countStatus(503);
    // Figures for the report (no keys printed).
    console.log(
      `[pacing] 46 keys: ${Math.round(elapsed)} ms, ${fake.requests.length} requests, 429s=${count429}, 503s=${count503}`,
    );

    expect(out.size).toBe(46);
    keys.forEach((key, i) => {
      const expected = i < 40 ? { live: 'live', plan_restricted: 'plan_restricted', revoked: 'revoked' }[states[i % 3]!] : 'invalid';
      expect(out.get(sha256(key))!.status, `key #${i}`).toBe(expected);
    });
    const answers = fake.answersPerKey();
    expect(answers.size).toBe(46);
    for (const n of answers.values()) expect(n).toBe(1);
    expect(count503).toBe(transient503.size);
    expect(count429).toBeLessThanOrEqual(3);
    expect(sent).toBe(fake.requests.length);
    expect(elapsed).toBeLessThan(8000);

    // Server-side: never more than 10 arrivals in any sliding 1 s window.
    const times = fake.requests.map((r) => r.at).sort((a, b) => a - b);
    let maxInWindow = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      maxInWindow = Math.max(maxInWindow, i - j + 1);
    }
    expect(maxInWindow).toBeLessThanOrEqual(10);
  }, 15_000);
});

describe('verifyKeys: never leaks a key', () => {
  it('no full key in any detail or error, across every failure path', async () => {
    const keys = [LIVE, RESTRICTED, REVOKED, NEVER_ISSUED, LIVE_V1];
    const texts: string[] = [];

    // Failure paths with a server: 503 forever, cut connections, timeouts.
    for (const faults of [
      { transient503: () => true },
      { cutConnection: () => true },
      { slowMs: () => 400 },
    ] satisfies FakeSpreefloOptions['faults'][]) {
      const fake = await start({ keys: KEYS, faults, rateLimitPerSecond: 100 });
      const out = await verifyKeys(keys.map(toVerify), { baseUrl: fake.url, ...FAST, maxAttempts: 2, timeoutMs: 100, ratePerSecond: 100 });
      for (const v of out.values()) {
        expect(v.status).toBe('unknown');
        texts.push(JSON.stringify(v));
      }
    }

    // Server down.
    const down = await start({ keys: KEYS });
    await down.close();
    servers.splice(servers.indexOf(down), 1);
    const out = await verifyKeys(keys.map(toVerify), { baseUrl: down.url, ...FAST, maxAttempts: 1 });
    for (const v of out.values()) texts.push(JSON.stringify(v));

    // A v1 key without a data centre, no baseUrl: unknown without any request.
    const badV1 = `${'b'.repeat(32)}-sf99`;
    const bad = await verifyKeys([{ ...toVerify(badV1), ruleId: 'spreeflo-api-key-v1' }], { baseUrl: '' });
    texts.push(JSON.stringify([...bad.values()]));
    expect([...bad.values()][0]).toMatchObject({ status: 'unknown', detail: expect.stringContaining('bbbbbbbb…sf99') });

    // Errors thrown for options.
    for (const baseUrl of ['http://example.com', 'ftp://x', 'not a url']) {
      await verifyKeys(keys.map(toVerify), { baseUrl }).catch((err: Error) => texts.push(`${err.message}\n${err.stack}`));
    }

    expect(texts.length).toBeGreaterThan(15);
    for (const t of texts) assertNoKeyIn(t, [...keys, badV1]);
  });
});

describe('verifyKeys: one deadline for the whole check', () => {
  const never = { neverAnswer: () => true } satisfies FakeSpreefloOptions['faults'];

  it.each([
    {
      name: 'a server that never answers: unknown at the deadline, not after every retry',
      faults: never,
      opts: { deadlineMs: 800, timeoutMs: 10_000 },
      detail: /^no answer from 127\.0\.0\.1:\d+ in 0\.8 s$/,
    },
    {
      name: 'a server that only fails: the last problem is kept',
      faults: { transient503: () => true },
      opts: { deadlineMs: 800, maxAttempts: 100 },
      detail: /^no answer from 127\.0\.0\.1:\d+ in 0\.8 s \(last try: HTTP 503\)$/,
    },
    {
      name: 'a 429 whose Retry-After outlasts the deadline',
      rateLimitPerSecond: 1,
      keys: [LIVE, REVOKED],
      opts: { deadlineMs: 700, ratePerSecond: 100 },
      detail: /^no answer from 127\.0\.0\.1:\d+ in 0\.7 s \(last try: rate limited\)$/,
    },
  ] as Array<{ name: string; faults?: FakeSpreefloOptions['faults']; rateLimitPerSecond?: number; keys?: string[]; opts: VerifyOptions; detail: RegExp }>)(
    '$name',
    async ({ faults, rateLimitPerSecond, keys = [LIVE], opts, detail }) => {
      const fake = await start({ keys: KEYS, faults, rateLimitPerSecond });
      const t0 = performance.now();
      const out = await verifyKeys(keys.map(toVerify), { baseUrl: fake.url, ...FAST, ...opts });
      expect(performance.now() - t0).toBeLessThan(opts.deadlineMs! + 400);
      const unknown = [...out.values()].filter((v) => v.status === 'unknown');
      expect(unknown).toHaveLength(1);
      expect(unknown[0]!.detail).toMatch(detail);
    },
  );

  it('keys still queued at the deadline are unknown, never sent', async () => {
    const fake = await start({ keys: KEYS, faults: never });
    const keys = Array.from({ length: 6 }, (_, i) => fakeV2Key(400 + i));
    const out = await verifyKeys(keys.map(toVerify), { baseUrl: fake.url, ratePerSecond: 4, concurrency: 2, deadlineMs: 600 });
    const details = [...out.values()].map((v) => `${v.status}: ${v.detail}`);
    expect(details.filter((d) => /^unknown: no answer from .* in 0\.6 s$/.test(d))).toHaveLength(2);
    expect(details.filter((d) => d === 'unknown: not asked: the 0.6 s deadline for the whole check passed first')).toHaveLength(4);
    expect(fake.requests).toHaveLength(2);
  });

  it('tells its progress: start with the deadline, each verdict, stop once', async () => {
    const fake = await start({ keys: KEYS, faults: { neverAnswer: new Map([[LIVE, 1]]) } });
    const events: string[] = [];
    const progress = {
      start: (keys: number, deadlineMs: number) => events.push(`start ${keys} ${deadlineMs}`),
      settled: () => events.push('settled'),
      stop: () => events.push('stop'),
    };
    await verifyKeys([LIVE, REVOKED].map(toVerify), { baseUrl: fake.url, deadlineMs: 500, progress });
    expect(events).toEqual(['start 2 500', 'settled', 'settled', 'stop']);
    // Default: 30 s, plus what pacing needs after the first start, in whole seconds (9 more starts at 100/s: 1 s).
    events.length = 0;
    await verifyKeys([REVOKED].map(toVerify), { baseUrl: fake.url, progress });
    await verifyKeys(Array.from({ length: 10 }, (_, i) => toVerify(fakeV2Key(500 + i))), { baseUrl: fake.url, progress, ratePerSecond: 100 });
    expect(events.filter((e) => e.startsWith('start'))).toEqual(['start 1 30000', 'start 10 31000']);
  });
});

describe('verifyKeys: names from the server are masked', () => {
  it('a key name or account name holding a key (this one or another) never carries it whole', async () => {
    const { loadBuiltinRules } = await import('../../src/detect/rule-files.js');
    const { compileRule } = await import('../../src/detect/rules.js');
    const { Detector } = await import('../../src/detect/detector.js');
    const detector = new Detector((await loadBuiltinRules()).map(compileRule));
    const other = fakeV2Key(600);
    const v1 = fakeV1Key(601, 3);
    const fake = await start({
      keys: [
        { key: LIVE, state: 'live', name: `prod ${LIVE}`, id: `key_${other}`, account: { id: 'acct_1', name: `Acme ${v1}`, plan: 'professional' } },
        { key: RESTRICTED, state: 'plan_restricted', name: `copy of ${other}` },
      ],
    });
    const out = await verifyKeys([LIVE, RESTRICTED].map(toVerify), { baseUrl: fake.url, maskText: (t) => detector.mask(t) });
    const live = out.get(sha256(LIVE))!;
    expect(live.keyName).toMatch(/^prod \S+…\S+$/);
    expect(live.account?.name).toMatch(/^Acme \S+…\S+$/);
    expect(out.get(sha256(RESTRICTED))!.keyName).toMatch(/^copy of \S+…\S+$/);
    assertNoKeyIn(JSON.stringify([...out.values()]), [LIVE, RESTRICTED, other, v1]);
  });

  it('without a mask, the key itself is still never returned whole', async () => {
    const fake = await start({ keys: [{ key: LIVE, state: 'live', name: `prod ${LIVE}` }] });
    const out = await verifyKeys([toVerify(LIVE)], { baseUrl: fake.url });
    assertNoKeyIn(JSON.stringify([...out.values()]), [LIVE]);
  });
});
