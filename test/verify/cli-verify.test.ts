// --verify end to end: the built CLI against the fake Spreeflo on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { makeBrokenV2Key, makeV1Key, makeV2Key } from '../support/keys.js';
import { runCliAsync, tempDir, writeTree } from '../support/cli.js';
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
