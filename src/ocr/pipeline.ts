// One image, start to end: decode, a page pass to find lines that may hold a
// key, then close-up re-reads of those regions, then the checksum-guided search.
import { type Grey, type Style, type TileStats, crop, decode, isolateLine, mayShowText, normalizeBars, normalizeCrop, normalizeStretches, pageView, pageViewCrop, rotateGrey, skewAngle, tileStats, toPng } from './preprocess.js';
import { COLLECT_AFTER_PIXELS, collectGarbage } from './memory.js';
import { type Choice, type Engines, type OcrWord, type Box as OcrBox, read } from './engine.js';
import type { Worker } from 'tesseract.js';
import { type Slot, type Sym, ALONE_SURE, V2_ALPHABET, SEARCH_BUDGET, OFFERED_CONF, lookalikes, pool, searchV2, voteDc, voteV1, toHex, withAlone, withAny, withoutOffers } from './correct.js';
import { BASE62, isValidV2Key } from '../detect/checksum.js';
import { INK_BELOW, type SameGlyphs, glyphLikeness, inkShape, lineFit, monospaceCells, keyCopies, looseCopies, sameGlyphs } from './glyphs.js';
import { type Piece, SFK_LIKE, SFK_SPLIT, findJoins, stitch } from './wrap.js';
import type { ImageCandidate, ImageResult } from './types.js';
import { editDistance } from '../edit-distance.js';
import { NO_TEXT } from '../formats/image-header.js';

type Box = ImageCandidate['box'];

/** Strings tested per search after each read, and per region in all (SEARCH_BUDGET for the last search). */
const STEP_BUDGET = 1 << 17;
export const REGION_BUDGET = 1 << 23;
/**
 * Past REGION_BUDGET a key whose checksum holds is no proof (one string in
 * 2^7 that is not the key passes at 2^25), but still a far better `low` than
 * the best reading, which is wrong wherever the searches failed. Measured on
 * the 17 regions of the nine dev seeds' photo and recompressed v2 misses that
 * reached the search with the glyphs read alone (quiet replay): 2 true keys at
 * 2^24 (wild-1301 recompressed-007, wild-2417 recompressed-006), 3 at 2^25
 * (and wild-2607 photo-004) and the same 3 at 2^26, none false; 126, 209 and
 * 375 ms a region.
 */
const LOW_BUDGET = 1 << 25;

/**
 * Past the bound, what any character costs over a slot's cheapest in the last search
 * (searchPastBound). Replayed on the 79 regions of the 65 readable v2 keys main left wrong
 * on the 20 wild sets (bench/ocr/far-replay.ts, 2^25): 1 finds 6 true keys and a string
 * that is not the key, 3 finds 7 and nothing false, 5 finds 4 (on the first 45 regions, 2
 * finds the same 4 as 3, 4 only 1): a dear wildcard is reached too late, a cheap one crowds
 * out the look-alikes (bench/README.md, h25rec).
 */
export const ANY_COST = 3;

/**
 * The close-up reads of a region, tried in order until its keys are resolved:
 * the height (px) the text is scaled to, which normalisation (`local`: the
 * crop on its own, see normalizeCrop; else the page's tile-wise one) and how
 * it is rendered (see Style). Different views make different mistakes.
 */
const VIEWS: { target: number; local: boolean; style: Style }[] = [
  { target: 34, local: false, style: 'plain' },
  { target: 30, local: true, style: 'plain' },
  { target: 46, local: false, style: 'bold' },
  { target: 58, local: true, style: 'plain' },
];

/**
 * The last close-up of a region whose v2 key is still not proven: 30 px, each
 * stretch of the line's background normalised on its own (normalizeStretches),
 * when the line has more than one. Its reading counts only if with it the key's
 * checksum holds within the region's bound, not guessed: read among the views,
 * its reading changed what the glyphs read alone and the search past the bound
 * found (wild-2311 occluded-010 lost its `high`, wild-2607 photo-004 its exact `low`).
 */
const STRETCHES_TARGET = 30;

/**
 * Text heights (px) of the legacy engine's close-ups of a v1 key (page
 * normalisation, plain, hex whitelist). The legacy classifier reads glyph by
 * glyph, so it does not share the LSTM's consistent misreads (`6` as `b`, `4`
 * as `d`); see voteV1. (For v2 keys its readings resolved none of the dev
 * sets' misses, so they are not read.)
 */
const LEGACY_TARGETS = [34, 46, 58];

const ALNUM = /[A-Za-z0-9]/;

/**
 * Tilts (degrees) from which a page is turned straight before it is read:
 * see docs/ocr.md ("Tilted pages") for what the unrotated sets measure.
 */
export const MIN_SKEW = 0.5;

/** Punctuation a key character is sometimes read as, and the characters it then stands for. */
const PUNCT_AS: Record<string, string> = { ')': 'Jj', ';': 'jJ', '(': 'Cc', '|': 'lI1', '[': 'lI', ']': 'Jl', '!': 'l1', '{': 'f', '}': 'J', '$': 'S5', '/': 'l', '\\': 'l' };

/**
 * Other punctuation that, inside a key, is a glyph misread (not a separator
 * such as `_`, `-`, `/`). `=` too: it separates a name from a key
 * (`KEY=sfk_…`), never a key's body, and a blurred `e` is read as it
 * (wild-606 recompressed-004, every view). `<` is a terminal's block cursor
 * over a glyph, read together with the glyph after it (wild-3404
 * occluded-009): the key then reads 35, and the search puts the lost one
 * back.
 */
const LOST_AS = `:,.'"\`~=<`;

/** Close-up reads only choose among key characters and the punctuation around keys. */
const V1_WHITELIST = '0123456789abcdef-s ';
const CROP_WHITELIST = `0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-.:;,="'()[]{}<>/$`;

/** `sfk` as the page pass reads it (`s1k` at 11 px). */
const V2_PREFIX_LIKE = SFK_LIKE;

/** A word that starts like `sfk_`, underscore included: the rest of the key may be the next words. */
const V2_PREFIX_WORD = new RegExp(`^${V2_PREFIX_LIKE.source}_`);
/**
 * A word that is `sfk`-like and nothing else (prefixAlone), after up to two punctuation marks: a key
 * quoted in code is read with its quote in the prefix's word (wild-3903 photo-006, an editor
 * photographed: `“sfk`, its `_` lost, the body as words of 2-11; no region, only the final look's `low`).
 */
const V2_PREFIX_ALONE = new RegExp(`^[^A-Za-z0-9]{0,2}${V2_PREFIX_LIKE.source}$`);

/** Does a page-pass word look like it could be (part of) a key? */
export function keyish(text: string): boolean {
  const t = text.replace(/[^A-Za-z0-9_\-|$.]/g, '');
  if (V2_PREFIX_WORD.test(t)) return true;
  if (t.length < 12) return false;
  const run = longestRun(t).length;
  if (V2_PREFIX_LIKE.test(t) && run >= 8) return true;
  return run >= 14;
}

/**
 * A word that is `sfk` alone, its `_` lost, with the key's body right after
 * it on its row: one word with a run of 8 or more letters and digits
 * (wild-606 photo-002: `stk` then `m6cly@9agsyTGT-QlLKqFWG7Bapy`, no run of
 * 14), or shorter words holding 8 together with a digit or a capital inside
 * a word (wild-1203 recompressed-005, white on a blue bubble at 0.8x: `sTk TR
 * TGA IN JES TRS ae a2k`). Prose after `six` or `Stk` has neither. The words
 * after it may be tesseract's lines of their own (as in findRegions' rows),
 * at gaps as wide as what the key still lacks at the prefix's pitch: the page
 * pass dropped most of a 9 px key in a table cell (wild-2802 recompressed-001:
 * `sfk`, nine glyphs of nothing, two letters, a sliver, a word of 12, each a line).
 */
function prefixAlone(words: OcrWord[], i: number): boolean {
  const w = words[i]!;
  if (!V2_PREFIX_ALONE.test(w.text)) return false;
  let after = '';
  for (const o of rowAfter(words, i, w, w.text.length, () => after)) {
    if (!after && longestRun(o.text).length >= 8) return true;
    after += ` ${o.text}`;
    if (after.replace(/[^A-Za-z0-9]/g, '').length >= 8) return /[0-9]|[A-Za-z0-9][A-Z]/.test(after);
  }
  return false;
}

/**
 * The words after a prefix `w` (`head` of its glyphs the key's) in its row,
 * at gaps as wide as what the key still lacks at the prefix's pitch (a whole
 * key is `sfk_` and 36; `taken`: what was read of it so far), passing over
 * ROW_SKIP words of other rows. `keyRunPast`: a word past a gap of 1.2
 * heights or more, or of another of tesseract's lines, must hold a key's
 * run (keyRun): a masked key shows 4 of its own after its mask (wild-3102
 * wrapped-002), and its mask may be read as a word of a few letters
 * repeated, in the row's next line (wild-3201 photo-004: `sfk_UK1d`, then
 * 11 letters of 5 kinds, then `iD1b"`).
 */
function* rowAfter(words: OcrWord[], i: number, w: OcrWord, head: number, taken: () => string, keyRunPast = false): Generator<OcrWord> {
  const h = w.box.y1 - w.box.y0;
  const pitch = (w.box.x1 - w.box.x0) / w.text.length;
  let prev = w;
  for (let j = i + 1, skipped = 0; words[j] && skipped <= ROW_SKIP; j++) {
    const o = words[j]!;
    if (!inRowOf(w, o)) { skipped++; continue; }
    const lacking = 40 - head - taken().replace(/[^A-Za-z0-9]/g, '').length;
    const gap = o.box.x0 - prev.box.x1;
    if (gap >= Math.max(1.2 * h, lacking * pitch) || (keyRunPast && (gap >= 1.2 * h || o.line !== w.line) && !keyRun(o.text))) return;
    yield o;
    prev = o;
  }
}

/** The longest run of letters and digits in `text`. */
function longestRun(text: string): string {
  return (text.match(/[A-Za-z0-9]+/g) ?? []).reduce((a, b) => (b.length > a.length ? b : a), '');
}

/** Does `text` hold PARTIAL_MIN key characters in a row that are no mask (half as many kinds as it is long, as partialV2 asks)? */
function keyRun(text: string): boolean {
  const run = longestRun(text);
  return run.length >= PARTIAL_MIN && new Set(run).size * 2 >= run.length;
}

/** Words of other rows passed over after a prefix (prefixAlone): wild-2802 recompressed-001's sliver of a glyph, read as a line of its own. */
const ROW_SKIP = 1;

/** Is `o` in `w`'s row: its line, or overlapping it by half of the shorter, neither 1.5 times taller. */
function inRowOf(w: OcrWord, o: OcrWord): boolean {
  if (o.line === w.line) return true;
  const h = w.box.y1 - w.box.y0;
  const ho = o.box.y1 - o.box.y0;
  return Math.max(h, ho) <= 1.5 * Math.min(h, ho) && Math.min(o.box.y1, w.box.y1) - Math.max(o.box.y0, w.box.y0) >= Math.min(h, ho) / 2;
}

/**
 * The last resort, for a picture no rule flagged: key characters after an
 * `sfk`-like start, at least this many on its line (words at gaps under 1.2
 * heights), a digit or a capital inside a word among them (prose after `six`
 * or `Stk` has neither), and not a mask (half as many different characters as it is
 * long, as partialV2 asks). wild-2417 occluded-011 (Inconsolata 16 px, a
 * selection over 20 characters): the page pass read `sfk` `RtvUR|`, then
 * nothing until the key's last 12; no region, so no close-up, and the picture
 * was not flagged. Five: what was read there.
 */
export const LAST_RESORT_MIN = 5;
const PREFIX_AT_WORD = new RegExp(`(?<![A-Za-z0-9])(?:${SFK_SPLIT.source}|${SFK_LIKE.source})`);
/**
 * The prefix read short: `sf` alone as a word, its `k_` lost (wild-2903
 * photo-010, Inconsolata 11 px in a blurred photo: `“sf` `90R1…` …), or
 * read as punctuation before its `_` (wild-2901 occluded-010, Roboto 11 px
 * white on a chat bubble, a text cursor in the key: `~_AHqT…`).
 * Neither is SFK_LIKE, so neither picture was flagged. With so little of the
 * prefix, SHORT_PREFIX_MIN key characters must follow (the two read 32 and
 * 35), a digit and a capital among them (20 base62 characters lack a
 * capital 1 time in 53,000, a digit 1 in 34: (36/62)^20, (52/62)^20), after a bare `_` in the same
 * word (a JSON `"_id": "<hex>"` has its id in the next word). Not after a
 * dash: a v1 suffix `-sf12` is no v2 prefix.
 */
export const SHORT_PREFIX_MIN = 20;
const SHORT_PREFIX = /^(?:[^A-Za-z0-9-]?[s5S$]f$|[^A-Za-z0-9_-]{1,2}_(?=[A-Za-z0-9]))/;
/**
 * The prefix with its `k` read as a glyph SFK_LIKE does not take, its `s`,
 * `f` and `_` read (wild-3401 rotated-008, Inconsolata 11 px turned 1.2
 * degrees: `sfi_<8>` `<9>` `Spy` `<14>` `3` on one line, no region, nothing
 * flagged). SFK_LIKE's first two glyphs, then any; counted as a short
 * prefix, SHORT_PREFIX_MIN characters after it. Or the `k` lost, `sf_` (its
 * `f` read as such): wild-3803 photo-004 (Roboto 11 px, a photographed
 * settings dialog, keystone 3.9%): the page pass `sf_<29>` `1` `TDVUS`, the
 * close-ups `sh_`, `s0_`, `s_` and 29-32 key characters; nothing flagged.
 */
const K_MISREAD = /^[s5S$](?:[fktFTl1i|][^\s_]|f)_(?=[A-Za-z0-9])/;

/**
 * An `sfk`-like start in the page reading with LAST_RESORT_MIN key characters after it (SHORT_PREFIX_MIN after a short one): what was read, as a `low` key.
 * `loose` (the final look, see recognizeGrey): also after K_MISREAD, the key's words read on past a gap
 * in its row as wide as what it lacks (rowAfter) and, when nothing of it follows the prefix on its line,
 * on the next line if the line wraps there (wrapsTo).
 */
export function keyShapedStart(words: OcrWord[], loose = false): { key: string; box: OcrBox } | null {
  for (let i = 0; i < words.length; i++) {
    const wrapped = wrappedAfterS(words, i);
    const w = wrapped ?? words[i]!;
    const alone = w.text.match(SHORT_PREFIX);
    const whole = alone ? null : w.text.match(PREFIX_AT_WORD);
    const short = alone ?? (whole || !loose ? null : w.text.match(K_MISREAD));
    const m = short ?? whole;
    if (!m) continue;
    const at = wrapped ? i + 1 : i;
    const h = w.box.y1 - w.box.y0;
    let after = w.text.slice(m.index! + m[0].length);
    let box = w.box;
    const take = (o: OcrWord) => {
      after += ` ${o.text}`;
      box = union(box, o.box);
    };
    const ownWord = !!alone && alone[0].endsWith('_');
    if (loose && !ownWord) for (const o of rowAfter(words, at, w, m[0].length, () => after, true)) take(o);
    for (let j = at + 1, prev = w; !loose && !ownWord && words[j] && words[j]!.line === w.line && words[j]!.box.x0 - prev.box.x1 < 1.2 * h; prev = words[j]!, j++) take(words[j]!);
    // A key wrapped right after its prefix (wild-3602 wrapped-004, a terminal: `…_KEY=sfk` ends its line, its `_` lost).
    if (loose && !alone && !ALNUM.test(after) && wrapsTo(words, at) && keyRun(words[at + 1]!.text)) {
      const next = words[at + 1]!;
      take(next);
      for (const o of rowAfter(words, at + 1, next, m[0].length, () => after, true)) take(o);
    }
    const chars = after.replace(/[^A-Za-z0-9]/g, '');
    const mixed = short ? /[0-9]/.test(chars) && /[A-Z]/.test(chars) : /[0-9]|[A-Za-z0-9][A-Z]/.test(after);
    // (A mask read as letters repeats a few, as partialV2 tells it: wild-2603 occluded-003's `sfk_SoyNeseeseeser…`.)
    if (chars.length >= (short ? SHORT_PREFIX_MIN : LAST_RESORT_MIN) && mixed && new Set(chars).size * 2 >= chars.length) return { key: `sfk_${chars.slice(0, 36)}`, box };
  }
  return null;
}

/**
 * A key wrapped right after its `s`: the `s` alone ends its line, `fk_…`
 * starts the next at or left of it, within 2.2 of the `s`'s line heights
 * below (as findJoins follows a wrap). As one word on the next line, so
 * the words after it on that line are read on with it. The wrap joins take
 * such keys (wild-2311 wrapped-008, wild-2607 wrapped-002, wild-2604
 * wrapped-003) when the lines after read as a key; wild-3002 wrapped-008 (a
 * chat bubble, Roboto 11 px) read its third line as two words and was not
 * joined, and its head alone had no `sfk`-like start.
 */
function wrappedAfterS(words: OcrWord[], i: number): OcrWord | null {
  const [s, next] = [words[i]!, words[i + 1]];
  if (!next || !/^[s5S$]$/.test(s.text) || !/^[fktFTl1i|][kKxXh]_/.test(next.text) || !wrapsTo(words, i)) return null;
  return { ...next, text: s.text + next.text };
}

/** Does word `i` end its line with the next line starting at or left of it, within 2.2 of its line's heights below (as findJoins follows a wrap)? */
function wrapsTo(words: OcrWord[], i: number): boolean {
  const [w, next] = [words[i]!, words[i + 1]];
  if (!next || next.line === w.line) return false;
  const h = Math.max(...words.filter((o) => o.line === w.line).map((o) => o.box.y1 - o.box.y0));
  const dy = next.box.y0 - w.box.y0;
  return dy > 0 && dy <= 2.2 * h && next.box.x0 <= w.box.x0;
}

/**
 * A v1 key under a tooltip that hides its `-sf<dc>` (wild-2903 occluded-002
 * and -007) or its middle and the suffix's start (wild-606 occluded-003,
 * wild-1301 occluded-005): no rule above finds a suffix, and what is left, a
 * run of lowercase hex, is what a hash or an id shows too, so the run alone
 * flags nothing. It is flagged `low`, noted as partly hidden, only on three
 * pieces of evidence read together: 12 to 34 hex digits (a CRC or a short
 * commit id is 7-8; a key's 32 with an `l` or an `O` read in it, at most 3,
 * counted) ending a word that a `Copy`/`Copied` tooltip's text follows at
 * once on its line (the overlay, read); a key named on that line before the
 * run or above it within ABOVE_REACH of its heights (`SPREEFLO_API_KEY=`,
 * `Authorization: Bearer`; a settings dialog's `Copy your new key now` over
 * its field, 606 occluded-003: its bottom 1.5 of the run's heights above it,
 * with an icon's line read between; wild-3001 occluded-002, the same dialog in
 * a taller field: 2.5; a line three below a label is no field of it); and no hash named on its line (the words for which
 * the v1 rule lowers a key's confidence). A commit's SHA or a digest under the
 * same tooltip has no key named beside it. The page pass reads the tooltip's
 * edge and the key's last half-covered glyph as a stray short word between
 * the run and the tooltip's text, and that text without its `C` or run into
 * `to` (wild-3001 occluded-002, Fira Code 14 px: `…d358` `el` `—opied`;
 * wild-3002 occluded-008, Fira Code 11 px JPEG: `…Oeebo` `isd`
 * `toclipboart`, its `7` read `T`): a word of TOOLTIP_GAP characters at most
 * may come between, and the run may hold any glyph misread (still 3 at most).
 * The tooltip's text may be read into the run's word (splitRunIntoTooltip),
 * or read `Coded` (wild-3002 occluded-008 in Chromium 156.0.8078.114:
 * `"12dd…@eeb` `Coded` `io`, a `0` read `@` twice: counted among the 3 and
 * taken back as `0`).
 */
const ABOVE_REACH = 3;
/**
 * The final look's reach above a run with a tooltip after it: a chat's
 * question naming the key over the answer that holds it (wild-3202
 * occluded-003, Noto Sans 14 px: `Can someone send me the Spreeflo key…`
 * 4.4 of the run's heights above `sure, here: <26 hex>` `Copied`; the key's
 * suffix hidden, nothing flagged). Only a picture nothing else flagged.
 */
const FAR_ABOVE_REACH = 5;
const HIDDEN_V1_RUN = /(?<![0-9A-Za-z@])([0-9A-Za-z@]{12,34})[^A-Za-z0-9@]{0,2}$/;
/** `Copy`/`Copied` without its first letter, which a tooltip's edge often takes. */
const COPIED_TAIL = 'op(?:y|ied)';
const TOOLTIP_WORD = `(?:[A-Za-z]{0,2}${COPIED_TAIL}|Co[pd]i?ed|(?:to)?clipboa)`;
const TOOLTIP_TEXT = new RegExp(`^[^A-Za-z0-9]{0,2}${TOOLTIP_WORD}`);
const TOOLTIP_GAP = 3;
const KEY_CONTEXT = /spreeflo|api[_-]?key|\bkeys?\b|bearer|authori[sz]ation|token|secret/i;
/** As the v1 rule's `lowConfidenceWhenLineMatches` (rules/spreeflo-api-key-v1.yaml; a test keeps them the same). */
export const HASH_CONTEXT = /\b(md5|sha1|sha-1|sha256|checksum|digest|etag|hash)\b/i;
export const HIDDEN_V1_NOTE = 'partly hidden: the key runs under an overlay; its -sf<data centre> suffix is not visible';

/**
 * The tooltip's text run into the run's word, with no space read between
 * (wild-3201 occluded-000, Open Sans 12 px JPEG, `Copied to clipboard` over a
 * key's last 8 characters: `<28 hex>{fFopied` `to` `cipboara`): the word
 * split into the run, the stray glyphs (the tooltip's edge, TOOLTIP_GAP at
 * most, as the stray word between) and the text, so the rule reads it as it
 * reads a tooltip a space away. The stray glyphs start with one that is not
 * hex, so the run keeps its last digits.
 */
const RUN_INTO_TOOLTIP = new RegExp(`^(.*?)([^0-9a-f\\s]\\S{0,${TOOLTIP_GAP - 1}})?([A-Za-z]?${COPIED_TAIL})$`);

/** Words with the tooltip's text split off the run it was read into (RUN_INTO_TOOLTIP). */
function splitRunIntoTooltip(words: OcrWord[]): OcrWord[] {
  return words.flatMap((w) => {
    const m = w.text.match(RUN_INTO_TOOLTIP);
    if (!m || !HIDDEN_V1_RUN.test(m[1]!)) return [w];
    const [, run, stray, text] = m as unknown as [string, string, string | undefined, string];
    const syms = w.symbols.length === w.text.length ? w.symbols.slice(0, run.length) : [];
    const head = { ...w, text: run, symbols: syms, box: syms.length ? syms.map((x) => x.box).reduce(union) : w.box };
    return [head, ...(stray ? [{ ...w, text: stray, symbols: [] }] : []), { ...w, text, symbols: [] }];
  });
}

/**
 * A tooltip whose text is not read as `Copy`/`Copied` (wild-3101 occluded-003,
 * Liberation Mono 11 px, a docs page's tooltip over 12 of a key's 32 hex
 * digits read ` ab3SmmmEnmy-`) still shows as its box: the word read over it
 * is as tall as the tooltip, TOOLTIP_TALL times the run's height or more. A
 * tooltip's word measured 2.9 (that picture) and 2.7 (wild-3202
 * occluded-003's `clipboard`) times the run beside it; a word read with the
 * tooltip's edge run into the key 2.3 (wild-3201 occluded-000). Line-mates of
 * a line of text are within 1.5 of each other (see onItsLine).
 */
const TOOLTIP_TALL = 2;

/** A v1 run as hex: `@` is a `0` read so, look-alikes turned to their hex digit, anything else dropped. */
function v1RunHex(run: string): string {
  return [...run].map((c) => (c === '@' ? '0' : toHex(c)) ?? '').join('');
}

/** A v1 key's visible hex with the rest under a tooltip (HIDDEN_V1_RUN): its digits, as a `low` key. */
export function hiddenSuffixV1(read: OcrWord[], reach = ABOVE_REACH, readAsTooltip: (o: OcrWord) => boolean = () => false): { key: string; box: OcrBox } | null {
  const words = splitRunIntoTooltip(read);
  for (let i = 0; i + 1 < words.length; i++) {
    const w = words[i]!;
    const m = w.text.match(HIDDEN_V1_RUN);
    const h = w.box.y1 - w.box.y0;
    const tooltip = (o: OcrWord | undefined) => o?.line === w.line && (TOOLTIP_TEXT.test(o.text) || o.box.y1 - o.box.y0 >= TOOLTIP_TALL * h || readAsTooltip(o));
    const stray = words[i + 1]!.line === w.line && words[i + 1]!.text.length <= TOOLTIP_GAP;
    if (!m || !(tooltip(words[i + 1]) || (stray && tooltip(words[i + 2])))) continue;
    const run = m[1]!;
    if (run.replace(/[0-9a-f]/g, '').length > 3) continue;
    const line = words.filter((o) => o.line === w.line);
    const above = (o: OcrWord) => o.box.y1 <= w.box.y0 + h / 2 && o.box.y1 > w.box.y0 - reach * h;
    const context = [...words.filter((o) => (o.line === w.line && o.box.x1 <= w.box.x0) || (o.line !== w.line && above(o))).map((o) => o.text), w.text.slice(0, m.index)].join(' ');
    if (!KEY_CONTEXT.test(context) || line.some((o) => HASH_CONTEXT.test(o.text))) continue;
    const syms = w.symbols.length === w.text.length ? w.symbols.slice(m.index, m.index! + run.length) : [];
    return { key: v1RunHex(run), box: syms.length ? syms.map((x) => x.box).reduce(union) : w.box };
  }
  return null;
}

/**
 * A v1 key's whole run with its suffix cut short by a cover: 32 glyphs (a
 * key's run, exactly), at most V1_RUN_MISREAD of them not hex (as
 * hiddenSuffixV1 counts), followed at once by the start of `-sf` and no data
 * centre: a dash alone (wild-3302 occluded-010, Open Sans 11 px, a tooltip's
 * edge over `sf1`: a close-up read `Bearer<32>-Copy')`, a `b` read `h`, the
 * tooltip's text run on), or `sf`/`sT` with the dash under a pointer
 * (wild-3002 occluded-009, Liberation Mono 15 px: `"<32 hex>sf`, the dash
 * and the data centre lost). findV1 wants a data centre, or `-sf` as
 * written. Hex noise (`<32 hex>-<4 hex>`, the sets' hex decoys) has hex after
 * its dash, so neither a hex digit nor a space then one may follow; a
 * longer hex run (a SHA-1) has hex before the 32; a digest does not run into an `s`.
 */
const CUT_SUFFIX_V1 = new RegExp(`(?<![0-9a-f])(?=[0-9A-Za-z])[^\\s-]{32}(?=(?:-(?:[s5S][fFT]?(\\d{1,2})?)?|[sS][fT])(?:$|[^0-9A-Za-z ]| (?![0-9a-f])|${TOOLTIP_WORD}))`, 'g');
const V1_RUN_MISREAD = 3;

