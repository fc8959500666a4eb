// Test-only key material: made-up keys of the right shapes, never issued to anyone.
import { createHash } from 'node:crypto';
import type { KeyToVerify } from '../../src/verify/ping.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A deterministic 40-character v2-shaped key (checksum not computed: the verifier does not need it). */
export function fakeV2Key(seed: number): string {
  const digest = createHash('sha256').update(`v2-${seed}`).digest();
  let body = '';
  for (let i = 0; i < 36; i++) body += BASE62[digest[i % digest.length]! % 62];
  return `sfk_${body}`;
}

export function fakeV1Key(seed: number, dc: number): string {
  return `${createHash('md5').update(`v1-${seed}`).digest('hex')}-sf${dc}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function toVerify(key: string): KeyToVerify {
  return {
    key,
    keySha256: sha256(key),
    ruleId: key.startsWith('sfk_') ? 'spreeflo-api-key-v2' : 'spreeflo-api-key-v1',
  };
}

/** Throws (failing the test) if any full key appears in `text`; the message shows only redacted forms. */
export function assertNoKeyIn(text: string, keys: string[]): void {
  for (const k of keys) {
    if (text.includes(k)) throw new Error(`full key ${k.slice(0, 8)}… leaked into text of length ${text.length}`);
  }
}
