// The v2 key checksum, exactly as the platform page defines it: CRC-32 (IEEE,
// zlib's) of "sfk_" + body, in base62, most significant digit first, padded to 6.
export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function toBase62(value: number, width: number): string {
  let out = '';
  let v = value;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

export const V2_PREFIX = 'sfk_';
export const V2_BODY_LENGTH = 30;
export const V2_CHECK_LENGTH = 6;

/** The 6-character check a v2 body must end with. */
export function v2Check(body: string): string {
  return toBase62(crc32(V2_PREFIX + body), V2_CHECK_LENGTH);
}

/** True when `key` is a whole v2 key (prefix, 30 base62 + 6 check) whose checksum holds. */
export function isValidV2Key(key: string): boolean {
  if (key.length !== V2_PREFIX.length + V2_BODY_LENGTH + V2_CHECK_LENGTH) return false;
  if (!key.startsWith(V2_PREFIX)) return false;
  const body = key.slice(V2_PREFIX.length, V2_PREFIX.length + V2_BODY_LENGTH);
  const check = key.slice(V2_PREFIX.length + V2_BODY_LENGTH);
  return /^[0-9A-Za-z]+$/.test(body) && v2Check(body) === check;
}