/** A v1 key's 32 glyphs with its suffix cut short (CUT_SUFFIX_V1), on a line with no hash named, as a partial reading. */
export function cutSuffixV1(seq: PSym[]): V1Hit | null {
  // (One character per symbol, so a match's index is its symbol's: tesseract may put two in one, `')`.)
  const text = seq.map((x) => (x.space ? ' ' : top(x).length === 1 ? top(x) : '?')).join('');
  if (HASH_CONTEXT.test(text)) return null;
  const m = [...text.matchAll(CUT_SUFFIX_V1)].find((x) => x[0].replace(/[0-9a-f]/g, '').length <= V1_RUN_MISREAD);
  if (!m) return null;
  const syms = seq.slice(m.index, m.index! + 32);
  return { syms, run: syms, dc: DATA_CENTRE.test(m[1] ?? '') ? m[1]! : '', dcSure: false, exact: false, plain: true };
}

/**
 * A v1 key with a `Copy`/`Copied` tooltip over its middle, its `-sf<dc>`
 * left in view: the tooltip's text is read between the two ends of the
 * key's hex, and it is wider than the glyphs it hides, so neither
 * COVERED_V1 (a cover of 10 at most after 24 hex digits) nor WIDE_COVER_V1
 * (hex and cover 28-36 together, in one word) takes it. wild-3502
 * occluded-005 (Fira Code 16 px, 11 hidden): `"<16 hex>[d`
 * `copiedtociphoard]` `4caa-sf9"`; wild-3501 occluded-002 (Inconsolata 15
 * px, 12 hidden): `39eb` `|` `copiedtocipboard]` `£<12 hex>-5F22`; wild-3601
 * occluded-003 (Roboto 17 px, the dash hidden): `<29 hex>` `copy` `5f10`; all
 * three unflagged. The tooltip's text (TOOLTIP_WORD) and a suffix after it
 * are what no hash, id or prose holds, so the suffix may be read as loosely
 * as findV1 reads it (`5` for `s`, `F`/`T` for `f`, the dash lost), and
 * stray glyphs (the tooltip's edge, a half-hidden glyph) may stand beside
 * the text: at most two of 1-3 before it (each starting with a glyph that is
 * not hex, so that the hex run's end is where it is) and 3 after. Together
 * the two ends hold 12 hex digits or more, as hiddenSuffixV1 asks.
 */
const TOOLTIP_OVER_V1 = new RegExp(
  `(?<![0-9a-f])([0-9a-f]{4,})(?: ?[^\\s0-9a-f]\\S{0,2}){0,2}? ?${TOOLTIP_WORD}\\S*?(?: [A-Za-z]{1,12}){0,2}? ?\\S{0,3}?([0-9a-f]*)-?[s5S][fFT](\\d{1,2})(?![0-9A-Za-z])`,
  'dg',
);
const TOOLTIP_OVER_V1_HEX = 12;

/** A reading as text, a space for a symbol read as nothing; null where a symbol read more than one character (positions in the text must be the symbols'). */
function oneCharEach(seq: PSym[]): string | null {
  const text = seq.map((x) => top(x) || ' ').join('');
  return text.length === seq.length ? text : null;
}

/** The hex of both ends and the data centre of a v1 key with a tooltip over its middle (TOOLTIP_OVER_V1), as a partial reading. */
export function tooltipOverV1(seq: PSym[]): V1Hit | null {
  const text = oneCharEach(seq);
  if (text === null) return null;
  for (const m of text.matchAll(TOOLTIP_OVER_V1)) {
    const [head, tail] = [m.indices![1]!, m.indices![2]!];
    const syms = [...seq.slice(...head), ...seq.slice(...tail)];
    if (syms.length >= TOOLTIP_OVER_V1_HEX && DATA_CENTRE.test(m[3]!)) return { syms: syms.slice(-32), run: syms, dc: m[3]!, dcSure: false, exact: false, plain: true };
  }
  return null;
}

/**
 * A tooltip over a v1 key's middle whose text is read as no tooltip's word,
 * run into the key's hex on both sides in one word: wild-3703 occluded-001
 * (DejaVu Sans Mono 11 px JPEG, 11 hidden; the page pass: `<8 hex>—~wperompmim—<14 hex>-sT16`)
 * and wild-3701 occluded-003 (Noto Sans 15 px, 13 hidden; a close-up:
 * `<14 hex>Sgopedocipboar<5 hex>-5f18`), both unflagged. Hex at both ends
 * (COVER_V1_END each, TOOLTIP_OVER_V1_HEX together), letters between
 * (COVER_V1_LETTERS of them no hex digit, which a mask's dots or stars are
 * not), the whole as long as a key's run give or take (28-36, as
 * WIDE_COVER_V1), and the suffix read as loosely as TOOLTIP_OVER_V1 reads it
 * but for its dash (a run then `sf`/`5f` is hex noise's as often as a key's),
 * and its `s` read `2` too (wild-3804 recompressed-009, Inconsolata 11 px at
 * 0.81x, JPEG 50, not flagged: a close-up `<12 hex>EaRdRET0270R<8 hex>-2F20`,
 * the page pass `…-2F20`; the `F` no hex digit, so no hex run ends there).
 */
const LETTER_COVER_V1 = /([0-9a-f]+)(\S+?)([0-9a-f]+)-[s5S2][fFT](\d{1,2})(?![0-9A-Za-z])/y;
const COVER_V1_END = 4;
const COVER_V1_LETTERS = 3;

/** The hex of both ends and the data centre of a v1 key read with letters over its middle (LETTER_COVER_V1), as a partial reading. */
export function letterCoverV1(seq: PSym[]): V1Hit | null {
  const text = oneCharEach(seq);
  if (text === null || HASH_CONTEXT.test(text)) return null;
  for (let at = 0; at < text.length; at++) {
    if (at > 0 && /[0-9A-Za-z]/.test(text[at - 1]!)) continue;
    LETTER_COVER_V1.lastIndex = at;
    const m = LETTER_COVER_V1.exec(text);
    if (!m) continue;
    const [whole, head, cover, tail, dc] = m as unknown as [string, string, string, string, string];
    const run = whole.length - whole.slice(whole.lastIndexOf('-')).length;
    const ends = Math.min(head.length, tail.length) >= COVER_V1_END && head.length + tail.length >= TOOLTIP_OVER_V1_HEX;
    if (!ends || run < 28 || run > 36 || cover.replace(/[^g-zG-Z]/g, '').length < COVER_V1_LETTERS || !DATA_CENTRE.test(dc)) continue;
    const syms = [...seq.slice(at, at + head.length), ...seq.slice(at + run - tail.length, at + run)];
    return { syms: syms.slice(-32), run: syms, dc, dcSure: false, exact: false, plain: true };
  }
  return null;
}

/**
 * A v1 key's whole run read, its suffix with one glyph read as another: the
 * dash as a glyph that is no letter nor digit (a text cursor over it: wild-3901
 * occluded-005, Inconsolata 15 px, the page pass `"<32 hex>]sf8";`), or the
 * `f` as a letter no hex digit is (blur: wild-3903 photo-000, Roboto 14 px, a
 * photographed settings dialog, a close-up `<32 hex>-sM12`); both unflagged.
 * findV1 and cursorV1 want the dash as `-` or `.` and the `f` as `f`, `F`,
 * `T` or a stroke. The `s` is as written in both shapes: hex noise
 * (`<32 hex>-<4 hex>`, the id sets' decoys) has no `s` after its dash, and a
 * `-5f…` or `-af…` read with its dash or `f` wrong is what it looks like
 * then; 32 hex digits exactly (a longer digest has hex before them).
 */
const SLIPPED_SUFFIX_V1 = /(?<![0-9A-Za-z])([0-9a-f]{32})(?:[^\s0-9A-Za-z-]sf|-s[g-zA-Z])(\d{1,2})(?![0-9A-Za-z])/dg;

/** The run and data centre of a v1 key whose suffix has one glyph misread (SLIPPED_SUFFIX_V1), as a partial reading. */
export function slippedSuffixV1(seq: PSym[]): V1Hit | null {
  const text = oneCharEach(seq);
  if (text === null || HASH_CONTEXT.test(text)) return null;
  for (const m of text.matchAll(SLIPPED_SUFFIX_V1)) {
    if (!DATA_CENTRE.test(m[2]!)) continue;
    const syms = seq.slice(...m.indices![1]!);
    return { syms, run: syms, dc: m[2]!, dcSure: false, exact: false, plain: true };
  }
  return null;
}

/**
 * A v1 key on a blurred photo or a recompressed picture read as several words
 * of hex (spaces inside the run, a glyph or two read as punctuation or as a
 * letter toHex takes) and a suffix read loosely, its `s` as `5` or `3`, its
 * `f` as `0` or `1` or lost, a space inside: wild-3503 photo-006 (Inconsolata
 * 12 px, the page pass: four words of hex, `1-50` `12`), wild-3803 photo-005
 * (Inconsolata 12 px: seven words, `…-5` `115`), wild-4102 photo-001 (Fira
 * Code 17 px: `<13 hex>.°<1 hex>,` `<8 hex>` `12` `71` `TT` `-sf9`), wild-4104
 * photo-007 (Inconsolata 13 px, the view per stretch: `…)…(…-30<dc>"`); none
 * flagged. The suffix a dash, then an `s` as read (`sS5$3`), then an `f` as
 * read (`fFtT10lI|`) or nothing, then a data centre and no letter or digit, and not four hex digits in a row (hex
 * noise, `<32 hex>-<4 hex>`, may end `-5f12` or `-3012`: the sets' hex decoys);
 * before the dash, back to a letter or digit toHex does not take, at most
 * SPREAD.words words holding SPREAD.min-SPREAD.max letters and digits and at
 * most SPREAD.junk other glyphs. Prose whose letters toHex takes
 * (`able 10 see it`) is told by the share of glyphs that are hex as written
 * (SPREAD.hex) and of digits (SPREAD.digits).
 * Flagged `low` as read, only when nothing else was.
 */
const SPREAD_SUFFIX_V1 = /[-–—~]([sS5$3]) ?([fFtT10lI|])? ?(\d{1,2})(?![0-9A-Za-z])/dg;
/**
 * The run's bounds, measured on the four pictures above: 28-31 letters and
 * digits (a key's 32 less glyphs run into punctuation or lost; bounds 32 less
 * 6 to 32 plus 4), 1-7 words (a stray glyph before the run is a word: the
 * most seen), 0-3 other glyphs, 93-100% hex as written, 62-97% digits (a
 * key's hex is 5/8 digits, the binomial's 5th percentile over 32 glyphs
 * 0.47; prose as toHex maps it about a tenth).
 */
const SPREAD = { min: 26, max: 36, words: 7, junk: 4, hex: 0.85, digits: 0.3 } as const;

/** The hex-ish run and data centre of a v1 key read as several words before a loose suffix (SPREAD_SUFFIX_V1), as a partial reading. */
export function spreadV1(seq: PSym[]): V1Hit | null {
  const text = oneCharEach(seq);
  if (text === null || HASH_CONTEXT.test(text)) return null;
  for (const m of text.matchAll(SPREAD_SUFFIX_V1)) {
    const dc = m[3]!;
    if (!DATA_CENTRE.test(dc) || /^.[0-9a-f]{4}$/.test(m[0])) continue;
    let start = m.index!;
    let [words, junk] = [1, 0];
    for (let i = m.index! - 1; i >= 0; i--) {
      const ch = text[i]!;
      if (ch === ' ') {
        if (++words > SPREAD.words) break;
      } else if (ALNUM.test(ch)) {
        if (toHex(ch) === null) break;
      } else if (++junk > SPREAD.junk) break;
      start = i;
    }
    const run = seq.slice(start, m.index!).filter((x) => ALNUM.test(top(x)));
    const chars = run.map(top).join('');
    if (chars.length < SPREAD.min || chars.length > SPREAD.max) continue;
    if (chars.replace(/[^0-9a-f]/g, '').length < SPREAD.hex * chars.length || chars.replace(/[^0-9]/g, '').length < SPREAD.digits * chars.length) continue;
    return { syms: run.slice(-32), run, dc, dcSure: false, exact: false, plain: true };
  }
  return null;
}

/**
 * A v2 key whose `sfk` was read with one glyph wrong and one a look-alike
 * (findV2 wants a score of 4, see prefixScore): its `_` read, and a long
 * run of key characters after it. wild-3301 photo-003 (Inconsolata 11 px,
 * a blurred photo of a docs page): the close-ups read `…STR_` and `…3Fh_`
 * then 24 and 23 key characters; the page pass `fh` `CJ` `aub…`; nothing was
 * flagged. With half the prefix, as after a short one (SHORT_PREFIX_MIN),
 * 20 key characters, a digit and a capital among them, not a mask. Other
 * vendors' prefixes share no glyph with `sfk` (`ghp_`, `live_`, `test_`).
 */
const NEAR_PREFIX_SCORE = 2;

/** The run after a `_` that follows a near `sfk` (NEAR_PREFIX_SCORE), when it holds a key's worth of evidence. */
export function nearPrefixV2(seq: PSym[]): PSym[] | null {
  for (let p = 0; p + 4 < seq.length; p++) {
    if (top(seq[p + 3]!) !== '_' || seq.slice(p, p + 3).some((x) => x.space) || prefixScore(seq, p) < NEAR_PREFIX_SCORE) continue;
    const run: PSym[] = [];
    for (let q = p + 4; seq[q] && ALNUM.test(top(seq[q]!)); q++) run.push(seq[q]!);
    const chars = run.map(top).join('');
    if (chars.length >= SHORT_PREFIX_MIN && /[0-9]/.test(chars) && /[A-Z]/.test(chars) && new Set(chars).size * 2 >= chars.length) return run.slice(0, 36);
  }
  return null;
}

/**
 * A v2 key's body and check read exactly, whatever was read of its prefix:
 * 36 letters and digits in a row (inside a longer run too: a prefix read
 * glued on, `cfkM2…`, `rsfk`, or text after the key) whose last six are the
 * checksum of `sfk_` and the first thirty. No prefix is asked for and no
 * glyph is changed: a string that is not a key passes with a chance of 62^-6
 * (2e-11) per place tried, and a key read so is proven as any key is. Every
 * other reading needs an `sfk`-like start (findV2), as the search's repairs
 * make a false key likelier the more strings they try. Taken only in a region
 * where no reading had such a start (see readPage).
 */
export function bareV2(seq: PSym[]): { key: string; syms: PSym[] } | null {
  let run: PSym[] = [];
  const close = (): { key: string; syms: PSym[] } | null => {
    for (let k = 0; k + 36 <= run.length; k++) {
      const syms = run.slice(k, k + 36);
      const key = `sfk_${syms.map(top).join('')}`;
      if (isValidV2Key(key)) return { key, syms };
    }
    run = [];
    return null;
  };
  for (const s of seq) {
    if (!s.space && /^[A-Za-z0-9]$/.test(top(s))) { run.push(s); continue; }
    const hit = close();
    if (hit) return hit;
  }
  return close();
}

interface Region { x: number; y: number; w: number; h: number }

/**
 * A word as tall as its line: when a key-ish word is more than three times
 * as tall as the median word of its line whose middle it spans, the page pass
 * took the line above into it (wild-1203 rotated-001: a chat bubble's sender
 * `Tom` over its white-on-blue text, read with the key as one word 97 px
 * tall, the median of its line 30), and a close-up scaled to that height
 * reads the key at a third of its size. It takes their band instead (of
 * those no taller than 1.5 times the median: a bubble's edge read `I=`). Three
 * times: a text cursor over a key makes its word taller too (wild-607
 * occluded-008, 59 px against 23), and that region read at its own height
 * resolved the key (`high`); taken to the line's band (a limit of 1.5 times
 * each word) it stayed `low`.
 */
function onItsLine(words: OcrWord[], i: number): OcrWord {
  const w = words[i]!;
  const mates = words.filter((o, j) => {
    const mid = (o.box.y0 + o.box.y1) / 2;
    return j !== i && o.line === w.line && ALNUM.test(o.text) && mid > w.box.y0 && mid < w.box.y1;
  });
  const median = mates.map((o) => o.box.y1 - o.box.y0).sort((a, b) => a - b)[(mates.length - 1) >> 1];
  if (median === undefined || w.box.y1 - w.box.y0 <= 3 * median) return w;
  // (Not the band of a bubble's edge read as a tall `I=` beside the key.)
  const band = mates.filter((o) => o.box.y1 - o.box.y0 <= 1.5 * median);
  return { ...w, box: { ...w.box, y0: Math.min(...band.map((o) => o.box.y0)), y1: Math.max(...band.map((o) => o.box.y1)) } };
}

/**
 * Whether words taken for a region still lack the key's end on this side: too few
 * letters and digits for a whole key, and no sign of its end: leftwards no
 * `sfk`-like prefix (a v2 key's `sfk` and 36 more: 39) and no v1 suffix (the key
 * is hex before it); rightwards no `-sf<dc>` yet (a v1 key's 32 hex digits, `sf`
 * and two more: 36).
 */
function missingEnd(taken: string, step: -1 | 1): boolean {
  const chars = taken.replace(/[^A-Za-z0-9]/g, '').length;
  const v1End = /-?s[fT]\d/.test(taken);
  return step < 0 ? chars < 39 && !V2_PREFIX_LIKE.test(taken) && !v1End : chars < 36 && !v1End;
}

/**
 * How far right of the words taken a v2 key they start still goes: what a
 * whole key (`sfk_` and 36) lacks, at the pitch of the words read, when 4 or
 * more characters are missing. The page pass drops glyphs: seed 5813's
 * `six_VH86piny3sMBinuuas`, then a gap of three line heights, then the rest,
 * so the close-up ended at `…mOoA5`.
 */
function unreadTail(taken: string, width: number): number {
  const start = taken.search(V2_PREFIX_LIKE);
  if (start < 0) return v1UnreadTail(taken, width);
  const chars = taken.slice(start).replace(/[^A-Za-z0-9_]/g, '').length;
  // A few short is a whole key read with glyphs merged (`vV` as `W`); widening
  // it took in the Copy button beside a settings field (`…H924Copy`).
  if (chars > 36) return 0;
  const pitch = width / Math.max(1, taken.replace(/\s/g, '').length);
  return (40 - chars) * pitch;
}

/**
 * The same for a v1 key: a run of 24 or more hex digits that ends the words
 * taken with no `-sf<dc>` after it still lacks what a whole key (32, `-sf`,
 * the data centre: 36) has beyond it. The page pass drops a key's last
 * glyphs (wild-2311 photo-002, a dark chat photo: 29 hex digits, `279-sf7`
 * not read), and a close-up that ends where the word did reads `…a86279-`.
 * The run may be read as words split at a dropped glyph, a `0` read `o`
 * (wild-3004 occluded-001, Inconsolata 11 px, a `Copy` tooltip over five
 * characters near its end: `10db…bdof` `37e6…261`, then the tooltip's width
 * unread, then `e72-sf2"` read `P7252"`): counted together, at most 3 glyphs
 * not hex, so the close-up reaches past the tooltip to the suffix.
 */
function v1UnreadTail(taken: string, width: number): number {
  const run = taken.match(/(?<![0-9a-flIoO])(?:[0-9a-flIoO]+ )*[0-9a-flIoO]+-?$/)?.[0].replace(/[\s-]/g, '');
  if (!run || run.length < 24 || run.replace(/[0-9a-f]/g, '').length > 3) return 0;
  const pitch = width / Math.max(1, taken.replace(/\s/g, '').length);
  return Math.max(0, 36 - run.length) * pitch;
}

/**
 * How far right of its strip a close-up's reading of a v1 key goes on: a reading
 * that ends at the strip's right edge (within two glyphs) in a run v1UnreadTail
 * takes, its last glyph read as anything (cut by the edge), lacks the rest of the
 * key and its suffix (its pitch more, for the glyph cut). The page pass read a
 * chat bubble's small key as garbage (wild-3504 recompressed-011, Fira Code 13 px
 * at 0.8x, JPEG 65), and the strip, reaching as far as that garbage did, ended in
 * the key's last digit: 32 hex digits, no `-sf1`, no v1 key, the picture not
 * flagged. Read only when nothing else flagged the picture (see recognizeGrey).
 */
export function hexRunToEdge(seq: PSym[], right: number): number {
  if (seq.length < 2) return 0;
  const box = boxOf(seq);
  const pitch = box.width / seq.length;
  if (box.x + box.width < right - 2 * pitch) return 0;
  const reach = v1UnreadTail(seq.slice(0, -1).map((x) => (x.space ? ' ' : top(x))).join(''), box.width);
  return reach && reach + pitch;
}

/** A v1 key's end: hex digits, a written dash, `sf` as findV1 reads it, the data centre. */
const V1_END = /[0-9a-f]{2,}-[s5S][fFtT1lI|]?\d{1,2}\W*$/;

/**
 * How far left of a word ending like a v1 key (V1_END) the key's unread
 * start goes: what a whole key (36) lacks, at the word's pitch; -1 when the
 * word is not such an end. The page pass drops most of a small key's hex
 * (wild-1301 recompressed-011, DejaVu Sans Mono 11 px at 0.78x, JPEG 50:
 * `lct`, 24 glyphs of nothing, `7803-5117"`), and neither word is key-ish.
 */
function unreadV1Head(w: OcrWord): number {
  const end = w.text.match(V1_END)?.[0];
  if (!end) return -1;
  const pitch = (w.box.x1 - w.box.x0) / w.text.replace(/[^A-Za-z0-9]/g, '').length;
  return Math.max(0, 32 - end.match(/^[0-9a-f]+/)![0].length) * pitch;
}

function union(a: OcrBox, b: OcrBox): OcrBox {
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

/** Page-pass boxes (scaled pixels) in the original picture's pixels. */
function pageToOrig(scale: number): (b: OcrBox) => Box {
  return (b) => ({ x: b.x0 / scale, y: b.y0 / scale, width: (b.x1 - b.x0) / scale, height: (b.y1 - b.y0) / scale });
}

/** A v2 key's box from its body's 36 symbols, widened left over the `sfk_` prefix at their pitch and rounded. */
function withPrefix(body: PSym[]): Box {
  const box = boxOf(body);
  const charW = box.width / 36;
  return { x: Math.round(box.x - 4 * charW), y: box.y, width: Math.round(box.width + 4 * charW), height: box.height };
}

/** A box rounded to whole pixels, as findings report it. */
function wholePixels(b: Box): Box {
  return { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) };
}

/** A page-pass box (scaled pixels) as a region of the original picture. */
function toRegion(box: OcrBox, scale: number): Region {
  return { x: box.x0 / scale, y: box.y0 / scale, w: (box.x1 - box.x0) / scale, h: (box.y1 - box.y0) / scale };
}

function overlaps(r: Region, o: Region): boolean {
  return r.x < o.x + o.w && o.x < r.x + r.w && r.y < o.y + o.h && o.y < r.y + r.h;
}

/** `Bearer` as in `Authorization: Bearer <key>`, quotes or a colon around it. */
const BEARER = /^[^A-Za-z0-9]*bearer[^A-Za-z0-9]*$/i;

/** What a whole v2 key spans after `Bearer ` (`sfk_` and 36, a glyph's gap before it), in glyphs: a v1 key (36) spans less. */
const TOKEN_GLYPHS = 41;

/**
 * Where the token after a `Bearer` lies that the page pass read nothing of on
 * its line (no word at a gap under three line heights, as afterBearer takes
 * them): a whole key's width at the word's pitch, right of it. Sparse-text mode
 * drops a small key whole (wild-3103 recompressed-001, Inconsolata 11 px at
 * 0.81x, JPEG 50: `Bearer`, then only slivers of the key's last glyphs, each a
 * line of its own), and the picture went unflagged. Read only when nothing else
 * flagged the picture (see recognizeGrey).
 */
export function unreadTokens(words: OcrWord[], scale: number): Region[] {
  return words.filter((w, i) => BEARER.test(w.text) && !wordsAfter(words, i)).map((w) => {
    const pitch = (w.box.x1 - w.box.x0) / Math.max(1, w.text.replace(/[^A-Za-z0-9]/g, '').length);
    return toRegion({ x0: w.box.x1, y0: w.box.y0, x1: w.box.x1 + TOKEN_GLYPHS * pitch, y1: w.box.y1 }, scale);
  });
}

/** The box of the words after words[i] on its line, up to a gap of three line heights. */
function wordsAfter(words: OcrWord[], i: number): OcrBox | null {
  const w = words[i]!;
  const h = w.box.y1 - w.box.y0;
  let box: OcrBox | null = null;
  let prev = w;
  for (let j = i + 1; words[j] && words[j]!.line === w.line; j++) {
    const o = words[j]!;
    if (o.box.x0 - prev.box.x1 >= 3 * h) break;
    box = box ? union(box, o.box) : o.box;
    prev = o;
  }
  return box;
}

/**
 * The words after a `Bearer` on its line, whatever they read: a key there may
 * be read as short words no rule takes for a key. A light-on-dark code block
 * on a light docs page, normalised dark-on-white tile by tile, keeps the
 * seams of its border next to the key's line, and sparse-text mode then reads
 * the key as `SEARLE RLY EN ER` (wild-3101 rotated-003, photo-004). Words at
 * gaps under three line heights (the garbage has gaps too).
 */
function afterBearer(words: OcrWord[], scale: number, regions: Region[]): Region[] {
  const found: Region[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!BEARER.test(w.text)) continue;
    const box = wordsAfter(words, i);
    if (!box) continue;
    const r = toRegion(box, scale);
    // Only where no word made a region: merged with one, it would widen that
    // region's crop and change its readings.
    if (!regions.some((o) => overlaps(r, o))) found.push(r);
  }
  return found;
}

/** Below this, tesseract was unsure of a page-pass word (prose a photo blurs still reads 60 or more). */
const UNSURE_CONF = 60;
/** Words this short are taken as unsure whatever tesseract says: it is sure of a key's glyph split off (`J` at 65, wild-3402 photo-002; `if` at 81, wild-3102 photo-000). */
const SHORT_WORD = 2;
/** A key's 32 to 40 glyphs at a pitch of 0.45 line heights or more. */
const KEY_SPAN = 14;
/** The widest gap inside a run, in line heights: the page pass split wild-3003 rotated-009's key into words of its own lines 5.3 apart. */
const RUN_GAP = 6;

/**
 * The box of a run of words on one line as wide as a key, or null. The line's
 * height is the run's lower quartile (a bubble's edge, or the line below
 * merged in, makes words two or three times taller), its band the median
 * centre of the words that high.
 */
function keyWide(run: OcrWord[]): OcrBox | null {
  const heights = run.map((o) => o.box.y1 - o.box.y0).sort((a, b) => a - b);
  const h = heights[(heights.length - 1) >> 2]!;
  const x0 = run[0]!.box.x0;
  const x1 = run[run.length - 1]!.box.x1;
  if (x1 - x0 < KEY_SPAN * h) return null;
  const band = run.filter((o) => o.box.y1 - o.box.y0 <= 1.5 * h).map((o) => (o.box.y0 + o.box.y1) / 2).sort((a, b) => a - b);
  const cy = band[(band.length - 1) >> 1]!;
  return { x0, x1, y0: cy - h / 2, y1: cy + h / 2 };
}

/**
 * Runs of words the page pass was unsure of, in one row, as wide as a key
 * (keyWide): a key it split into short words of garbage (`ei <9 digits>
 * <12 digits> eda 7`, wild-3201 photo-001) that no rule takes for a key, so
 * no region was made and no close-up read.
 */
export function unsureRuns(words: OcrWord[], scale: number): Region[] {
  const found: Region[] = [];
  let run: OcrWord[] = [];
  const close = (): void => {
    const box = run.length ? keyWide(run) : null;
    if (box) found.push(toRegion(box, scale));
    run = [];
  };
  for (const w of words) {
    const prev = run[run.length - 1];
    const unsure = ALNUM.test(w.text) && (w.conf < UNSURE_CONF || w.text.replace(/[^A-Za-z0-9]/g, '').length <= SHORT_WORD);
    if (prev && !(unsure && nextInRun(prev, w))) close();
    if (unsure) run.push(w);
  }
  close();
  return found;
}

