// Spreeflo key material for the benchmark corpus, per /work/shared/spreeflo-platform.md.
//  v2: "sfk_" + 30 base62 body + 6-char check, check = base62(CRC-32/IEEE("sfk_" + body)),
//      most significant digit first, left-padded with "0" to 6.
//  v1: 32 lowercase hex + "-sf" + dc, dc in 1..24 without leading zero.
import { crc32 as zlibCrc32 } from 'node:zlib';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3 / zlib) of an ASCII string. zlib.crc32 exists only from Node 20.15/22.2. */
export function crc32(text) {
  if (typeof zlibCrc32 === 'function') return zlibCrc32(text) >>> 0;
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function toBase62(value, width) {
  let out = '';
  let v = value;
  while (v > 0) { out = BASE62[v % 62] + out; v = Math.floor(v / 62); }
  return out.padStart(width, '0');
}

export function v2Check(body) { return toBase62(crc32('sfk_' + body), 6); }

export function isValidV2(key) {
  if (!/^sfk_[0-9A-Za-z]{36}$/.test(key)) return false;
  return v2Check(key.slice(4, 34)) === key.slice(34);
}

export function isValidV1(key) { return /^[0-9a-f]{32}-sf(?:[1-9]|1[0-9]|2[0-4])$/.test(key); }

export function makeV2(rng) {
  const body = rng.b62(30);
  return 'sfk_' + body + v2Check(body);
}

export function makeV1(rng) { return rng.hex(32) + '-sf' + rng.int(1, 24); }

/** Decoys: look like keys, must not be reported. `rgShaped` = the benchmark's rg patterns match it. */
export const DECOY_KINDS = ['v2-bad-checksum', 'mysfk-prefix', 'hex33', 'sf0', 'sf25'];

export function makeDecoy(rng, kind) {
  switch (kind) {
    case 'v2-bad-checksum': {
      const body = rng.b62(30);
      const good = v2Check(body);
      let bad;
      do { bad = rng.b62(6); } while (bad === good);
      return { text: 'sfk_' + body + bad, rgShaped: true };
    }
    case 'mysfk-prefix': {
      // A valid v2 key glued to a word character: not delimited, so not a key.
      const body = rng.b62(30);
      return { text: 'mysfk_' + body + v2Check(body), rgShaped: false };
    }
    case 'hex33': return { text: rng.hex(33) + '-sf' + rng.int(1, 24), rgShaped: false };
    case 'sf0': return { text: rng.hex(32) + '-sf0', rgShaped: false };
    case 'sf25': return { text: rng.hex(32) + '-sf25', rgShaped: false };
    default: throw new Error(`unknown decoy kind ${kind}`);
  }
}

const PAGE_VALID = [
  'sfk_ZSXNdrTNulgdOPojL7hXcj70HKXHiP3dcF8u',
  'sfk_R8kHPquvZd4auhRSpwWtoJk0eZWPOM0ADeHq',
  'sfk_pRA1eBHg09NLb4yhPCwGPSyq0llDCW1r450p',
];
const PAGE_INVALID = ['sfk_N1Vo1tmYYBLoOEpQxXbGjGb1U1KzYv0t0iSe'];

/** Throws unless the checksum agrees with the platform page's examples (both CRC paths). */
export function selfTest() {
  for (const k of PAGE_VALID) if (!isValidV2(k)) throw new Error('checksum self-test failed on a page example key');
  for (const k of PAGE_INVALID) if (isValidV2(k)) throw new Error('checksum self-test accepted the page counter-example');
  let table = 0xffffffff;
  const s = 'sfk_ZSXNdrTNulgdOPojL7hXcj70HKXHiP3d';
  for (let i = 0; i < s.length; i++) table = CRC_TABLE[(table ^ s.charCodeAt(i)) & 0xff] ^ (table >>> 8);
  if (((table ^ 0xffffffff) >>> 0) !== crc32(s)) throw new Error('table CRC-32 disagrees with zlib.crc32');
  if (!isValidV1('25cb257fab5a20f4284a1675da214991-sf7')) throw new Error('v1 self-test failed');
}
