// Keys wrapped over two or more lines: a chat bubble with `word-break:
// break-all`, a narrow documentation column, a table cell, a terminal at its
// window's width. The key's start ends one line and the rest starts the next
// ones at the box's left edge, broken at any character. Candidate pieces on
// consecutive lines are joined into one strip and read as one line; for a v2
// key the checksum decides which joins are real (see docs/ocr.md, "Wrapped keys").
import type { OcrWord } from './engine.js';
import type { Grey } from './preprocess.js';

/** A piece of a key on one line, in original pixels. */
export interface Piece { x: number; y: number; w: number; h: number }

/**
 * At most this many pieces in a join: a 40-character key over lines of 8 or
 * more characters (the narrowest column of the wild sets held 9 of DejaVu
 * Sans Mono 18 px at 170 px wide).
 */
const MAX_PIECES = 6;
/** Per image, at most this many joins are read: each costs the reads of one region. */
export const MAX_JOINS = 6;
/** Per piece, at most this many next-line pieces are followed. */
const BRANCH = 2;

/** `sfk` as the page pass reads it (pipeline.ts uses it too). */
export const SFK_LIKE = /[s5S$][fktFTl1i|][kKxXh]/;
/**
 * `sfk_` with a glyph read as two before its `_` (`sftk_`, `sfti_`), as
 * findV2 takes it. wild-2603 wrapped-009 (a chat bubble, Liberation Mono 15
 * px): the head read `sftk_DaAg…`, no SFK_LIKE in it, so its three lines were
 * never joined and the picture was not flagged.
 */
export const SFK_SPLIT = /[s5S$]f[^\s_][^\s_]_/;
const PREFIX = new RegExp(`${SFK_LIKE.source}|${SFK_SPLIT.source}`, 'g');

/** An `sfk`-like start followed by a key character or its separator: where a key can begin in a word. */
const PREFIX_AT = new RegExp(`${SFK_LIKE.source}[_\\-.~A-Za-z0-9]|${SFK_SPLIT.source}`);
/**
 * A word that reads like a piece of a key's body rather than prose: a capital or
 * a digit after its first character (six random key characters are all small
 * letters one time in 180).
 */