/** `w` after `prev` in its row, at a gap under RUN_GAP heights (of the shorter). */
function nextInRun(prev: OcrWord, w: OcrWord): boolean {
  const h = Math.min(w.box.y1 - w.box.y0, prev.box.y1 - prev.box.y0);
  return inRowOf(prev, w) && w.box.x0 > prev.box.x0 && w.box.x0 - prev.box.x1 < RUN_GAP * h;
}

/**
 * A v1 suffix's `f` as the page pass misreads it: the ligature `fi`
 * (`-sfi17`), or `£` (at a word's start too: a wrap may fall between `-s`
 * and the rest, `<9 hex>-s` then `£2`).
 */
const F_MISREAD = /(?<=-[s5S])fi(?=\d)|(?<=-[s5S]|^)£(?=\d)/;

/**
 * Wrapped keys findJoins finds once a v1 suffix's misread `f` (F_MISREAD) is
 * read `f`: no `-sf<dc>` ended the chain, so the key was never joined
 * (wild-3304 wrapped-003, a terminal, `…2862` then `c4-sfi17`; wild-3403
 * wrapped-011, a chat bubble, four lines of 11, the last `£2`).
 */
export function ligatureJoins(words: OcrWord[], scale: number): Piece[][] {
  if (!words.some((w) => F_MISREAD.test(w.text))) return [];
  return findJoins(words.map((w) => ({ ...w, text: w.text.replace(F_MISREAD, 'f') })), scale);
}

/** Regions (original pixels) around key-ish words; neighbours on a line are merged. */
export function findRegions(words: OcrWord[], scale: number): Region[] {
  const regions: Region[] = [];
  for (let i = 0; i < words.length; i++) {
    const head = !keyish(words[i]!.text) && !prefixAlone(words, i) ? unreadV1Head(words[i]!) : 0;
    if (head < 0) continue;
    const w = onItsLine(words, i);
    let box = w.box;
    const h = w.box.y1 - w.box.y0;
    // A word beside this one: on its line; or, while the key's end is missing, in its row
    // (tesseract sometimes puts `sfk_` on a line of its own): overlapping it by half of the
    // shorter, neither much taller (a bubble's edge read as `I` is not part of the key).
    const inRow = (o: OcrWord, row: boolean) => o.line === w.line || (row && inRowOf(w, o));
    let taken = w.text;
    // The neighbour on each side that touches it (a key split in two by a wide gap), and
    // further words of the row, at gaps up to a glyph wide, while the key's far end is
    // still missing: the page pass read one v1 key as `4le7ritdibecheardas TBAB
    // FTICTa-ETI`, and a v2 key as `sfk_ 1 6KZ04YSx…` with `sfk_` on a line of its own.
    for (const step of [-1, 1] as const) {
      for (let j = i; words[j + step]; j += step) {
        const next = words[j + step]!;
        if (!(step > 0 ? /^[A-Za-z0-9_]/ : /[A-Za-z0-9_]$/).test(next.text)) break;
        const missing = missingEnd(taken, step);
        // (Rightwards, a gap as wide as what the key still lacks: glyphs the page pass dropped.)
        const limit = missing ? Math.max(h * 1.2, step > 0 ? unreadTail(taken, box.x1 - box.x0) : 0) : j === i ? h * 0.8 : -1;
        const gap = step > 0 ? next.box.x0 - words[j]!.box.x1 : words[j]!.box.x0 - next.box.x1;
        if (!inRow(next, missing) || gap >= limit) break;
        box = union(box, next.box);
        taken = step > 0 ? `${taken} ${next.text}` : `${next.text} ${taken}`;
      }
    }
    box = { ...box, x0: box.x0 - head, x1: box.x1 + unreadTail(taken, box.x1 - box.x0) };
    regions.push(toRegion(box, scale));
  }
  // Merge overlapping regions.
  const merged: Region[] = [];
  for (const r of regions.sort((a, b) => a.y - b.y || a.x - b.x)) {
    const m = merged.find((o) => overlaps(r, o));
    if (m) {
      const x1 = Math.max(m.x + m.w, r.x + r.w);
      const y1 = Math.max(m.y + m.h, r.y + r.h);
      m.x = Math.min(m.x, r.x);
      m.y = Math.min(m.y, r.y);
      m.w = x1 - m.x;
      m.h = y1 - m.y;
    } else merged.push({ ...r });
  }
  return merged;
}

/** A recognised symbol plus where it is in the original image. */
export interface PSym extends Sym { box: Box; space: boolean; wordStart?: true }

/** Per line, its symbols, words separated by a space symbol (`joined`: not separated, a word's first symbol after the line's first marked `wordStart`). */
function lineSymbols(words: OcrWord[], toOrig: (b: OcrBox) => Box, joined = false): PSym[][] {
  const lines = new Map<number, PSym[]>();
  for (const w of words) {
    const seq = lines.get(w.line) ?? [];
    if (seq.length && !joined) seq.push({ choices: [{ ch: ' ', conf: 100 }], ref: -1, box: toOrig(w.box), space: true });
    const syms = wordSymbols(w, toOrig);
    if (seq.length && joined && syms[0]) syms[0].wordStart = true;
    seq.push(...syms);
    lines.set(w.line, seq);
  }
  return [...lines.values()];
}

/** A page word's symbols, their boxes in the original picture. */
function wordSymbols(w: OcrWord, toOrig: (b: OcrBox) => Box): PSym[] {
  return w.symbols.map((s) => ({ choices: s.choices, ref: 0, box: toOrig(s.box), space: false }));
}

const top = (s: Sym) => s.choices[0]?.ch ?? '';
const has = (s: Sym | undefined, set: string) => !!s && s.choices.some((c) => c.ch.length === 1 && set.includes(c.ch) && (c === s.choices[0] || c.conf >= 20));

/** `sep`: the body starts after a separator read as one (`sfk_`, `sfk-`), not right after `sfk`. */
interface V2Hit { syms: PSym[]; sep: boolean }
/** `plain`: the suffix read as written, `-sf` (no lost dash or `f`, no `5` for `s`). */
interface V1Hit { syms: PSym[]; run: PSym[]; dc: string; dcSure: boolean; exact: boolean; plain?: boolean }

/**
 * Letters and digits of the word starting at `q` (a key character read as
 * punctuation counts, see PUNCT_AS), up to the next space or other punctuation.
 */
function wordLength(seq: PSym[], q: number): number {
  let n = 0;
  while (seq[q + n] && !seq[q + n]!.space && (ALNUM.test(top(seq[q + n]!)) || PUNCT_AS[top(seq[q + n]!)])) n++;
  return n;
}

/**
 * Pieces of a key split by a space and read together (`CURSOR_JOIN`): a text
 * cursor or caret drawn inside a key is blanked from a close-up (a column
 * inked over the whole line) or read as a gap, so the key comes out as two
 * words. Joined when the key so far is short of a whole one (fewer than 33,
 * what a reading needs to be searched) and the two words together are 34-37
 * long (the glyph under the cursor lost, kept, or the cursor read as one
 * more): prose after a whole key does not qualify, and the checksum decides
 * whether the join is a key.
 */
const CURSOR_JOIN = { below: 33, from: 34, upto: 37 };

/** How much the three symbols from `p` look like `sfk`: 2 a glyph read as written, 1 a look-alike (6 at most). */
function prefixScore(seq: PSym[], p: number): number {
  let score = 0;
  if (has(seq[p], 's')) score += 2; else if (has(seq[p], 'S5$')) score += 1;
  if (has(seq[p + 1], 'f')) score += 2; else if (has(seq[p + 1], 'tFTr')) score += 1;
  if (has(seq[p + 2], 'k')) score += 2; else if (has(seq[p + 2], 'KxXh')) score += 1;
  return score;
}

/** A symbol read as punctuation that stands for a glyph lost (LOST_AS). */
function isLostMark(s: PSym | undefined): boolean {
  return !!s && !s.space && LOST_AS.includes(top(s));
}

/** Every place a line reads like `sfk_` followed by `min` or more key characters. */
export function findV2(seq: PSym[], min = 30): V2Hit[] {
  const hits: V2Hit[] = [];
  for (let p = 0; p + 3 < seq.length; p++) {
    const starts: number[] = [];
    if (prefixScore(seq, p) >= 4) {
      if (has(seq[p + 3], '_-.~')) starts.push(p + 4);
      else if (seq[p + 3] && !seq[p + 3]!.space) starts.push(p + 3);
      // The `_` read as a space (`sfk n6c1y09…`): the body is the next word, when it is a whole key's.
      else if (seq[p + 3]?.space && wordLength(seq, p + 4) >= min) starts.push(p + 4);
    }
    // The `k` read as two glyphs (`ti`, `lc`): the underscore marks where the body starts.
    if (has(seq[p], 'sS5$') && has(seq[p + 1], 'f') && seq[p + 2] && !seq[p + 2]!.space && seq[p + 3] && !seq[p + 3]!.space && seq[p + 4] && top(seq[p + 4]!) === '_') starts.push(p + 5);
    for (const start of starts) {
      let q = start;
      const body: PSym[] = [];
      let joined = false;
      while (q < seq.length && body.length < 40) {
        const s = seq[q]!;
        if (s.space) {
          const after = body.length + wordLength(seq, q + 1);
          if (joined || body.length >= CURSOR_JOIN.below || after < CURSOR_JOIN.from || after > CURSOR_JOIN.upto) break;
          joined = true;
          q++;
          continue;
        }
        if (!ALNUM.test(top(s))) {
          // A letter read as punctuation inside the key (`J` as `)`, `l` as `|`):
          // it stands for the letters it looks like, when the key goes on after it;
          // other punctuation short of a whole key, for a glyph lost (any letter, see pool).
          const as = PUNCT_AS[top(s)];
          // Two such marks for one glyph, the key going on after them (a text caret over a glyph
          // read `:.`, wild-4202 occluded-001): one glyph lost, not the key's end.
          if (!as && body.length < 36 && isLostMark(s) && isLostMark(seq[q + 1]) && seq[q + 2] && ALNUM.test(top(seq[q + 2]!))) {
            body.push({ ...s, choices: [...s.choices, ...seq[q + 1]!.choices].filter((c) => ALNUM.test(c.ch)) });
            q += 2;
            continue;
          }
          const next = seq[q + 1];
          const ends = !next || next.space || !ALNUM.test(top(next));
          // The same at the key's end, when it is the one glyph a whole key lacks:
          // a blurred `j` closing a key read `)` in every view.
          const last = !!as && ends && body.length === 35;
          if (!last && (ends || (!as && (body.length >= 36 || !LOST_AS.includes(top(s)))))) break;
          const conf = s.choices[0]?.conf ?? 50;
          const alnum = s.choices.filter((c) => ALNUM.test(c.ch));
          body.push({ ...s, choices: as ? [...as].map((ch, k) => ({ ch, conf: k === 0 ? conf * 0.6 : conf * 0.3 })).concat(alnum) : alnum });
          if (last) break;
          q++;
          continue;
        }
        body.push(s);
        q++;
      }
      if (body.length >= min) { hits.push({ syms: body, sep: start === p + 4 }); break; }
    }
  }
  return hits;
}

/**
 * Key characters after `sfk_` that make a key worth flagging even when it
 * cannot be completed (a tooltip over part of it, a key cut by a box edge):
 * a masked key shows at most 4 of its own (`sfk_ZSXN••••`). Its mask, though,
 * is read as letters (`sTk_rrxrrxrxrixfyhy` for `sfk_******…fyhy`: 15 on two
 * of four masked negatives, bench/ocr/partial-probe.ts), so a run must also
 * hold at least half as many different characters as it is long: a mask
 * repeats a few (6 of 15 there), while 8 or more random base62 characters
 * fall under half in none of 200,000 draws per length (8, 12, 16, 36).
 */
export const PARTIAL_MIN = 8;

/**
 * A mask read as letters inside a run: PARTIAL_MIN characters in a row of at
 * most MASK_KINDS kinds. A glued run goes on into the text after the key (no
 * separator, no space read: `STKkUQDGeeesccecccceceee93bEcurlstat`, wild-4302
 * wrapped-007's masked key `sfk_UQDG••••…99bE` in a terminal, then `curl`),
 * which passes the whole run's half-as-many-kinds test (17 kinds in 33) while
 * its mask repeats three. 8 random base62 characters hold 3 kinds or fewer
 * with a chance of about 1e-6 (C(62,3)·3^8/62^8).
 */
const MASK_KINDS = 3;
function maskStretch(chars: string): boolean {
  for (let k = 0; k + PARTIAL_MIN <= chars.length; k++) if (new Set(chars.slice(k, k + PARTIAL_MIN)).size <= MASK_KINDS) return true;
  return false;
}

/**
 * The longest key-like run after a `sfk_` prefix with its separator on a line, when PARTIAL_MIN or longer and not a mask;
 * or after an `sfk` with no separator read (the key's `_` lost, `sfkM2Tnd…`), when as long as after a short prefix
 * (SHORT_PREFIX_MIN) with a digit and a capital in it: wild-4303 rotated-001 (a chat, Fira Code 12 px, tilted 5
 * degrees), its close-ups `re:sfk` and 27 of the key, `'k_` and 32; no region read a separator after a whole
 * prefix, so nothing was flagged. The glued prefix as read (SFK_LIKE), not by an alternative tesseract offered
 * (findV2's prefixScore): wild-3004 photo-002's blurred `curl` line read `…EnvacraTaaTOTINIMELUILC3MLIPS//…`
 * was taken after `raT` for one.
 */
export function partialV2(seq: PSym[]): PSym[] | null {
  let best: PSym[] | null = null;
  for (const hit of findV2(seq, PARTIAL_MIN)) {
    const chars = hit.syms.map(top).join('');
    const distinct = new Set(chars).size;
    const at = seq.indexOf(hit.syms[0]!);
    const glued = !hit.sep && at >= 3 && SFK_LIKE.test(seq.slice(at - 3, at).map(top).join('')) && chars.length >= SHORT_PREFIX_MIN && /[0-9]/.test(chars) && /[A-Z]/.test(chars) && !maskStretch(chars);
    if ((hit.sep || glued) && distinct * 2 >= hit.syms.length && hit.syms.length > (best?.length ?? 0)) best = hit.syms;
  }
  return best;
}

/**
 * Hex digits before a `-sf<dc>` that make a v1 key worth flagging when the
 * rest of it is hidden (a tooltip over its start), as PARTIAL_MIN for v2. Only
 * with the suffix read as written (`plain`): findV1's tolerance (`5` for `s`,
 * a lost dash or `f`) found `-sf` inside three of the four hex-noise negatives
 * of bench seed 5813 (`…401d1594…` as `401d1-s` `f9`); `<8 hex>-sf<1-24>` as
 * written is what no prose, hash or id of the sets holds.
 */
export const PARTIAL_V1_MIN = 8;

/** A v1 data centre as the rule writes it: 1 to 24. */
const DATA_CENTRE = /^([1-9]|1[0-9]|2[0-4])$/;

/**
 * Every place a line reads like `<hex>-sf<dc>`, with at least `min` hex digits
 * (31: a whole key, a digit lost). `dcCovered`: also a whole key's hex and
 * `-sf` as written with no data centre after it (dc '').
 */
export function findV1(seq: PSym[], min = 31, dcCovered = false): V1Hit[] {
  const hits: V1Hit[] = [];
  for (let q = 1; q + 2 < seq.length; q++) {
    let d = q;
    if (has(seq[d], '-–—_~')) d++;
    if (!has(seq[d], 's5S')) continue;
    // `-sf<dc>`; an `f` lost at a box edge (`-s8`) still counts, never as sure.
    // (Liberation Mono's small `f` reads `T`: `-sT1`.)
    // (An `f` read as `1`, `-s122` or `-5122`, is told by the three digits after
    // the `s`: no data centre has three. wild-606's `-sf22` keys, read so in most views.)
    const digitAt = (i: number) => !!seq[i] && !seq[i]!.space && /[0-9]/.test(top(seq[i]!));
    const fAsOne = !!seq[d + 1] && /^[1lIi|t]$/.test(top(seq[d + 1]!)) && digitAt(d + 2) && digitAt(d + 3) && !digitAt(d + 4);
    // An `f` under a text cursor or pointer is read as the cover's stroke (`-5'5`,
    // wild-2311 occluded-007): punctuation between a written `-s` and a digit.
    const f = seq[d + 1];
    const fCovered = d > q && !fAsOne && !!f && !f.space && !ALNUM.test(top(f)) && digitAt(d + 2);
    const fLost = !fAsOne && !fCovered && !has(f, 'ftFT');
    if (fLost && !digitAt(d + 1)) continue;
    // Neither a dash nor an `f`, and the `s` a `5`: that is hex going on (`…e851` then a
    // lost `-sf` and the data centre on the next line read `…e8` `5` `1`), not a suffix.
    if (fLost && d === q && top(seq[d]!) === '5') continue;
    // The hex part: symbols before the dash, back to a space or punctuation.
    const hex: PSym[] = [];
    for (let i = q - 1; i >= 0; i--) {
      const s = seq[i]!;
      if (s.space || toHex(top(s)) === null) break;
      hex.unshift(s);
    }
    if (d === q && hex.length > 32) hex.pop(); // no dash: the last symbol may be a misread dash
    const bridged = min >= 31 && hex.length < min ? acrossLetter(seq, q - 1 - hex.length, hex) : null;
    // 31: a digit lost (merged into the punctuation before it); it makes the region read again.
    if (hex.length < min && !bridged) continue;
    let dc = '';
    let dcSure = !fLost && !fAsOne && !fCovered;
    for (let i = d + (fLost ? 1 : 2); i < seq.length && dc.length < 2; i++) {
      const s = seq[i]!;
      // (Nor a second digit the legacy engine read as a word of its own: its words are joined
      // (lineSymbols), and a chat's `-sf2thanks`, read `-sf2 1511af116`, gave data centre 21,
      // three legacy readings against the LSTM's five sure `2`, wild-4302 wrapped-009.)
      if (s.space || (dc.length && s.wordStart)) break;
      const ch = top(s);
      const digit = /[0-9]/.test(ch) ? ch : ({ l: '1', I: '1', i: '1', '|': '1', O: '0', o: '0', S: '5', Z: '2', z: '2', B: '8', g: '9', q: '9', G: '6', T: '7' } as Record<string, string>)[ch];
      if (!digit) break;
      if (digit !== ch || (s.choices[0]?.conf ?? 0) < 85) dcSure = false;
      dc += digit;
    }
    if (dc.length === 2 && (Number(dc) < 1 || Number(dc) > 24)) {
      dc = dc[0]!;
      dcSure = false;
    }
    const plain = d > q && top(seq[d]!) === 's' && top(seq[d + 1]!) === 'f';
    const valid = DATA_CENTRE.test(dc);
    // A data centre under a cover (a pointer over `-sf12` read `-sf{`, wild-2417
    // occluded-003), or read as no data centre (`-sfo"` for `-sf9` in every view,
    // id-2605 013, a dark docs page): 32 hex digits and `-sf` as written are a
    // key's start nothing else makes.
    const covered = dcCovered && !valid && plain && hex.length >= 32;
    if (!covered && !valid) continue;
    if (bridged) hits.push({ syms: bridged, run: bridged, dc: valid ? dc : '', dcSure, exact: false, plain });
    else hits.push({ syms: hex.slice(-32), run: hex.slice(-34), dc: valid ? dc : '', dcSure, exact: hex.length === 32, plain });
  }
  return hits;
}

/**
 * A v1 key's 32 symbols when one glyph inside its hex run was read as a letter no
 * hex digit is mistaken for (a `0` read `P` in every view of wild-3003 rotated-003,
 * an `f` read `r` in wild-3401 photo-004): `tail`, the hex between that letter (at
 * `at`) and the suffix, too short for a key, the hex before the letter, the letter
 * and the tail exactly 32. The letter is no digit: the hit is not exact, and only
 * makes the region read with hex allowed (findV1's hits always do), whose readings
 * and the legacy engine's then vote the digit.
 */
function acrossLetter(seq: PSym[], at: number, tail: PSym[]): PSym[] | null {
  const gap = seq[at];
  if (!gap || gap.space || !/^[A-Za-z]$/.test(top(gap))) return null;
  const head: PSym[] = [];
  for (let i = at - 1; i >= 0 && head.length + tail.length < 31; i--) {
    const s = seq[i]!;
    if (s.space || toHex(top(s)) === null) break;
    head.unshift(s);
  }
  const before = seq[at - 1 - head.length];
  const bounded = !before || before.space || toHex(top(before)) === null;
  return bounded && head.length + 1 + tail.length === 32 ? [...head, gap, ...tail] : null;
}

/** A hit acrossLetter made: its letter is no hex digit. */
export function readAcrossLetter(hit: V1Hit): boolean {
  return hit.syms.some((x) => toHex(top(x)) === null);
}

/**
 * A v1 key with a cover at its end (a `Copy` tooltip at the field's edge, a
 * pointer): the cover's glyphs are read inside the key's run, between 24 or
 * more hex digits and the suffix, so the hex right before `-sf` is shorter
 * than PARTIAL_V1_MIN and no rule took it. wild-2604 occluded-000 (a pointer:
 * `c5c4…0cdIer>4-sf3`), wild-2417 occluded-010 (`…cf881Copy38-sT5`), both
 * unflagged; a pointer read as a space (wild-606 occluded-010, `…386e0f 17-sf14`).
 * The suffix as written (`-s` and `f`, or Liberation Mono's `T`)
 * after a cover holding something that is not hex; or, when the cover hides
 * the `-s` too, its text run into the key (letters not hex, then `f<dc>`:
 * wild-2607 occluded-007, `…ca80ecoryf12`). Hex noise (`<32 hex>-<4 hex>`)
 * has neither an `s` nor letters past `f`. The `f` may be read as a stroke
 * (`1`, `l`, `I`, `|`) when the `s` is read as written: wild-3004 occluded-001
 * (Inconsolata 11 px JPEG, a `Copy` tooltip near the end) read
 * `…3261fRR72-s12"`.
 */
const COVERED_V1 = /([0-9a-f]{24,})(?:(.{1,10}?)-s[fT1lI|]|(\S{1,10}?)(?<=[g-zG-Z]{2})f)(\d{1,2})(?![0-9A-Za-z])/g;

/**
 * A `Copied to clipboard` tooltip over 12 characters inside a v1 key's run
 * (wild-2903 occluded-004, DejaVu Sans Mono 13 px: `…bb56…eb7rrenmwamsary-sf16`):
 * its text is read as 12-17 letters, which leaves 15-17 hex digits before
 * it, too few for COVERED_V1. Hex and cover together as long as a key's run
 * (28-36: a glyph or two lost or added) and `-sf<dc>` as written (only `f`:
 * the `T` is the looser reading) hold what a hash or hex noise does not.
 */
const WIDE_COVER_V1 = /([0-9a-f]{16,})(\S{1,20}?)-sf(\d{1,2})(?![0-9A-Za-z])/g;

/** The hex digits and data centre of a v1 key read with a cover inside its run (COVERED_V1, WIDE_COVER_V1), as a partial reading. */
export function coveredV1(seq: PSym[]): V1Hit | null {
  const text = oneCharEach(seq);
  if (text === null) return null;
  let best: V1Hit | null = null;
  const take = (m: RegExpMatchArray, hex: string, dc: string) => {
    const syms = seq.slice(m.index, m.index! + hex.length).slice(-32);
    if (syms.length > (best?.syms.length ?? 0)) best = { syms, run: syms, dc, dcSure: false, exact: false, plain: true };
  };
  for (const m of text.matchAll(COVERED_V1)) {
    const [, hex, coverBeforeSuffix, coverOverDash, dc] = m as unknown as [string, string, string | undefined, string | undefined, string];
    if (/[^0-9a-f]/.test(coverBeforeSuffix ?? coverOverDash ?? '') && DATA_CENTRE.test(dc)) take(m, hex, dc);
  }
  if (best) return best;
  for (const m of text.matchAll(WIDE_COVER_V1)) {
    const [, hex, cover, dc] = m as unknown as [string, string, string, string];
    const long = hex.length + cover.length;
    if (/[^0-9a-f]/.test(cover) && long >= 28 && long <= 36 && DATA_CENTRE.test(dc)) take(m, hex, dc);
  }
  return best;
}

/**
 * A v1 key with a text cursor inside its run, when coveredV1 finds none: the
 * cursor and its neighbours are read as a few glyphs that are not hex (a `$`,
 * an `O` for `0`, an `n`, an `l` for `1`) and as a space or two, so neither
 * findV1 nor coveredV1 finds 24 hex digits in a row before `-sf`. Two fresh
 * pictures were not flagged: 2803 occluded-002 (DejaVu Sans Mono 16 px, read
 * `…42$cObd78bbe9n606d -sf20`) and 2802 occluded-002 (Liberation Mono 14 px,
 * a word of 30 with 3 not hex, then `3`, then `-sf24`). A word, or two, of
 * 28-36 characters at most 3 of which are not hex, then `-sf<dc>` as written
 * (a hash or hex noise has no `-sf`; the tolerant readings of the suffix are
 * what found suffixes inside hex noise, see PARTIAL_V1_MIN).
 */
const CURSOR_V1 = /(\S+(?: \S+)?) ?(-sf|[-.][s5S][f1lIT]?)(\d{1,2})(?![0-9A-Za-z])/y;

/**
 * The suffix read with findV1's tolerance, a dash read as one or as `.`: on a
 * photo the blur turns `-sf19` into `.5119` and one glyph of the run into a
 * letter no hex digit is read as (wild-3202 photo-008, Noto Sans 12 px, the
 * page pass: a word of 30, `M` inside, then `.5119`; unflagged). Then one
 * word, at most this many glyphs toHex cannot take (hex noise has no dash and `s`).
 */
const BLURRED_V1_NOT_HEX = 1;

/** A run before `-sf` as written may hold 3 glyphs not hex; before a blurred suffix it is one word with BLURRED_V1_NOT_HEX glyphs toHex cannot take. */
function cursorRunFits(run: string, suffix: string): boolean {
  if (suffix === '-sf') return run.replace(/[ 0-9a-f]/g, '').length <= 3;
  return !run.includes(' ') && [...run].filter((c) => toHex(c) === null).length <= BLURRED_V1_NOT_HEX;
}

/** The hex digits and data centre of a v1 key read with a cursor inside its run (CURSOR_V1), as a partial reading. */
export function cursorV1(seq: PSym[]): V1Hit | null {
  const text = oneCharEach(seq);
  if (text === null) return null;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ' ' || (i > 0 && text[i - 1] !== ' ')) continue;
    CURSOR_V1.lastIndex = i;
    const m = CURSOR_V1.exec(text);
    if (!m) continue;
    const [, run, suffix, dc] = m as unknown as [string, string, string, string];
    const chars = run.replace(/ /g, '');
    if (chars.length < 28 || chars.length > 36 || !DATA_CENTRE.test(dc) || !cursorRunFits(run, suffix)) continue;
    const syms = seq.slice(i, i + run.length).filter((x) => /^[0-9a-f]$/.test(top(x))).slice(-32);
    return { syms, run: syms, dc, dcSure: false, exact: false, plain: true };
  }
  return null;
}

/** Readings of a v1 key that cannot be completed (a written `-sf` after PARTIAL_V1_MIN hex digits, or a cover or a cursor inside the run): flagged, not searched. */
function partialV1Hits(seq: PSym[]): V1Hit[] {
  const covered = coveredV1(seq) ?? cursorV1(seq);
  return [...findV1(seq, PARTIAL_V1_MIN, true), ...(covered ? [covered] : [])].filter((hit) => hit.plain);
}

