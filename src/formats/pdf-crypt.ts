// The standard security handler, for the one case that matters to the stream
// count: a PDF encrypted with an empty user password, which pdf.js opens and
// decrypts by itself. Its streams must be decrypted here too before they can be
// measured. (With any other password pdf.js does not open the file at all.)
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { parseValue, resolve, type Value } from './pdf-lexer.js';

/** Decrypts one stream's bytes, given its object number and generation. */
export type StreamDecryptor = (id: string, data: Buffer) => Buffer;

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

function aesCbc(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const d = createDecipheriv(key.length === 32 ? 'aes-256-cbc' : 'aes-128-cbc', key, iv).setAutoPadding(false);
  const whole = data.subarray(0, data.length - (data.length % 16));
  return Buffer.concat([d.update(whole), d.final()]);
}

const dictOf = (v: Value | undefined): Map<string, { at: number; value: Value }> | null => (v?.kind === 'dict' ? v.keys : null);
const get = (d: Map<string, { value: Value }> | null, k: string): Value | undefined => d?.get(k)?.value;
const int = (v: Value | undefined, fallback: number): number => (v?.kind === 'int' ? v.n : fallback);
const bytes = (v: Value | undefined): Buffer => (v?.kind === 'string' ? v.bytes : Buffer.alloc(0));
const name = (v: Value | undefined): string | null => (v?.kind === 'name' ? v.name : null);

/** Algorithm 2.B (ISO 32000-2), the hash of revision 6, for the empty password. */
function hashR6(salt: Buffer): Buffer {
  let k = createHash('sha256').update(salt).digest();
  for (let i = 0; ; i++) {
    const k1 = Buffer.concat(Array(64).fill(k));
    const e = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32)).setAutoPadding(false).update(k1);
    const pick = e.subarray(0, 16).reduce((a, x) => a + x, 0) % 3;
    k = createHash(['sha256', 'sha384', 'sha512'][pick]!).update(e).digest();
    if (i >= 63 && e[e.length - 1]! <= i + 1 - 32) return k.subarray(0, 32);
  }
}

/** The value of the last `/key` in the file (the newest trailer's). */
function lastValue(b: Buffer, text: string, index: Map<string, number>, key: string): Value | undefined {
  let at = text.length;
  while ((at = text.lastIndexOf(`/${key}`, at - 1)) >= 0) {
    if (!/[0-9A-Za-z#_.-]/.test(text[at + key.length + 1] ?? '')) return resolve(b, index, parseValue(b, at + key.length + 1)?.value);
  }
  return undefined;
}

/**
 * How to decrypt the streams of `b`: null when it is not encrypted, or encrypted
 * in a way this does not know (then its streams are counted as stored).
 */
export function streamDecryptor(b: Buffer, text: string, index: Map<string, number>): StreamDecryptor | null {
  const enc = dictOf(lastValue(b, text, index, 'Encrypt'));
  if (!enc || name(get(enc, 'Filter')) !== 'Standard') return null;
  const v = int(get(enc, 'V'), 0);
  const r = int(get(enc, 'R'), 2);
  const stdCf = dictOf(get(dictOf(get(enc, 'CF')), 'StdCF'));
  const cfm = name(get(stdCf, 'CFM'));
  if (v >= 4 && name(get(enc, 'StmF')) === 'Identity') return null;
  if (v === 5) {
    const u = bytes(get(enc, 'U'));
    const salt = u.subarray(40, 48);
    const kek = r >= 6 ? hashR6(salt) : createHash('sha256').update(salt).digest();
    const key = aesCbc(kek, Buffer.alloc(16), bytes(get(enc, 'UE')));
    return (_id, data) => aesCbc(key, data.subarray(0, 16), data.subarray(16));
  }
  const ids = lastValue(b, text, index, 'ID');
  const first = ids?.kind === 'array' ? bytes(ids.items[0]) : Buffer.alloc(0);
  const n = r === 2 ? 5 : int(get(enc, 'Length'), 40) / 8;
  const p = Buffer.alloc(4);
  p.writeInt32LE(int(get(enc, 'P'), 0));
  const h = createHash('md5').update(PAD).update(bytes(get(enc, 'O')).subarray(0, 32)).update(p).update(first);
  if (r >= 4 && /\/EncryptMetadata\s+false/.test(text)) h.update(Buffer.from([255, 255, 255, 255]));
  let key = h.digest().subarray(0, n);
  if (r >= 3) for (let i = 0; i < 50; i++) key = createHash('md5').update(key).digest().subarray(0, n);
  const aes = v === 4 && cfm === 'AESV2';
  return (id, data) => {
    const [num, gen] = id.split(' ').map(Number) as [number, number];
    const salt = Buffer.from([num & 255, (num >> 8) & 255, (num >> 16) & 255, gen & 255, (gen >> 8) & 255]);
    const objKey = createHash('md5').update(key).update(salt).update(aes ? 'sAlT' : '').digest().subarray(0, Math.min(n + 5, 16));
    return aes ? aesCbc(objKey, data.subarray(0, 16), data.subarray(16)) : rc4(objKey, data);
  };
}
