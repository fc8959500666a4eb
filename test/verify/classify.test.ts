import { describe, expect, it } from 'vitest';
import { classifyAnswer, parseRetryAfter } from '../../src/verify/classify.js';

describe('classifyAnswer', () => {
  const cases: Array<{ name: string; status: number; body: unknown; expected: Record<string, unknown> }> = [
    {
      name: '200 live',
      status: 200,
      body: {
        status: 'ok',
        key: { id: 'key_1', name: 'Zapier sync', last4: 'cF8u', created_at: '2025-03-02T10:00:00Z' },
        account: { id: 'acct_1', name: 'Acme Marketing', plan: 'professional' },
      },
      expected: {
        kind: 'final',
        verification: {
          status: 'live',
          keyId: 'key_1',
          keyName: 'Zapier sync',
          last4: 'cF8u',
          account: { id: 'acct_1', name: 'Acme Marketing', plan: 'professional' },
        },
      },
    },
    {
      name: '403 plan_upgrade_required',
      status: 403,
      body: { error: { code: 'plan_upgrade_required', message: 'x' }, key: { id: 'key_2', name: 'CRM export', last4: 'abcd' } },
      expected: { kind: 'final', verification: { status: 'plan_restricted', keyId: 'key_2', keyName: 'CRM export', last4: 'abcd' } },
    },
    { name: '401 revoked', status: 401, body: { error: { code: 'revoked_api_key', message: 'x' } }, expected: { kind: 'final', verification: { status: 'revoked' } } },
    { name: '401 invalid', status: 401, body: { error: { code: 'invalid_api_key', message: 'x' } }, expected: { kind: 'final', verification: { status: 'invalid' } } },
    { name: '200 with a non-API body (proxy, portal)', status: 200, body: '<html>hi</html>', expected: { kind: 'final', verification: { status: 'unknown' } } },
    { name: '401 odd code', status: 401, body: { error: { code: 'mfa_required' } }, expected: { kind: 'final', verification: { status: 'unknown' } } },
    { name: '403 odd code (WAF)', status: 403, body: 'Forbidden', expected: { kind: 'final', verification: { status: 'unknown' } } },
    { name: '404', status: 404, body: {}, expected: { kind: 'final', verification: { status: 'unknown' } } },
    { name: '302 not followed', status: 302, body: '', expected: { kind: 'final', verification: { status: 'unknown' } } },
    { name: '429', status: 429, body: { error: { code: 'rate_limited' } }, expected: { kind: 'rate_limited' } },
    { name: '503', status: 503, body: 'oops', expected: { kind: 'retry', problem: 'HTTP 503' } },
    { name: '500', status: 500, body: '', expected: { kind: 'retry', problem: 'HTTP 500' } },
  ];
  it.each(cases)('$name', ({ status, body, expected }) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    expect(classifyAnswer(status, text, null)).toMatchObject(expected);
  });

  it('strips control characters from server-supplied names', () => {
    const out = classifyAnswer(200, JSON.stringify({ status: 'ok', key: { name: 'evil\u001b[31mname' } }), null);
    expect(out).toMatchObject({ verification: { keyName: 'evil [31mname' } });
  });
});

describe('parseRetryAfter', () => {
  it.each([
    { header: '2', now: 0, expected: 2000 },
    { header: ' 0 ', now: 0, expected: 0 },
    { header: 'Wed, 21 Oct 2015 07:28:05 GMT', now: Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'), expected: 5000 },
    { header: 'soon', now: 0, expected: null },
    { header: null, now: 0, expected: null },
  ])('$header', ({ header, now, expected }) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
