// The literal search: every start of a literal, whichever needle finds it (the rarest short
// piece, then a longer one after many partial hits), compared with Buffer#indexOf of the whole.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LiteralFinder } from '../../src/detect/needles.js';
import { utf16Needle } from '../../src/detect/encodings.js';

const LITERALS = [Buffer.from('sfk_'), Buffer.from('-sf'), Buffer.from('\\u00'), utf16Needle('sfk_'), utf16Needle('-sf')];

function starts(find: (buf: Buffer, from: number) => number, buf: Buffer, from: number): number[] {
  const found: number[] = [];
  for (let i = find(buf, from); i !== -1; i = find(buf, i + 1)) found.push(i);
  return found;
}

describe('LiteralFinder', () => {
  it.each(LITERALS.map((l) => [JSON.stringify(l.toString('latin1')), l]))('finds every start of %s, from any offset', (_name, literal) => {
    const finder = new LiteralFinder(literal);
    const piece = fc.constantFrom('k_', 'fk_', 'sfk_', 'x', '\\u0', '\\u00', '-s', '-sf', '\0', 's\0f\0k\0_', 'k\0_', '-\0s\0f');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 300 }), fc.nat(20), (parts, from) => {
        const buf = Buffer.from(parts.join(''), 'latin1');
        expect(starts((b, f) => finder.next(b, f), buf, from)).toEqual(starts((b, f) => b.indexOf(literal, f), buf, from));
      }),
      { numRuns: 1000 },
    );
  });

  it('finds keys after many partial hits (C headers: `lock_t`, `mask_`)', () => {
    const buf = Buffer.from(`${'spinlock_t mask_ '.repeat(100)}sfk_A ${'block_ '.repeat(100)}sfk_B fk_ k_`, 'latin1');
    expect(new LiteralFinder(Buffer.from('sfk_')).all(buf)).toEqual(starts((b, f) => b.indexOf('sfk_', f), buf, 0));
    expect(new LiteralFinder(Buffer.from('sfk_')).all(buf)).toHaveLength(2);
  });
});
