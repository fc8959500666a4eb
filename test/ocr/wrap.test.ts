// Wrapped keys: which page-pass words on consecutive lines are joined (no OCR:
// words as the page pass gave them for screenshots of the wild sets).
import { describe, expect, it } from 'vitest';
import type { OcrWord } from '../../src/ocr/engine.js';
import { findJoins, joinLooksKeyish } from '../../src/ocr/wrap.js';

const word = (text: string, x0: number, y0: number, x1: number, y1: number, line: number): OcrWord => ({ text, conf: 90, box: { x0, y0, x1, y1 }, symbols: [], line });

describe('joinLooksKeyish', () => {
  const cases: [string, string[], ReturnType<typeof joinLooksKeyish>][] = [
    ['a v2 key over two lines (`0` read `@`)', ['stk_dUSBFP1vYFjvXe7YQ7uC', 'A4yNXm8m21@3aJcv'], { keyish: true, complete: true, byLength: true }],
    ['a v2 key over two lines, what follows it read', ['stk_dUSBFP1vYFjvXe7YQ7uC', 'A4yNXm8m21@3aJcv thanks'], { keyish: true, complete: true }],
    // wild-2701 wrapped-002, a terminal: `KEY=sfk` and the body, the `_` lost, 36 key characters in all.
    ['a v2 key whose `_` the page pass lost', ['KEY=sfk', 'qrty7svUaB3kLm9PwZx4cRtE5gh', 'Bh32JAXRQ'], { keyish: true, complete: true, byLength: true }],
    ['a v2 key whose last line is still to come', ['sfk_U', '036bniH8Y1j1Q', 'myGF3CJazRcL'], { keyish: true, complete: false }],
    ['a v1 key over two lines', ['3c4aeb4ac@3664b411f9', '4db6efb38f92-sf9'], { keyish: true, complete: true }],
    ['a v1 key whose data centre wrapped alone (a terminal)', ['69a4d5e720d0c251aa80e20e9379e851-sf', '20'], { keyish: true, complete: true }],
    // wild-1203 wrapped-000, a docs column: the `f` of `-sf10` read `t`.
    ['a v1 key over three lines, its suffix read `-st10`', ['440f50c7753', 'f259f6ef37456e6a', '06240-st10'], { keyish: true, complete: true }],
    // wild-1203 wrapped-011, a terminal: the hex and its dash end the line, `sf1` read `stl` on the next.
    ['a v1 key whose suffix wrapped alone, read `stl`', ['SPREEFLO_API_KEY=c55f7ad6e040a4b0364d88f6919eb0d2c-', 'stl'], { keyish: true, complete: true, dcOpen: '1' }],
    // wild-3003 wrapped-004, a docs column: `-sf2` ends the line, the data centre's `3` starts the next.
    ['a v1 key whose line ends at `-sf2`: its data centre may go on', ['7a1c90e2d4b85f36', 'e0b9d1a4c7f28e55-sf2'], { keyish: true, complete: true, dcOpen: '2' }],
    ['a v1 key whose line ends at `-sf9`: no data centre goes on', ['7a1c90e2d4b85f36', 'e0b9d1a4c7f28e55-sf9'], { keyish: true, complete: true }],
    // wild-4302 wrapped-006, a table cell: the first line's hex read with a glyph as a quote, the next column between.
    ['a v1 key whose hex holds a quote glyph', ['5e0c9d2b7f41a8e36c0d19\'¢571', 'c03f7a1-sf10'], { keyish: true, complete: true }],
    ['a v1 key whose hex holds two quote glyphs', ['5e0c9d2b7f41\'a8e36c0d19\'¢571', 'c03f7a1-sf10'], { keyish: false, complete: false }],
    ['a quoted hash at a line end, `-style` on the next', ['\'9fceb02d0ae598e95dc970b74767f19372d61af8\'', '-style'], { keyish: false, complete: false }],
    ['a hash at a line end, `-style` on the next', ['9fceb02d0ae598e95dc970b74767f19372d61af8-', 'style'], { keyish: false, complete: false }],
    ['a hash at a line end, `-stash` on the next', ['9fceb02d0ae598e95dc970b74767f19372d61af8', '-stash'], { keyish: false, complete: false }],
    ['a whole key on the first line: nothing runs over', ['sfk_ZSXNdrTNulgdOPojL7hXcj70HKXHiP3dcF8u', 'hello'], { keyish: false, complete: false }],
    ['prose', ['Send the key in', 'the header with every call'], { keyish: false, complete: false }],
    ['one piece', ['sfk_ZSXNdrTNulgdOPojL7hXcj70HKXHiP3dcF8u'], { keyish: false, complete: false }],
  ];
  it.each(cases)('%s', (_name, texts, want) => expect(joinLooksKeyish(texts)).toEqual(want));
});