/** A v1 key that cannot be completed, flagged as what was read of it: its hex, `-sf`, its data centre. */
function partialV1Candidate(hit: V1Hit): ImageCandidate {
  return { ruleId: 'spreeflo-api-key-v1', key: `${hit.syms.map((x) => toHex(top(x))).join('')}-sf${hit.dc}`, confidence: 'low', box: boxOf(hit.syms) };
}

/** Edit-distance alignment of a reading onto a 36-symbol reference: per reference position, the symbol aligned to it (or none). */
export function alignTo(ref: PSym[], r: PSym[]): (PSym | undefined)[] {
  const n = ref.length;
  const m = r.length;
  const sub = (a: PSym, b: PSym) => {
    const x = top(a);
    const y = top(b);
    if (x === y) return 0;
    return b.choices.some((c) => c.ch === x) || lookalikes(x).includes(y) ? 0.5 : 1;
  };
  const d: number[][] = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= n; i++) for (let j = 1; j <= m; j++) {
    d[i]![j] = Math.min(d[i - 1]![j - 1]! + sub(ref[i - 1]!, r[j - 1]!), d[i - 1]![j]! + 1, d[i]![j - 1]! + 1);
  }
  const out: (PSym | undefined)[] = new Array(n).fill(undefined);
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    if (d[i]![j] === d[i - 1]![j - 1]! + sub(ref[i - 1]!, r[j - 1]!)) { out[i - 1] = r[j - 1]; i--; j--; }
    else if (d[i]![j] === d[i - 1]![j]! + 1) i--;
    else j--;
  }
  return out;
}

/**
 * A 36-symbol reference for a key read several times: a reading of exactly 36
 * if there is one (the most confident), else a consensus: the others aligned
 * onto the reading nearest 36 long, dropping its symbols most readings lack.
 */
export function reference(readings: PSym[][]): PSym[] | null {
  const exact = readings.filter((r) => r.length === 36).sort((a, b) => meanConf(b) - meanConf(a))[0];
  if (exact) return exact;
  const sorted = [...readings].filter((r) => r.length >= 36 && r.length <= 40).sort((a, b) => a.length - b.length);
  for (const base of sorted) {
    const votes = new Array<number>(base.length).fill(1);
    for (const r of readings) {
      if (r === base) continue;
      alignTo(base, r).forEach((s, i) => { if (s) votes[i]!++; });
    }
    const keep = base.filter((_, i) => votes[i]! * 2 > readings.length);
    if (keep.length === 36) return keep;
  }
  return null;
}

/** A key's readings as the search takes them (see caseBySize, cutAtEnd, underCursor, underCaret). */
function searchReadings(read: PSym[][], cursor = true, grey?: Grey): PSym[][] {
  const r = cutAtEnd(read.map(caseBySize));
  if (!cursor) return r;
  const marked = r.map(underCursor);
  return grey ? marked.map((x) => underCaret(x, grey)) : marked;
}

/** The 36-symbol reference solveV2 aligns a key's readings on, or null. */
export function v2Reference(read: PSym[][]): PSym[] | null {
  return reference(searchReadings(read));
}

/**
 * Pool every reading of one key and search, testing at most `budget` strings
 * in all. The others are aligned onto a 36-symbol reference; then each
 * reading's single-deletion (37, 38 read) or single-insertion (35 read)
 * variants are tried. When both are tried they share the budget.
 */
export function solveV2(read: PSym[][], budget: number, grey?: Grey, alone?: Choice[][][], cursor = true, any?: number): V2Solved {
  const readings = searchReadings(read, cursor, grey);
  const ref = reference(readings);
  const variants: Sym[][] = [];
  for (const r of readings) {
    if (r.length === 37) {
      for (let k = 0; k < 37; k++) variants.push([...r.slice(0, k), ...r.slice(k + 1)]);
    } else if (r.length === 38) {
      // Two glyphs too many: a wide glyph read twice (`O0`, `Vv`, `JI`) or a
      // doubtful symbol. Pairs of such suspects, then the old single deletion.
      const suspects = r.map((_, k) => k).filter((k) => split(r, k));
      for (let a = 0; a < suspects.length; a++) for (let b = a + 1; b < suspects.length && variants.length < 40; b++) {
        variants.push(r.filter((_, k) => k !== suspects[a] && k !== suspects[b]));
      }
      for (let k = 0; k < 37; k++) variants.push([...r.slice(0, k), ...r.slice(k + 1, 37)]);
    } else if (r.length === 35) {
      // One glyph lost: nothing read at k (any character there, see pool).
      const lost: Sym = { choices: [], ref: -1 };
      for (let k = 0; k <= 35; k++) variants.push([...r.slice(0, k), lost, ...r.slice(k)]);
    }
  }
  // pool() of a single reading, slot by slot: with one reading a slot depends
  // only on its symbol and its alphabet, and the variants share their symbols.
  const slotCache = [new Map<Sym, Slot>(), new Map<Sym, Slot>()];
  const single = (r: Sym[]): Slot[] => r.map((sym, i) => {
    const cache = slotCache[i === 30 ? 1 : 0]!;
    let slot = cache.get(sym);
    if (!slot) cache.set(sym, (slot = pool([[sym]], 1, () => V2_ALPHABET(i))[0]!));
    return slot;
  });
  let tried = 0;
  let left = budget;
  if (ref) {
    const { aligned, same } = alignedOn(ref, readings, grey);
    const share = variants.length && !alone ? Math.floor(budget / 2) : budget;
    const onRef = (copies?: number[][]) => {
      const slots = pool(aligned, 36, V2_ALPHABET, copies);
      const known = alone ? withAlone(slots, alone) : slots;
      return searchV2(any === undefined ? known : withAny(known, any), share);
    };
    const res = onRef(same);
    tried += res.tried;
    left -= res.tried;
    if (res.key) return { key: res.key, guessed: res.guessed, best: res.best, ref, tried, subs: checkSubs(res.key, aligned, same) };
    const loose = secondCopies(ref, same, grey);
    const again = loose && onRef(loose);
    if (again && again.key) return { key: again.key, guessed: again.guessed, best: again.best, ref, tried, subs: checkSubs(again.key, aligned, loose) };
  }
  // The glyphs read alone were read on the reference: the other searches had their turn.
  if (alone) return { key: null, guessed: false, best: '', ref: ref ?? readings[0]!, tried, subs: [] };
  // References made by dropping the symbols that look like a glyph read twice
  // (`mM`, `lL`, `O0`) from a 37/38 reading: every reading is pooled onto each.
  const suspectRefs = new Map<string, PSym[]>();
  for (const r of readings) {
    if (r.length !== 37 && r.length !== 38) continue;
    const sus = r.map((_, k) => k).filter((k) => split(r, k));
    const drops = r.length === 37 ? sus.map((k) => [k]) : sus.flatMap((a, i) => sus.slice(i + 1).map((b) => [a, b]));
    for (const d of drops) {
      const cand = r.filter((_, k) => !d.includes(k));
      suspectRefs.set(cand.map(top).join(''), cand);
    }
  }
  const refs = [...suspectRefs.values()].slice(0, 24);
  const refShare = Math.floor(left / 2 / Math.max(1, refs.length));
  for (const sref of refs) {
    if (refShare < 1) break;
    const aligned: Sym[][] = readings.map((r) => alignTo(sref, r).map((x) => x ?? { choices: [], ref: -1 }));
    const res = searchV2(pool(aligned, 36, V2_ALPHABET), refShare);
    tried += res.tried;
    left -= res.tried;
    if (res.key) return { key: res.key, guessed: res.guessed, best: res.best, ref: sref, tried, subs: [...checkSubs(res.key, aligned), ...checkSubs(res.key, onKey(res.key, readings))] };
  }
  const fallback = ref ?? readings.find((r) => r.length >= 36)?.slice(0, 36) ?? readings[0]!;
  // What was read, a cut glyph as read.
  const shown = (r: PSym[]) => r.map((sym) => top(sym) || (sym.cut ?? '')).join('');
  let best = ref ? shown(ref) : '';
  const share = Math.floor(left / Math.max(1, variants.length));
  for (const v of variants) {
    if (share < 1) break;
    const res = searchV2(single(v), share);
    tried += res.tried;
    if (res.key) return { key: res.key, guessed: res.guessed, best: res.best, ref: fallback as PSym[], tried, subs: [...checkSubs(res.key, [v]), ...checkSubs(res.key, onKey(res.key, readings))] };
  }
  if (!best && fallback.length === 36) best = shown(fallback);
  return { key: null, guessed: false, best, ref: fallback as PSym[], tried, subs: [] };
}

/**
 * The copies a second search on the reference pools when the first found nothing: on a run
 * only V2_MONOSPACED calls monospaced (looseCopies). Second, not first: the looser fit also
 * calls a proportional key's run monospaced (photo-3003-010, Liberation Sans, 0.889 of its
 * centres on the pitch, as the monospaced gains 0.833-0.889) and its cells then vote for
 * nothing true, and neither the boxes' gaps nor the ink at the cells' edges told the two apart
 * (bench/README.md, h30photo); where the first search finds the key, it is kept as found
 * without them. Its tries are not counted against the region's budget, so every search after
 * it is the one it would have been without it.
 */
function secondCopies(ref: PSym[], same: number[][] | undefined, grey?: Grey): number[][] | undefined {
  return grey && !same ? looseCopies(grey, ref.map((sym) => sym.box)) : undefined;
}

/** Readings aligned on a reference, and which of its glyphs are drawn alike (sameGlyphs). */
function alignedOn(ref: PSym[], readings: PSym[][], grey?: Grey): { aligned: Sym[][]; same?: number[][] } {
  const aligned: Sym[][] = readings.map((r) => alignTo(ref, r).map((s) => s ?? { choices: [], ref: -1 }));
  return { aligned, same: grey ? sameGlyphs(grey, ref.map((sym) => sym.box))?.same : undefined };
}

/**
 * A key found on some of a region's readings, its check characters judged on
 * all of them as the pooled search judges its own finds: aligned on their
 * reference and on the key (see onKey). Judged on one reading, a changed check
 * character has that reading's symbol and cell only (wild-3603 rotated-010, a
 * wrong-checksum decoy: the stretches' reading, searched alone, took the `z`
 * it offered for the `Z` every view read; on its one cell the glyph was 0.30
 * like the key's `z`s and 0.19 like its `Z`s, which decides nothing, and read
 * alone it named nothing, so `high`; on the middle of the six readings' cells
 * it is 0.98 like the `Z`s: contradicted, `low`).
 */
export function judgedOnAll(key: string, read: PSym[][], grey?: Grey): CheckSub[] {
  const readings = searchReadings(read, true, grey);
  const onIt = checkSubs(key, onKey(key, readings));
  const ref = reference(readings);
  if (!ref) return onIt;
  const { aligned, same } = alignedOn(ref, readings, grey);
  return [...checkSubs(key, aligned, same), ...onIt];
}

/**
 * The search past the region's bound (step 5, LOW_BUDGET): what it finds is `low` whatever
 * it is. First with everything the glyphs read alone say; if nothing passes, once more with
 * only what each read put first. What every read only offers (offeredByEvery) makes many
 * strings cheap, and they crowd a key that needs none of them out of the budget: wild-3103
 * recompressed-009's key (cost 3.7) is reached at 2^25 without them and only at 2^27 with
 * them (bench/ocr/far-replay.ts). The second search leaves every key the first finds as it was.
 * Without the cursor's slot: at 2^25 its strings let a wrong key pass (wild-2417
 * recompressed-006's true `low` became a wrong one).
 * When neither finds anything, a third takes any character at any slot (withAny, ANY_COST):
 * a glyph read in every view as something not like it (wild-3401 recompressed-007's check
 * `m` read `r`, wild-3003 occluded-002's `K` under a cursor read `H`) has no alternative a
 * search could take. Only where both found nothing, so no key they find changes.
 */
export function searchPastBound(read: PSym[][], grey: Grey | undefined, alone: Choice[][][], budget = LOW_BUDGET, any = ANY_COST): V2Solved {
  const res = solveV2(read, budget, grey, alone, false);
  const firsts = res.key ? null : withoutOffers(alone);
  const again = firsts ? solveV2(read, budget, grey, firsts, false) : res;
  return again.key ? again : solveV2(read, budget, grey, alone, false, any);
}

/**
 * Every reading aligned on the key found, for judging its check characters
 * (checkSubs) when the search ran on a reference made by dropping a suspect
 * glyph, or on one reading's variant: such a reference can sit a glyph off
 * the others at a wrap (wild-2901 wrapped-001, `dD` read with one `d` taken
 * for a glyph read twice), so a neighbour's `P` came to stand where every
 * reading read a decoy's `D`, and the change looked read. Judged on both
 * alignments, either contradicting: aligned on the key alone, a glyph read
 * twice (`0O` over one `O`) gives its narrow `0` box, half the glyph
 * (look-1733 039: its counter's middle measured 0.11, no longer empty).
 */
function onKey(key: string, readings: PSym[][]): Sym[][] {
  const ref = [...key.slice(4)].map((ch): PSym => ({ choices: [{ ch, conf: 100 }], ref: -1, box: { x: 0, y: 0, width: 0, height: 0 }, space: false }));
  return readings.map((r) => alignTo(ref, r).map((x) => x ?? { choices: [], ref: -1 }));
}

/**
 * A check character of the key found that not every reading read first there
 * (`partly` when some did, or read it at a copy of its glyph, `same`): `syms`,
 * what was read there. A body character
 * changed changes the CRC, so this is the one place a wrong-checksum key (a
 * valid one with a check character replaced) differs from what it is repaired to.
 */
export interface CheckSub {
  i: number;
  ch: string;
  syms: PSym[];
  cells: Box[];
  /** Judged by the copies alone (copiesSay): a decoy's `l` read `1` in one view of several is still an `l`. */
  partly: boolean;
  /** The key's other glyphs that are the substitute, a character read here or the substitute's twin (TWINS): their cells. */
  copies: { ch: string; cell: Box }[];
  /** For the bench tools: the best glyphLikeness to the copies of each character. */
  likeness?: Record<string, number>;
  /** For the bench tools: the best glyphLikeness to the page's glyphs of each character (pageSays). */
  pageLikeness?: Record<string, number>;
  /** For the bench tools: the choices of each read of the glyph alone. */
  alone?: Choice[][];
  /**
   * A twin every reading read as the key's: a decoy's `O` read `0` in every view (DejaVu
   * Sans Mono, whose `0` is dotted), an `l` read `1`. Kept unless its copies contradict
   * it, its glyph read alone is its twin where some reading offers that (twinAlone), or,
   * for a `1`, it is a bare stroke (bareStroke).
   */
  asRead?: boolean;
  /** For the bench tools: the glyph's inked width over its inked height. */
  stroke?: number;
  /** The key's glyphs the checksum vouches for (every position not changed): their characters and cells. */
  line: { ch: string; cell: Box }[];
  /** For the bench tools: the glyph's height, the darkness of its counter's middle and of the key's zeros' (shapeSays). */
  shape?: string;
  /** For the bench tools: an `I l 1`'s top (px, sub-pixel), its vouched flat-topped capitals' and ascenders' (inkTop). */
  tops?: { me: number; caps: number[]; asc: number[] };
  /** Each repeated character's glyphs' best likeness to another of its copies in the key, measured where the check character is under COPY_ALIKE like its copies (copiesDisown; the bench tools). */
  pairs?: { ch: string; like: number }[];
}

export interface V2Solved { key: string | null; guessed: boolean; best: string; ref: PSym[]; tried: number; subs: CheckSub[] }

/** Text heights (px) a changed check character's glyph is read alone at (see glyphContradicts). */
const GLYPH_TARGETS = [34, 58];

/**
 * Does the glyph at a changed check character (see CheckSub), read alone,
 * contradict the change? The LSTM reads it on its own (PSM 10), with only what
 * the readings read there and the substitute allowed: out of its line's
 * context it no longer repeats the line's misread (`J` read `I` in every view
 * of the line, `J` alone at 92-99), so the substitute comes out first or among
 * the alternatives whenever the glyph is it. A wrong-checksum decoy's glyph is
 * what was read (wild-2417's `I`, repaired to `L`: `I` at 99, `L` never
 * offered). Contradicted when some read names a glyph and none offers the
 * substitute; a glyph read as nothing at both sizes says nothing. A lost or
 * cut glyph (no symbol read there) is not judged: see the search's wildcard.
 * The key's own copies of the characters in question, when alike enough,
 * decide first (copiesSay): the glyph alone cannot tell a look-alike pair some
 * fonts draw nearly alike (the fresh set 2605's decoy `l`, alone `l` with `1`
 * offered; a true `O` read `0` everywhere, alone `0`); then the page's other
 * glyphs of the pair may contradict it (pageSays). So a change from a twin
 * (CONFIRMED_TWINS) that no copy confirms is not left to the glyph alone: it stands only
 * where most readings read the substitute. A `1` that is a bare stroke is no `1`
 * (bareStroke), and a twin every reading read as the key's is still compared
 * with its copies (CheckSub.asRead). What the glyph read alone said is kept in
 * `read` (per position, for one key): the key is judged again after later reads.
 */
async function glyphContradicts(worker: () => Worker, grey: Grey, sub: CheckSub, read: Map<number, boolean>, page: PageGlyph[], dump?: Trace['dump']): Promise<boolean> {
  const c = middleCell(sub.cells);
  if (!sub.syms.length || !c) return false;
  const glyph = glyphPicture(grey, c);
  if (sub.ch === '1' && bareStroke(glyph, sub)) return true;
  if (shapeSays(grey, glyph, sub)) return true;
  if (tallStroke(grey, sub, c)) return true;
  const byCopies = copiesSay(grey, glyph, sub);
  if (byCopies !== undefined) return byCopies;
  if (pageSays(grey, glyph, sub, page)) return true;
  if (sub.asRead && copiesDisown(sub.likeness?.[sub.ch], ownCopiesAgree(sub))) return true;
  if (sub.asRead) return ALONE_TELLS.some((t) => t.includes(sub.ch)) && twinOffered(sub) && (await twinAlone(readAlone(worker, grey, c, twinsOf(sub)), sub));
  if (zeroUnread(glyph, sub)) return true;
  // A twin read there (l 1 I, S 5…) is what a decoy is made of, and neither the
  // line nor the glyph alone tells some pairs apart (a decoy's `l` alone `1` at
  // 98-99, as a true `1` read `l`): without a copy to confirm it, the change
  // stands only where most readings read the substitute there.
  const twins = CONFIRMED_TWINS.find((t) => t.includes(sub.ch)) ?? '';
  if (sub.syms.some((sym) => top(sym) !== sub.ch && twins.includes(top(sym)))) return sub.syms.filter((sym) => top(sym) === sub.ch).length * 2 <= sub.syms.length;
  if (sub.partly) return false;
  const known = read.get(sub.i);
  if (known !== undefined) return known;
  const allowed = [...new Set([sub.ch, ...sub.syms.map(top)])].join('');
  let named = false;
  for (const choices of readAlone(worker, grey, c, allowed, dump && ((t, png) => dump(`glyph${sub.i}_t${t}`, png)))) {
    const got = await choices;
    (sub.alone ??= []).push(got);
    if (got.some((x) => x.ch === sub.ch)) { named = false; break; }
    if (got.length) named = true;
  }
  read.set(sub.i, named);
  return named;
}

/**
 * Does the glyph of every changed check character, read alone, name the
 * substitute first, at ALONE_SURE or more, at both sizes? Then a key the search
 * found through a check character tesseract only offered as an alternative
 * (V2Search.guessed) is not a guess: it is judged as a key found through
 * look-alikes is (glyphContradicts). A wrong-checksum decoy's glyph is the
 * character it was drawn as, so read alone it names that one; a true glyph the
 * line's context misread (wild-3002 photo-011, Liberation Mono 17 px in a
 * photo: a check `4` read `d` in all five views, `4` offered at 0-24) is named
 * alone at 99 at both sizes. Twins every reading read as the key's (asRead) are
 * left to glyphContradicts.
 */
async function guessConfirmed(worker: () => Worker, grey: Grey, subs: CheckSub[], read: Map<number, boolean>): Promise<boolean> {
  const changed = subs.filter((sub) => !sub.asRead);
  if (!changed.length) return false;
  for (const sub of changed) {
    const c = middleCell(sub.cells);
    if (!sub.syms.length || !c) return false;
    const allowed = [...new Set([sub.ch, ...sub.syms.map(top)])].join('');
    if (!(await aloneEvery(readAlone(worker, grey, c, allowed), sub, (got) => got[0]?.ch === sub.ch && got[0].conf >= ALONE_SURE))) return false;
    read.set(sub.i, false);
  }
  return true;
}

/**
 * Inked width over inked height below which a glyph is a bare stroke: an `l`
 * or `I` in a sans font, which the LSTM reads `1` in every view of a line of
 * mixed characters (lookalike seed 1717's 075, DejaVu Sans: 0.12), while every
 * font draws `1` with a flag (0.60-0.63 on that seed; an `l` with a tail, as
 * 043's and 077's, measures 0.57-0.58 and is not told from a `1` by this).
 */
const BARE_STROKE = 0.3;

/** Is a check character's glyph a bare stroke, so no `1`? */
function bareStroke(glyph: Grey, sub: CheckSub): boolean {
  let cols = 0;
  let from = -1;
  let to = 0;
  for (let x = 0; x < glyph.width; x++) {
    let ink = false;
    for (let y = 0; y < glyph.height; y++) {
      if (glyph.data[y * glyph.width + x]! >= INK_BELOW) continue;
      ink = true;
      if (from < 0 || y < from) from = y;
      if (y + 1 > to) to = y + 1;
    }
    if (ink) cols++;
  }
  sub.stroke = from < 0 ? undefined : cols / (to - from);
  return sub.stroke !== undefined && sub.stroke < BARE_STROKE;
}

/**
 * Mean darkness (inkShape's `centre`) from which a glyph's counter holds a
 * zero's mark, and up to which it is empty. On the lookalike seeds 1717, 1718,
 * 1733, 2805 and in-distribution seeds 5813, 2605, 2606, 2703, 2804: dotted or
 * slashed zeros 0.19-0.49 (11-18 px, png and jpeg), `O`s and DejaVu Sans's
 * plain zeros 0.00-0.09 (one Roboto `O`, its cell cut narrow, 0.14).
 */
const MARKED = 0.18;
const EMPTY = 0.1;
/**
 * Inked height (px) below which a counter's middle says nothing: a blurred
 * small zero's counter fills (wild-2604 recompressed-000, DejaVu Sans 14 px at
 * 0.8x, JPEG 50: the key's plain `0`, 8 px tall, measured 0.34).
 */
const COUNTER_FROM = 12;

/**
 * Does the glyph's own shape, against the key's zeros the checksum vouches
 * for, make it the substitute's twin? A zero's mark (Inconsolata's slash,
 * DejaVu Sans Mono's dot) in the counter is no `O`; an empty counter where one
 * of the key's own zeros is marked is no `0`. The picture's evidence, not the
 * font's name: a font whose zeros are plain says nothing, nor does a key with
 * no other zero.
 */
function shapeSays(grey: Grey, glyph: Grey, sub: CheckSub): boolean {
  const me = sub.ch === 'O' || sub.ch === '0' ? inkShape(glyph) : null;
  if (!me) return false;
  const zeros = sub.line.flatMap((g) => (g.ch === '0' ? [inkShape(glyphPicture(grey, g.cell))?.centre ?? 0] : []));
  sub.shape = `height ${me.height}, centre ${me.centre.toFixed(2)}, key's zeros ${zeros.map((z) => z.toFixed(2)).join('/') || 'none'}`;
  if (me.height < COUNTER_FROM) return false;
  return sub.ch === 'O' ? me.centre >= MARKED : me.centre <= EMPTY && zeros.some((z) => z >= MARKED);
}

/** Capitals with a flat top (no overshoot): the line's cap height is read on the vouched ones (tallStroke). */
const FLAT_CAPS = 'BDEFHIKLMNPRTUVWXZ';
/** Small letters with a straight ascender, as tall as an `l`. */
const ASCENDERS = 'bdhkl';
/**
 * Most the tops of a line's vouched capitals may spread (px), and most a glyph's top may stand
 * from its ascenders' line, for the line's heights to count (tallStroke): Chromium's hinting puts
 * a screenshot's cap height and ascender height on whole pixels (the vouched capitals of the look
 * sets' keys within 0.0-0.3 px of each other; a tilted or blurred line spreads further).
 */
const LINE_AGREE = 0.5;
/** Least the ascenders' line must stand over the capitals' (px) for a glyph's top to tell an `l` from an `I` or `1`. */
const ASC_OVER = 0.5;

/**
 * Is a glyph put as `I` or `1` an `l`, by its height? Where the key's vouched small letters with an
 * ascender (b d h k l) stand over its vouched flat-topped capitals on the glyph's line (sans fonts
 * and most monospaced ones draw `l` taller than `I` and `1`: Open Sans 18 px, 1 px), a glyph whose
 * top is at the ascenders' line and past halfway from the capitals' is an `l` (look-3706 023, Open
 * Sans: a decoy `l` put as the valid key's `I`, 1.00 px over the capitals, ascenders 1.03; the key's
 * own `I` 0.98 alike, both bare strokes scaled alike). True `I`s and `1`s stand 0.0-0.2 px from the
 * capitals. Not the other way round (an `I` put as `l`): not measured.
 */
function tallStroke(grey: Grey, sub: CheckSub, c: Box): boolean {
  if (sub.ch !== 'I' && sub.ch !== '1') return false;
  const topOf = (cell: Box) => Math.floor(cell.y) + inkTop(glyphPicture(grey, cell));
  const onLine = sub.line.filter((g) => Math.min(g.cell.y + g.cell.height, c.y + c.height) - Math.max(g.cell.y, c.y) >= 0.5 * Math.min(g.cell.height, c.height));
  const tops = (chars: string) => onLine.flatMap((g) => (chars.includes(g.ch) ? [topOf(g.cell)] : [])).sort((a, b) => a - b);
  const caps = tops(FLAT_CAPS);
  const asc = tops(ASCENDERS);
  const me = topOf(c);
  sub.tops = { me: +me.toFixed(2), caps: caps.map((t) => +t.toFixed(2)), asc: asc.map((t) => +t.toFixed(2)) };
  return atAscender(me, caps, asc);
}

/** Is a top (px) at the ascenders' line, ASC_OVER or more over the capitals', and past halfway from theirs? Each line's tops agree within LINE_AGREE; two capitals and one ascender at least. */
export function atAscender(me: number, caps: number[], asc: number[]): boolean {
  if (caps.length < 2 || !asc.length) return false;
  const spread = (t: number[]) => Math.max(...t) - Math.min(...t);
  if (spread(caps) > LINE_AGREE || spread(asc) > LINE_AGREE) return false;
  const med = (t: number[]) => { const s = [...t].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2; };
  const cap = med(caps);
  const up = med(asc);
  return cap - up >= ASC_OVER && Math.abs(me - up) <= LINE_AGREE && me < (cap + up) / 2;
}

/** A glyph's top edge in its picture, sub-pixel: its first row inked at 0.9 or more, less the ink of the rows just over it. */
function inkTop(g: Grey): number {
  const dark = (y: number) => { let m = 0; for (let x = 0; x < g.width; x++) m = Math.max(m, 1 - g.data[y * g.width + x]! / 255); return m; };
  let y = 0;
  while (y < g.height && dark(y) < 0.9) y++;
  let top = y;
  for (let k = y - 1; k >= 0 && dark(k) > 0.05; k--) top -= dark(k);
  return top;
}

