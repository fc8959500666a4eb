// Keys for tests: made up on the spot with a valid checksum, never issued to anyone.
import { randomBytes } from 'node:crypto';
import { BASE62, v2Check } from '../../src/detect/checksum.js';

export function makeV2Key(): string {
  const body = [...randomBytes(30)].map((b) => BASE62[b % 62]).join('');
  return `sfk_${body}${v2Check(body)}`;
}

/** A v2-shaped key whose checksum is wrong. */
export function makeBrokenV2Key(): string {
  const key = makeV2Key();
  const last = key.at(-1) === 'A' ? 'B' : 'A';
  return key.slice(0, -1) + last;
}

export function makeV1Key(dc = 1 + (randomBytes(1)[0]! % 24)): string {
  return `${randomBytes(16).toString('hex')}-sf${dc}`;
}
