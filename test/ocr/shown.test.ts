import { describe, expect, it } from 'vitest';
import { shown } from '../../bench/ocr/shown.js';

// The bench tools' printed forms: no key, reading of a key or piece of one whole.
describe('shown', () => {
  it.each([
    ['found low sfk_ZSXNdrTNulgdOPojL7hXcj70HKXHiP3dcF8u exact', 'found low sfk_ZSXN…cF8u exact'],
    ['found low sfk_F8SZpNs10eS1o0 {}', 'found low sfk_F8SZ…S1o0 {}'],
    ['found low sfk_E34CObtc {}', 'found low sfk_… {}'],
    ['found low 0123456789abcdef0123456789abcdef-sf17', 'found low 01234567…sf17'],
    ['found low 0123456789abcdef012-sf18 {}', 'found low 01234567…sf18 {}'],
    ['found low 0123456-sf1 recompressed-007.jpg', 'found low 0123456-sf1 recompressed-007.jpg'],
    ['no key here: sfk_ alone', 'no key here: sfk_ alone'],
  ])('%s', (text, want) => {
    expect(shown(text)).toBe(want);
  });
});