/**
 * Is a changed check character a `0` that every reading read `O`, with an
 * empty counter? A decoy's `O` drawn for the valid key's `0` (look-2805 005,
 * 039, look-1717 027, 051, look-1718 001): the glyph read alone says `0` at 99,
 * as it does for any lone `O`, so it cannot confirm the change; nor can what
 * the readings offer: `0` at 67-70 for a decoy's `O` (look-3006 017,
 * look-2906 013), at 0-85 for a true marked `0` read `O`. Only this way
 * round: a true `O` read `0` in every view, `O` offered at 0-21 or not at all,
 * is common on clean screenshots (judged both ways, 16 true keys of 30 sets
 * went `low`, id-2905 000 and 038 among them), while no true `0` read `O` so
 * went `low` on those sets once ink in the counter keeps it.
 */
function zeroUnread(glyph: Grey, sub: CheckSub): boolean {
  if (sub.ch !== '0' || !sub.syms.every((sym) => top(sym) === 'O')) return false;
  // Any ink in the counter keeps it: a mark, or a small zero's counter filled
  // by blur (wild-2803 rotated-005, Fira Code 14 px turned, 11 px tall: 0.56),
  // so no COUNTER_FROM floor here, where ink only confirms.
  const me = inkShape(glyph);
  return !(me && me.centre >= MARKED);
}

/** Does some reading offer, at OFFERED_CONF or more, the twin of a check character every reading read as the key's? */
function twinOffered(sub: CheckSub): boolean {
  const twins = twinsOf(sub);
  return sub.syms.some((sym) => sym.choices.some((x) => x.ch !== sub.ch && twins.includes(x.ch) && x.conf >= OFFERED_CONF));
}

/**
 * Twins the glyph read alone tells apart, unlike `O 0` (a lone `O` reads `0`)
 * and `l 1 I` (a decoy's `l` alone `1` at 98-99).
 */
const ALONE_TELLS = ['S5', 'B8', 'Z2', 'G6'];

/**
 * Is a twin read as the key's, with the twin offered in some view, its twin
 * when read alone (only the pair allowed): first at every size? Look-3006
 * 033's `5` drawn for an `S` (Fira Code 12 px), read `S` in five views with
 * `5` at 67 in one.
 */
function twinAlone(reads: Iterable<Promise<Choice[]>>, sub: CheckSub): Promise<boolean> {
  return aloneEvery(reads, sub, (got) => got.length > 0 && got[0]!.ch !== sub.ch);
}

/** Does every reading of a check character's glyph alone say what `says` asks? Each is kept on the sub (for the bench tools); the first that does not stops the reads. */
async function aloneEvery(reads: Iterable<Promise<Choice[]>>, sub: CheckSub, says: (got: Choice[]) => boolean): Promise<boolean> {
  for (const choices of reads) {
    const got = await choices;
    (sub.alone ??= []).push(got);
    if (!says(got)) return false;
  }
  return true;
}

/** A glyph's cell cut out, dark on light, trimmed to its glyph (see inkRun). */
function glyphPicture(grey: Grey, c: Box): Grey {
  return inkRun(normalizeCrop(crop(grey, c.x, c.y, c.width, c.height)));
}

/**
 * glyphLikeness to a copy at or above which a changed glyph is that copy's character (the
 * substitute's or another's): Liberation Mono's `0` and `O` score 0.92-0.93 against each other.
 */
const COPY_ALIKE = 0.95;

/**
 * What the key's other glyphs (see CheckSub.copies) say of a changed check
 * character's glyph: contradicted when it is more like a copy of another
 * character than any copy of the substitute, and alike enough; not when it is
 * the substitute's copy's twin. Undefined when no copy is that alike.
 */
function copiesSay(grey: Grey, glyph: Grey, sub: CheckSub): boolean | undefined {
  sub.likeness = likenessTo(grey, glyph, sub.copies);
  if ((sub.likeness[sub.ch] ?? 1) < COPY_ALIKE) sub.pairs = copyPairs(grey, sub.line);
  return verdict(sub.likeness, sub.ch);
}

/** Each glyph of a character the key shows more than once: its best likeness to another of them. */
function copyPairs(grey: Grey, line: { ch: string; cell: Box }[]): { ch: string; like: number }[] {
  const out: { ch: string; like: number }[] = [];
  for (const g of line) {
    const others = line.filter((o) => o !== g && o.ch === g.ch);
    if (others.length) out.push({ ch: g.ch, like: likenessTo(grey, glyphPicture(grey, g.cell), others)[g.ch]! });
  }
  return out;
}

/**
 * Likeness to the key's own copies of a check character under which the glyph is not that
 * character, where two or more copies agree (copiesDisown). Decoys (look sets, the look-alike
 * put where the valid key has the character): 0.78-0.88 (look-3606 001, a `S` drawn for `5`, 0.84
 * like the key's two `5`s, 1.00 like each other). True glyphs under it had one copy, whose own
 * cell may be cut badly (look-3606 038, a true `1` 0.57 like the key's one `1`; wild-3001
 * photo-000, a `2` 0.37): see bench/README.md, "h29look".
 */
const UNLIKE_OWN = 0.9;

/** The key's own copies of the check character (two or more): each one's best likeness to another, as copiesSay measured them. */
function ownCopiesAgree(sub: CheckSub): number[] {
  return (sub.pairs ?? []).filter((p) => p.ch === sub.ch).map((p) => p.like);
}

/**
 * Is a twin every reading read as the key's (CheckSub.asRead) unlike every one of the key's own
 * copies of it, where those copies are two or more and each COPY_ALIKE like another? Then their
 * cells are cut cleanly and show the font's glyph of the character at the key's size, and a
 * glyph that is not it is its twin (a decoy's `S` put as the valid key's `5`, look-3606 001, with
 * no `S` anywhere to compare). One copy alone says nothing: its cell, or the glyph's, may be cut
 * off the glyph. Only as read: where the readings read another character the glyph's cell may
 * be another glyph's (look-3406 012, a true `W` read `iW`, 0.32 like the key's two `W`s).
 */
export function copiesDisown(own: number | undefined, agree: number[]): boolean {
  return own !== undefined && own < UNLIKE_OWN && agree.length >= 2 && agree.every((l) => l >= COPY_ALIKE);
}

/** The best likeness to a character other than `ch`; -1 when none was measured. */
function bestOther(likeness: Record<string, number>, ch: string): number {
  return Math.max(-1, ...Object.entries(likeness).flatMap(([c, l]) => (c === ch ? [] : [l])));
}

/** A glyph's best glyphLikeness to the cells of each character. */
function likenessTo(grey: Grey, glyph: Grey, cells: { ch: string; cell: Box }[]): Record<string, number> {
  const likeness: Record<string, number> = {};
  for (const { ch, cell } of cells) likeness[ch] = Math.max(likeness[ch] ?? -1, glyphLikeness(glyph, glyphPicture(grey, cell)));
  return likeness;
}

/**
 * What likenesses to labelled glyphs say of a glyph put as `ch`: contradicted when it is more
 * like a glyph of another character than any of `ch`, at COPY_ALIKE or more; confirmed the other
 * way round; undefined when none is that alike.
 */
export function verdict(likeness: Record<string, number>, ch: string): boolean | undefined {
  const asSub = likeness[ch] ?? -1;
  const rival = bestOther(likeness, ch);
  if (rival >= COPY_ALIKE && rival > asSub) return true;
  if (asSub >= COPY_ALIKE && asSub > rival) return false;
  return undefined;
}

/**
 * Confidence from which a page-pass symbol of a twin is taken as that character's glyph
 * (pageSays). Even so the page pass names some twins wrong (look-3306 033: a terminal's `l`
 * read `1`), which is why a page glyph only ever contradicts, and only when more alike than
 * any glyph labelled as the check character.
 */
const PAGE_SURE = 90;
/**
 * Most a page glyph's cell height may differ from the check character's, as a fraction, to be
 * drawn at its size: on the look sets' decoys, the same font and size measured within 10%
 * (25-27 px against 26, 14-16 against 15, 18-20 against 20).
 */
const SAME_SIZE = 0.15;
/** Page glyphs of each character compared with a check character, the nearest first: each costs a likeness. */
const PAGE_COPIES = 12;
/**
 * How much more like the page's glyphs of a twin than like its glyphs of the check character
 * itself a glyph must be to be contradicted (pageSays): the page's labels and a recompressed
 * page's pixels are noisy. Measured on true keys: a `5` of 11 px after JPEG, 0.96 like a page
 * `S` and 0.95 like a page `5` (wild-3201 recompressed-002, 0.01); an Inconsolata `1` at 0.77x
 * and JPEG 50, 0.99 like a page `l` and 0.87 like a page `1` (wild-3303 recompressed-006,
 * 0.12). The decoys taken: 0.19-0.38 (look-3106 033 to look-3206 013); look-3006 009 (0.14)
 * and look-3306 035 (0.03) are left.
 */
const PAGE_MARGIN = 0.15;

/** Is a cell's centre inside a box? */
function centreIn(c: Box, b: Box): boolean {
  const x = c.x + c.width / 2;
  const y = c.y + c.height / 2;
  return x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height;
}

/** A glyph the page pass read, outside the key, as a twin (TWINS) at PAGE_SURE or more. */
export interface PageGlyph { ch: string; cell: Box }

/** The page pass's glyphs of twins (TWINS), read at PAGE_SURE or more. */
export function pageTwinGlyphs(seqs: PSym[][]): PageGlyph[] {
  const twins = TWINS.join('');
  return seqs.flatMap((seq) => seq.flatMap((sym, i) => {
    const c = sym.choices[0];
    const cell = !sym.space && c && twins.includes(c.ch) && c.conf >= PAGE_SURE ? glyphCell(seq, i) : null;
    return cell ? [{ ch: c!.ch, cell }] : [];
  }));
}

/**
 * What the page's other glyphs of the check character and its twins, drawn at its size
 * (the rest of a terminal's or code block's text, in the key's font), say of it: only a
 * contradiction counts, and only where the page or the key's own copies show the check
 * character too, so that the font's difference between the pair is seen (pageContradicts,
 * withOwnCopies).
 */
function pageSays(grey: Grey, glyph: Grey, sub: CheckSub, page: PageGlyph[]): boolean {
  const c = middleCell(sub.cells)!;
  const chars = new Set([sub.ch, ...twinsOf(sub)]);
  const near = (g: PageGlyph) => Math.hypot(g.cell.x - c.x, g.cell.y - c.y);
  const alike = page.filter((g) => chars.has(g.ch) && Math.abs(g.cell.height / c.height - 1) <= SAME_SIZE).sort((a, b) => near(a) - near(b));
  const kept = [...chars].flatMap((ch) => alike.filter((g) => g.ch === ch).slice(0, PAGE_COPIES));
  sub.pageLikeness = likenessTo(grey, glyph, kept);
  return pageContradicts(withOwnCopies(sub.pageLikeness, sub.likeness ?? {}, sub.ch), sub.ch);
}

/**
 * The page's likenesses with the key's own copies of the check character added: those are
 * drawn in the key's font at its size, so they show the font's difference between the pair
 * where the page shows no glyph of the character (look-3506 005, Fira Code: a decoy `l` put
 * as `1`, 0.81 like the key's own `1`, 0.99 like the page's `l`; look-3606 037, Inconsolata:
 * a decoy `O` put as `0`, 0.66 like the key's slashed zeros, 0.99 like the page's `O`). Only
 * the character itself: a copy of a twin alike enough has already decided (copiesSay).
 */
export function withOwnCopies(page: Record<string, number>, copies: Record<string, number>, ch: string): Record<string, number> {
  const own = copies[ch];
  return own === undefined ? page : { ...page, [ch]: Math.max(own, page[ch] ?? -1) };
}

/**
 * Is a glyph put as `ch` a twin, by its likenesses to the page's glyphs of each character:
 * at COPY_ALIKE or more like one of a twin, and PAGE_MARGIN more than like any of `ch`, some
 * of which the page shows?
 */
export function pageContradicts(likeness: Record<string, number>, ch: string): boolean {
  const own = likeness[ch];
  const rival = bestOther(likeness, ch);
  return own !== undefined && rival >= COPY_ALIKE && rival >= own + PAGE_MARGIN;
}

/**
 * The glyph in cell `c` read alone (PSM 10) with only `allowed` characters, at
 * each of GLYPH_TARGETS in turn (lazily: a caller may stop after the first):
 * each read's choices, none when nothing was read.
 */
function* readAlone(worker: () => Worker, grey: Grey, c: Box, allowed: string, dump?: (target: number, png: Buffer) => Promise<void>): Generator<Promise<Choice[]>> {
  const cut = glyphPicture(grey, c);
  for (const target of GLYPH_TARGETS) {
    yield (async () => {
      const png = await toPng(cut, Math.min(8, Math.max(1, target / c.height)), 12);
      if (dump) await dump(target, png);
      const words = await read(worker, png, { psm: '10', choices: true, whitelist: allowed });
      return words.flatMap((w) => w.symbols.flatMap((x) => x.choices));
    })();
  }
}

/**
 * How each glyph of a key the search could not resolve is read alone (see
 * withAlone): cut twice, at its symbol's box (glyphCell) and at its place at
 * the key's pitch (a symbol box can hold two blurred glyphs: `So` for `o`,
 * read `S` at 99), each read once (PSM 10). Only what both
 * cuts put first is made nearly free: at the positions a line view read right,
 * both cuts put another character first at 72 of 342, one cut (the box) at 94
 * (bench/ocr/alone-probe.ts on the dev misses). Read at the first of
 * GLYPH_TARGETS only: a second read of each at 58 px found no key more.
 */
const ALONE_WHITELIST = BASE62;

/** Per position of a 36-symbol reference, the choices of each read of its glyph alone. */
async function readGlyphsAlone(worker: () => Worker, grey: Grey, ref: PSym[], dump?: Trace['dump']): Promise<Choice[][][]> {
  const pitch = pitchCells(ref);
  const out: Choice[][][] = [];
  for (let i = 0; i < ref.length; i++) {
    const reads: Choice[][] = [];
    for (const [k, c] of [glyphCell(ref, i), pitch?.[i]].entries()) {
      if (!c) continue;
      const first = readAlone(worker, grey, c, ALONE_WHITELIST, dump && ((_t, png) => dump(`alone${i}_${k ? 'pitch' : 'box'}`, png))).next();
      if (!first.done) reads.push(await first.value);
    }
    out.push(reads);
  }
  return out;
}

/** A one-line reference's cells at the pitch its ends give (whatever its symbols' boxes in between); null over several lines. */
function pitchCells(ref: PSym[]): Box[] | null {
  const a = ref[0]!.box;
  const b = ref[ref.length - 1]!.box;
  if (ref.some((s) => s.box.y > a.y + a.height || s.box.y + s.box.height < a.y)) return null;
  const adv = (b.x + b.width - a.x) / ref.length;
  const y0 = Math.min(...ref.map((s) => s.box.y));
  const lh = Math.max(...ref.map((s) => s.box.y + s.box.height)) - y0;
  return ref.map((_, i) => ({ x: a.x + i * adv, y: y0 - 0.15 * lh, width: adv, height: lh * 1.3 }));
}

/**
 * The glyph in a cell without slivers of its neighbours (an LSTM symbol box is
 * loose: `0` came out `0'`, and PSM 10 then reads nothing): the run of inked
 * columns holding the most ink. No key character has a blank column inside.
 */
function inkRun(g: Grey): Grey {
  const ink = new Float64Array(g.width);
  for (let y = 0; y < g.height; y++) for (let x = 0; x < g.width; x++) ink[x]! += Math.max(0, INK_BELOW - g.data[y * g.width + x]!);
  let best = { from: 0, to: g.width, sum: -1 };
  for (let x = 0; x < g.width;) {
    if (!ink[x]) { x++; continue; }
    let sum = 0;
    const from = x;
    while (x < g.width && ink[x]) sum += ink[x++]!;
    if (sum > best.sum) best = { from, to: x, sum };
  }
  return best.sum < 0 ? g : crop(g, Math.max(0, best.from - 1), 0, Math.min(g.width, best.to + 1) - Math.max(0, best.from - 1), g.height);
}

/**
 * The cell of symbol i of an aligned reading: its box, widened a little but
 * not past halfway to its neighbours on its line, as tall as that piece of
 * line (a wrapped key's reading runs over several lines).
 */
function glyphCell(r: Sym[], i: number): Box | null {
  const sym = r[i] as PSym | undefined;
  if (!sym?.box) return null;
  const b = sym.box;
  const onLine = (n: Sym | undefined): Box | null => {
    const nb = (n as PSym | undefined)?.box;
    return nb && nb.y < b.y + b.height && b.y < nb.y + nb.height ? nb : null;
  };
  const near = [r[i - 2], r[i - 1], r[i + 1], r[i + 2]].map(onLine).filter((x): x is Box => !!x);
  const y0 = Math.min(b.y, ...near.map((n) => n.y));
  const y1 = Math.max(b.y + b.height, ...near.map((n) => n.y + n.height));
  const lh = y1 - y0;
  const left = onLine(r[i - 1]);
  const right = onLine(r[i + 1]);
  const x0 = b.x - Math.min(0.08 * lh, left ? Math.max(0, b.x - left.x - left.width) / 2 : Infinity);
  const x1 = b.x + b.width + Math.min(0.08 * lh, right ? Math.max(0, right.x - b.x - b.width) / 2 : Infinity);
  return { x: x0, y: y0 - 0.15 * lh, width: x1 - x0, height: lh * 1.3 };
}

/**
 * The look-alikes a decoy's check character is drawn as (see CheckSub.copies):
 * not every look-alike group of the search, whose `Q` scored 0.96 against a
 * true `O` in a recompressed picture (wild-2607 recompressed-003).
 */
const TWINS = ['l1I', 'O0', 'S5', 'B8', 'Z2', 'G6'];
/**
 * Twins a change between needs a copy or most readings to confirm (glyphContradicts).
 * Not `O 0`: the LSTM reads a true `O` as `0`, or a `0` as `O`, in every view of
 * clean screenshots (in-distribution seeds 5813 and 2703: with the pair, 14 of 72
 * true keys went `low`, 13 of them through it); an `O`/`0` decoy is left to its copies.
 */
const CONFIRMED_TWINS = TWINS.filter((t) => t !== 'O0');
/**
 * A check character's twins (TWINS), the character included. For an `l` or
 * `I` every reading read as the key's (CheckSub.asRead), only `1`: a sans font
 * draws `l` and `I` both as a bare stroke, so a copy or an offer of the other
 * says nothing, while every font draws `1` with a flag (look-3006 019, DejaVu
 * Sans Mono: a `1` drawn for the key's `l`, read `l` in every view, beside the
 * key's own two `1`s).
 */
function twinsOf(sub: CheckSub): string {
  if (sub.asRead && (sub.ch === 'l' || sub.ch === 'I')) return `${sub.ch}1`;
  return TWINS.find((t) => t.includes(sub.ch)) ?? '';
}

function checkSubs(key: string, aligned: Sym[][], same?: number[][]): CheckSub[] {
  const subs: CheckSub[] = [];
  const at = (j: number) => aligned.flatMap((r) => (r[j]?.choices.length ? [r[j] as PSym] : []));
  const changed = new Set<number>();
  const cellsAt = (j: number) => aligned.flatMap((r) => glyphCell(r, j) ?? []);
  for (let i = 30; i < 36; i++) {
    const ch = key[4 + i]!;
    if (at(i).every((sym) => top(sym) === ch)) {
      if (TWINS.some((t) => t.includes(ch)) && at(i).length) subs.push({ i, ch, syms: at(i), cells: cellsAt(i), partly: true, copies: [], asRead: true, line: [] });
      continue;
    }
    const partly = [i, ...(same?.[i] ?? [])].some((j) => at(j).some((sym) => top(sym) === ch));
    changed.add(i);
    subs.push({ i, ch, syms: at(i), cells: cellsAt(i), partly, copies: [], line: [] });
  }
  // The checksum vouches for every character the search did not change: a
  // glyph there is the key's character, whatever was read.
  const line = [...Array(36).keys()].flatMap((j) => {
    const cell = changed.has(j) ? null : middleCell(cellsAt(j));
    return cell ? [{ j, ch: key[4 + j]!, cell }] : [];
  });
  for (const sub of subs) {
    const like = new Set([sub.ch, ...sub.syms.map(top), ...twinsOf(sub)]);
    sub.line = line.filter((g) => g.j !== sub.i);
    sub.copies = sub.line.filter((g) => like.has(g.ch));
  }
  return subs;
}

/** Of a glyph's cells in several readings, the middle one from left to right. */
function middleCell(cells: Box[]): Box | null {
  const sorted = [...cells].sort((a, b) => a.x + a.width / 2 - (b.x + b.width / 2));
  return sorted[sorted.length >> 1] ?? null;
}

/** Glyphs as tall as capitals in every font: a line's cap height is measured on them. */
const CAP_HEIGHT = new Set('0123456789ABDEFGHKLMNPRT');
/** Letters told from their capitals (and look-alike digits) by size alone: each read form, and its small and capital letter. */
const BY_SIZE: Record<string, [string, string]> = {
  c: ['c', 'C'], C: ['c', 'C'], o: ['o', 'O'], O: ['o', 'O'], '0': ['o', 'O'], s: ['s', 'S'], S: ['s', 'S'], '5': ['s', 'S'],
  u: ['u', 'U'], U: ['u', 'U'], v: ['v', 'V'], V: ['v', 'V'], w: ['w', 'W'], W: ['w', 'W'], x: ['x', 'X'], X: ['x', 'X'],
  z: ['z', 'Z'], Z: ['z', 'Z'], '2': ['z', 'Z'],
};
/** A symbol's box this near the reading's whole height (ascender to descender) is the line's, unless a line of capitals. */
const LINE_BOX = 0.9;
/** Letters with no capital twin nor ascender: small in every reading. */
const X_HEIGHT_ONLY = new Set('aemnr');

/**
 * Whether a reading's boxes are its glyphs': tesseract gives some symbols the
 * line's box instead, and when those are most of the reading its capitals'
 * median is the line's height: a small letter given that box measures as a
 * capital and a capital with its own box as small (wild-3004 rotated-002,
 * Liberation Mono 12 px on a dark terminal, JPEG, turned 2 degrees: 21 of 36
 * boxes the line's 14 px, a `7`, `D`, `M` and the `U` their own 10; every one
 * of the 23 changes caseBySize made in its four readings was wrong, and the
 * true key cost 8.5, past the search; wild-3003 photo-010 and wild-3004
 * photo-002, every box the line's, `a`, `m`, `r`, `e` as tall as capitals).
 * Then the boxes decide no case: when more than half are as tall as the
 * reading, and a capital or digit that has no small twin is shorter (under
 * 0.87 of it) or a letter small in every reading (X_HEIGHT_ONLY) as tall. A reading with no
 * descender, whose capitals are its height, is neither.
 */
function boxesTellCase(r: PSym[]): boolean {
  const span = Math.max(...r.map((sym) => sym.box.y + sym.box.height)) - Math.min(...r.map((sym) => sym.box.y));
  const lineBox = (sym: PSym) => sym.box.height >= LINE_BOX * span;
  if (r.filter(lineBox).length * 2 <= r.length) return true;
  return !r.some((sym) => (CAP_HEIGHT.has(top(sym)) && !BY_SIZE[top(sym)] && sym.box.height < SMALL_BELOW * span) || (X_HEIGHT_ONLY.has(top(sym)) && lineBox(sym)));
}

/** Height over the line's cap height: small letters measure 0.65-0.87, capitals 0.92-1.05 (dev sets, true alignments). */
const SMALL_BELOW = 0.87;
const CAPITAL_FROM = 0.92;
const CAPITAL_UPTO = 1.1;

/**
 * The LSTM reads a line in context: among capitals and digits it reads a key's
 * `v`, `x`, `c` as `V`, `X`, `C` in every view (so do the legacy engine and
 * tesseract's own x-height estimate, which so few small letters mislead). The
 * glyph's box says which it is: its height against the median height of the
 * reading's digits and capitals. Where that contradicts what was read, the size's
 * letter becomes the first choice and the read one a dearer alternative; the
 * checksum decides. On the dev sets' unresolved keys: 49 such case misreads by
 * the LSTM, 2 by the boxes (the rest of the boxes, too tall or too near the line
 * between the two, decide nothing).
 */
export function caseBySize(r: PSym[]): PSym[] {
  const caps = r.filter((sym) => CAP_HEIGHT.has(top(sym))).map((sym) => sym.box.height);
  if (caps.length < 4) return r;
  const capHeight = middleOf(caps);
  const low = xHeightTops(r, capHeight);
  const tell = boxesTellCase(r);
  return r.map((sym, k) => {
    const read = top(sym);
    if (low[k] && BY_TOP[read]) return preferring(sym, BY_TOP[read]);
    const pair = tell ? BY_SIZE[read] : undefined;
    if (!pair) return sym;
    const ratio = sym.box.height / capHeight;
    const sized = ratio < SMALL_BELOW ? pair[0] : ratio >= CAPITAL_FROM && ratio <= CAPITAL_UPTO ? pair[1] : null;
    // A capital-height `0`, `5` or `2` stays a digit: only a small glyph is told apart.
    if (!sized || sized === read || (sized === pair[1] && /[0-9]/.test(read))) return sym;
    return preferring(sym, sized);
  });
}

/** The symbol with `ch` first, at the read character's confidence, and the read one an alternative at half of it. */
function preferring(sym: PSym, ch: string): PSym {
  const read = top(sym);
  const conf = sym.choices[0]?.conf ?? 50;
  return { ...sym, choices: [{ ch, conf }, ...sym.choices.filter((c) => c.ch !== ch).map((c) => (c.ch === read ? { ch: read, conf: conf / 2 } : c))] };
}

/**
 * Capitals whose small letter has no ascender and another shape, so that its
 * box's height does not tell it (a `p`, `q`, `y`, `g` is as tall as a capital)
 * but its top does: it lies at the x-height, under the line's cap line.
 */
const BY_TOP: Record<string, string> = { A: 'a', E: 'e', G: 'g', M: 'm', N: 'n', P: 'p', Q: 'q', R: 'r', Y: 'y' };
/** A glyph's top this far under the cap line, in cap heights, is at the x-height (see xHeightTops; at 0.12, more capitals moved). */
const TOP_UNDER = 0.15;
/** ... and its bottom at most this far over the baseline: a box shifted whole is no small letter (at 0.1, more capitals moved). */
const BOTTOM_ABOVE = 0.05;

/**
 * Which symbols have their top at the x-height and their bottom on (or under)
 * the baseline. The cap line and the baseline are straight lines fitted to the
 * tops and bottoms of the glyphs read as capitals or digits: a photo's keystone
 * or tilt slants them and scales the glyphs along the line, so one height for
 * the whole reading would not do. The LSTM reads a key's `q`, `p`, `y`, `n`
 * among capitals as `Q`, `P`, `Y`, `N` in every view of a photo (wild-3202
 * photo-006, wild-3103 photo-004). Readings boxed with the line's height (see
 * boxesTellCase) need no gate: their fitted baseline is the descender line,
 * which a glyph's own box sits over. The thresholds, on the true alignments of
 * 23 photos' unresolved v2 readings: 1 of 482 capitals read right moved in
 * readings boxed per glyph, 1 of 370 in those boxed per line; 18 of 52 and 1
 * of 64 small letters read as capitals told. A wrapped key's reading holds
 * each of its lines (see wrap.ts): each is fitted on its own.
 */
