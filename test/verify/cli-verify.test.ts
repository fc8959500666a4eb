// --verify end to end: the built CLI against the fake Spreeflo on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { makeBrokenV2Key, makeV1Key, makeV2Key } from '../support/keys.js';
import { BIN, runCliAsync, tempDir, writeTree } from '../support/cli.js';
import { startFakeSpreeflo, type FakeSpreeflo } from '../support/fake-spreeflo.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const ACME = { id: 'acct_1', name: 'Acme Marketing', plan: 'professional' };

describe('scan --verify', () => {
  const keys = {
    live: makeV2Key(),
    restricted: makeV2Key(),
    revoked: makeV2Key(),
    invalid: makeV2Key(),
    legacy: makeV1Key(7),
  };
  const broken = makeBrokenV2Key();
  const root = tempDir();
  let api: FakeSpreeflo;

  beforeAll(async () => {
    api = await startFakeSpreeflo({
      keys: [
        { key: keys.live, state: 'live', name: 'Zapier sync', account: ACME },
        { key: keys.restricted, state: 'plan_restricted', name: 'CRM export', account: { ...ACME, plan: 'starter' } },
        { key: keys.revoked, state: 'revoked', name: 'Old import' },
        { key: keys.legacy, state: 'live', name: 'Legacy webhook', account: ACME },
      ],
    });
    writeTree(root, {
      '.env': `A=${keys.live}\nB=${keys.restricted}\n`,
      'src/app.ts': `const k = "${keys.live}";\nconst old = "${keys.revoked}";\n`,
      'notes.md': `typo: ${keys.invalid}\nbroken: ${broken}\n`,
      'legacy.py': `KEY = "${keys.legacy}"\n`,
    });
  });
  afterAll(() => api.close());

  const env = () => ({ SPREEFLO_API_URL: api.url });

  it('sends nothing without --verify', async () => {
    const run = await runCliAsync(['scan', root, '--format', 'json'], { env: env() });
    expect(run.code).toBe(1);
    expect(api.requests).toHaveLength(0);
  });

  it('maps every answer, with the key name and account, one request per key', async () => {
    const run = await runCliAsync(['scan', root, '--format', 'json', '--verify'], { env: env() });
    const report = JSON.parse(run.stdout);
    const status = (k: string) => report.findings.find((f: any) => f.keySha256 === sha(k))?.verification;
    expect(status(keys.live)).toMatchObject({ status: 'live', keyName: 'Zapier sync', account: { name: 'Acme Marketing' } });
    expect(status(keys.restricted)).toMatchObject({ status: 'plan_restricted', keyName: 'CRM export' });
    expect(status(keys.revoked)).toMatchObject({ status: 'revoked' });
    expect(status(keys.invalid)).toMatchObject({ status: 'invalid' });
    expect(status(keys.legacy)).toMatchObject({ status: 'live', keyName: 'Legacy webhook' });
    const asked = api.requests.map((r) => sha(r.key)).sort();
    expect(asked).toEqual(Object.values(keys).map(sha).sort());
    expect(asked).not.toContain(sha(broken));
  });

  it('the text report leads with the keys to revoke, by name, and prints no key', async () => {
    const run = await runCliAsync(['scan', root, '--verify'], { env: env() });
    const text = run.stdout;
    expect(text.indexOf("Revoke 'Zapier sync' (account Acme Marketing)")).toBeGreaterThan(-1);
    expect(text.indexOf("Revoke 'CRM export'")).toBeGreaterThan(-1);
    expect(text.indexOf('Revoke now')).toBeLessThan(text.indexOf('Nothing to revoke'));
    expect(text).toMatch(/Settings > API Keys > trash icon next to 'Zapier sync' > Confirm/);
    for (const k of Object.values(keys)) expect(text).not.toContain(k);
  });

  it.each([
    ['any', 1],
    ['live', 1],
  ] as const)('--fail-on %s exits %i while a live key is present', async (failOn, code) => {
    const run = await runCliAsync(['scan', root, '--verify', '--fail-on', failOn], { env: env() });
    expect(run.code).toBe(code);
  });

  it('--fail-on live passes when every key is dead', async () => {
    const dead = tempDir();
    writeTree(dead, { 'a.env': `K=${keys.revoked}\nL=${keys.invalid}\n` });
    expect((await runCliAsync(['scan', dead, '--verify', '--fail-on', 'live'], { env: env() })).code).toBe(0);
    expect((await runCliAsync(['scan', dead, '--verify'], { env: env() })).code).toBe(1);
  });

  it('refuses plain http to a non-loopback host', async () => {
    const run = await runCliAsync(['scan', root, '--verify'], { env: { SPREEFLO_API_URL: 'http://example.com' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/SPREEFLO_API_URL/);
  });

  it('a server that is down makes keys unknown, never live or dead', async () => {
    const run = await runCliAsync(['scan', root, '--format', 'json', '--verify', '--verify-timeout', '500'], {
      env: { SPREEFLO_API_URL: 'http://127.0.0.1:9' },
    });
    const report = JSON.parse(run.stdout);
    expect(new Set(report.findings.map((f: any) => f.verification.status))).toEqual(new Set(['unknown']));
    expect(run.code).toBe(1);
  });

  it('names keys offline from the inventory, marked as probable', async () => {
    const dir = tempDir();
    writeTree(dir, {
      'a.env': `K=${keys.live}\n`,
      '.spreeflo-scan.yaml': `inventory:\n  - name: Zapier sync\n    last4: "${keys.live.slice(-4)}"\n`,
    });
    const run = await runCliAsync(['scan', dir, '--format', 'json']);
    expect(JSON.parse(run.stdout).findings[0].verification).toEqual({ status: 'unchecked', probableName: 'Zapier sync' });
  });
});

describe('scan --verify against a server that never answers', () => {
  const key = makeV2Key();
  const root = tempDir();
  let api: FakeSpreeflo;

  beforeAll(async () => {
    api = await startFakeSpreeflo({ keys: [{ key, state: 'live', name: 'Zapier sync' }], faults: { neverAnswer: () => true } });
    writeTree(root, { '.env': `K=${key}\n` });
  });
  afterAll(() => api.close());
  const env = () => ({ SPREEFLO_API_URL: api.url });
  const host = () => new URL(api.url).host;

  it('--verify-deadline 2: done in a few seconds, the key unknown with the reason in JSON', async () => {
    const t0 = performance.now();
    const run = await runCliAsync(['scan', root, '--format', 'json', '--verify', '--verify-deadline', '2'], { env: env() });
    const elapsed = performance.now() - t0;
    console.log(`[deadline] one key, server never answers, --verify-deadline 2: ${Math.round(elapsed)} ms`);
    expect(elapsed).toBeLessThan(6000);
    const v = JSON.parse(run.stdout).findings[0].verification;
    expect(v).toEqual({ status: 'unknown', detail: `no answer from ${host()} in 2 s` });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).not.toContain(key);
  });

  it('the text report gives the reason; stderr said it was waiting', async () => {
    const run = await runCliAsync(['scan', root, '--verify', '--verify-deadline', '3'], { env: env() });
    expect(run.stdout).toContain(`Why: no answer from ${host()} in 3 s`);
    expect(run.stderr).toMatch(/--verify: still waiting for Spreeflo \(0 of 1 keys answered\); gives up after 3 s \(--verify-deadline\)/);
    expect(run.stdout + run.stderr).not.toContain(key);
  });

  it.each([
    ['any', 1],
    ['live', 1],
  ] as const)('--fail-on %s exits %i: unknown may be live', async (failOn, code) => {
    const run = await runCliAsync(['scan', root, '--verify', '--verify-deadline', '1', '--fail-on', failOn, '--no-progress'], { env: env() });
    expect(run.code).toBe(code);
    expect(run.stderr).toBe('');
  });

  it('a terminal on stderr gets a progress line, cleared at the end', async () => {
    // `script` gives the CLI a real pseudo-terminal (stdout and stderr both).
    const { spawnSync } = await import('node:child_process');
    const cmd = [process.execPath, BIN, 'scan', root, '--verify', '--verify-deadline', '2'].map((a) => `'${a}'`).join(' ');
    const res = spawnSync('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, ...env(), NO_COLOR: '1' }, encoding: 'utf8' });
    expect(res.stdout).toMatch(/verifying keys with Spreeflo: 0 of 1 answered, 1 s \(gives up after 2 s\)/);
    expect(res.stdout).toContain('\r\x1b[2K');
    expect(res.stdout).toContain(`Why: no answer from ${host()} in 2 s`);
    expect(res.stdout).not.toContain(key);
  });

  it('a key name that holds the key is masked in every format', async () => {
    const named = await startFakeSpreeflo({ keys: [{ key, state: 'live', name: `prod ${key}`, account: { ...ACME, name: `Acme ${key}` } }] });
    try {
      for (const format of ['text', 'json', 'sarif', 'html']) {
        const run = await runCliAsync(['scan', root, '--format', format, '--verify'], { env: { SPREEFLO_API_URL: named.url } });
        expect(run.code, format).toBe(1);
        expect(run.stdout + run.stderr, format).not.toContain(key);
        expect(run.stdout, format).toContain(`prod ${key.slice(0, 4)}`);
      }
    } finally {
      await named.close();
    }
  });

  it('SPREEFLO_API_URL=http://localhost.:port reaches the server at 127.0.0.1', async () => {
    const named = await startFakeSpreeflo({ keys: [{ key, state: 'live', name: 'Zapier sync' }] });
    try {
      const url = `http://localhost.:${new URL(named.url).port}`;
      const run = await runCliAsync(['scan', root, '--format', 'json', '--verify'], { env: { SPREEFLO_API_URL: url } });
      expect(JSON.parse(run.stdout).findings[0].verification).toMatchObject({ status: 'live', keyName: 'Zapier sync' });
    } finally {
      await named.close();
    }
  });

  it.each(['http://127.0.0.1.nip.io', 'http://app.localhost', 'http://[::ffff:10.0.0.1]'])('refuses SPREEFLO_API_URL=%s before any request', async (url) => {
    const run = await runCliAsync(['scan', root, '--verify'], { env: { SPREEFLO_API_URL: url } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/SPREEFLO_API_URL: Refusing plain http/);
  });
});