const KEY_MIDDLE = /.[A-Z0-9]/;
/** A word ending in a bare `sfk`-like prefix (its `_` at most), after nothing or a non-key character (`KEY=sfk`, `"sfk_`, `sfk`). */
const BARE_PREFIX = new RegExp(`(?:^|[^A-Za-z0-9])${SFK_LIKE.source}[_\\-]?$`);
/** A v1 key's hex run with a quote glyph between two of its characters, then its suffix (see joinLooksKeyish). */
const V1_QUOTED = /((?:[^\s'"<>=]|(?<=[^\s'"<>=])['"](?=[^\s'"<>=])){24,})[-–_~][s5S][fFTt1]?([\dlI|])/;
/** Words before a head searched for the key's start (see `lead`): `sfk` and one piece of noise the page pass split off. */
const LEAD_WORDS = 2;

const height = (w: OcrWord) => w.box.y1 - w.box.y0;
const union = (a: OcrWord['box'], b: OcrWord['box']): OcrWord['box'] => ({ x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) });
/**
 * A word's box from its first letter or digit on: a mark the page pass read before a
 * line's text at a chat bubble's edge (`~<hex>-sf1`, wild-4301 wrapped-002, DejaVu
 * Sans 15 px: the bubble's border, its box 16 px left of the bubble's other line and
 * 41 px high on a line of 25) is no part of where the line starts nor of its height.
 */
const keyBox = (w: OcrWord): OcrWord['box'] => {
  const from = /^[^A-Za-z0-9_-]/.test(w.text) ? w.symbols.findIndex((sym) => /^[A-Za-z0-9_-]/.test(sym.text)) : -1;
  return from > 0 ? w.symbols.slice(from).reduce((u, sym) => union(u, sym.box), w.symbols[from]!.box) : w.box;
};

/**
 * Do two words share a row: the shorter's middle is inside the taller's
 * height. (Not a ratio of heights: `use` before a key is half its height.)
 */
function sameRow(a: OcrWord, b: OcrWord): boolean {
  const [lo, hi] = height(a) <= height(b) ? [a, b] : [b, a];
  const mid = (lo.box.y0 + lo.box.y1) / 2;
  return mid > hi.box.y0 && mid < hi.box.y1;
}

/**
 * A run of what the page pass reads a key's characters as: anything but
 * spaces and quotes (`0` comes out `@`, `®` or `¢`, `l` as `|`); the
 * checksum, not this, tells a key.
 */
const KEYISH_RUN = /^[^\s'"<>=]+/;
/** A space between words, in line heights: a word at a gap under it does not end its line (`ends`) nor start one (`starts`); a join's first piece starts that far left, and its last takes the words that near on its right. */
const WORD_GAP = 0.8;

/**
 * Whether the key-ish text of a chain runs over its pieces' boundaries and is
 * long enough for a key: an `sfk`-like start in the first piece and 30 or more
 * key characters from there, or a hex-like run starting in the first piece of
 * 24 or more before a `-s` (the page pass drops and merges glyphs, so the
 * counts are below a key's 40 and 32). `complete`: the key's end is in the
 * chain (its run stops before the chain's end, or holds a key's 36 after its
 * start; a v1 key's
 * `-s<dc>` is there); when not, the chain is worth following one line further.
 * `byLength`: complete only because the run, reaching the chain's end, holds
 * exactly 36; the page pass may have read a glyph too many (see `lone` in
 * findJoins).
 */
export function joinLooksKeyish(texts: string[]): { keyish: boolean; complete: boolean; byLength?: true; dcOpen?: '1' | '2' } {
  const no = { keyish: false, complete: false };
  if (texts.length < 2) return no;
  const head = texts[0]!.length;
  const all = texts.join('');
  for (const m of all.matchAll(PREFIX)) {
    if (m.index >= head) break;
    const run = all.slice(m.index).match(KEYISH_RUN)?.[0] ?? '';
    // (A head holding 40 key characters from the prefix on is a whole key: nothing runs over.)
    if (run.length >= 30 && m.index + run.length > head && head - m.index < 40) {
      const ended = m.index + run.length < all.length;
      // The key's 36 after its start and separator (a terminal's `KEY=sfk` and `qrty…`: the `_` lost, the key whole at 39).
      const body = run.length - m[0].length - (/[_\-.~]/.test(run[m[0].length] ?? '') ? 1 : 0);
      return { keyish: true, complete: body >= 36 || ended, ...(body === 36 && !ended ? { byLength: true as const } : {}) };
    }
  }
  // (Over the boundary with its hex, or only with its suffix: a terminal wrapped `…e851-sf` and `20`.)
  // (One quote glyph between key characters may stand in the hex: the page pass read a table cell's
  // first line `…3b11'¢571`, a glyph garbled, wild-4302 wrapped-006, Liberation Sans 18 px at 2x: the
  // run before `-sf10` on the next line then stopped at the quote, and nothing was joined.)
  const v1 = all.match(/([^\s'"<>=]{24,})[-–_~][s5S][fFTt1]?([\dlI|])/) ?? [all.match(V1_QUOTED)].find((m) => m && (m[1]!.match(/['"]/g)?.length ?? 0) <= 1) ?? null;
  if (v1 && v1.index! < head && v1.index! + v1[0].length > head) {
    // A data centre of one digit ending the chain may be the first of two (10-24), the second
    // starting the next line: `…ab73-sf2` then `3 with every call` (see dcOpen in findJoins).
    const first = v1[2] === '2' ? '2' : /[1lI|]/.test(v1[2]!) ? '1' : null;
    return { keyish: true, complete: true, ...(first && v1.index! + v1[0].length === all.length ? { dcOpen: first } : {}) };
  }
  return no;
}

/**
 * Chains of words on consecutive lines that may be one wrapped key: a word
 * ending its line (nothing within 0.8 of its height to its right: a space in
 * a monospaced font is 0.5-0.65), then the word starting the next line at or
 * left of its start (within the row's own left edge), and so on while each
 * piece again ends its line. Branching is bounded (BRANCH next words per
 * piece, MAX_PIECES, MAX_JOINS); the text must look like a key across the
 * joins (joinLooksKeyish). Pieces in original pixels (`scale`: page pass).
 */
export function findJoins(words: OcrWord[], scale: number): Piece[][] {
  const n = words.length;
  const rowMates = words.map((w, i) => words.flatMap((o, j) => (j !== i && sameRow(o, w) ? [j] : [])));
  // (A word without a letter or digit is no text going on: a table's border read as `=` beside a key's head, wild-607 wrapped-003.)
  const text = words.map((w) => /[A-Za-z0-9]/.test(w.text));
  const ends = words.map((w, i) => !rowMates[i]!.some((j) => text[j] && words[j]!.box.x0 >= w.box.x1 - 1 && words[j]!.box.x0 - w.box.x1 < WORD_GAP * height(w)));
  const starts = words.map((w, i) => !rowMates[i]!.some((j) => text[j] && words[j]!.box.x1 <= w.box.x0 + 1 && w.box.x0 - words[j]!.box.x1 < WORD_GAP * height(w)));
  // The row's left edge: walk left through words of the row at gaps under 1.2
  // heights, and words whose box reaches over the edge found so far: the page
  // pass gave a terminal's `SPREEFLO_API` (wild-2701 wrapped-002) and
  // `SPREEFLO` (wild-2702 wrapped-005) boxes running to the line's end, over
  // the key's head, and the row's edge stopped there, right of the next line's
  // start at the window's edge, so the key's last line was never joined.
  const rowStart = (i: number): number => {
    let x = words[i]!.box.x0;
    for (let moved = true; moved; ) {
      moved = false;
      for (const j of rowMates[i]!) {
        const o = words[j]!;
        if (x - o.box.x1 < 1.2 * height(words[i]!) && o.box.x0 < x) { x = o.box.x0; moved = true; }
      }
    }
    return x;
  };
  /**
   * A word's height as its line's: the tallest of its row's words with text
   * (none taller than 1.5 times their median: a bubble's edge read `I`),
   * when that is taller. A key wrapped right after its `s` leaves a head as
   * tall as an `s` (wild-2311 wrapped-008, Inconsolata 18 px: `s` 21 px high
   * on a row of 29-37, `fk_…` below it 37), and the pitch and size tests
   * below, made in heights of that glyph, then found no next line. Not the
   * median: a row of short words (`the old one was s`, 19-25 px, wild-2607
   * wrapped-002, DejaVu Sans Mono 15 px) has it at 19, and the next line,
   * `fk_c8…` with its `_` and capitals 33 px, was then too tall.
   */
  const rowHeights = (i: number): number[] => [i, ...rowMates[i]!.filter((j) => text[j])].map((j) => height(words[j]!));
  const rowMedian = (i: number): number => {
    const hs = rowHeights(i).sort((a, b) => a - b);
    return hs[hs.length >> 1]!;
  };
  const lineHeight = (i: number): number => {
    const hs = rowHeights(i);
    const median = rowMedian(i);
    return Math.max(height(words[i]!), ...hs.filter((h) => h <= 1.5 * median));
  };
  /** Words starting the line below word i, at or left of its start and not left of `left`; the nearest first. */
  const below = (i: number, left: number): number[] => {
    const w = words[i]!;
    const h = lineHeight(i);
    const cands: number[] = [];
    const lastHead = !rowMates[i]!.some((j) => ends[j] && text[j] && words[j]!.box.x0 > w.box.x0);
    const rowH = rowMedian(i);
    for (let j = 0; j < n; j++) {
      const o = words[j]!;
      if (j === i || !starts[j] || !KEYISH_RUN.test(o.text)) continue;
      const dy = o.box.y0 - w.box.y0;
      // (Sizes as lines too: a key's last glyph alone on its line, `v thanks`, is an x-height high.
      // And, for the row's last head, as the head itself: its row's tallest may be a box the page
      // pass drew too tall, `API` of `SPREEFLO_API_KEY=` at 31 px on a row of 18-22 over a v1 key's
      // hex line of 17, wild-2903 wrapped-008. Only the last: there `$` and `SPREEFLO` ended the row
      // too, and six joins of that one line were read.)
      const unlikeTo = (a: number, ho: number) => Math.max(a, ho) > 1.6 * Math.min(a, ho);
      // (And, for the row's last head too, as the row's median word: the page pass boxed a terminal's
      // `S2`, ending the row after `KEY=sfk`, 55 px high with `API` on a row of 28-33, over the key's
      // next line of 31, wild-4304 wrapped-003: in the head's heights and its line's that was too short.)
      const unlike = (ho: number) => unlikeTo(h, ho) && (!lastHead || (unlikeTo(height(w), ho) && unlikeTo(rowH, ho)));
      const kb = keyBox(o);
      if (dy < 0.6 * h || dy > 2.2 * h || (unlike(kb.y1 - kb.y0) && unlike(lineHeight(j)))) continue;
      if (kb.x0 < left - 0.5 * h || o.box.x0 > w.box.x0 + 0.5 * h) continue;
      cands.push(j);
    }
    // The nearest line first, then the rightmost start (the key's own box, not the page's margin).
    return cands.sort((a, b) => words[a]!.box.y0 - words[b]!.box.y0 || words[b]!.box.x0 - words[a]!.box.x0).slice(0, BRANCH);
  };
  /**
   * The words before a head that hold the key's `sfk`-like start, when the head
   * lacks it: the page pass splits a key where its `_` is lost (`stk` then
   * `LcBd2gjp8Ks` at the line's end, the rest on the next line). Leftwards
   * through words of the row at gaps under 0.8 heights (a lost glyph or a
   * space), at most LEAD_WORDS, and only up to the first that gives a start.
   * A head that holds an `sfk`-like run only inside (a key's body: `…V51xJ…`,
   * wild-3001 wrapped-002, a table cell) lacks it too: the join was read from
   * the head, its `sf` cut off (`k LU4M…`), and no key came of it.
   */
  const lead = words.map((w, i): number[] => {
    if (PREFIX_AT.exec(w.text)?.index === 0) return [];
    const taken: number[] = [];
    for (let at = i; taken.length < LEAD_WORDS; ) {
      const x0 = words[at]!.box.x0;
      const prev = rowMates[i]!.filter((j) => words[j]!.box.x1 <= x0 + 1 && x0 - words[j]!.box.x1 < WORD_GAP * height(w)).sort((a, b) => words[b]!.box.x1 - words[a]!.box.x1)[0];
      if (prev === undefined) return [];
      taken.unshift(prev);
      at = prev;
      const before = taken.map((k) => words[k]!.text).join('');
      if ((PREFIX_AT.exec(before + w.text)?.index ?? Infinity) < before.length) return taken;
    }
    return [];
  });
  /**
   * The words glued on to a next piece's right (a gap under a fifth of its
   * height: no space between them), which belong to it: the page pass splits
   * a line of a key where nothing separates its glyphs (wild-2604 wrapped-003,
   * DejaVu Sans Mono 14 px: `fk` then `_06HG…` on the line after the head
   * `s`), and the piece ended at `fk`, which does not end its line, so the
   * key's last line was never followed and nothing was joined.
   */
  const rightOf = (i: number, gap: number): number[] => {
    const taken: number[] = [];
    for (let x1 = words[i]!.box.x1; ; ) {
      const next = rowMates[i]!.filter((j) => !taken.includes(j) && words[j]!.box.x0 >= x1 - 1 && words[j]!.box.x0 - x1 < gap * height(words[i]!)).sort((a, b) => words[a]!.box.x0 - words[b]!.box.x0)[0];
      if (next === undefined) return taken;
      taken.push(next);
      x1 = Math.max(x1, words[next]!.box.x1);
    }
  };
  const glued = words.map((_, i) => rightOf(i, 0.2));
  /**
   * A next piece's line the page pass split in two where a glyph stood apart
   * or was lost (`1wrA987W…gOF` and `t1pC`, wild-3201 wrapped-008, a docs
   * column in Inconsolata 11 px; `Ger` and `MiMI…`, wild-3002 wrapped-008, a
   * chat bubble in Roboto 11 px): alone the piece did not end its line, so
   * the key's next line was never joined. The words on its right at gaps
   * under a space (WORD_GAP) to the line's end belong to it when each reads
   * like a key's middle (KEY_MIDDLE; the prose after a key's last line,
   * `with every call.`, does not); otherwise only the glued ones.
   */
  const middleish = (j: number) => KEY_MIDDLE.test(words[j]!.text) && KEYISH_RUN.exec(words[j]!.text)?.[0].length === words[j]!.text.length;
  const lineRest = words.map((_, i): number[] => {
    const rest = rightOf(i, WORD_GAP);
    return rest.length && ends[rest[rest.length - 1]!] && rest.every(middleish) ? rest : glued[i]!;
  });
  /** A piece's words: the head with the start split off before it, a next piece with the rest of its line (lineRest). */
  const pieceWords = (k: number, idx: number): number[] => (idx === 0 ? [...lead[k]!, k] : [k, ...lineRest[k]!]);
  const textOf = (chain: number[]): string[] => chain.map((k, idx) => pieceWords(k, idx).map((j) => words[j]!.text).join(''));
  const joins: number[][] = [];
  const walk = (chain: number[]): void => {
    let look = joinLooksKeyish(textOf(chain));
    const last = chain[chain.length - 1]!;
    // A line in the middle of a key is key characters from edge to edge.
    const inPiece = pieceWords(last, chain.length - 1);
    const through = chain.length === 1 || (ends[inPiece[inPiece.length - 1]!]! && inPiece.every((j) => KEYISH_RUN.exec(words[j]!.text)?.[0].length === words[j]!.text.length));
    /**
     * A last piece the page pass split where no space is, a third of a height
     * apart (`8zk7LOWWj` `IOKM…`, wild-3002 wrapped-002, a chat
     * bubble in Inconsolata 11 px; glued takes a fifth): alone it neither ends
     * its line nor makes the key, so nothing was joined and only the head was
     * flagged; `Bj` then `tP1FV…` (wild-2901 wrapped-003, a table cell, Liberation
     * Mono 17 px): the date of the next column was read into the key. The words
     * that keep it from ending its line count too, as the join's read takes them,
     * when with them it reads like a key's middle (KEY_MIDDLE).
     */
    if (!look.keyish && chain.length > 1 && !through) {
      const texts = textOf(chain);
      texts[texts.length - 1] += rightOf(inPiece[inPiece.length - 1]!, WORD_GAP).map((j) => words[j]!.text).join('');
      const wide = joinLooksKeyish(texts);
      if (wide.complete && KEY_MIDDLE.test(texts[texts.length - 1]!)) look = wide;
    }
    const more = !look.complete && chain.length < MAX_PIECES && through;
    const left = chain.length === 1 ? rowStart(last) : words[last]!.box.x0;
    const next = more ? below(last, left) : [];
    /**
     * A key counted whole only by its length may still lack its last glyph,
     * alone on the next line, when the page pass read one glyph too many
     * (`Z116G` for `Z1iG`, `sftk_`): wild-607 wrapped-011 and wild-2702
     * wrapped-004 (chat bubbles, `v thanks` and `b thanks` below the key),
     * wild-2603 wrapped-006 and wild-2702 wrapped-002 (table cells, `Y` and `J`
     * alone). The chain is read with that glyph (or two) and without it; the
     * checksum tells which.
     */
    const lone = look.byLength && chain.length < MAX_PIECES && through ? below(last, left).filter((j) => /^[A-Za-z0-9]{1,2}$/.test(words[j]!.text)) : [];
    if (lone.length && joins.length < MAX_JOINS) joins.push(chain);
    /**
     * A v1 key whose line ends at `-sf1` or `-sf2` may have its data centre's second digit
     * on the next line (`…ab73-sf2` then `3 with every call`, wild-3003 wrapped-004, a docs
     * column; `…86ac-sf2` then `1` alone, wild-3004 wrapped-002, a table cell): the chain
     * was complete at `-sf2`, and the key was reported with data centre 2. A next line
     * starting with a digit that makes a data centre (10-24) is taken into the chain instead.
     */
    const dc = look.dcOpen && chain.length < MAX_PIECES && through ? below(last, left).filter((j) => /^\d/.test(words[j]!.text) && Number(look.dcOpen! + words[j]!.text[0]) <= 24) : [];
    const before = joins.length;
    for (const j of [...next, ...lone, ...dc]) if (joins.length < MAX_JOINS) walk([...chain, j]);
    // A key-ish chain that no longer one reads further is a join of its own;
    // when its key still lacks its end and no word starts the next line, that
    // line is taken anyway (the page pass drops a lone glyph: `T`, the last of
    // a key, on a line of its own), unless its last piece does not end its
    // line: the key goes on in that row (see the last piece below).
    if (look.keyish && !lone.length && joins.length === before && joins.length < MAX_JOINS) joins.push(look.complete || next.length || chain.length >= MAX_PIECES || !through ? chain : [...chain, -1]);
  };
  /** Heads ending in a bare `sfk` (or `sfk_`) from which no chain was found: read on their next lines unread (`bareLines`). */
  const bare: number[] = [];
  for (let i = 0; i < n && joins.length < MAX_JOINS; i++) {
    // A line's last word that ends in key characters: a key's start, `s` of `sfk` or one hex digit at least.
    const before = joins.length;
    if (ends[i] && /[^\s.,:'"]$/.test(words[i]!.text)) walk([i]);
    // (Only where no word starts the next line below it: words there that make no key with the head are
    // a column's prose, `sfk_` then `with` `ever` `y ca` in a docs column three glyphs wide, bare-4351.)
    if (joins.length === before && ends[i] && BARE_PREFIX.test(words[i]!.text) && !below(i, rowStart(i)).length) bare.push(i);
  }
  /**
   * A key wrapped right after its `sfk` (a terminal at its window's width: `…_KEY=sfk`
   * ending the line, the body on the next two or three): the page pass read the middle
   * line in fragments (`_rtl`, `phi`, `0`, their tops at x-height, wild-4304 wrapped-009,
   * Inconsolata 11 px) or not at all, so no word started the next line at its pitch and
   * nothing was joined; the picture was not flagged. The lines below are taken unread
   * (as `unread`), at the pitch of the nearest word below (its line's top: the least top
   * of the words there) and as wide as the head's row (its left edge to the head's end),
   * as many as the key's 36 characters need at the head's character width, the last one
   * as wide as what is left; none when that is more than MAX_PIECES - 1 lines (a column
   * under 8 characters wide). Encoded as -1, -2, … (the line's number below the head).
   */
  const bareGeometry = new Map<number, { pitch: number; left: number; charW: number; perLine: number; need: number; h: number }>();
  const bareLines = (i: number): number[] => {
    const w = words[i]!;
    const h = lineHeight(i);
    const left = rowStart(i);
    const tops = words.filter((o) => o.box.y0 - w.box.y0 > 0.6 * h && o.box.y0 - w.box.y0 <= 2.2 * h && o.box.x1 > left && o.box.x0 < w.box.x1).map((o) => o.box.y0);
    if (!tops.length) return [];
    const pitch = Math.min(...tops) - w.box.y0;
    const charW = (w.box.x1 - w.box.x0) / Math.max(1, w.text.length);
    const perLine = Math.max(1, Math.floor((w.box.x1 - left) / charW));
    const need = /[_-]$/.test(w.text) ? 36 : 37;
    const lines = Math.ceil(need / perLine);
    if (lines > MAX_PIECES - 1) return [];
    bareGeometry.set(i, { pitch, left, charW, perLine, need, h });
    return Array.from({ length: lines }, (_, k) => -(k + 1));
  };
  /** The `k`-th line (1, 2, …) below a bare head `i`, as `bareLines` measured it. */
  const bareLine = (i: number, k: number): OcrWord['box'] => {
    const g = bareGeometry.get(i)!;
    const w = words[i]!;
    const chars = Math.min(g.perLine, g.need - (k - 1) * g.perLine);
    const y0 = w.box.y0 + k * g.pitch;
    return { x0: g.left, y0, x1: g.left + chars * g.charW, y1: y0 + g.h };
  };
  for (const i of bare) {
    const lines = bareLines(i);
    if (lines.length && joins.length < MAX_JOINS) joins.push([i, ...lines]);
  }
  /** The next line's start below a chain's last piece, as wide as the rest of a key at its pitch: the piece the page pass did not read. */
  const unread = (chain: number[]): OcrWord['box'] => {
    const last = words[chain[chain.length - 2]!]!;
    const prev = chain.length >= 3 ? words[chain[chain.length - 3]!]! : undefined;
    const h = height(last);
    const pitch = prev ? last.box.y0 - prev.box.y0 : 1.45 * h;
    const left = prev ? last.box.x0 : rowStart(chain[0]!);
    const charW = (last.box.x1 - last.box.x0) / Math.max(1, last.text.length);
    const chars = textOf(chain.slice(0, -1)).reduce((a, t) => a + t.length, 0);
    return { x0: left, y0: last.box.y0 + pitch, x1: left + Math.max(2, 42 - chars) * charW, y1: last.box.y1 + pitch };
  };
  return joins.map((chain) => chain.map((k, idx) => {
    const inPiece = k < 0 ? [] : pieceWords(k, idx);
    const lastOf = inPiece[inPiece.length - 1]!;
    // A last piece that does not end its line takes the words that kept it
    // from ending it (gaps under 0.8 heights, as `ends`), whole: the rest of
    // the key the page pass split off where two glyphs stand apart (`jhFEj`
    // and `reaGoN6` a third of a height apart, wild-2603 wrapped-010, Fira
    // Code 13 px: the join read only `jhFEj`, then the prose below), or the
    // words after the key. Cut 1.5 heights on, `with` became `wi`, read with
    // no space before it and run into the key (`…7kbOwi`, wild-2604
    // wrapped-003; `…jJGwi`, wild-2607 wrapped-006); whole, the space is read.
    if (idx === chain.length - 1 && idx > 0 && k >= 0 && !ends[lastOf]) inPiece.push(...rightOf(lastOf, WORD_GAP));
    const b = k < 0 ? (bareGeometry.has(chain[0]!) ? bareLine(chain[0]!, -k) : unread(chain)) : inPiece.reduce((u, j) => union(u, words[j]!.box), words[k]!.box);
    const h = b.y1 - b.y0;
    // The last piece goes on a little to its right: what follows the key (so it ends at a space), or the rest the page pass split off.
    const x1 = idx === chain.length - 1 ? b.x1 + 1.5 * h : b.x1;
    // The first starts a space's width (0.8 heights, as `ends`) left of its
    // words: the page pass boxed wild-2311 wrapped-010's `stk` from its `f`,
    // and the join read `fk_…`, no key's start.
    const x0 = idx === 0 ? b.x0 - WORD_GAP * h : b.x0;
    return { x: x0 / scale, y: b.y0 / scale, w: (x1 - x0) / scale, h: h / scale };
  }));
}

/** Where a strip's columns came from: from strip column `x0`, `w` columns of the crop at (`sx`, `sy`) of the original. */
export interface Origin { x0: number; sx: number; sy: number; w: number }

/**
 * Several pieces side by side as one line: each cropped on a band two line
 * heights tall around it and prepared by `prepare` (given the band of its own
 * line: dark-on-light and the neighbouring lines blanked, as for a region),
 * then placed on white a tenth of a line apart (a glyph's spacing, not a
 * word's), so the key reads as one word.
 */
export function stitch(cut: (x: number, y: number, w: number, h: number) => Grey, pieces: Piece[], prepare: (crop: Grey, band: { from: number; to: number }) => Grey): { strip: Grey; origins: Origin[] } {
  const lineH = Math.max(...pieces.map((p) => p.h));
  const bandH = Math.ceil(lineH * 2);
  const gap = Math.max(1, Math.round(lineH * 0.1));
  const crops = pieces.map((p) => {
    const cy = p.y + p.h / 2 - bandH / 2;
    const oy = Math.max(0, Math.floor(cy));
    const band = { from: cy + bandH / 2 - lineH * 0.75 - oy, to: cy + bandH / 2 + lineH * 0.75 - oy };
    return { grey: prepare(cut(p.x - 1, cy, p.w + 2, bandH), band), ox: Math.max(0, Math.floor(p.x - 1)), oy };
  });
  const width = crops.reduce((a, c) => a + c.grey.width, 0) + gap * (crops.length - 1);
  const h = Math.max(...crops.map((c) => c.grey.height));
  const data = new Uint8Array(width * h).fill(255);
  const origins: Origin[] = [];
  let x = 0;
  for (const c of crops) {
    for (let y = 0; y < c.grey.height; y++) data.set(c.grey.data.subarray(y * c.grey.width, (y + 1) * c.grey.width), y * width + x);
    origins.push({ x0: x, sx: c.ox, sy: c.oy, w: c.grey.width });
    x += c.grey.width + gap;
  }
  return { strip: { data, width, height: h }, origins };
}