function xHeightTops(r: PSym[], capHeight: number): boolean[] {
  return textLines(r, capHeight).flatMap((line) => onXHeight(line, capHeight));
}

/**
 * A reading cut where a glyph's top lies over a cap height from the one
 * before's: a wrapped key's next line. Fitted across both, the next line's
 * capitals lie far under the first's cap line and read as small letters
 * (wild-3101 wrapped-003: its last line's `Q` read `q`, and the key lost).
 */
function textLines(r: PSym[], capHeight: number): PSym[][] {
  const lines: PSym[][] = [];
  r.forEach((sym, k) => {
    if (k === 0 || Math.abs(sym.box.y - r[k - 1]!.box.y) > capHeight) lines.push([]);
    lines[lines.length - 1]!.push(sym);
  });
  return lines;
}

/** xHeightTops on one text line. */
function onXHeight(line: PSym[], capHeight: number): boolean[] {
  const capped = line.filter((sym) => CAP_HEIGHT.has(top(sym)));
  const mid = (sym: PSym) => sym.box.x + sym.box.width / 2;
  const capLine = capped.length >= 4 && straightThrough(capped.map((sym) => [mid(sym), sym.box.y]), capHeight);
  const baseline = capped.length >= 4 && straightThrough(capped.map((sym) => [mid(sym), sym.box.y + sym.box.height]), capHeight);
  if (!capLine || !baseline) return line.map(() => false);
  return line.map((sym) => sym.box.y - capLine(mid(sym)) >= TOP_UNDER * capHeight && sym.box.y + sym.box.height - baseline(mid(sym)) >= -BOTTOM_ABOVE * capHeight);
}

/**
 * A straight line through (x, y) points: the median of the pairwise slopes
 * and of the intercepts they leave (a small letter read as a capital strays
 * and does not pull it), then least squares on the points within a tenth of
 * `scale` of it; null when under half of them are that near.
 */
function straightThrough(points: [number, number][], scale: number): ((x: number) => number) | null {
  const slopes = points.flatMap(([x, y], i) => points.slice(i + 1).flatMap(([x2, y2]) => (x2 !== x ? [(y2 - y) / (x2 - x)] : [])));
  if (slopes.length === 0) return null;
  const slope = middleOf(slopes);
  const at0 = middleOf(points.map(([x, y]) => y - slope * x));
  const use = points.filter(([x, y]) => Math.abs(y - (at0 + slope * x)) <= scale / 10);
  if (use.length * 2 < points.length || use.length < 3) return null;
  const fit = lineFit(use);
  return (x) => fit.first + fit.advance * x;
}

/** The middle value (the upper of the two middle ones). */
function middleOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/**
 * A key's last glyph cut in half by the edge of its box (a code block narrower
 * than the line): `…AbNFH` read `…AbNFI`, the `I` being the H's left stem. In
 * a monospaced reading, a last glyph under half a cell wide that sits in the
 * left part of its cell is cut (a real `I` or `l` is centred in its cell).
 * Then the last symbol of every whole reading stands for any character; the
 * checksum tells which.
 */
export function cutAtEnd(readings: PSym[][]): PSym[][] {
  const cut = readings.some((r) => {
    if (r.length !== 36) return false;
    const cells = monospaceCells(r.slice(0, -1).map((sym) => sym.box));
    if (!cells) return false;
    const last = r[35]!.box;
    const cellMid = cells.x0 + 35.5 * cells.advance;
    return last.width < cells.advance / 2 && last.x + last.width / 2 < cellMid - cells.advance / 5;
  });
  if (!cut) return readings;
  return readings.map((r) => (r.length >= 36 ? [...r.slice(0, 35), { ...r[35]!, choices: [], cut: top(r[35]!) }, ...r.slice(36)] : r));
}

/**
 * A text cursor over a key's glyph: every view reads the bar and the glyph as
 * some other character (`J`, `Y`, `4`, `C`), never offering the true one, and
 * its symbol box runs the cursor's height, 1.8-2.2 times the reading's median
 * on the dev sets' occluded misses (the other glyphs there at most 1.4).
 */
const CURSOR_TALL = 1.7;

/**
 * The one symbol of a reading at least `CURSOR_TALL` times its median height
 * may be any character besides what was read (Sym.cursor, see pool); the
 * checksum tells which. Two or more so tall are no single cursor (a reading
 * running over two lines).
 */
export function underCursor(r: PSym[]): PSym[] {
  if (r.length === 0) return r;
  const heights = r.map((sym) => sym.box.height).sort((a, b) => a - b);
  const median = heights[heights.length >> 1]!;
  const tall = r.filter((sym) => sym.box.height >= CURSOR_TALL * median);
  if (tall.length !== 1) return r;
  return r.map((sym) => (sym === tall[0] ? { ...sym, cursor: true } : sym));
}

/**
 * A text caret drawn over a key's glyph, found on the page rather than in the boxes: tesseract
 * often runs the caret's height over several symbols (or over none), so underCursor marks no
 * slot (bench/README.md, h29occ, h33caret). On the page the caret is one thin column of ink, of
 * the text's polarity, taller than any glyph and reaching above the glyphs' tops: over the
 * reading's span, from a median box height above the boxes' median top to one below their
 * median bottom, a column's longest run of pixels `CARET_INK` grey levels or more off the
 * area's median grey is tall at `CARET_TALL` times the median box height (h29occ: the carets
 * 1.83-2.21, the tallest other columns 0.93-1.11; here the eight caret misses 1.85-2.44).
 */
const CARET_INK = 64;
const CARET_TALL = 1.6;
/** One run of tall columns at most this share of the median box width (2 px at least): a selection's or a tooltip's edge is wider. */
const CARET_THIN = 0.5;
/**
 * How far above the boxes' median top the run must start, in median box heights: a caret is
 * drawn over the whole line, centred on it; a mouse pointer's left edge, the other thin tall
 * run over a key, starts at its tip, in the glyphs' band. Measured (H33_CARET_LOG, a scratch
 * log; every reading of a picture): the caret runs of the eight caret misses started 0.41-0.94
 * above, the pointer runs of the 40 occluded pictures with a pointer over a v2 key on the 16
 * wild tuning sets -0.40 to 0.04 (h29occ's losses, wild-3503 occluded-007 and -008, -0.27 to -0.32).
 */
const CARET_ABOVE = 0.2;

/**
 * A reading with the symbol whose box holds a text caret (see CARET_ABOVE) marked as under a
 * cursor (Sym.cursor), as underCursor marks a tall box; left as it is when underCursor marked
 * one, when the reading is short of a key (fewer than 30 glyphs), or when no single thin run
 * or no box holds it.
 */
export function underCaret(r: PSym[], grey: Grey): PSym[] {
  const syms = r.filter((sym) => !sym.space && sym.box.width > 0 && sym.box.height > 0);
  if (syms.length < 30 || r.some((sym) => sym.cursor)) return r;
  const h = middleOf(syms.map((sym) => sym.box.height));
  const w = middleOf(syms.map((sym) => sym.box.width));
  const top = middleOf(syms.map((sym) => sym.box.y));
  const bottom = middleOf(syms.map((sym) => sym.box.y + sym.box.height));
  const x0 = Math.max(0, Math.floor(Math.min(...syms.map((sym) => sym.box.x))));
  const x1 = Math.min(grey.width, Math.ceil(Math.max(...syms.map((sym) => sym.box.x + sym.box.width))));
  const y0 = Math.max(0, Math.floor(top - h));
  const y1 = Math.min(grey.height, Math.ceil(bottom + h));
  if (x1 - x0 < 2 || y1 - y0 < 2) return r;
  const cx = caretAt(grey, { x0, x1, y0, y1 }, h, w, top);
  const holder = cx === null ? undefined : syms.find((sym) => sym.box.x <= cx && cx <= sym.box.x + sym.box.width);
  return holder ? r.map((sym) => (sym === holder ? { ...sym, cursor: true } : sym)) : r;
}

/** Each page's caret searches by their inputs: every search of a region takes its readings again (see underCaret). */
const caretsSeen = new WeakMap<Grey, Map<string, number | null>>();

/**
 * The centre (x) of the one thin run of tall ink columns in the area that starts above the
 * glyphs (see underCaret), or null. Its boxes' median height `h`, width `w` and top `top`.
 */
function caretAt(grey: Grey, a: { x0: number; x1: number; y0: number; y1: number }, h: number, w: number, top: number): number | null {
  const id = `${a.x0},${a.x1},${a.y0},${a.y1},${h},${w},${top}`;
  let seen = caretsSeen.get(grey);
  if (!seen) caretsSeen.set(grey, (seen = new Map()));
  if (seen.has(id)) return seen.get(id)!;
  const area: number[] = [];
  for (let y = a.y0; y < a.y1; y++) for (let x = a.x0; x < a.x1; x++) area.push(grey.data[y * grey.width + x]!);
  const bg = middleOf(area);
  const tall: { x: number; from: number }[] = [];
  for (let x = a.x0; x < a.x1; x++) {
    let best = 0;
    let from = 0;
    let run = 0;
    for (let y = a.y0; y < a.y1; y++) {
      if (Math.abs(grey.data[y * grey.width + x]! - bg) < CARET_INK) { run = 0; continue; }
      if (++run > best) { best = run; from = y - run + 1; }
    }
    if (best >= CARET_TALL * h) tall.push({ x, from });
  }
  const one = tall.length > 0 && tall[tall.length - 1]!.x - tall[0]!.x + 1 === tall.length;
  const found = one && tall.length <= Math.max(2, CARET_THIN * w) && top - Math.min(...tall.map((c) => c.from)) >= CARET_ABOVE * h;
  const cx = found ? (tall[0]!.x + tall[tall.length - 1]!.x + 1) / 2 : null;
  seen.set(id, cx);
  return cx;
}

/** Is symbol k of a reading likely a glyph read twice or a phantom? */
function split(r: PSym[], k: number): boolean {
  const c = top(r[k]!);
  if ((r[k]!.choices[0]?.conf ?? 0) < 50) return true;
  for (const n of [r[k - 1], r[k + 1]]) {
    if (!n) continue;
    const d = top(n);
    if (d.toLowerCase() === c.toLowerCase() && d !== c) return true;
    if (lookalikes(c).includes(d)) return true;
  }
  return false;
}

function meanConf(r: Sym[]): number {
  return r.reduce((a, s) => a + (s.choices[0]?.conf ?? 0), 0) / Math.max(1, r.length);
}

function boxOf(syms: PSym[]): Box {
  const x0 = Math.min(...syms.map((s) => s.box.x));
  const y0 = Math.min(...syms.map((s) => s.box.y));
  const x1 = Math.max(...syms.map((s) => s.box.x + s.box.width));
  const y1 = Math.max(...syms.map((s) => s.box.y + s.box.height));
  return { x: Math.round(x0), y: Math.round(y0), width: Math.round(x1 - x0), height: Math.round(y1 - y0) };
}

/** Page-pass scale: small images are read at twice the size. */
function pageScale(g: Grey): number {
  const px = g.width * g.height;
  if (px <= 1_300_000) return 2;
  if (px <= 4_000_000) return 1;
  return Math.sqrt(4_000_000 / px);
}

/** A v1 reading: LSTM (`hex`: with the hex-only whitelist) or the legacy engine's (always hex-only). */
export type V1Read = V1Hit & { hex?: boolean; legacy?: boolean };

/**
 * The exact (32-digit) reading the others are aligned on: the one nearest
 * (summed edit distance) to every reading of the key, LSTM hex-only ones
 * first on a tie. The first exact reading was not always right: a reading
 * that lost a `0` and read a `d` twice is also 32 digits long, and so is one
 * that ran `$echo` into the key and lost its last five digits; aligning every
 * reading on it keeps its slip.
 */
function v1Reference(exact: V1Read[], all: V1Read[]): PSym[] | undefined {
  const text = (syms: PSym[]) => syms.map((sym) => toHex(top(sym)) ?? '?').join('');
  const runs = all.map((v) => text(v.run));
  const rank = (v: V1Read) => (v.legacy ? 0 : v.hex ? 2 : 1);
  let best: V1Read | undefined;
  let bestScore = Infinity;
  for (const v of exact) {
    const t = text(v.syms);
    const score = runs.reduce((sum, r) => sum + editDistance(t, r), 0) - rank(v) / 4;
    if (score < bestScore) { best = v; bestScore = score; }
  }
  return best?.syms;
}

/** A voted v1 digit against a rival (see v1Rivals): the glyph's best likeness to the key's other glyphs voted each. */
export interface V1Rival { i: number; voted: string; rival: string; asVoted: number; asRival: number }

/** The hex digits an LSTM reading read first at slot i where the vote put another (the legacy engine's misreads are its own: LEGACY_MISREADS). */
function firstsAgainst(aligned: (PSym | undefined)[][], legacy: boolean[], voted: string, i: number): string[] {
  const firsts = aligned.flatMap((r, j) => (legacy[j] ? [] : [r[i]?.choices[0]?.ch ?? '']));
  return [...new Set(firsts.filter((ch) => ch !== voted && /^[0-9a-f]$/.test(ch)))];
}

/**
 * Each digit of a voted v1 key that some LSTM reading read as another hex
 * digit, with its glyph's likeness (glyphLikeness) to the key's other glyphs
 * voted the same digit and to those voted the rival; -1 where there are none.
 * The glyph's cell is the middle one of the LSTM readings' (as checkV1Zeros cuts it).
 */
export function v1Rivals(grey: Grey, key: string, aligned: (PSym | undefined)[][], legacy: boolean[]): V1Rival[] {
  const cells = [...key].map((_, i) => middleCell(aligned.flatMap((r, j) => (legacy[j] ? [] : (glyphCell(r as Sym[], i) ?? [])))));
  const pics = new Map<number, Grey>();
  const pic = (i: number) => pics.get(i) ?? pics.set(i, glyphPicture(grey, cells[i]!)).get(i)!;
  // A copy some reading read as `not` is no copy to judge by: the key's `f` voted `7` beside its other `f`.
  const best = (i: number, d: string, not?: string) => Math.max(-1, ...[...key].flatMap((k, j) =>
    (j !== i && k === d && cells[j] && !aligned.some((r) => r[j]?.choices[0]?.ch === not) ? [glyphLikeness(pic(i), pic(j))] : [])));
  return [...key].flatMap((voted, i) => {
    if (!cells[i]) return [];
    const rivals = firstsAgainst(aligned, legacy, voted, i);
    if (!rivals.length) return [];
    const asVoted = best(i, voted);
    return rivals.map((rival) => ({ i, voted, rival, asVoted, asRival: best(i, rival, voted) }));
  });
}

/**
 * The rival a voted digit's glyph is the key's own copy of: at COPY_ALIKE or
 * more like a glyph the vote gave the rival, and more than like any it gave the
 * voted digit. The LSTM reads some glyphs of a photographed or recompressed
 * key as a look-alike in most views (`d` as `0` or `4`, `6` as `3` or `b`),
 * while one view reads it right and the key's other copies of it were voted
 * right (wild-3204 photo-010, wild-3303 photo-006, wild-3203 recompressed-008).
 * On the v1 readings of the 16 wild tuning sets (bench/ocr/v1-copies.ts) it
 * turned 6 digits, all right. Of the rivals that were wrong, one scored over
 * COPY_ALIKE (0.979, wild-3303 occluded-010), against 1.000 for the voted
 * digit's copies; where the rival scored more than the voted digit, 0.915 at
 * most (wild-3204 recompressed-003).
 */
function copiedRival(r: V1Rival): boolean {
  return r.asRival >= COPY_ALIKE && r.asRival > r.asVoted;
}

/** The voted hex with each digit copiedRival turns turned. */
function byCopies(key: string, rivals: V1Rival[]): string {
  const hex = [...key];
  for (const r of rivals.filter(copiedRival).sort((a, b) => a.asRival - b.asRival)) hex[r.i] = r.rival;
  return hex.join('');
}

/**
 * The v1 key a region's readings vote for, always 'low', or null. `grey`: the
 * image, to tell which glyphs are the same; `rivals`, for the bench tools: the
 * voted digits some reading contests (v1Rivals), before any is turned.
 */
export function settleV1(v1Readings: V1Read[], grey?: Grey, rivals: V1Rival[] = []): ImageCandidate | null {
  if (!v1Readings.length) return null;
  const exact = v1Readings.filter((v) => v.exact);
  const pool1 = exact.length ? exact : v1Readings;
  const hexReads = pool1.filter((v) => v.hex);
  const use = hexReads.length ? hexReads : pool1;
  const legacy = v1Readings.map((v) => !!v.legacy);
  // The key itself: every reading (page pass, close-ups, hex-only),
  // aligned by edit distance onto an exact one, votes.
  const refRead = v1Reference(exact, v1Readings);
  const aligned = refRead ? v1Readings.map((v) => (v.syms === refRead ? v.syms : alignTo(refRead, v.run))) : [];
  const vote = (glyphs?: SameGlyphs) => ({
    voted: voteV1(use.map((v) => v.syms), use.map((v) => !!v.legacy), glyphs),
    all: refRead ? voteV1(aligned, legacy, glyphs) : null,
  });
  let { voted, all } = vote();
  // Which glyphs are the same picture, in the cells of the reference reading's
  // boxes; only when that reading is the key the readings vote for, give or
  // take a few digits (a legacy reading that ran text into the key's start is
  // 32 hex digits in the wrong cells).
  const agrees = (a: string, b: string) => [...a].filter((ch, i) => toHex(ch) === b[i]).length >= 28;
  const base = all ?? voted;
  if (grey && refRead && base && agrees(refRead.map(top).join(''), base.key)) {
    const glyphs = sameGlyphs(grey, refRead.map((sym) => sym.box));
    if (glyphs) ({ voted, all } = vote(keyCopies(glyphs)));
  }
  if (!voted) return null;
  const dc = voteDc(v1Readings.map((v) => ({ dc: v.dc, legacy: !!v.legacy, sure: v.dcSure })))!;
  const hex = all?.key ?? voted.key;
  if (grey && all) rivals.push(...v1Rivals(grey, hex, aligned, legacy));
  const key = `${byCopies(hex, rivals)}-sf${dc}`;
  const box = boxOf(use[0]!.syms);
  const charW = box.width / 32;
  // Always 'low': a v1 key has no checksum, and tesseract misreads some
  // hex digits (4/d, 6/b, 5/b) the same way in every view with high
  // confidence, so no agreement between readings proves a v1 reading.
  return { ruleId: 'spreeflo-api-key-v1', key, confidence: 'low', box: { ...box, width: Math.round(box.width + (3 + dc.length) * charW) } };
}

/**
 * Digits of a v1 key a `0` contests that are read alone, at most this many per
 * key (the most contested first): two reads of one glyph each, a few tens of ms.
 */
const V1_ZERO_CHECKS = 4;
/** An LSTM alternative `0` at this confidence or more contests a digit (a `0` read `6` offered `0` at 62-73). */
const V1_RIVAL_CONF = 50;

/** A digit of a voted v1 key and what other readings name there (see contestedV1): the hex digits read instead, the strongest `0`'s confidence, the glyph's cell. */
export interface ContestedV1 { i: number; rivals: Set<string>; strength: number; cell: Box | null }

/**
 * Each digit of a voted v1 key (`hex`) with what other readings name there
 * (contested when any does): the legacy engine's reading, or an LSTM reading or
 * alternative at V1_RIVAL_CONF or more, naming another hex digit. Empty unless
 * the LSTM's 32-digit reading nearest the key is the key give or take a few
 * digits (as in settleV1): the readings are aligned on it (a legacy reading's
 * boxes are coarser).
 */
export function contestedV1(hex: string[], readings: V1Read[]): ContestedV1[] {
  const agree = (v: V1Read) => v.syms.filter((sym, i) => toHex(top(sym)) === hex[i]).length;
  const ref = contestRef(readings.filter((v) => v.exact), agree);
  if (!ref || agree(ref) < 28) return [];
  const aligned = readings.map((v) => (v.syms === ref.syms ? v.syms : alignTo(ref.syms, v.run)));
  const pitch = boxOf(ref.syms).width / 32;
  return hex.map((d, i) => {
    const rivals = new Set<string>();
    let strength = 0;
    aligned.forEach((r, j) => {
      const choices = readings[j]!.legacy ? (r[i]?.choices.slice(0, 1) ?? []) : (r[i]?.choices.filter((c) => c.conf >= V1_RIVAL_CONF) ?? []);
      for (const c of choices) {
        const h = toHex(c.ch);
        if (h === null || h === d) continue;
        rivals.add(h);
        if (h === '0') strength = Math.max(strength, c.conf);
      }
    });
    // The middle one of the LSTM readings' cells, none much wider than the key's pitch:
    // a reading's box may span two glyphs and the line around them (wild-607 rotated-009).
    const cell = middleCell(aligned.flatMap((r, j) => (readings[j]!.legacy ? [] : (glyphCell(r as Sym[], i) ?? []))).filter((c) => c.width <= pitch * 1.5));
    return { i, rivals, strength, cell };
  });
}

/**
 * The 32-digit reading contestedV1 aligns the others on: the one agreeing most with the
 * voted key, an LSTM one on a tie (a legacy reading's boxes are coarser), a legacy one only
 * where it agrees more. The LSTM's only 32-digit reading may be one that lost a glyph and
 * read another as two (wild-3703 rotated-007: `a1a15` read `aa1sb` in its hex-only view),
 * its middle a digit off: aligned on it, the readings' cells were their neighbours', and
 * checkV1Alone read a `1`'s neighbour `5` alone and turned the `1` into it, where the three
 * legacy readings read the key exactly (settleV1's reference, v1Reference, is one of them).
 */
export function contestRef(exact: V1Read[], agree: (v: V1Read) => number): V1Read | undefined {
  return [...exact].sort((a, b) => agree(b) - agree(a) || +!!a.legacy - +!!b.legacy)[0];
}

/** The first choice of each read of v1 digit `i`'s glyph in `cell` alone (readAlone, with only the voted digit and its rivals allowed) that names one. */
async function firstsAlone(worker: () => Worker, grey: Grey, cell: Box, i: number, voted: string, rivals: Set<string>, trace?: Trace): Promise<string[]> {
  const firsts: string[] = [];
  for (const choices of readAlone(worker, grey, cell, [voted, ...rivals].join(''))) {
    const first = (await choices)[0]?.ch;
    if (first) firsts.push(first);
  }
  if (trace) { trace.reads += GLYPH_TARGETS.length; trace.texts.push(`v1 digit ${i} alone (${voted}${[...rivals].join('')}): ${firsts.join(' ') || 'nothing'}`); }
  return firsts;
}

/**
 * The LSTM misreads a small `0` (11-13 px, a dot or slash inside in some
 * fonts) as `6`, `d`, `b`, `f` or `8` in every view of its line, offering `0`
 * only as an alternative: on the v1 keys of the 12 shared sets its readings
 * made a `0` something else 112 times, and something else a `0` 15 times.
 * Read alone, out of its line's context, the glyph comes out `0` (as
 * glyphContradicts found for v2 keys). So a digit of the voted key that some
 * reading contests with a `0` (the legacy engine's reading, or an LSTM reading
 * or alternative at V1_RIVAL_CONF or more) is read alone in its cell, with
 * only the key's digit and the readings' other digits there allowed; when
 * every read that names a glyph names `0` first, the digit becomes `0`. Only
 * towards `0`: a `0` read alone is itself misread (`8`, DejaVu Sans Mono 11 px
 * after q50). The key stays `low` either way.
 */
async function checkV1Zeros(worker: () => Worker, grey: Grey, found: ImageCandidate | null, readings: V1Read[], trace?: Trace): Promise<ImageCandidate | null> {
  if (!found) return found;
  const hex = [...found.key.slice(0, 32)];
  const contested = contestedV1(hex, readings).filter((c) => hex[c.i] !== '0' && c.rivals.has('0'));
  let changed = false;
  for (const { i, rivals, cell } of contested.sort((a, b) => b.strength - a.strength).slice(0, V1_ZERO_CHECKS)) {
    if (!cell) continue;
    const firsts = await firstsAlone(worker, grey, cell, i, hex[i]!, rivals, trace);
    if (firsts.length && firsts.every((ch) => ch === '0')) {
      hex[i] = '0';
      changed = true;
    }
  }
  return changed ? { ...found, key: hex.join('') + found.key.slice(32) } : found;
}

/**
 * Rivals a v1 digit's glyph read alone is not taken for: a `0` is checkV1Zeros's, and
 * alone a true `f` comes out `1` at both sizes (wild-3504 photo-003, 3102
 * recompressed-006), as every view of its line reads it.
 */
const NOT_ALONE = '01';

/**
 * What a contested v1 digit's glyph read alone (`firsts`, one first choice per read
 * that named one) says it is: the rival every read of GLYPH_TARGETS named first,
 * unless NOT_ALONE; null when it says nothing else. `asVoted`: the glyph's best
 * likeness to the key's other glyphs voted its digit (-1 when none): a copy of one
 * (COPY_ALIKE) is that digit whatever it is read alone.
 */
export function aloneSays(voted: string, firsts: string[], asVoted: number): string | null {
  const [first] = firsts;
  if (!first || firsts.length < GLYPH_TARGETS.length || firsts.some((ch) => ch !== first)) return null;
  return first !== voted && !NOT_ALONE.includes(first) && asVoted < COPY_ALIKE ? first : null;
}

/**
 * The LSTM reads some glyphs of a photographed or tilted v1 key as a look-alike in
 * every view of its line (`9` as `0`, `3` as `1`, `d` as `4`), another reading naming
 * the true digit at most as an alternative, and with no copy of it in the key to
 * compare with (v1Rivals). Read alone, out of its line's context (as checkV1Zeros
 * reads a digit a `0` contests), the glyph comes out as itself: a contested digit
 * no copy of its voted digit confirms is read alone with only the voted digit and
 * its rivals allowed, and takes the rival both reads name (aloneSays). The key
 * stays `low`.
 */
export async function checkV1Alone(worker: () => Worker, grey: Grey, found: ImageCandidate | null, readings: V1Read[], trace?: Trace): Promise<ImageCandidate | null> {
  if (!found) return found;
  const hex = [...found.key.slice(0, 32)];
  const digits = contestedV1(hex, readings);
  const pic = (c: Box) => glyphPicture(grey, c);
  const asVoted = (i: number, cell: Box) => Math.max(-1, ...digits.flatMap((d) => (d.i !== i && hex[d.i] === hex[i] && d.cell ? [glyphLikeness(pic(cell), pic(d.cell))] : [])));
  let changed = false;
  for (const { i, rivals, cell } of digits) {
    if (!cell || ![...rivals].some((r) => !NOT_ALONE.includes(r))) continue;
    const likeness = asVoted(i, cell);
    if (likeness >= COPY_ALIKE) continue;
    const firsts = await firstsAlone(worker, grey, cell, i, hex[i]!, rivals, trace);
    const said = aloneSays(hex[i]!, firsts, likeness);
    if (said) { hex[i] = said; changed = true; }
  }
  return changed ? { ...found, key: hex.join('') + found.key.slice(32) } : found;
}

/** A region's v1 key from its readings: voted (settleV1), then its digits a `0` contests and those no copy confirms read alone. */
export async function finishV1(worker: () => Worker, grey: Grey, readings: V1Read[], trace?: Trace): Promise<ImageCandidate | null> {
  return checkV1Alone(worker, grey, await checkV1Zeros(worker, grey, settleV1(readings, grey), readings, trace), readings, trace);
}

/** Two v1 keys are one key read twice when their hex agrees on this many of 32 digits. */
const SAME_V1 = 28;

