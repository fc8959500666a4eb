// Live-check benchmark: 46 unique keys in every state (some in several files),
// verified by the CLI against the fake Spreeflo with its 10 req/s limit, transient
// 503s, cut connections and slow answers. Prints time, requests, 429s, and checks
// every status and name, that each key was answered once, and that no key is printed.
// Run: npx tsx bench/verify-bench.ts
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeSpreeflo, type FakeKey } from '../test/support/fake-spreeflo.js';
import { makeBrokenV2Key, makeV1Key, makeV2Key } from '../test/support/keys.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const ACME = { id: 'acct_1', name: 'Acme Marketing', plan: 'professional' };
const STATES = ['live', 'plan_restricted', 'revoked', 'invalid'] as const;

const keys = Array.from({ length: 46 }, (_, i) => ({
  key: i % 5 === 4 ? makeV1Key(1 + (i % 24)) : makeV2Key(),
  state: STATES[i % STATES.length]!,
  name: `Integration ${i + 1}`,
}));
const fake: FakeKey[] = keys
  .filter((k) => k.state !== 'invalid')
  .map((k) => ({ key: k.key, state: k.state as FakeKey['state'], name: k.name, account: ACME }));
const every = (n: number) => new Map(keys.filter((_, i) => i % n === 0).map((k) => [k.key, 1]));
const api = await startFakeSpreeflo({
  keys: fake,
  rateLimitPerSecond: 10,
  faults: { transient503: every(7), cutConnection: every(11), slowMs: new Map(keys.filter((_, i) => i % 9 === 0).map((k) => [k.key, 1500])) },
});

const dir = mkdtempSync(join(tmpdir(), 'verify-bench-'));
for (let i = 0; i < 6; i++) mkdirSync(join(dir, `svc${i}`));
keys.forEach((k, i) => {
  writeFileSync(join(dir, `svc${i % 6}`, `k${i}.env`), `KEY=${k.key}\n`);
  if (i % 4 === 0) writeFileSync(join(dir, `svc${(i + 1) % 6}`, `copy${i}.yaml`), `key: ${k.key}\n`);
});
writeFileSync(join(dir, 'broken.txt'), `${makeBrokenV2Key()}\n${makeBrokenV2Key()}\n`);

const started = performance.now();
const out = await new Promise<{ code: number; stdout: string }>((done) => {
  const child = spawn(process.execPath, [resolve('bin/spreeflo-scan.js'), 'scan', dir, '--verify', '--format', 'json', '--no-progress'], {
    env: { ...process.env, SPREEFLO_API_URL: api.url },
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.on('close', (code) => done({ code: code ?? -1, stdout }));
});
const seconds = (performance.now() - started) / 1000;
// The requests of the timed run: those the API had received when it ended.
const firstRun = api.requests.slice();
const text = await new Promise<string>((done) => {
  const child = spawn(process.execPath, [resolve('bin/spreeflo-scan.js'), 'scan', dir, '--verify', '--no-progress'], {
    env: { ...process.env, SPREEFLO_API_URL: api.url, NO_COLOR: '1' },
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.on('close', () => done(stdout));
});
await api.close();

const report = JSON.parse(out.stdout);
const answered = new Map<string, number>();
for (const r of firstRun) if ([200, 401, 403].includes(r.status)) answered.set(r.key, (answered.get(r.key) ?? 0) + 1);
let wrong = 0;
for (const k of keys) {
  const v = report.findings.find((f: any) => f.keySha256 === sha(k.key))?.verification;
  const nameOk = k.state === 'live' || k.state === 'plan_restricted' ? v?.keyName === k.name : true;
  if (v?.status !== k.state || !nameOk) wrong++;
}
const toRevoke = keys.filter((k) => k.state === 'live' || k.state === 'plan_restricted');
const named = toRevoke.filter((k) => text.includes(`Revoke '${k.name}'`)).length;
console.log(`keys: ${keys.length} unique, ${report.findings.length} places; CLI exit ${out.code}`);
console.log(`time: ${seconds.toFixed(2)} s (floor at 10 req/s: ${(keys.length / 10).toFixed(1)} s)`);
console.log(`requests in the timed run: ${firstRun.length}, 429s: ${firstRun.filter((r) => r.status === 429).length}, 503s: ${firstRun.filter((r) => r.status === 503).length}, cut: ${firstRun.filter((r) => r.status === 0).length}`);
console.log(`keys answered exactly once: ${[...answered.values()].filter((n) => n === 1).length}/${keys.length}`);
console.log(`checksum-broken strings sent: ${firstRun.filter((r) => !keys.some((k) => k.key === r.key)).length}`);
console.log(`wrong status or name: ${wrong}`);
console.log(`text report names ${named}/${toRevoke.length} keys to revoke; full keys printed: ${keys.filter((k) => text.includes(k.key)).length}`);