describe('findJoins', () => {
  it('joins a chat bubble line ending in a key start to the next line at the bubble edge (short `use` before it)', () => {
    const words = [word('use', 598, 372, 651, 391, 7), word('stk_dUSBFP1vYFjvXe7YQ7uC', 664, 364, 1149, 399, 7), word('A4yNXm8m21@3aJcv', 597, 416, 921, 451, 8), word('thanks', 932, 418, 1032, 443, 8)];
    const joins = findJoins(words, 2);
    expect(joins).toHaveLength(1);
    expect(joins[0]!.map((p) => Math.round(p.x))).toEqual([318, 299]);
  });

  it('follows a narrow column over every line of the key', () => {
    const words = [word('he', 756, 458, 821, 505, 7), word('header:', 846, 458, 1053, 505, 7), word('sfk_U', 1080, 456, 1243, 520, 7), word('036bniH8Y1j1Q', 756, 556, 1247, 619, 8), word('myGF3CJazRcL', 758, 652, 1232, 715, 9), word('p5BK3BNGDf', 758, 748, 1175, 811, 10), word('wi', 1191, 750, 1248, 797, 10)];
    expect(findJoins(words, 2)[0]).toHaveLength(4);
  });

  it('takes the next line when the page pass read no word there and the key lacks its end', () => {
    const words = [word('sfk_GwqToH71cN', 354, 128, 624, 161, 3), word('WPvD4bLVh7RM', 354, 174, 612, 199, 4), word('04H4eOvR1aknt', 355, 222, 652, 247, 5)];
    const pieces = findJoins(words, 2)[0]!;
    expect(pieces).toHaveLength(4);
    expect(pieces[3]!.y).toBeGreaterThan(pieces[2]!.y);
  });

  it('takes the key start the page pass split off before the head (`_` lost: `stk` then the rest)', () => {
    // wild-606 wrapped-004 (chat bubble, DejaVu Sans Mono 16 px at scale 2): `…one was stk LcBd2gjp8Ks`, the rest on the next line.
    const words = [word('was', 1040, 700, 1110, 730, 5), word('stk', 1130, 700, 1200, 730, 5), word('LcBd2gjp8Ks', 1222, 700, 1480, 736, 5), word('oVMGHQgT6DZIHG553RD4XcVqgD', 1040, 752, 1640, 788, 6), word('Maya', 1040, 820, 1140, 850, 7)];
    const joins = findJoins(words, 2);
    expect(joins).toHaveLength(1);
    expect(joins[0]!.map((p) => Math.round(p.x))).toEqual([551, 520]);
  });

  it('a key wrapped right after its `s`: the head as tall as its line, not as the `s`', () => {
    // wild-2311 wrapped-008 (docs column, Inconsolata 18 px): `s` 21 px high on a row of 29-37, `fk_…` 37 below it.
    const words = [word('Send', 378, 140, 465, 169, 4), word('the', 479, 140, 536, 169, 4), word('key', 552, 140, 611, 177, 4), word('in', 626, 140, 654, 169, 4), word('the', 668, 140, 725, 169, 4), word('header:', 741, 140, 873, 169, 4), word('s', 891, 148, 907, 169, 4), word('Limits', 52, 199, 154, 227, 5), word('fk_Tq3Hx8LmNc2VbRz7KpWdue', 380, 192, 915, 229, 6), word('aB4nE9sYu1QoJk', 379, 246, 680, 281, 7), word('with', 693, 244, 765, 273, 7)];
    const joins = findJoins(words, 2);
    expect(joins).toHaveLength(1);
    expect(joins[0]!.map((p) => Math.round(p.y))).toEqual([74, 96, 122]);
  });

  it('a head on a row of short words: the next line, with its `_` and capitals, is not too tall', () => {
    // wild-2607 wrapped-002 (chat bubble, DejaVu Sans Mono 15 px): `the old one was s`, 19-25 px, then `fk_…` 33 px.
    const words = [word('Tom', 1062, 256, 1110, 275, 4), word('the', 1063, 290, 1111, 315, 5), word('old', 1122, 290, 1165, 315, 5), word('one', 1178, 296, 1231, 315, 5), word('was', 1243, 296, 1300, 315, 5), word('s', 1312, 296, 1325, 315, 5), word('fk_c8J47TIYdDFL', 1065, 334, 1333, 367, 6), word('xDgUmBgd6gFHPMG', 1064, 378, 1333, 409, 7), word('ivaOupYz4', 1064, 422, 1224, 449, 8), word('thanks', 1235, 422, 1335, 447, 8)];
    const joins = findJoins(words, 2);
    expect(joins).toHaveLength(1);
    expect(joins[0]!).toHaveLength(4);
  });

  it('a table border read as `=` beside a head does not keep it from ending its line', () => {
    // wild-607 wrapped-003 (table cell, Roboto 15 px): the next column's date is 2 heights away.
    const words = [word('CRM', 40, 61, 80, 78, 2), word('sTk_W6HaMZu9wWaROhidAqOLTwhgh', 199, 61, 478, 78, 2), word('=', 484, 66, 492, 72, 2), word('2025-03-09', 520, 61, 610, 78, 2), word('MS2Wf3Gurxv', 199, 84, 300, 101, 3)];
    expect(findJoins(words, 1)).toHaveLength(1);
  });

  it('a head whose `sfk_` has a glyph read as two (`sftk_`)', () => {
    // wild-2603 wrapped-009 (chat bubble, Liberation Mono 15 px): three lines, the first read `sftk_…`.
    const words = [word('Tom', 58, 256, 106, 275, 3), word('sftk_DaAgHgFoY13y4', 61, 290, 365, 323, 4), word('huKLxtQvkd7uOWs7E', 61, 334, 364, 362, 5), word('4Szvcl', 60, 378, 166, 403, 6), word('thanks:', 1298, 508, 1411, 559, 8)];
    const joins = findJoins(words, 2);
    expect(joins).toHaveLength(1);
    expect(joins[0]!.map((p) => Math.round(p.y))).toEqual([145, 167, 189]);
  });

  it('a next piece the page pass split where nothing separates its glyphs (`fk` then `_06HG…`)', () => {
    // wild-2604 wrapped-003 (docs column, DejaVu Sans Mono 14 px): the key wrapped after its `s`.
    const words = [word('Send', 378, 116, 445, 139, 4), word('the', 456, 116, 501, 139, 4), word('key', 513, 116, 559, 145, 4), word('in', 570, 116, 593, 139, 4), word('the', 603, 116, 648, 139, 4), word('header:', 660, 116, 763, 139, 4), word('s', 777, 122, 789, 139, 4), word('Limits', 51, 163, 131, 185, 5), word('fk', 378, 156, 410, 179, 6), word('_06HGKtIpGKNUKI1mIrzZ4Ko', 410, 156, 797, 187, 6), word('3BD5KkzK1u7kb0', 378, 196, 611, 219, 7), word('with', 622, 196, 679, 219, 7), word('every', 690, 202, 768, 225, 7), word('c', 778, 202, 791, 219, 7), word('all.', 378, 238, 415, 261, 8)];
    const joins = findJoins(words, 2);
    expect(joins).toHaveLength(1);
    expect(joins[0]!.map((p) => [Math.round(p.x), Math.round(p.y)])).toEqual([[382, 61], [189, 78], [189, 98]]);
    expect(Math.round(joins[0]![1]!.w)).toBe(210);
  });

  it('the row\'s left edge goes on over a word whose box reaches over the head', () => {
    // wild-2702 wrapped-005 (a terminal, Inconsolata 13 px): the page pass boxed `SPREEFLO` from 167 to the line's end.
    const words = [word('$', 26, 65, 39, 88, 1), word('export', 57, 66, 148, 91, 1), word('SPREEFLO', 167, 64, 567, 91, 1), word('API', 305, 52, 356, 95, 1), word('KEY=sfk', 366, 64, 478, 91, 1), word('Ab3dE', 491, 52, 571, 95, 1), word('2x9Kq7Wm4Zp8Rt5Yn3Hb6Vc1Lg0Fd2e', 26, 102, 508, 129, 2), word('$', 26, 141, 39, 164, 3), word('curl', 58, 140, 117, 161, 3)];
    const joins = findJoins(words, 2);
    expect(joins).toHaveLength(1);
    expect(joins[0]!.map((p) => Math.round(p.y))).toEqual([26, 51]);
  });

  it('a next line as tall as the head, though a word of the head\'s row is boxed taller', () => {
    // wild-2903 wrapped-008 (a terminal, Inconsolata 11 px): `API` boxed 31 px high on a row of 18-22,
    // the next line (hex and `-sf1`, no capital) 17: 1.8 times under the row's tallest, so it was not taken.
    const words = [word('$', 26, 59, 37, 77, 1), word('export', 52, 59, 129, 78, 1), word('SPREEFLO', 144, 58, 461, 80, 1), word('API', 262, 54, 304, 85, 1), word('KEY=a3c16f5', 313, 58, 461, 80, 1), word('72b8f3eb60e7f8ad979dcbddc-sfl', 26, 90, 408, 107, 2), word('$', 26, 123, 37, 141, 3), word('curl', 52, 122, 102, 139, 3)];
    // (Only from the row's last head: `$` and `SPREEFLO`, which end the row too, are not joined to it.)
    const joins = findJoins(words, 2);
    expect(joins.map((j) => j.map((p) => [Math.round(p.x), Math.round(p.y)]))).toEqual([[[148, 29], [13, 45]]]);
  });

  it('a next line as tall as the row\'s median word, though the last head is boxed taller', () => {
    // wild-4304 wrapped-003 (a terminal, DejaVu Sans Mono 15 px): `S2` after `KEY=sfk` boxed 55 px
    // high with `API`, on a row of 28-33, over the key's next line of 31.
    const words = [word('$', 27, 71, 41, 99, 1), word('export', 62, 71, 167, 101, 1), word('SPREEFLO', 189, 70, 601, 103, 1), word('API', 348, 53, 404, 108, 1), word('KEY=sfk', 421, 70, 546, 103, 1), word('S2', 563, 53, 606, 108, 1), word('Pq7vT2mWc9Kd4hRz8LbN3xYf6JsA1gEu', 25, 114, 602, 145, 2), word('LY', 27, 156, 60, 181, 3), word('$', 27, 201, 41, 230, 4), word('curl', 63, 200, 131, 225, 4)];
    const joins = findJoins(words, 1);
    expect(joins.length).toBeGreaterThan(0);
    expect(joins.every((j) => j.length >= 2 && Math.round(j[1]!.y) === 114)).toBe(true);
  });

  it('a head ending in a bare `sfk` is read on over its next lines unread', () => {
    // wild-4304 wrapped-009 (a terminal, Inconsolata 11 px): the middle line read in fragments, its tops at x-height.
    const words = [word('$', 26, 28, 35, 43, 1), word('cat', 47, 29, 79, 43, 1), word('$', 26, 60, 35, 75, 2), word('export', 47, 62, 111, 78, 2), word('SPREEFLO_API_KEY=sfk', 124, 60, 343, 77, 2), word('0', 330, 92, 343, 104, 3), word('_rtl', 25, 99, 57, 109, 3), word('phi', 201, 92, 234, 110, 3), word('Hq@7bvvY', 24, 124, 110, 139, 4), word('$', 26, 156, 35, 171, 5), word('curl', 47, 156, 89, 171, 5)];
    const joins = findJoins(words, 1);
    expect(joins).toHaveLength(1);
    // The head, a whole line at the pitch of the nearest word below (92 - 60) and the key's rest on the next.
    expect(joins[0]!.map((p) => [Math.round(p.x), Math.round(p.y)])).toEqual([[110, 60], [26, 92], [26, 124]]);
    expect(joins[0]![1]!.w).toBeGreaterThan(300);
    // No `sfk` ending a line, or one with words of its own starting the next line, joins nothing this way.
    expect(findJoins(words.map((w) => (w.text.endsWith('=sfk') ? { ...w, text: 'SPREEFLO_API_KEY=abc' } : w)), 1)).toEqual([]);
  });

  it('a next line\'s start and size from its first letter or digit on', () => {
    // wild-4301 wrapped-002 (a chat bubble, DejaVu Sans 15 px): the bubble's border read `~` before the
    // v1 key's second line, 16 px left of the bubble's other line and 41 px high on a line of 25.
    const sym = (text: string, x0: number, y0: number, x1: number, y1: number) => ({ text, conf: 90, box: { x0, y0, x1, y1 }, choices: [] });
    const second = { ...word('~b71e0c94fa2d6e3-sf1', 694, 378, 1035, 419, 2), symbols: [sym('~', 694, 378, 705, 419), sym('a', 710, 382, 726, 403), sym('9', 728, 378, 744, 403), sym('1', 1020, 378, 1035, 403)] };
    const words = [word('here', 710, 334, 775, 359, 1), word('you', 786, 340, 839, 365, 1), word('go', 852, 340, 887, 365, 1), word('9d0a5c7e13f84b26d', 899, 334, 1215, 359, 1), second, word('thanks', 1047, 378, 1147, 403, 2)];
    expect(findJoins(words, 1).map((j) => j.length)).toEqual([2]);
    expect(findJoins(words.map((w) => (w === second ? { ...w, symbols: [] } : w)), 1)).toEqual([]);
  });

  it('a key counted whole by the page pass is read with and without a last glyph alone below it', () => {
    // wild-607 wrapped-011 (chat bubble, Open Sans 17 px): the page pass read a glyph too many, and `v thanks` below.
    const words = [word('key:', 61, 314, 123, 351, 4), word('sfk_Ab3dE9k', 141, 314, 363, 351, 4), word('Xy7Qw2Lm5Np8Rs', 59, 362, 343, 399, 5), word('Ht4Vb6Jc1Zd9Gf3', 60, 412, 343, 449, 6), word('v', 60, 470, 77, 491, 7), word('thanks', 90, 462, 203, 491, 7)];
    const joins = findJoins(words, 2);
    expect(joins.map((j) => j.length)).toEqual([3, 4]);
    // (With the rest of its row, whole.)
    expect(Math.round(joins[1]![3]!.y)).toBe(231);
    expect(joins[1]![3]!.x + joins[1]![3]!.w).toBeGreaterThan(203 / 2);
  });

  it('a last piece that does not end its line takes the rest of its row, not the line below', () => {
    // wild-2603 wrapped-010 (docs column, Fira Code 13 px): the key's last line split as `jhFEj` and `reaGoN6`.
    const words = [word('the', 377, 190, 418, 211, 7), word('header:', 429, 190, 525, 211, 7), word('sf', 538, 190, 565, 211, 7), word('k_Ab3dE9kXy7Q', 379, 228, 580, 255, 8), word('w2Lm5Np8RsHt4', 376, 268, 580, 293, 9), word('Vb6Jc', 378, 302, 450, 329, 10), word('1Zd9Gf3', 459, 304, 563, 323, 10), word('with', 377, 340, 430, 361, 11), word('every', 441, 346, 513, 367, 11)];
    const joins = findJoins(words, 2);
    expect(joins).toHaveLength(1);
    expect(joins[0]!.map((p) => Math.round(p.y))).toEqual([95, 114, 134, 151]);
    expect(joins[0]![3]!.x + joins[0]![3]!.w).toBeGreaterThan(563 / 2);
  });

  it('a middle line the page pass split in two still ends its line, and the line below is joined', () => {
    // wild-3201 wrapped-008 (docs column, Inconsolata 11 px): the key's middle line read as two words, `t1pC` beside the first.
    const words = [word('Send', 378, 116, 441, 139, 4), word('the', 449, 116, 488, 139, 4), word('key', 498, 116, 540, 145, 4), word('in', 548, 116, 569, 139, 4), word('the', 577, 116, 615, 139, 4), word('header:', 625, 116, 717, 139, 4), word('sfk_yq', 729, 119, 809, 144, 4), word('Limits', 50, 162, 121, 185, 5), word('1wrA987WsmvQHo8bY1q@PFIYgOF', 379, 160, 777, 185, 6), word('t1pC', 784, 160, 809, 183, 6), word('KVf', 377, 199, 418, 219, 7), word('with', 426, 196, 475, 219, 7), word('every', 484, 202, 553, 225, 7), word('call.', 560, 196, 608, 219, 7)];
    const joins = findJoins(words, 1);
    expect(joins.map((j) => j.map((p) => Math.round(p.y)))).toEqual([[119, 160, 196]]);
    expect(joins[0]![1]!.x + joins[0]![1]!.w).toBe(809);
  });

  it('the words after a key\'s last line are not taken as a split middle line', () => {
    // As above, the key's last line read whole and followed by prose: the chain ends there, as before.
    const words = [word('Send', 378, 116, 441, 139, 4), word('header:', 449, 116, 717, 139, 4), word('sfk_yq', 729, 119, 809, 144, 4), word('1wrA987WsmvQHo8bY1q0PFIYgOFt1pC', 379, 160, 809, 185, 6), word('KVf', 377, 199, 418, 219, 7), word('with', 426, 196, 475, 219, 7), word('every', 484, 202, 553, 225, 7), word('call.', 560, 196, 608, 219, 7), word('Use', 377, 238, 420, 261, 8), word('it', 430, 238, 445, 261, 8)];
    expect(findJoins(words, 1).map((j) => j.length)).toEqual([3]);
  });

  it('the first piece starts a space\'s width left of what the page pass boxed', () => {
    // wild-2311 wrapped-010 (chat bubble, DejaVu Sans Mono 18 px): `stk` boxed from its `f`.
    const words = [word('key:', 670, 754, 802, 824, 5), word('stk', 882, 754, 914, 809, 5), word('Ab3dE9kXy7Qw2Lm5Np8RsHt4Vb', 927, 753, 2087, 826, 5), word('6Jc1Zd9Gf3a', 671, 857, 1141, 928, 6)];
    const joins = findJoins(words, 2);
    expect(joins).toHaveLength(1);
    expect(joins[0]![0]!.x).toBeLessThan(882 / 2 - 20);
  });

  it('a head whose body holds an `sfk`-like run still takes the start split off before it', () => {
    // wild-3001 wrapped-002 (table cell, Noto Sans Mono 14 px at scale 2): `stk`, then the head whose `51x` looks like a start.
    const words = [word('Billing', 138, 234, 299, 297, 3), word('webhook', 344, 238, 573, 282, 3), word('stk', 648, 238, 742, 282, 4), word('Qe7TrV51xLpWmaKdHcYN', 744, 238, 1348, 294, 4), word('2025-03-05', 1430, 239, 1747, 282, 4), word('Gk2sPZbq8UjRo0tFiw4', 646, 321, 1279, 377, 5), word('Old', 136, 454, 223, 498, 6)];
    const joins = findJoins(words, 2);
    expect(joins).toHaveLength(1);
    // (From a space's width left of `stk`, not of the head: the join read `k…` when it started at the head.)
    expect(joins[0]![0]!.x).toBeLessThan(648 / 2);
  });

  it('a last piece split where no space is, a third of a height apart: the rest of its row counts', () => {
    // wild-3002 wrapped-002 (chat bubble, Inconsolata 11 px): `…was sfk` and 9 characters, then `8zk7LOWWj` `IOKM…` below.
    const words = [word('the', 117, 495, 187, 529, 4), word('old', 205, 494, 267, 529, 4), word('one', 286, 504, 364, 529, 4), word('was', 381, 504, 463, 529, 4), word('sfk', 488, 494, 558, 529, 4), word('Hq3TbWcZe', 559, 494, 823, 539, 4), word('4vr9NJUGp', 119, 558, 346, 602, 5), word('KAzX5mdYwoRS7eiBhtF', 359, 558, 832, 602, 5), word('Maya', 2222, 723, 2310, 756, 6)];
    const joins = findJoins(words, 2);
    expect(joins).toHaveLength(1);
    expect(joins[0]![1]!.x + joins[0]![1]!.w).toBeGreaterThan(832 / 2);
  });

  it('a last piece of two letters split off its line: the rest of its row makes it a key\'s middle', () => {
    // wild-2901 wrapped-003 (table cell, Liberation Mono 17 px): `Bj` then `tP1FV…`; the next column's date was read into the key.
    const words = [word('CRM', 126, 276, 222, 320, 3), word('export', 246, 276, 506, 330, 3), word('sfk', 683, 264, 780, 316, 4), word('Qe7TrVaKdHcYNmw2pLx9', 806, 264, 1628, 330, 4), word('2025-03-01', 1728, 270, 2106, 316, 4), word('Bj', 683, 356, 738, 418, 5), word('Gk2sPZbq8UjRo0', 760, 356, 1314, 408, 5), word('Old', 126, 508, 230, 552, 6)];
    const joins = findJoins(words, 2);
    expect(joins).toHaveLength(1);
    expect(joins[0]![1]!.x + joins[0]![1]!.w).toBeGreaterThan(1314 / 2);
  });

  it('a v1 key\'s data centre wrapped after its first digit: the next line\'s digit is joined', () => {
    // wild-3003 wrapped-004 (docs column, DejaVu Sans Mono 17 px): `-sf2` ends a line, `3 with every call.` starts the next.
    const words = [word('hea', 1442, 265, 1557, 318, 4), word('der:', 756, 361, 880, 414, 5), word('7a1c90e2d4b85f36', 914, 361, 1560, 414, 5), word('e0b9d1a4c7f28e55-sf2', 759, 461, 1566, 514, 7), word('3', 757, 562, 789, 614, 8), word('with', 818, 561, 954, 613, 8), word('every', 985, 574, 1171, 627, 8)];
    const joins = findJoins(words, 2);
    expect(joins.map((j) => j.map((p) => Math.round(p.y)))).toEqual([[181, 231, 281]]);
    // (A line starting with a digit that makes no data centre, 10-24, is not the key's.)
    expect(findJoins(words.map((w) => (w.text === '3' ? { ...w, text: '7' } : w)), 2).map((j) => j.length)).toEqual([2]);
  });

  it('joins nothing where lines hold prose or a whole key', () => {
    const words = [word('Send', 378, 154, 437, 173, 6), word('the', 445, 154, 480, 173, 6), word('sfk_ZSXNdrTNulgdOPojL7hXcj70HKXHiP3dcF8u', 489, 154, 980, 179, 6), word('with', 378, 192, 412, 211, 7), word('every', 421, 192, 507, 211, 7)];
    expect(findJoins(words, 2)).toEqual([]);
  });
});