/**
 * The v1 keys several regions of a page read at one spot (their boxes overlap, their
 * hex the same give or take a few digits): each becomes the key of all their readings
 * voted together (`finish`, as one region's). Only the first listed of them is kept
 * at the end, and it was the first region's own vote: wild-3404 recompressed-007
 * (a `Bearer` line read by three regions, the `Bearer` word's and the line's twice)
 * listed the first region's key, a `3` for an `a` in five LSTM readings of eight,
 * while the third region read the key exactly and was left out.
 */
export async function sameSpotV1(lows: ImageCandidate[], reads: Map<ImageCandidate, V1Read[]>, finish: (readings: V1Read[]) => Promise<ImageCandidate | null>): Promise<void> {
  const keys = lows.filter((c) => reads.has(c));
  const done = new Set<ImageCandidate>();
  for (const c of keys) {
    if (done.has(c)) continue;
    const group = keys.filter((o) => !done.has(o) && sameSpot(o.box, c.box) && [...o.key.slice(0, 32)].filter((ch, i) => ch === c.key[i]).length >= SAME_V1);
    for (const o of group) done.add(o);
    if (group.length < 2) continue;
    const pooled = await finish(group.flatMap((o) => reads.get(o)!));
    if (!pooled) continue;
    // In place: the order of the lows and byWrittenSuffix's set stand as they were.
    for (const o of group) o.key = pooled.key;
  }
}

/**
 * What the close-ups of one region read: the line cropped from the page's
 * normalisation (`view`), the same from the crop normalised on its own
 * (`local`), and the map from a close-up's pixels (scaled by `s`, padded by
 * `pad`) back to the original image. `area`: the page-pass region, whose own
 * readings count too; none for a wrapped key's joined pieces.
 */
interface Strip { name: string; h: number; area?: Region; right?: number; view: Grey; local: () => Grey; stretched: () => Grey | null; barred: () => Grey | null; toOrig: (b: OcrBox, s: number, pad: number) => Box }

/** Whether two views are drawn alike, pixel for pixel. */
function sameGrey(a: Grey, b: Grey): boolean {
  return a.width === b.width && a.height === b.height && a.data.every((v, i) => v === b.data[i]);
}

/** Cuts of the page view (see pageViewCrop), in original pixels. */
type PageCut = (x: number, y: number, w: number, h: number) => Grey;

/** A region's line, with 1.2 line heights of margin on the left and 3.5 on the right (a `-sf12` suffix the page pass split off). */
function regionStrip(view: PageCut, grey: Grey, r: Region): Strip {
  const h = Math.max(6, r.h);
  const cx = r.x - h * 1.2;
  const cy = r.y - h * 0.5;
  const ox = Math.max(0, Math.floor(cx));
  const oy = Math.max(0, Math.floor(cy));
  const band = { from: r.y - h * 0.25 - oy, to: r.y + h * 1.25 - oy };
  const w = r.w + h * 4.7;
  const cut = () => crop(grey, cx, cy, w, h * 2);
  let local: Grey | undefined;
  return {
    name: `r${Math.round(r.x)}_${Math.round(r.y)}`,
    h,
    area: r,
    right: cx + w,
    view: isolateLine(view(cx, cy, w, h * 2), band),
    local: () => (local ??= isolateLine(normalizeCrop(cut()), band)),
    stretched: () => {
      const g = normalizeStretches(cut(), band);
      return g && isolateLine(g, band);
    },
    barred: () => {
      const g = normalizeBars(cut(), band);
      return g && isolateLine(g, band);
    },
    toOrig: (b, s, pad) => ({ x: ox + (b.x0 - pad) / s, y: oy + (b.y0 - pad) / s, width: (b.x1 - b.x0) / s, height: (b.y1 - b.y0) / s }),
  };
}

/** A wrapped key's pieces side by side (see wrap.ts); a box maps back through the piece its centre falls in. */
function joinStrip(view: PageCut, grey: Grey, pieces: Piece[]): Strip {
  const { strip, origins } = stitch(view, pieces, (c, band) => isolateLine(c, band));
  let local: Grey | undefined;
  return {
    name: `j${Math.round(pieces[0]!.x)}_${Math.round(pieces[0]!.y)}`,
    h: Math.max(6, ...pieces.map((p) => p.h)),
    view: strip,
    local: () => (local ??= stitch((x, y, w, h) => crop(grey, x, y, w, h), pieces, (c, band) => isolateLine(normalizeCrop(c), band)).strip),
    // (A wrapped key's pieces are read as they are: no highlight was seen over one.)
    stretched: () => null,
    barred: () => null,
    toOrig: (b, s, pad) => {
      const x = (b.x0 - pad) / s;
      const mid = x + (b.x1 - b.x0) / s / 2;
      const o = origins.find((g) => mid < g.x0 + g.w) ?? origins[origins.length - 1]!;
      return { x: o.sx + x - o.x0, y: o.sy + (b.y0 - pad) / s, width: (b.x1 - b.x0) / s, height: (b.y1 - b.y0) / s };
    },
  };
}

export interface Trace { skew?: number; v2?: Sym[][][]; alone?: { readings: PSym[][]; alone: Choice[][][] }[]; checks?: { key: string; subs: CheckSub[]; guessed: boolean; contradicted: boolean }[]; v1?: V1Read[][]; regions: number; reads: number; texts: string[]; ms?: Record<string, number>; pageWords?: string[]; pageBoxes?: OcrWord[]; final?: { page: OcrWord[]; views: PSym[][]; scale: number }; dump?: (name: string, png: Buffer) => Promise<void> }

export async function recognizeImage(engines: Engines, image: Buffer, trace?: Trace): Promise<ImageResult> {
  const decoded = await decode(image);
  if (!decoded.ok) return { candidates: [], skipped: decoded.reason };
  return recognizeGrey(engines, decoded.grey, trace);
}

interface PreparedPage { grey: Grey; stats: TileStats; skew: number; back?: (x: number, y: number) => [number, number]; scale: number; pagePng: Buffer }

/**
 * The page turned straight if tilted, and the PNG the page pass reads; null when it
 * shows no text. The normalised page is made here and left here: only its PNG goes on.
 */
async function preparePage(original: Grey): Promise<PreparedPage | null> {
  let grey = original;
  let stats = tileStats(grey);
  // Nothing drawn on a background (noise, grain): no text to read, and tesseract
  // would spend tens of seconds finding "words" in it.
  if (!mayShowText(stats)) return null;
  let norm = pageView(grey, stats);
  // A tilted page (a scan, a photo held crooked) is turned straight before it is read.
  const skew = skewAngle(norm);
  let back: PreparedPage['back'];
  if (Math.abs(skew) >= MIN_SKEW) {
    const turned = rotateGrey(grey, -skew);
    grey = turned.grey;
    back = turned.back;
    stats = tileStats(grey);
    norm = pageView(grey, stats);
  }
  const scale = pageScale(norm);
  return { grey, stats, skew, ...(back ? { back } : {}), scale, pagePng: await toPng(norm, scale) };
}

/** An image already decoded: the pool decodes before it takes an engine, so a broken file never starts one. */
export async function recognizeGrey(engines: Engines, original: Grey, trace?: Trace): Promise<ImageResult> {
  const t0 = performance.now();
  const prepared = await preparePage(original);
  if (!prepared) return { candidates: [], skipped: NO_TEXT };
  if (trace) trace.skew = prepared.skew;
  const first = await readPage(engines, prepared, t0, trace);
  if (!first.candidates.length) {
    // Nothing flagged: what no rule took for a key is read once more (see
    // unsureRuns, ligatureJoins), and flagged `low` whatever its checksum says.
    const rescued = await readPage(engines, prepared, t0, trace, { given: first.page, rescue: true });
    // Still nothing: the places a key's unread part may lie (hexRunToEdge, unreadTokens).
    const late = rescued.candidates.length ? rescued : await readPage(engines, prepared, t0, trace, { given: first.page, late: [...first.pastEdge, ...rescued.pastEdge, ...unreadTokens(first.page, prepared.scale)] });
    const views = [...first.views, ...rescued.views, ...late.views];
    if (trace && !late.candidates.length) trace.final = { page: first.page, views, scale: prepared.scale };
    const last = late.candidates.length ? late.candidates : finalLook(first.page, views, prepared);
    const stretchPast = last.length ? [] : [...first.stretchPast, ...rescued.stretchPast];
    const past = stretchPast.length ? await stretchesPastEdge(engines, prepared, stretchPast, trace) : [];
    const spread = last.length || past.length ? [] : spreadLook(first.page, views, prepared, [...first.loose, ...rescued.loose]);
    return { candidates: [...last, ...past, ...spread].map((c) => ({ ...c, confidence: 'low' })) };
  }
  if (!prepared.back || !first.candidates.some(unprovenV2)) return { candidates: first.candidates };
  // A tilted page's close-ups cut again from a Catmull-Rom turn (rotateGrey), the
  // page pass's words kept: see docs/ocr.md, "Tilted pages".
  const sharp = rotateGrey(original, -prepared.skew, true).grey;
  const again = await readPage(engines, { ...prepared, grey: sharp, stats: tileStats(sharp) }, t0, trace, { given: first.page, only: first.unproven });
  return { candidates: provenOver(first.candidates, again.candidates) };
}

/**
 * The final look, when no reading above flagged anything: the page pass's
 * words once more, for looser shapes than the last resort takes (reading
 * nothing, so it costs nothing, and changing only pictures that were flagged
 * nothing): a v2 start read on past a gap or a wrap, or with its `k` misread
 * (keyShapedStart's `loose`) or from one close-up into another
 * (startAcrossViews), and a v1 key with a tooltip over its middle
 * (tooltipOverV1) or one glyph of its suffix misread (slippedSuffixV1), or
 * with a dark tooltip's box right after its run (tooltipBoxV1: the page's
 * pixels, no read). What it finds is `low`.
 */
export function finalLook(page: OcrWord[], views: PSym[][], { scale, back, grey }: Pick<PreparedPage, 'scale' | 'back' | 'grey'>): ImageCandidate[] {
  const toOrig = pageToOrig(scale);
  // Each shape looked for only where the ones before found nothing, in this order.
  const fromStart = (): ImageCandidate | null => {
    const start = keyShapedStart(page, true);
    return start && { ruleId: 'spreeflo-api-key-v2', key: start.key, confidence: 'low', box: wholePixels(toOrig(start.box)) };
  };
  const fromViews = (): ImageCandidate | null => {
    const across = startAcrossViews(views);
    return across && { ruleId: 'spreeflo-api-key-v2', key: across.key, confidence: 'low', box: across.box };
  };
  const fromCover = (): ImageCandidate | null => {
    const hit = [...lineSymbols(page, toOrig), ...views].map((seq) => tooltipOverV1(seq) ?? letterCoverV1(seq) ?? slippedSuffixV1(seq)).find((x) => x) ?? wrappedCutV1(page, toOrig);
    return hit && partialV1Candidate(hit);
  };
  const fromHidden = (): ImageCandidate | null => {
    const tooltips = views.flatMap(tooltipAfterHex);
    const hidden = hiddenSuffixV1(page, FAR_ABOVE_REACH, (o) => tooltips.some((t) => centreIn(t, toOrig(o.box))));
    return hidden && { ruleId: 'spreeflo-api-key-v1', key: hidden.key, confidence: 'low', box: wholePixels(toOrig(hidden.box)), note: HIDDEN_V1_NOTE };
  };
  const fromBox = (): ImageCandidate | null => {
    const boxed = tooltipBoxV1(grey, page, views, toOrig);
    return boxed && { ruleId: 'spreeflo-api-key-v1', key: boxed.key, confidence: 'low', box: wholePixels(boxed.box), note: HIDDEN_V1_NOTE };
  };
  const found = fromStart() ?? fromViews() ?? fromCover() ?? fromHidden() ?? fromBox();
  return found ? [onOriginal(found, back)] : [];
}

/**
 * The very last look, when nothing at all was flagged: a v1 key read as words
 * of hex before a loose suffix (spreadV1) in the page pass, the close-ups, or
 * the last resort's views per stretch (`loose`, already on the original).
 * After every other look, so that no reading those make is taken over by it.
 */
export function spreadLook(page: OcrWord[], views: PSym[][], { scale, back }: Pick<PreparedPage, 'scale' | 'back'>, loose: ImageCandidate[]): ImageCandidate[] {
  const hit = [...lineSymbols(page, pageToOrig(scale)), ...views].map(spreadV1).find((x) => x);
  if (hit) return [onOriginal(partialV1Candidate(hit), back)];
  return loose.slice(0, 1);
}

/**
 * A v1 key wrapped over two lines with its suffix cut short where the second
 * ends (CUT_SUFFIX_V1 on the two words joined): a line's last word, the next
 * line's first at or left of it within 2.2 heights (wrapsTo, as findJoins
 * follows a wrap). wild-3802 wrapped-007 (a chat, Open Sans 14 px): `the old
 * one was <10 hex>`, then `<22 hex>-s` a line of its own, the suffix's `f` and
 * data centre not read; the wrap joins want a data centre, so nothing was
 * flagged. As CUT_SUFFIX_V1 asks on one line: 32 glyphs exactly, no hex digit
 * before them, 3 at most not hex, the dash and `s` after, no hash named.
 */
export function wrappedCutV1(words: OcrWord[], toOrig: (b: OcrBox) => Box): V1Hit | null {
  for (let i = 0; i + 1 < words.length; i++) {
    if (!wrapsTo(words, i)) continue;
    const seq = [words[i]!, words[i + 1]!].flatMap((w) => wordSymbols(w, toOrig));
    const hit = cutSuffixV1(seq);
    if (hit) return hit;
  }
  return null;
}

/**
 * A v2 key whose start one close-up read and whose rest another read, on its
 * row past a gap: wild-3901 recompressed-006 (Inconsolata 11 px at 0.81x, JPEG
 * 50, a curl line on a docs page): the page pass `Bearer` `sfk.`, then
 * `dyF 20am t REVI` (no word a key's run: rowAfter stops there); the close-ups
 * of `sfk.` read `sfk_` and 6 key characters, those of the words after it 21
 * key characters in a row; nothing flagged. keyShapedStart reads the page
 * pass's words only. Here `sfk_` as written (a close-up's reading runs the
 * word before into it: `rsfk_`), LAST_RESORT_MIN key characters after it, and
 * a key's run (keyRun) in another close-up starting right of them within what
 * the key still lacks at their pitch, its glyphs' centres in their band; the
 * two together as a short prefix asks (SHORT_PREFIX_MIN, a digit and a
 * capital, no mask). A masked key's close-up reads its mask and last 4 in the
 * same reading as its start: no other close-up lies past it.
 */
const VIEW_START = /sfk_([A-Za-z0-9]+)/d;

/** Key characters of a reading, each with its glyph (the runs of letters and digits, as keyRun takes them). */
function runsOf(seq: PSym[]): PSym[][] {
  const runs: PSym[][] = [];
  let cur: PSym[] = [];
  for (const x of seq) {
    if (!x.space && top(x).length === 1 && ALNUM.test(top(x))) {
      cur.push(x);
    } else if (cur.length) {
      runs.push(cur);
      cur = [];
    }
  }
  if (cur.length) runs.push(cur);
  return runs;
}

/** A v2 start in one close-up read on into a key's run another read on its row (see VIEW_START): what was read, as a `low` key. */
export function startAcrossViews(views: PSym[][]): { key: string; box: Box } | null {
  for (const seq of views) {
    const text = oneCharEach(seq);
    const m = text === null ? null : VIEW_START.exec(text);
    if (!m || m[1]!.length < LAST_RESORT_MIN) continue;
    const head = seq.slice(m.indices![1]![0], m.indices![1]![1]);
    const [first, last] = [head[0]!.box, head[head.length - 1]!.box];
    const end = last.x + last.width;
    const pitch = (end - first.x) / head.length;
    const band = { y0: Math.min(...head.map((x) => x.box.y)), y1: Math.max(...head.map((x) => x.box.y + x.box.height)) };
    const lacking = 36 - head.length;
    const inBand = (x: PSym) => x.box.y + x.box.height / 2 >= band.y0 && x.box.y + x.box.height / 2 <= band.y1;
    for (const other of views) {
      if (other === seq) continue;
      const tail = runsOf(other).find((r) => r[0]!.box.x >= end && r[0]!.box.x - end < lacking * pitch && r.every(inBand) && keyRun(r.map(top).join('')));
      if (!tail) continue;
      const chars = [...head, ...tail].map(top).join('').slice(0, 36);
      if (chars.length >= SHORT_PREFIX_MIN && /[0-9]/.test(chars) && /[A-Z]/.test(chars) && new Set(chars).size * 2 >= chars.length) return { key: `sfk_${chars}`, box: boxOf([...head, ...tail]) };
    }
  }
  return null;
}

/**
 * Where a close-up read a tooltip's text right after a key's hex
 * (HEX_INTO_TOOLTIP): the box of the text's first glyph. The page pass may
 * read the same text as no tooltip's word, short of TOOLTIP_TALL: wild-3601
 * occluded-006 (DejaVu Sans Mono 15 px JPEG, the suffix hidden): the page
 * pass `"<30 hex>` `copeaw` `capooara`, its close-ups `="<31 hex>opiedtocipboard`.
 * Or `Copied to` read as no TOOLTIP_WORD and `clipboard` lacking its `l` or
 * with a `p`/`b` read `h` (CLIPBOARD_READ, up to 8 letters before it): wild-3801
 * occluded-007 (Inconsolata 15 px JPEG, an editor, 12 hidden, the suffix's
 * `-s` too): the page pass `"<22 hex>],` `cored` `o` `cipboaray` `17;`, a
 * close-up `"<22 hex>ovedtociphoarayF17"`; nothing flagged. The tooltip's
 * readings of `clipboard` in the tuning sets: `cipboard`, `ciphoard`,
 * `lippoard`, `cipbord`, `cipboar`, `cipboaray`; no English word holds
 * `cipbo`, `cipho`, `lippo` or `liphbo`, and 12 hex digits must come right before.
 */
const CLIPBOARD_READ = '[a-z]{0,8}?[cl]i[pbh][pbh]o';
const HEX_INTO_TOOLTIP = new RegExp(`[0-9a-f]{12}(${TOOLTIP_WORD}|${CLIPBOARD_READ})`, 'dg');

export function tooltipAfterHex(seq: PSym[]): Box[] {
  const text = oneCharEach(seq);
  if (text === null) return [];
  // The text's first glyph not hex: TOOLTIP_WORD's lead letters may take the run's last (`…7bCopied`).
  return [...text.matchAll(HEX_INTO_TOOLTIP)].map((m) => seq[m.indices![1]![0] + m[1]!.search(/[^0-9a-f]/)]!.box);
}

/** A v2 key read whole but not proven by its checksum. */
function unprovenV2(c: ImageCandidate): boolean {
  return c.ruleId === 'spreeflo-api-key-v2' && c.confidence === 'low' && c.key.length === 40;
}

/** A key at `at` lies where one already listed at `listed` does (readPage's last loop lists one key a spot). */
export function listedOver(listed: Box, at: Box): boolean {
  return Math.abs(listed.y - at.y) < at.height && Math.abs(listed.x - at.x) < at.width / 2;
}

function sameSpot(a: Box, b: Box): boolean {
  return overlaps({ x: a.x, y: a.y, w: a.width, h: a.height }, { x: b.x, y: b.y, w: b.width, h: b.height });
}

/**
 * The first reading's candidates, where a key the second proved (`high`) stands
 * on one the first read unproven: the proven key in its place. Where the first
 * read only a string whose checksum fails and the second found there, past the
 * bound, one whose checksum holds, that one (still `low`): the first's is wrong
 * for sure, the second's right but for the odds LOW_BUDGET allows. wild-3401
 * photo-000 and wild-3404 photo-002 (photos turned 1.05 degrees): the turn's
 * search past the bound found the true key, the bilinear one's nothing.
 * Nothing else of the second is taken: it is only evidence where the first had
 * a key it could not prove (the bilinear turn reads some tilted keys better, h24rot in bench/README.md).
 */
export function provenOver(first: ImageCandidate[], second: ImageCandidate[]): ImageCandidate[] {
  const proven = second.filter((c) => c.confidence === 'high' && !first.some((f) => f.key === c.key && f.confidence === 'high') && first.some((f) => unprovenV2(f) && sameSpot(f.box, c.box)));
  const kept = first.filter((f) => !(unprovenV2(f) && proven.some((c) => sameSpot(f.box, c.box)))).map((f) => passingThere(f, second) ?? f);
  const lows = kept.filter((c, i) => c.confidence !== 'high' && kept.findIndex((o) => o.key === c.key) === i);
  return [...kept.filter((c) => c.confidence === 'high'), ...proven, ...lows];
}

/** The second reading's unproven v2 key whose checksum holds at the spot of `f`, an unproven one whose checksum fails; else undefined. */
function passingThere(f: ImageCandidate, second: ImageCandidate[]): ImageCandidate | undefined {
  if (!unprovenV2(f) || isValidV2Key(f.key)) return undefined;
  return second.find((c) => unprovenV2(c) && isValidV2Key(c.key) && sameSpot(f.box, c.box));
}

/**
 * The page pass (unless its words are given) and the close-ups of every region it found,
 * or with `only` of those strips alone (their indices; the same words give the same strips).
 * `unproven`: the strips whose reading left a whole v2 key unproven, or null when one such
 * key came from the last resort, which no strip reads.
 * `rescue`: the second look at a picture nothing flagged (unsureRuns, ligatureJoins).
 * `late`: the third, at these regions only (hexRunToEdge, unreadTokens), no last resort.
 * `pastEdge`: the regions its strips' readings of hex digits ran past (hexRunToEdge).
 * `stretchPast`: those its last resort's views per stretch ran past (stretchesPastEdge).
 * `views`: every close-up's reading, for the final look.
 */
