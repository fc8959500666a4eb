// The base64 block search decodes only blocks that can hold a key: whole quartets that
// decode to ASCII, or a long hex run. These properties check the shortcut against the plain
// definitions it replaces, on random blocks with ASCII text, hex and random bytes mixed in.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blockText, decodeBlock, DECODE_PIECE_CHARS, findBase64Blocks, hexRuns, worthDecoding } from '../../src/detect/encodings.js';
import { Detector } from '../../src/detect/detector.js';
import { compileRule } from '../../src/detect/rules.js';
import { loadBuiltinRules } from '../../src/detect/rule-files.js';
import { makeV1Key, makeV2Key } from '../support/keys.js';

const KEY_BYTES = 36;
const detector = new Detector((await loadBuiltinRules()).map(compileRule));

/** Bytes of three kinds, so blocks hold ASCII runs of every length, random stretches and their mixes. */
const piece = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 60 }).map((b) => Buffer.from(b)),
  fc.stringMatching(/^[ -~]{1,60}$/).map((s) => Buffer.from(s, 'latin1')),
  fc.stringMatching(/^[0-9a-f]{1,90}$/).map((s) => Buffer.from(s, 'latin1')),
);
const payload = fc.array(piece, { minLength: 1, maxLength: 8 }).map((parts) => Buffer.concat(parts));

/** The encoded form a scanned file may hold: one line, wrapped like `base64`, or JSON-escaped. */
const layout = fc.constantFrom('line', 'wrapped', 'escaped', 'hex');

function encode(data: Buffer, how: string): Buffer {
  const b64 = data.toString('base64');
  if (how === 'wrapped') return Buffer.from(`x: ${b64.replace(/.{1,76}/g, '$&\n')}`, 'latin1');
  if (how === 'escaped') return Buffer.from(`{"v":"${b64.replaceAll('/', '\\/')}"}`, 'latin1');
  if (how === 'hex') return Buffer.from(`h=${data.toString('hex')};`, 'latin1');
  return Buffer.from(`k=${b64};`, 'latin1');
}

