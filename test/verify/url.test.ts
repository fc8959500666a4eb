import { afterEach, describe, expect, it, vi } from 'vitest';
import { pingUrlFor, verifyKeys } from '../../src/verify/ping.js';
import { redactKey } from '../../src/verify/redact.js';
import { startFakeSpreeflo } from '../support/fake-spreeflo.js';
import { fakeV1Key, fakeV2Key, toVerify } from './helpers.js';

describe('pingUrlFor: hosts', () => {
  it.each([
    { key: fakeV2Key(1), url: 'https://api.spreeflo.com/v1/ping' },
    { key: fakeV1Key(1, 1), url: 'https://sf1.api.spreeflo.com/v1/ping' },
    { key: fakeV1Key(2, 7), url: 'https://sf7.api.spreeflo.com/v1/ping' },
    { key: '25cb257fab5a20f4284a1675da214991-sf7', url: 'https://sf7.api.spreeflo.com/v1/ping' },
    { key: fakeV1Key(3, 24), url: 'https://sf24.api.spreeflo.com/v1/ping' },
  ])('$url', ({ key, url }) => {
    expect(pingUrlFor(toVerify(key))).toBe(url);
  });

  it.each(['-sf0', '-sf25', '-sf07', '-sf', ''])('refuses a v1 key with suffix %j, without leaking it', (suffix) => {
    const key = `${'a'.repeat(32)}${suffix}`;
    const k = { ...toVerify(key), ruleId: 'spreeflo-api-key-v1' as const };
    expect(() => pingUrlFor(k)).toThrow(/data centre/);
    try {
      pingUrlFor(k);
    } catch (err) {
      expect((err as Error).message).not.toContain(key);
    }
  });

  it('baseUrl overrides every host, v1 included', () => {
    expect(pingUrlFor(toVerify(fakeV1Key(1, 9)), 'http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000/v1/ping');
    expect(pingUrlFor(toVerify(fakeV2Key(1)), 'https://proxy.example/spreeflo/')).toBe('https://proxy.example/spreeflo/v1/ping');
  });
});

describe('base URL safety', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  // A plain-http base is loopback by its text alone and is then reached at the
  // loopback address itself: no name is ever looked up.
  it.each([
    { base: 'http://127.0.0.1:8080', to: 'http://127.0.0.1:8080' },
    { base: 'http://127.45.6.7', to: 'http://127.45.6.7' },
    { base: 'http://localhost:3000', to: 'http://127.0.0.1:3000' },
    { base: 'http://LOCALHOST', to: 'http://127.0.0.1' },
    { base: 'http://localhost.:3000', to: 'http://127.0.0.1:3000' },
    { base: 'http://LocalHost./api/', to: 'http://127.0.0.1/api' },
    { base: 'http://127.1:4000', to: 'http://127.0.0.1:4000' },
    { base: 'http://0x7f.1', to: 'http://127.0.0.1' },
    { base: 'http://2130706433', to: 'http://127.0.0.1' },
    { base: 'http://0177.0.0.1', to: 'http://127.0.0.1' },
    { base: 'http://127.0.0.1.', to: 'http://127.0.0.1' },
    { base: 'http://[::1]:9000', to: 'http://[::1]:9000' },
    { base: 'http://[0:0:0:0:0:0:0:1]', to: 'http://[::1]' },
    { base: 'http://[::ffff:127.0.0.1]:9000', to: 'http://127.0.0.1:9000' },
    { base: 'http://[::ffff:7f12:3456]', to: 'http://127.18.52.86' },
    { base: 'https://api.spreeflo.com', to: 'https://api.spreeflo.com' },
    { base: 'https://10.0.0.1:8443', to: 'https://10.0.0.1:8443' },
    // TLS protects these; the certificate is checked against the name as given.
    { base: 'https://localhost.:8443', to: 'https://localhost.:8443' },
  ])('accepts $base and sends to $to', ({ base, to }) => {
    expect(pingUrlFor(toVerify(fakeV2Key(1)), base)).toBe(`${to}/v1/ping`);
  });

  it.each([
    ['http://api.spreeflo.com', /Refusing plain http/],
    ['http://10.0.0.1', /Refusing plain http/],
    ['http://192.168.1.10:8080', /Refusing plain http/],
    ['http://128.0.0.1', /Refusing plain http/],
    ['http://localhost.evil.example', /Refusing plain http/],
    ['http://localhost..', /Refusing plain http/],
    ['http://app.localhost', /Refusing plain http/],
    ['http://127.0.0.1.nip.io', /Refusing plain http/],
    ['http://127-0-0-1.sslip.io', /Refusing plain http/],
    ['http://localtest.me', /Refusing plain http/],
    ['http://[::ffff:10.0.0.1]', /Refusing plain http/],
    ['http://[::127.0.0.1]', /Refusing plain http/],
    ['http://[::2]', /Refusing plain http/],
    ['http://[::]', /Refusing plain http/],
    ['http://0.0.0.0', /Refusing plain http/],
    ['http://0', /Refusing plain http/],
    ['ftp://127.0.0.1', /must use https/],
    ['not a url', /not a valid URL/],
    ['https://user:pw@api.spreeflo.com', /credentials/],
  ])('refuses %s', (base, message) => {
    expect(() => pingUrlFor(toVerify(fakeV2Key(1)), base)).toThrow(message);
  });

  it.each(['localhost.', '[::ffff:127.0.0.1]', '127.1', 'LOCALHOST'])('reaches a server on 127.0.0.1 through http://%s', async (host) => {
    const key = fakeV2Key(2);
    const api = await startFakeSpreeflo({ keys: [{ key, state: 'live', name: 'Zapier sync' }] });
    try {
      const port = new URL(api.url).port;
      const out = await verifyKeys([toVerify(key)], { baseUrl: `http://${host}:${port}` });
      expect([...out.values()][0]).toMatchObject({ status: 'live', keyName: 'Zapier sync' });
    } finally {
      await api.close();
    }
  });

  it('verifyKeys throws before any request for a plain-http non-loopback baseUrl', async () => {
    const onRequest = vi.fn();
    await expect(verifyKeys([toVerify(fakeV2Key(1))], { baseUrl: 'http://example.com', onRequest })).rejects.toThrow(
      /Refusing plain http/,
    );
    expect(onRequest).not.toHaveBeenCalled();
  });

  it('reads SPREEFLO_API_URL and applies the same check', async () => {
    vi.stubEnv('SPREEFLO_API_URL', 'http://spreeflo.internal.example');
    await expect(verifyKeys([toVerify(fakeV2Key(1))])).rejects.toThrow(/Refusing plain http/);
  });
});

describe('redactKey', () => {
  it('keeps 8 + 4 characters', () => {
    expect(redactKey('sfk_ZSXNdrTNulgdOPojL7hXcj70HKXHiP3dcF8u')).toBe('sfk_ZSXN…cF8u');
    expect(redactKey('25cb257fab5a20f4284a1675da214991-sf7')).toBe('25cb257f…-sf7');
    expect(redactKey('short')).toBe('…');
  });
});