async function readPage(engines: Engines, prepared: PreparedPage, t0: number, trace?: Trace, { given, only, rescue = false, late }: { given?: OcrWord[]; only?: number[] | null; rescue?: boolean; late?: Region[] } = {}): Promise<{ candidates: ImageCandidate[]; page: OcrWord[]; unproven: number[] | null; pastEdge: Region[]; stretchPast: Region[]; views: PSym[][]; loose: ImageCandidate[] }> {
  const lstm = () => engines.live(engines.lstm);
  const { grey, stats, back, scale, pagePng } = prepared;
  // The whole normalised page is garbage now (the close-ups cut their views from
  // `grey`): for a big page, 40 MB given back before the engine grows to read it.
  if (grey.width * grey.height > COLLECT_AFTER_PIXELS) collectGarbage();
  const view = pageViewCrop(grey, stats);
  const t1 = performance.now();
  let page = given ?? (await read(lstm, pagePng, { psm: '11', choices: false }));
  if (trace && !given) trace.ms = { prep: t1 - t0, page: performance.now() - t1 };
  let regions = late ?? (rescue ? unsureRuns(page, scale) : findRegions(page, scale));
  let joins = late ? [] : rescue ? ligatureJoins(page, scale) : findJoins(page, scale);
  if ((rescue || late) && !regions.length && !joins.length) return { candidates: [], page, unproven: [], pastEdge: [], stretchPast: [], views: [], loose: [] };
  if (!given && !regions.length && !joins.length) {
    // Nothing key-like: sparse-text mode sometimes drops a line inside a thin
    // bordered box (an input field) whole; block mode (PSM 6) reads it. On the
    // page with seams too short to be rules erased too (BAR_RUN in
    // preprocess.ts): beside a key they make tesseract take its line for an image.
    page = await read(lstm, await toPng(pageView(grey, stats, true), scale), { psm: '6', choices: false });
    regions = findRegions(page, scale);
    joins = findJoins(page, scale);
  }
  // After the fallback: a region there would keep a page that needs it from block mode
  // (wild-3101 photo-005, a v1 key after `Bearer` read exactly only there).
  if (!rescue && !late) regions = [...regions, ...afterBearer(page, scale, regions)];
  if (trace) { trace.regions = regions.length + joins.length; trace.pageWords = page.map((w) => w.text); trace.pageBoxes = page; }

  // The page pass's own readings of keys count as readings too.
  const toOrigPage = pageToOrig(scale);
  const pageSeqs = lineSymbols(page, toOrigPage);
  const pageV2 = pageSeqs.flatMap((seq) => findV2(seq)).filter((hit) => hit.syms.length >= 33);
  const pageV1 = pageSeqs.flatMap((seq) => findV1(seq));
  const pageTwins = pageTwinGlyphs(pageSeqs);
  const inRegion = (syms: PSym[], r: Region): boolean => {
    const b = boxOf(syms);
    const cx = b.x + b.width / 2;
    const cy = b.y + b.height / 2;
    return cx >= r.x - r.h && cx <= r.x + r.w + r.h && cy >= r.y - r.h / 2 && cy <= r.y + r.h * 1.5;
  };

  const found = new Map<string, ImageCandidate>();
  const lows: ImageCandidate[] = [];
  // v1 keys whose region never read the `f` of `-sf` (see byWrittenSuffix).
  const fUnread = new Set<ImageCandidate>();
  // Each whole v1 key's readings (see sameSpotV1).
  const v1Reads = new Map<ImageCandidate, V1Read[]>();
  // Every close-up's reading, for the last resort below.
  const viewSeqs: PSym[][] = [];
  const strips = [...regions.map((r) => regionStrip(view, grey, r)), ...joins.map((pieces) => joinStrip(view, grey, pieces))];
  const unproven: number[] = [];
  // Regions a v1 key read up to its strip's edge goes on past (hexRunToEdge).
  const pastEdge: Region[] = [];
  // Regions whose view per stretch read hex digits up to its strip's edge (stretchesPastEdge).
  const stretchPast: Region[] = [];
  // What the last resort's views per stretch read as a spread v1 key (spreadV1): flagged only after every other look.
  const loose: V1Hit[] = [];
  for (const [si, strip] of strips.entries()) {
    // A tilted page's second reading: provenOver takes only a key proven where the first left
    // one unproven, so the strips that left none (a v1 key, a proven key, prose) are not read again.
    if (only && !only.includes(si)) continue;
    const lowsBefore = lows.length;
    const seqsBefore = viewSeqs.length;
    const { h, area: r } = strip;
    const region = strip.view;
    const localView = strip.local;
    const v2Readings: PSym[][] = [];
    const v1Readings: V1Read[] = [];
    let v2Done = false;
    let v1Done = false;
    let sawV2 = false;
    let sawV1 = false;
    let v1Hex = false;
    // The view a v1 key was first read in: the hex-only and legacy reads use it.
    let v1View: Grey = region;
    // Runs read through a letter (acrossLetter) stand for a v1 key only where no reading of the
    // region makes a whole one: a selection's misread glyphs bridged into a hit would otherwise
    // choose the view the key is read in (wild-3003 occluded-000: the plain view, whose hex and
    // legacy reads of the selected glyphs then outvote the local view's exact readings).
    const bridgedV1: V1Hit[] = [];
    let bridgedView: Grey = region;
    const readV1Hex = async (): Promise<void> => {
      v1Hex = true;
      // A v1 key is lowercase hex: re-read with only those characters allowed.
      for (const target of [34, 46]) {
        const s2 = Math.min(8, Math.max(1, target / h));
        const png2 = await toPng(v1View, s2, 12);
        const words2 = await read(lstm, png2, { psm: '7', choices: true, whitelist: V1_WHITELIST });
        if (trace) { trace.reads++; trace.texts.push('hex: ' + words2.map((w) => w.text).join(' ')); }
        const toOrig2 = (b: OcrBox): Box => strip.toOrig(b, s2, 12);
        for (const seq of lineSymbols(words2, toOrig2)) for (const hit of findV1(seq)) v1Readings.push({ ...hit, hex: true });
      }
    };
    // Strings tested against the checksum for this region, all searches together: see docs/ocr.md.
    let budgetLeft = REGION_BUDGET;
    const resolveV2 = (final: boolean): ReturnType<typeof solveV2> => {
      const t = performance.now();
      const res = solveV2(v2Readings, Math.min(budgetLeft, final ? SEARCH_BUDGET : STEP_BUDGET), grey);
      budgetLeft -= res.tried;
      if (trace?.ms) trace.ms.search = (trace.ms.search ?? 0) + performance.now() - t;
      return res;
    };
    // A key whose checksum holds only with a check character tesseract offered
    // as an alternative (see V2Search.guessed), or one its glyph contradicts
    // (see glyphContradicts): kept as the region's 'low' reading unless a later
    // read resolves the key without either.
    let guess: ImageCandidate | undefined;
    // Per key, what its changed check characters' glyphs read alone said: the same key is
    // found again after later reads, and judged again (the readings there may have changed).
    const readAloneSaid = new Map<string, Map<number, boolean>>();
    // `beyondBound`: found past the region's bound (LOW_BUDGET), unproven whatever its glyphs say.
    const acceptV2 = async (res: ReturnType<typeof solveV2>, beyondBound = false): Promise<void> => {
      if (!res.key) return;
      // A check character changed against what every reading read there must
      // not be contradicted by its glyph read alone; if it is, the key is kept
      // as a guess ('low'), as a check character held by a guess is.
      let contradicted = false;
      let said = readAloneSaid.get(res.key);
      if (!said) readAloneSaid.set(res.key, (said = new Map()));
      const guessed = beyondBound || (res.guessed && !(await guessConfirmed(lstm, grey, res.subs, said)));
      const full = withPrefix(res.ref);
      if (!guessed && res.subs.length) {
        const page = pageTwins.filter((g) => !centreIn(g.cell, full));
        for (const sub of res.subs) if (!contradicted) contradicted = await glyphContradicts(lstm, grey, sub, said, page, trace?.dump);
      }
      if (trace && res.subs.length) (trace.checks ??= []).push({ key: res.key, subs: res.subs, guessed, contradicted });
      if (guessed || contradicted) {
        guess ??= { ruleId: 'spreeflo-api-key-v2', key: res.key, confidence: 'low', box: full };
        return;
      }
      v2Done = true;
      if (!found.has(res.key)) found.set(res.key, { ruleId: 'spreeflo-api-key-v2', key: res.key, confidence: 'high', box: full });
    };
    // The longest `sfk_` start read in this region: flagged `low` if nothing better comes of it.
    let partial: PSym[] | null = null;
    // And of a v1 key, the longest hex run before `-sf<dc>` (a tooltip over its start).
    let partial1: V1Hit | null = null;
    const notePartial = (seq: PSym[], inside: (syms: PSym[]) => boolean = () => true): void => {
      const p = partialV2(seq);
      if (p && inside(p) && p.length > (partial?.length ?? 0)) partial = p;
      for (const hit of partialV1Hits(seq)) if (inside(hit.syms) && hit.syms.length > (partial1?.syms.length ?? 0)) partial1 = hit;
    };
    for (const seq of pageSeqs) if (r) notePartial(seq, (syms) => inRegion(syms, r));
    for (const hit of pageV2) if (r && inRegion(hit.syms, r)) { sawV2 = true; v2Readings.push(hit.syms); }
    for (const hit of pageV1) {
      if (!r || !inRegion(hit.syms, r)) continue;
      if (readAcrossLetter(hit)) bridgedV1.push(hit);
      else { sawV1 = true; v1Readings.push(hit); }
    }
    if (v2Readings.length) await acceptV2(resolveV2(false));
    // A key the page pass already read with a holding checksum needs no close-up.
    const skipCloseUps = v2Done && !sawV1;
    for (const [ti, view] of (skipCloseUps ? [] : VIEWS).entries()) {
      const target = view.target;
      const s = Math.min(8, Math.max(1, target / h));
      const pad = 12;
      const png = await toPng(view.local ? localView() : region, s, pad, view.style);
      if (trace?.dump) await trace.dump(`${strip.name}_t${target}`, png);
      const words = await read(lstm, png, { psm: '7', choices: true, whitelist: CROP_WHITELIST });
      if (trace) { trace.reads++; trace.texts.push(words.map((w) => w.text).join(' ')); }
      const toOrig = (b: OcrBox): Box => strip.toOrig(b, s, pad);
      for (const seq of lineSymbols(words, toOrig)) {
        viewSeqs.push(seq);
        notePartial(seq);
        for (const hit of findV2(seq)) {
          sawV2 = true;
          if (hit.syms.length >= 33) v2Readings.push(hit.syms);
          // A wrapped key's last piece is read with what follows it on its line, and
          // the space between is often lost (`…aJcvthanks`): its first 36 too, and its
          // first 37 for a glyph read twice (`JI` for `J`, `edud4` for `edu4`), which
          // shifts every 36 cut after it (solveV2 tries a 37's single deletions).
          if (!r && hit.syms.length > 38) v2Readings.push(hit.syms.slice(0, 36), hit.syms.slice(0, 37));
        }
        for (const hit of findV1(seq)) {
          if (readAcrossLetter(hit)) {
            if (!bridgedV1.length && view.local) bridgedView = localView();
            bridgedV1.push(hit);
            continue;
          }
          if (!sawV1 && view.local) v1View = localView();
          sawV1 = true;
          v1Readings.push(hit);
        }
      }
      // v2: try the checksum on the pooled readings after each read.
      if (!v2Done && v2Readings.length) await acceptV2(resolveV2(false));
      if (!v1Done && v1Readings.length >= 2) {
        const voted = voteV1(v1Readings.map((v) => v.syms));
        if (voted?.sure && v1Readings.every((v) => v.dc === v1Readings[0]!.dc && v.dcSure)) v1Done = true;
      }
      const needV2 = sawV2 && !v2Done;
      const needV1 = sawV1 ? !v1Done : bridgedV1.length > 0;
      if (!needV2 && !needV1) {
        // Nothing pending: stop, unless nothing key-like was read at all: then
        // read the other view once (the tile-wise one may have cut the line).
        if (ti >= 1 || sawV2 || sawV1) break;
      }
      if (sawV1 && needV1 && !v1Hex) await readV1Hex();
    }
    if (!sawV1 && bridgedV1.length) {
      sawV1 = true;
      v1View = bridgedView;
      v1Readings.push(...bridgedV1);
      await readV1Hex();
    }
    if (sawV1) {
      // Always, even when every LSTM reading agreed: its misreads of hex digits are consistent.
      const legacy = await engines.legacy();
      for (const target of LEGACY_TARGETS) {
        const s = Math.min(8, Math.max(1, target / h));
        const words = await read(() => engines.live(legacy), await toPng(v1View, s, 12), { psm: '7', choices: false, whitelist: V1_WHITELIST });
        if (trace) { trace.reads++; trace.texts.push(`legacy t${target}: ${words.map((w) => w.text).join(' ')} (conf ${words.flatMap((w) => w.symbols.map((x) => Math.round(x.conf))).join(',')})`); }
        const toOrigL = (b: OcrBox): Box => strip.toOrig(b, s, 12);
        // The legacy engine splits a hex key into words at wider gaps (`cf51 7da`); a hex-only read has no text to keep apart.
        for (const seq of lineSymbols(words, toOrigL, true)) {
          // Joined words can run text before the key into its hex (`key=` read as `e`); the `-sf` anchors the end.
          for (const hit of findV1(seq)) v1Readings.push({ ...hit, run: hit.syms, hex: true, legacy: true });
        }
      }
    }
    if (!v2Done && v2Readings.length) {
      if (trace) (trace.v2 ??= []).push(v2Readings);
      const res = resolveV2(true);
      await acceptV2(res);
      // Every line view shares its misreads (the LSTM reads in context): the
      // glyphs read one by one say what the line did not, and the key is
      // searched once more with that, within what is left of the region's budget.
      const ref = res.key ? null : v2Reference(v2Readings);
      if (ref && budgetLeft >= 1) {
        const t = performance.now();
        const alone = await readGlyphsAlone(lstm, grey, ref, trace?.dump);
        if (trace) { (trace.alone ??= []).push({ readings: [...v2Readings], alone }); trace.reads += alone.flat().length; }
        const again = solveV2(v2Readings, Math.min(budgetLeft, SEARCH_BUDGET), grey, alone);
        budgetLeft -= again.tried;
        if (trace?.ms) trace.ms.alone = (trace.ms.alone ?? 0) + performance.now() - t;
        await acceptV2(again);
        if (!v2Done && !guess) {
          // Beyond the region's bound: as unproven as a guessed check character, so `low` (see LOW_BUDGET).
          const tf = performance.now();
          const far = searchPastBound(v2Readings, grey, alone);
          if (trace?.ms) trace.ms.far = (trace.ms.far ?? 0) + performance.now() - tf;
          await acceptV2(far, true);
        }
      }
    }
    // A view per stretch of background: its reading searched with the others', then alone on the same budget (the
    // other views misread the highlighted glyphs and outvote its right ones: wild-3003 occluded-005, proven alone);
    // a key found alone is judged on every reading (judgedOnAll).
    const readStretches = async (view: Grey, name: string): Promise<void> => {
      const s = Math.min(8, Math.max(1, STRETCHES_TARGET / h));
      const png = await toPng(view, s, 12);
      if (trace?.dump) await trace.dump(`${strip.name}_${name}`, png);
      const words = await read(lstm, png, { psm: '7', choices: true, whitelist: CROP_WHITELIST });
      if (trace) { trace.reads++; trace.texts.push(`${name}: ${words.map((w) => w.text).join(' ')}`); }
      const added = lineSymbols(words, (b) => strip.toOrig(b, s, 12)).flatMap((seq) => findV2(seq)).filter((hit) => hit.syms.length >= 33).map((hit) => hit.syms);
      const budget = Math.min(budgetLeft, SEARCH_BUDGET);
      const all = [...v2Readings, ...added];
      for (const readings of added.length ? [all, added] : []) {
        if (v2Done) break;
        const found = solveV2(readings, budget, grey);
        budgetLeft -= found.tried;
        const res = readings === all || !found.key ? found : { ...found, subs: [...found.subs, ...judgedOnAll(found.key, all, grey)] };
        // Only a proof counts: a guess or a contradicted key leaves the region's `low` as it was.
        const before = guess;
        if (res.key && !res.guessed) await acceptV2(res);
        if (!v2Done) guess = before;
      }
    };
    const stretched = !v2Done && sawV2 ? strip.stretched() : null;
    if (stretched) {
      await readStretches(stretched, 'stretches');
      // The bar's own view only where it differs: a line without a highlight keeps its one reading.
      const barred = v2Done ? null : strip.barred();
      if (barred && !sameGrey(barred, stretched)) await readStretches(barred, 'bars');
    }
    // A key whose prefix no reading made `sfk`-like, its body and check read exactly (bareV2). Only
    // there: where a start was read, the search and its judges (a look-alike decoy's twin read as the
    // key's in one view is contradicted by its glyph, acceptV2) decide.
    if (!v2Done && !sawV2) {
      const onPage = r ? pageSeqs.map(bareV2).filter((hit) => hit && inRegion(hit.syms, r)) : [];
      const bare = [...onPage, ...viewSeqs.slice(seqsBefore).map(bareV2)].find((hit) => hit);
      if (bare) {
        v2Done = true;
        if (!found.has(bare.key)) found.set(bare.key, { ruleId: 'spreeflo-api-key-v2', key: bare.key, confidence: 'high', box: withPrefix(bare.syms) });
      }
    }
    if (!v2Done && guess) lows.push(guess);
    else if (!v2Done) {
      const res = v2Readings.length ? solveV2(v2Readings, 0) : null;
      const best = `sfk_${res?.best ?? ''}`;
      if (res && /^sfk_[0-9A-Za-z]{36}$/.test(best)) lows.push({ ruleId: 'spreeflo-api-key-v2', key: best, confidence: 'low', box: boxOf(res.ref) });
      else if (partial) {
        // A key that cannot be completed (part of it hidden, or read too badly to
        // be searched) is still flagged, as what was read of it.
        const syms = (partial as PSym[]).slice(0, 36);
        lows.push({ ruleId: 'spreeflo-api-key-v2', key: `sfk_${syms.map((x) => (ALNUM.test(top(x)) ? top(x) : '')).join('')}`, confidence: 'low', box: boxOf(syms) });
      }
    }
    const v1 = await finishV1(lstm, grey, v1Readings, trace);
    if (trace && v1Readings.length) (trace.v1 ??= []).push(v1Readings);
    if (v1) {
      lows.push(v1);
      v1Reads.set(v1, v1Readings);
      if (!v1Readings.some((v) => v.plain)) fUnread.add(v1);
    } else if (partial1) lows.push(partialV1Candidate(partial1 as V1Hit));
    if (lows.slice(lowsBefore).some(unprovenV2)) unproven.push(si);
    const reach = !sawV1 && !sawV2 && r && strip.right ? Math.max(0, ...viewSeqs.slice(seqsBefore).map((seq) => hexRunToEdge(seq, strip.right!))) : 0;
    if (reach) pastEdge.push({ ...r!, w: r!.w + reach });
  }
  await sameSpotV1(lows, v1Reads, (readings) => finishV1(lstm, grey, readings, trace));
  const stripLows = lows.length;
  // Not on a tilted page's second reading (`given`, no `rescue`): provenOver takes only its `high` keys,
  // and the last resort's reads (v1InStretches) would be spent on findings thrown away.
  if ((!given || rescue) && !found.size && !lows.length) {
    // Nothing flagged: anything key-shaped in the page reading still is, as read
    // (a missed key must not be silent; a negative flagged `low` is allowed).
    const pixels = (box: OcrBox): Box => wholePixels(toOrigPage(box));
    const start = keyShapedStart(page);
    if (start) lows.push({ ruleId: 'spreeflo-api-key-v2', key: start.key, confidence: 'low', box: pixels(start.box) });
    for (const seq of pageSeqs) {
      if (lows.length) break;
      const hit = partialV1Hits(seq)[0];
      if (hit) lows.push(partialV1Candidate(hit));
    }
    const hidden = lows.length ? null : hiddenSuffixV1(page);
    if (hidden) lows.push({ ruleId: 'spreeflo-api-key-v1', key: hidden.key, confidence: 'low', box: pixels(hidden.box), note: HIDDEN_V1_NOTE });
    // Then what the page pass and the close-ups read, with less of a key's start or end.
    const readSeqs = [...pageSeqs, ...viewSeqs];
    const cut = lows.length ? null : readSeqs.map(cutSuffixV1).find((hit) => hit);
    if (cut) lows.push(partialV1Candidate(cut));
    const near = lows.length ? null : readSeqs.map(nearPrefixV2).find((run) => run);
    if (near) lows.push({ ruleId: 'spreeflo-api-key-v2', key: `sfk_${near.map(top).join('')}`, confidence: 'low', box: boxOf(near) });
    const stretched = lows.length ? null : await v1InStretches(lstm, strips, trace, { pastEdge: stretchPast, loose });
    if (stretched) lows.push(partialV1Candidate(stretched));
  }
  if (trace?.ms) trace.ms.all = performance.now() - t0;
  const candidates = [...found.values()];
  // Whole keys before partial ones: a wrapped key's join comes after the region
  // of its last line, whose partial reading (`ac1fc2bdd1b835c-sf9`, or its first
  // line's `…e851-sf` with the data centre on the next) overlaps it and would
  // keep the whole key out.
  const whole = (c: ImageCandidate) => (c.ruleId === 'spreeflo-api-key-v2' ? c.key.length === 40 : /^[0-9a-f]{32}-sf\d/.test(c.key));
  for (const l of [...byWrittenSuffix(lows.filter(whole), fUnread), ...lows.filter((c) => !whole(c))]) {
    const body = l.key.replace(/^sfk_/, '').replace(/-sf\d*$/, '');
    if (found.has(l.key) || candidates.some((c) => c.key === l.key || (!whole(l) && c.key.includes(body)))) continue;
    const overlapsHigh = candidates.some((c) => c.ruleId === l.ruleId && listedOver(c.box, l.box));
    if (!overlapsHigh) candidates.push(l);
  }
  return { candidates: candidates.map((c) => onOriginal(c, back)), page, unproven: lows.slice(stripLows).some(unprovenV2) ? null : unproven, pastEdge, stretchPast, views: viewSeqs, loose: loose.map((hit) => onOriginal(partialV1Candidate(hit), back)) };
}

/**
 * Whole keys, those whose data centre some reading read after a written
 * `-sf` first: of two regions that read one v1 key, the first listed keeps it.
 * A wrapped key's line ending in `-s` is read with the next table cell's date
 * as its data centre (`-s20:` of `-s` then `2025-03-04`, the `f` on the next
 * line; wild-3002 and wild-3304 wrapped-000), while the join of its lines
 * reads `-sf17`.
 */
export function byWrittenSuffix(keys: ImageCandidate[], fUnread: Set<ImageCandidate>): ImageCandidate[] {
  return [...keys.filter((c) => !fUnread.has(c)), ...keys.filter((c) => fUnread.has(c))];
}

/**
 * The last resort's read of each region's view per stretch: the first v1
 * reading in one (findV1, a partial or covered one, cutSuffixV1). A selection
 * over a key's end is read as letters in every view (wild-3102 occluded-008,
 * Liberation Mono 13 px: `<22 hex>Cuuccus`), while its view per stretch reads
 * the key whole with a glyph wrong, `-sf<dc>` included. That view is read
 * otherwise only for a region with an unproven v2 key.
 */
async function v1InStretches(lstm: () => Worker, strips: Strip[], trace?: Trace, { pastEdge, loose, viewOf = (strip) => strip.stretched() }: { pastEdge?: Region[]; loose?: V1Hit[]; viewOf?: (strip: Strip) => Grey | null } = {}): Promise<V1Hit | null> {
  for (const strip of strips) {
    const stretched = viewOf(strip);
    if (!stretched) continue;
    const s = Math.min(8, Math.max(1, STRETCHES_TARGET / strip.h));
    const png = await toPng(stretched, s, 12);
    if (trace?.dump) await trace.dump(`${strip.name}_stretches_${stretched.width}`, png);
    const words = await read(lstm, png, { psm: '7', choices: true, whitelist: CROP_WHITELIST });
    if (trace) { trace.reads++; trace.texts.push(`last resort, stretches: ${words.map((w) => w.text).join(' ')}`); }
    const seqs = lineSymbols(words, (b) => strip.toOrig(b, s, 12));
    for (const seq of seqs) {
      // Flagged as read: not a run read through a letter (acrossLetter), whose letter no vote turns.
      const hit = findV1(seq).find((h) => !readAcrossLetter(h)) ?? partialV1Hits(seq)[0] ?? cutSuffixV1(seq);
      if (hit) return hit;
      const spread = loose && !loose.length ? spreadV1(seq) : null;
      if (spread) loose!.push(spread);
    }
    const reach = pastEdge && strip.area && strip.right ? Math.max(0, ...seqs.map((seq) => hexRunToEdge(seq, strip.right!))) : 0;
    if (reach) pastEdge!.push({ ...strip.area!, w: strip.area!.w + reach });
  }
  return null;
}

/**
 * The last of all, when the final look flagged nothing either: a region whose
 * view per stretch (v1InStretches) read hex digits up to its strip's right
 * edge (hexRunToEdge), cut again reaching right by what a whole key lacks, its
 * bars view read and looked at as v1InStretches looks. A selection over a v1 key's middle and end (wild-3901 occluded-007,
 * DejaVu Sans Mono 14 px, a docs page's curl line: 17 glyphs under the
 * highlight, the data centre's last digit past it): the page pass read
 * `Bearer <18 hex>|` and `2"`, the close-ups `<18 hex>]`; the region's view per
 * stretch read the key's first 25 glyphs, all right, up to its strip's edge
 * (the strip reaches 4.7 heights past the page pass's word), and the third
 * reading's close-ups (hexRunToEdge's `late`) have no view per stretch: nothing
 * flagged. Of the wider strip, the view per stretch erases the highlighted
 * glyphs (the bar white between black edges) and the bars view (normalizeBars,
 * each stretch on its own rows) reads the key whole; so the bars view is read.
 * One read a region, on pictures nothing else flagged.
 */
async function stretchesPastEdge(engines: Engines, prepared: PreparedPage, regions: Region[], trace?: Trace): Promise<ImageCandidate[]> {
  const view = pageViewCrop(prepared.grey, prepared.stats);
  const hit = await v1InStretches(() => engines.live(engines.lstm), regions.map((r) => regionStrip(view, prepared.grey, r)), trace, { viewOf: (strip) => strip.barred() });
  if (!hit) return [];
  return [onOriginal(partialV1Candidate(hit), prepared.back)];
}

/**
 * A small dark tooltip (`Copy`) over a v1 key's end whose text is read as no
 * word in any view (wild-3004 occluded-001, Inconsolata 11 px JPEG: the page
 * pass `Bearer <24>(fag)72-572"`, close-ups `…{ag)72-572"`, `…{fagY72-512"`;
 * wild-3904 occluded-003, Roboto 11 px: `<30>oxr`, `<27>os(ER`), so no
 * TOOLTIP_WORD, and no taller than the line (TOOLTIP_TALL). What tells it is its
 * box: right where the key's run stops, a stretch of columns whose pixels over
 * the run's band are mostly far from the run's background (TOOLTIP_BOX_STEP
 * grey levels), a few glyphs wide, the background back after it. The run as
 * hiddenSuffixV1 takes it (12-34 glyphs, at most 3 not hex), a key named on its
 * line or above (KEY_CONTEXT within FAR_ABOVE_REACH heights), no hash named.
 */
const TOOLTIP_BOX_RUN = /(?<![0-9A-Za-z@])[0-9A-Za-z@]{12,34}(?![0-9A-Za-z@])/g;
const TOOLTIP_BOX_STEP = 64;
const TOOLTIP_BOX_FILL = 0.6;
const TOOLTIP_BOX_MEAN = 0.8;
/** The box's width in the run's glyph pitches: `Copy` and its padding over one glyph spans 2-5. */
const TOOLTIP_BOX_MIN = 1.5;
const TOOLTIP_BOX_MAX = 8;

/** Fraction of the rows y0..y1 of column x whose grey is TOOLTIP_BOX_STEP or more from bg. */
function farFraction(grey: Grey, x: number, y0: number, y1: number, bg: number): number {
  let far = 0;
  let n = 0;
  for (let y = y0; y <= y1; y++) {
    if (x < 0 || x >= grey.width || y < 0 || y >= grey.height) continue;
    n++;
    if (Math.abs(grey.data[y * grey.width + x]! - bg) >= TOOLTIP_BOX_STEP) far++;
  }
  return n ? far / n : 0;
}

/** Where a box stands right after a run's last glyph (see TOOLTIP_BOX_RUN): its columns, or null. */
export function boxAfterRun(grey: Grey, run: Box[]): { x0: number; x1: number; pitch: number; mean: number } | null {
  const first = run[0]!;
  const last = run[run.length - 1]!;
  const end = last.x + last.width;
  const pitch = (end - first.x) / run.length;
  // The glyphs' band: their median top and bottom (a symbol boxed with its line's height, or a stray's, is off).
  const y0 = Math.round(middleOf(run.map((b) => b.y)));
  const y1 = Math.round(middleOf(run.map((b) => b.y + b.height)));
  const px: number[] = [];
  for (let y = y0; y <= y1; y++) for (let x = Math.round(first.x); x < end; x++) if (x >= 0 && x < grey.width && y >= 0 && y < grey.height) px.push(grey.data[y * grey.width + x]!);
  if (!px.length) return null;
  const bg = middleOf(px);
  const covered = (x: number) => farFraction(grey, x, y0, y1, bg) >= TOOLTIP_BOX_FILL;
  // Its left edge within a glyph of the run's end (a glyph it half hides is read as one of the run's).
  for (let x0 = Math.round(end - pitch); x0 <= end + 1.5 * pitch; x0++) {
    // Its edge solid for half a glyph (no glyph's stem is that wide).
    if (covered(x0 - 1) || !Array.from({ length: Math.ceil(pitch / 2) }, (_, i) => covered(x0 + i)).every(Boolean)) continue;
    // The tooltip's text: a column or two through its glyphs' strokes may fall short.
    let gap = 0;
    let x = x0;
    for (; x < end + (TOOLTIP_BOX_MAX + 2) * pitch && gap <= 2; x++) gap = covered(x) ? 0 : gap + 1;
    const x1 = x - gap;
    if (gap <= 2 || x1 - x0 < TOOLTIP_BOX_MIN * pitch || x1 - x0 > TOOLTIP_BOX_MAX * pitch) continue;
    // Filled, not glyphs' stems side by side (a bold `0` then `8`: each column high, their mean not).
    let sum = 0;
    for (let c = x0; c < x1; c++) sum += farFraction(grey, c, y0, y1, bg);
    if (sum / (x1 - x0) >= TOOLTIP_BOX_MEAN) return { x0, x1, pitch, mean: sum / (x1 - x0) };
  }
  return null;
}

/** A v1 key's head with a dark tooltip's box right after it (see TOOLTIP_BOX_RUN), as a `low` key. */
export function tooltipBoxV1(grey: Grey, page: OcrWord[], views: PSym[][], toOrig: (b: OcrBox) => Box): { key: string; box: Box; cover: NonNullable<ReturnType<typeof boxAfterRun>> } | null {
  const named = page.map((w) => ({ text: w.text, box: toOrig(w.box) }));
  for (const seq of [...lineSymbols(page, toOrig), ...views]) {
    const text = oneCharEach(seq);
    if (text === null || HASH_CONTEXT.test(text)) continue;
    for (const m of text.matchAll(TOOLTIP_BOX_RUN)) {
      // Hex digits read as capitals (Roboto: `C608A`) count as hex here: the box is the evidence.
      if (m[0].replace(/[0-9a-fA-F]/g, '').length > V1_RUN_MISREAD) continue;
      const syms = seq.slice(m.index, m.index! + m[0].length);
      const b = boxOf(syms);
      const h = b.height;
      const context = [text.slice(0, m.index), ...named.filter((o) => o.box.x + o.box.width <= b.x + h && o.box.y + o.box.height > b.y - FAR_ABOVE_REACH * h && o.box.y < b.y + h).map((o) => o.text)].join(' ');
      if (!KEY_CONTEXT.test(context) || named.some((o) => HASH_CONTEXT.test(o.text) && Math.abs(o.box.y + o.box.height / 2 - (b.y + h / 2)) < h)) continue;
      const cover = boxAfterRun(grey, syms.map((x) => x.box));
      if (!cover) continue;
      return { key: v1RunHex(m[0]), box: b, cover };
    }
  }
  return null;
}

/** A candidate found on the turned page, with its box on the original (unturned: as it is). */
function onOriginal(c: ImageCandidate, back: PreparedPage['back']): ImageCandidate {
  return back ? { ...c, box: boxBack(c.box, back) } : c;
}

/** A box on the turned page, as the box around its corners on the original. */
function boxBack(b: Box, back: (x: number, y: number) => [number, number]): Box {
  const pts = [back(b.x, b.y), back(b.x + b.width, b.y), back(b.x + b.width, b.y + b.height), back(b.x, b.y + b.height)];
  const x0 = Math.min(...pts.map((p) => p[0]));
  const y0 = Math.min(...pts.map((p) => p[1]));
  return { x: Math.round(x0), y: Math.round(y0), width: Math.round(Math.max(...pts.map((p) => p[0])) - x0), height: Math.round(Math.max(...pts.map((p) => p[1])) - y0) };
}