function longestAsciiRun(data: Buffer): number {
  let run = 0;
  let longest = 0;
  for (const b of data) {
    run = b < 0x80 ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

describe('base64 blocks', () => {
  it('hex runs are the maximal runs of 72 hex digits or more, as a regular expression finds them', () => {
    const run = fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{1,200}$/), fc.stringMatching(/^[g-zG-Z+\/=\u0100]{1,3}$/));
    fc.assert(
      fc.property(fc.array(run, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(hexRuns(text)).toEqual(Array.from(text.matchAll(/[0-9a-fA-F]{72,}/g), (m) => [m.index, m.index + m[0].length]));
      }),
      { numRuns: 2000 },
    );
  });

  it('decode straight from the scanned bytes exactly as Buffer.from(text, "base64"), with the same hex findings as the text', () => {
    fc.assert(
      fc.property(payload, layout, (data, how) => {
        const buf = encode(data, how);
        for (const block of findBase64Blocks(buf, 48)) {
          const { text } = blockText(buf, block);
          const out = Buffer.alloc(text.length);
          const decoded = decodeBlock(buf, block, out, 0);
          expect(out.subarray(0, decoded.bytes)).toEqual(Buffer.from(text, 'base64'));
          expect(decoded.hexRun).toBe(hexRuns(text).length > 0);
          expect(decoded.onlyHex).toBe(/^(?:[0-9a-f]+|[0-9A-F]+)$/.test(text));
        }
      }),
      { numRuns: 400 },
    );
  });

  // Past 4,096 characters a block of one line goes to Buffer's own decoder: the same bytes and findings.
  it.each([
    ['the base64 of mixed bytes', (data: Buffer) => data.toString('base64')],
    ['base64url', (data: Buffer) => data.toString('base64url')],
    ['hex of one case', (data: Buffer) => data.toString('hex')],
    ['hex of both cases', (data: Buffer) => `${data.toString('hex')}${data.toString('hex').toUpperCase()}`],
    ['joined to a name', (data: Buffer) => `api_token-${data.toString('base64')}`],
  ])('long lines decode as short ones do: %s', (_name, form) => {
    fc.assert(
      fc.property(payload, fc.integer({ min: 1, max: 40 }), (data, times) => {
        const text = form(Buffer.concat(Array.from({ length: Math.ceil(5000 / data.length) + times }, () => data)));
        const buf = Buffer.from(`k="${text}";`, 'latin1');
        const [block] = findBase64Blocks(buf, 48);
        // base64url dense in `-` or `_` is not sampled as base64 (SAMPLE_BYTE): no block to decode.
        if (!block) return;
        expect(block.end - block.start).toBeGreaterThan(4096);
        const out = Buffer.alloc(text.length);
        const decoded = decodeBlock(buf, block, out, 0);
        const own = blockText(buf, block).text;
        expect(out.subarray(0, decoded.bytes)).toEqual(Buffer.from(own, 'base64'));
        expect(decoded).toEqual({ bytes: decoded.bytes, hexRun: hexRuns(own).length > 0, onlyHex: /^(?:[0-9a-f]+|[0-9A-F]+)$/.test(own), joined: /[-_]/.test(own) });
      }),
      { numRuns: 60 },
    );
  });

  it('are never passed over when their bytes hold a run of ASCII as long as a key, or a hex run', () => {
    fc.assert(
      fc.property(payload, layout, (data, how) => {
        const buf = encode(data, how);
        for (const block of findBase64Blocks(buf, 48)) {
          const { text } = blockText(buf, block);
          const holdsText = longestAsciiRun(Buffer.from(text, 'base64')) >= KEY_BYTES || hexRuns(text).length > 0;
          if (holdsText) expect(worthDecoding(buf, block, KEY_BYTES)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it.each([
    ['a sha512 integrity hash', Buffer.from('sha512-' + Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 200) & 0xff)).toString('base64'))],
    ['random bytes', Buffer.from('x ' + Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 131 + 129) & 0xff)).toString('base64'))],
  ])('%s is not decoded', (_name, buf) => {
    const blocks = findBase64Blocks(buf, 48);
    expect(blocks.length).toBe(1);
    expect(worthDecoding(buf, blocks[0]!, KEY_BYTES)).toBe(false);
  });

  // The samples skip base64url's `-_` (names are full of them); in the base64 of text they
  // stand only for `>`, `?`, `~` and DEL, or for a byte over 0x7f right after a key: the
  // key's own 48 characters hold none, so it is found whatever surrounds it.
  // (Sparse: where `-_` are as dense as in a name, the block is decoded from after the last.)
  const around = ['?', '>\u00e9', '~\u2026'];
  const keys = [makeV1Key(3), makeV1Key(7), makeV2Key()];
  it.each(around.flatMap((text) => keys.flatMap((key) => [0, 1, 2].map((shift) => ({ text, key, shift })))))(
    'base64url of a key between $text, shifted by $shift, is found',
    ({ text, key, shift }) => {
      const plain = Buffer.from(`${'~'.repeat(shift)}${text}${key}${text}`, 'utf8');
      const encoded = Buffer.from(`t=${plain.toString('base64url')};`, 'latin1');
      expect(detector.scan(encoded).map((c) => c.key)).toEqual([key]);
    },
  );

  // A long line is decoded in pieces of DECODE_PIECE_CHARS characters: a key whose base64
  // straddles a piece's end, at each of its characters and so each place in a quartet, is found once.
  it.each(keys)('a key across the end of a long line\'s decoded piece is found once, at every offset', (key) => {
    const filler = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + 129) & 0xff));
    const keyChars = Math.ceil((key.length * 4) / 3);
    // Where the key starts in the plain bytes, so its base64 starts `keyChars - 1` to 1 characters
    // before the piece's end; spaces around it, as the filler may hold a key's characters.
    for (let at = Math.floor(((DECODE_PIECE_CHARS - keyChars) * 3) / 4); (at * 4) / 3 < DECODE_PIECE_CHARS; at++) {
      const plain = Buffer.concat([filler(at - 1), Buffer.from(` ${key} `, 'latin1'), filler(3000)]);
      const encoded = Buffer.from(`k=${plain.toString('base64')};`, 'latin1');
      expect(detector.scan(encoded).map((c) => c.key)).toEqual([key]);
    }
  });
});

