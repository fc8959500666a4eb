// From OCR readings to exact keys.
//
// v2 keys carry a CRC-32 check, so an uncertain reading can be repaired: each
// position gets a short list of plausible characters (tesseract's own LSTM
// alternatives, pooled over several readings, plus a table of look-alikes), the
// readings are enumerated cheapest first, and only one whose checksum holds is
// reported, as 'high'. The search is bounded (SEARCH_BUDGET readings), which
// bounds the odds of a wrong reading passing by chance: see docs/ocr.md.
//
// v1 keys have no checksum: the reading is what it is, voted over several
// readings, and always reported 'low' (see docs/ocr.md).
import { BASE62, V2_PREFIX, crc32 } from '../detect/checksum.js';
import type { Choice } from './engine.js';
import { SAME_GLYPH, type SameGlyphs } from './glyphs.js';

/** At most this many full key strings are tested against the checksum per token. */
export const SEARCH_BUDGET = 1 << 22;
/** v1: readings agreeing at or above this confidence on every character stop the re-reads (never make a key 'high'). */
export const V1_HIGH_CONF = 85;

/** An alternative tesseract offers at this confidence or more, in most readings, counts as read. */
export const OFFERED_CONF = 40;

/** Look-alike groups. A character read as one member may be any other. */
const LOOKALIKES: string[] = [
  'O0oQDU', 'l1Iij|!JLtf', 'S5s$', 'B8', 'Z2z', 'g9q', 'G6b', 'cC', 'kK', 'pP', 'uU', 'vVy', 'wW', 'xX', 'yY', 'jJ', 'zZ', 'oO',
  'ec', 'hb', 'nh', 'rt', 'fF', 'EF', '7T', 'A4', 'aeo', 'Hh', 'NM', 'W', 'MN', 'mM', 'nN', 'BZ', 'BE',
  // Read with confidence 78-98 in every view at a check position (Liberation Mono
  // 13 px, DejaVu Sans Mono 17 px; Fira Code 12 px), so the key came out 'low'.
  'fT', '6e',
  '9I',
  // A slashed or dotted zero (Inconsolata, Fira Code) read as what its inner mark makes it look like.
  '0a', '0d', '0e', '08',
];
const LOOK: Map<string, Set<string>> = (() => {
  const m = new Map<string, Set<string>>();
  for (const g of LOOKALIKES) {
    for (const a of g) {
      const set = m.get(a) ?? new Set<string>();
      for (const b of g) if (b !== a) set.add(b);
      m.set(a, set);
    }
  }
  return m;
})();

/** Pairs tesseract confuses most often in keys: tried earlier than other look-alikes. */
const STRONG: Set<string> = (() => {
  const set = new Set<string>();
  for (const g of ['O0o', 'l1I|', 'S5', 'B8', 'Z2', 'JI', '9I']) for (const a of g) for (const b of g) if (a !== b) set.add(a + b);
  return set;
})();

export function lookalikes(ch: string): string[] {
  return [...(LOOK.get(ch) ?? [])];
}

const IS_B62 = new Set(BASE62);
const B62_INDEX = new Map([...BASE62].map((ch, i) => [ch, i]));

/**
 * What a slot under a text cursor costs past its cheapest, for any character
 * not read: replayed on the dev sets' eight occluded misses, 1 resolves the
 * three keys a bare wildcard does, 2 and 4 two, 8 none; nothing invented.
 */
const CURSOR_COST = 1;

/** One recognised symbol with its alternatives (confidence 0..100). */
export interface Sym {
  choices: Choice[];
  /** No choices: the glyph is cut by the edge of its box, and may be any character (see pool); what it was read as. */
  cut?: string;
  /** Under a text cursor (see underCursor in pipeline.ts): besides what was read, any character, at `CURSOR_COST` over the slot's cheapest. */
  cursor?: boolean;
  /** Index into whatever the caller uses to find the symbol's box. */
  ref: number;
}

/**
 * Plausible characters at one key position, cheapest first. `read`: some
 * reading's first choice there, or a look-alike of one (not only one of
 * tesseract's alternatives).
 */
export interface Slot { alts: { ch: string; cost: number; read: boolean }[] }

/**
 * Pool several aligned readings (each exactly `n` symbols) into slots. A
 * character's weight is its summed confidence over the readings; look-alikes of
 * what was read get a small weight so they are tried, late. A position no
 * reading has a symbol for (a glyph lost) may be any character of its alphabet,
 * all alike: the search counts each of them as a string tested.
 */
export function pool(readings: Sym[][], n: number, alphabets: Set<string> | ((i: number) => Set<string>), same?: number[][]): Slot[] {
  const slots: Slot[] = [];
  const alphabetAt = (i: number) => (typeof alphabets === 'function' ? alphabets(i) : alphabets);
  const read = Array.from({ length: n }, (_, i) => {
    const w = new Map<string, number>();
    for (const r of readings) {
      for (const c of r[i]?.choices ?? []) if (alphabetAt(i).has(c.ch)) w.set(c.ch, (w.get(c.ch) ?? 0) + Math.max(1, c.conf));
    }
    return w;
  });
  for (let i = 0; i < n; i++) {
    const alphabet = alphabetAt(i);
    if (readings.every((r) => !r[i]?.choices.length)) {
      // A glyph cut in half was seen, not lost: whatever it is counts as read.
      const cut = readings.some((r) => r[i]?.cut !== undefined);
      slots.push({ alts: [...alphabet].map((ch) => ({ ch, cost: 0, read: cut })) });
      continue;
    }
    // The same glyph elsewhere in the key (see sameGlyphs) was read too: its votes count here, at half weight.
    const mates = (same?.[i] ?? []).filter((j) => j !== i);
    const w = new Map(read[i]);
    for (const j of mates) for (const [ch, v] of read[j]!) if (alphabet.has(ch)) w.set(ch, (w.get(ch) ?? 0) + v / 2);
    const top = Math.max(1, ...w.values());
    // Look-alikes of every character read here, not already present.
    const seen = [...w.keys()];
    for (const r of readings) for (const c of r[i]?.choices ?? []) if (!seen.includes(c.ch)) seen.push(c.ch);
    // (A look-alike tesseract offered at a tiny confidence keeps the look-alike prior.)
    const topChars = new Set([i, ...mates].flatMap((j) => readings.map((r) => r[j]?.choices[0]?.ch)).filter((c): c is string => !!c));
    for (const ch of seen) {
      for (const alt of lookalikes(ch)) {
        if (!alphabet.has(alt)) continue;
        const prior = top * (STRONG.has(ch + alt) && topChars.has(ch) ? 0.3 : 0.02);
        if ((w.get(alt) ?? 0) < prior) w.set(alt, prior);
      }
    }
    const nearRead = new Set([...topChars].flatMap((c) => [c, ...lookalikes(c)]));
    // What tesseract offered with a real confidence in most readings looks like the glyph too.
    const present = readings.filter((r) => r[i]?.choices.length);
    for (const ch of seen) {
      const strong = present.filter((r) => r[i]!.choices.some((c) => c.ch === ch && c.conf >= OFFERED_CONF)).length;
      if (strong * 2 > present.length) nearRead.add(ch);
    }
    const sorted = [...w.entries()]
      .map(([ch, weight]) => ({ ch, cost: Math.log(top / weight), read: nearRead.has(ch) }))
      .sort((a, b) => a.cost - b.cost);
    // The best few, plus always what any reading read first and its look-alikes
    // (not only the best's: a `0` read as `B` twice and `O` once is kept as O's look-alike).
    const alts = sorted.filter((a, k) => k < 5 || nearRead.has(a.ch)).slice(0, 8);
    if (readings.some((r) => r[i]?.cursor)) {
      // What was read under the cursor may hold nothing of the alphabet (a block cursor read `<`): then every character costs CURSOR_COST.
      const over = (alts[0]?.cost ?? 0) + CURSOR_COST;
      for (const ch of alphabet) if (!alts.some((a) => a.ch === ch)) alts.push({ ch, cost: over, read: false });
    }
    slots.push({ alts });
  }
  return slots;
}

/**
 * What each glyph read alone (see readGlyphsAlone in pipeline.ts) says, as slot costs:
 * a character every read of the glyph put first, at ALONE_SURE or more, costs
 * at most ALONE_AGREED over the slot's cheapest; one some read put first, at
 * most ALONE_FIRST; one only offered, by every read at OFFERED_CONF or more, costs
 * at most ALONE_FIRST too (see offeredByEvery); one offered less is not added. Measured on the 24 photo,
 * recompressed and wrapped v2 misses of the six dev seeds (bench/ocr/alone-probe.ts):
 * at the 90 positions where every line view missed, both reads alone put the
 * truth first at 29 and offered it at 38 more; at 342 positions a view read
 * right, both reads alone put another character first at 72 (so a character
 * read alone is an alternative, not a verdict). 0.3 and 1 found 3 of those keys
 * (none before); 0.1 and 1, 0.3 and 2, and 0.5 and 1 with offered ones at 2
 * found the same 3: these figures do not pick the constants finely.
 * A character read alone only at a check position is never `read`: a key whose
 * check holds only through it is a guess (V2Search.guessed), as one through
 * tesseract's alternatives is, so no wrong-checksum decoy comes out of it
 * 'high'. (One already there only gets cheaper and keeps its flag: what the
 * search may accept there does not change.)
 */
export const ALONE_SURE = 90;
const ALONE_AGREED = 0.3;
const ALONE_FIRST = 1;

/** Slots with the alternatives of each glyph read alone: `alone[i]`, per read of glyph i, its choices. */
export function withAlone(slots: Slot[], alone: Choice[][][]): Slot[] {
  return slots.map((slot, i) => {
    const reads = (alone[i] ?? []).filter((c) => c.length);
    if (!reads.length) return slot;
    const m = Math.min(...slot.alts.map((a) => a.cost));
    const alts = [...slot.alts];
    const put = (ch: string, over: number) => {
      if (!V2_ALPHABET(i).has(ch)) return;
      const k = alts.findIndex((a) => a.ch === ch);
      if (k < 0) alts.push({ ch, cost: m + over, read: false });
      else if (alts[k]!.cost > m + over) alts[k] = { ...alts[k]!, cost: m + over };
    };
    for (const c of reads) put(c[0]!.ch, ALONE_FIRST);
    for (const c of offeredByEvery(reads)) put(c, ALONE_FIRST);
    const first = reads[0]![0]!.ch;
    if (reads.every((c) => c[0]!.ch === first && c[0]!.conf >= ALONE_SURE)) put(first, ALONE_AGREED);
    return { alts: alts.sort((a, b) => a.cost - b.cost) };
  });
}

/**
 * Slots where every character of the alphabet not already there costs `over` past the
 * slot's cheapest: one glyph read as something no view, look-alike or read alone offered
 * (see searchPastBound in pipeline.ts). What it adds counts against the budget like any
 * other string.
 */
export function withAny(slots: Slot[], over: number): Slot[] {
  return slots.map((slot, i) => {
    const over0 = Math.min(...slot.alts.map((a) => a.cost)) + over;
    const missing = [...V2_ALPHABET(i)].filter((ch) => !slot.alts.some((a) => a.ch === ch));
    return { alts: [...slot.alts, ...missing.map((ch) => ({ ch, cost: over0, read: false }))] };
  });
}

/**
 * The characters every read of a glyph alone offers, after its first choice, at
 * OFFERED_CONF or more. Such a character, though no read put it first, is as likely as one some read put first: the glyph read alone is blurred
 * too, and names the truth second (wild-3103 photo-009, a `j` read `3` at 90-91 alone, `j`
 * offered at 74-82; wild-3101 recompressed-002, an `i` read `1` at 98, `i` offered at 54-55;
 * wild-3204 recompressed-009, two `l` read `1` at 96-98, `l` offered at 49-65). Replayed on the
 * 25 photo and recompressed v2 misses of wild-3001..3204 that reached the glyphs read alone:
 * 3 true keys found past the region's bound (none before), none invented; offered at 30 or 50
 * the same 3, at 60 two; at a cost of 1.5 over the cheapest two, at 2 none.
 */
export function offeredByEvery(reads: Choice[][]): string[] {
  return reads[0]!.slice(1).filter((c) => c.conf >= OFFERED_CONF && reads.every((r) => r.slice(1).some((x) => x.ch === c.ch && x.conf >= OFFERED_CONF))).map((c) => c.ch);
}

/**
 * The glyphs read alone (as withAlone takes them) with only each read's first choice, so that
 * nothing only offered (offeredByEvery) is added; null when no glyph's reads offer anything
 * withAlone would add (the slots would be the same).
 */
export function withoutOffers(alone: Choice[][][]): Choice[][][] | null {
  const offers = alone.some((reads, i) => {
    const read = reads.filter((c) => c.length);
    return read.length > 0 && offeredByEvery(read).some((ch) => V2_ALPHABET(i).has(ch));
  });
  return offers ? alone.map((reads) => reads.map((c) => c.slice(0, 1))) : null;
}

/**
 * `guessed`: a check character of the key found is only one of tesseract's
 * alternatives to what every reading read there (not a look-alike of it).
 * That is how a wrong-checksum key (a valid one with one check character
 * replaced) gets "repaired" into the valid key it was made from, so such a
 * find is not proof: see docs/ocr.md.
 */
export interface V2Search {
  key: string | null;
  tried: number;
  cost: number;
  best: string;
  guessed: boolean;
  /**
   * The walk's steps: each goes down to a prefix of a string counted in `tried`, or back
   * from one, so there are at most 59 per string tried plus one (the budget bounds the time).
   * Met in the middle (byCheck): the steps of its two walks over partial bodies and its
   * lookups, each partial body and each lookup a part of a string counted in `tried`.
   */
  steps: number;
}

const Q = 10; // cost quantum: 0.1

/**
 * How many full 36-character strings cost at most c (in quanta), for every c
 * up to `limit`: a convolution of the slots' cost histograms.
 */
function countUpTo(slots: Slot[], limit: number): Float64Array {
  let dist = new Float64Array(limit + 1);
  dist[0] = 1;
  for (const s of slots) dist = convolve(dist, s.alts.map((a) => Math.round(a.cost * Q)));
  for (let c = 1; c <= limit; c++) dist[c] = dist[c]! + dist[c - 1]!;
  return dist;
}

/** A cost histogram (in quanta) with one more slot of the given costs, cut at its length. */
function convolve(h: Float64Array, costs: ArrayLike<number>): Float64Array<ArrayBuffer> {
  const next = new Float64Array(h.length);
  for (let k = 0; k < costs.length; k++) {
    const q = costs[k]!;
    for (let c = 0; c + q < h.length; c++) if (h[c]) next[c + q] = next[c + q]! + h[c]!;
  }
  return next;
}

/**
 * The cheapest reading of 36 slots (30 body + 6 check) whose checksum holds,
 * among the `budget` cheapest full strings. The cost threshold C is the
 * largest for which at most `budget` full strings cost <= C; bodies are
 * enumerated cheapest first up to C, each body's check is computed, and it
 * passes when its own cost fits in what C leaves. So at most `budget` full
 * strings are ever candidates, and the odds of a wrong one passing the 32-bit
 * check by chance are at most budget / 2^32.
 */
export function searchV2(slots: Slot[], budget = SEARCH_BUDGET, how: 'auto' | 'walk' | 'check' | number = 'auto'): V2Search {
  // The check's first character can only be 0..4 (62^5 * 5 > 2^32 > 62^5 * 4).
  // Only what was read (or looks like it) is tried there: filling in 0..4 for
  // a `y` read there would "repair" exactly the wrong-checksum keys whose first
  // check character was changed, which are not keys.
  // An alternative whose cost is not finite is none: the count skips it but the walk took
  // it at 0 (an Int32Array holds NaN and Infinity as 0), so the walk left the count and
  // its bound. withAlone gives one to a slot that had nothing (its cheapest plus a step is
  // Infinity): a search of wild-2902 occluded-006 counted 0 strings and walked for 290 s.
  const sl = slots.map((s, i) => ({ alts: s.alts.filter((a) => Number.isFinite(a.cost) && (i !== 30 || '01234'.includes(a.ch))) }));
  const best = slots.map((s) => s.alts[0]?.ch ?? '?').join('');
  if (sl.some((s) => s.alts.length === 0)) return { key: null, tried: 0, cost: Infinity, best, guessed: false, steps: 0 };
  // Normalise so each slot's cheapest alternative costs 0.
  const norm = sl.map((s) => {
    const m = Math.min(...s.alts.map((a) => a.cost));
    return { alts: s.alts.map((a) => ({ ...a, cost: Math.round((a.cost - m) * Q) / Q })).sort((a, b) => a.cost - b.cost) };
  });
  const LIMIT = 60 * Q;
  // Counted up to a cost of 12 first: the budget is nearly always spent below
  // it, and counts up to a cost do not depend on how far past it they go.
  let counts = countUpTo(norm, 12 * Q);
  if (counts[12 * Q]! <= budget) counts = countUpTo(norm, LIMIT);
  let cMax = -1;
  while (cMax + 1 < counts.length && counts[cMax + 1]! <= budget) cMax++;
  if (cMax < 0) return { key: null, tried: 0, cost: Infinity, best, guessed: false, steps: 0 };
  const tried = counts[cMax]!;
  const limitQ = cMax;
  const body = norm.slice(0, 30).map((s) => s.alts);
  // A check character's cost by its base62 digit; NONE where no slot offers it.
  const checkCost = new Int32Array(6 * 62).fill(NONE);
  norm.slice(30).forEach((s, j) => { for (const a of s.alts) checkCost[j * 62 + B62_INDEX.get(a.ch)!] = Math.round(a.cost * Q); });
  // CRC-32 is affine over GF(2) for messages of one length, so the CRC of a
  // candidate is the CRC of the base (every slot's first choice) xor one delta
  // per slot that differs from it: each candidate costs a few xors, not a CRC.
  const baseBody = body.map((a) => a[0]!.ch).join('');
  const baseCrc = crc32(V2_PREFIX + baseBody);
  const delta = body.map((alts, i) => Uint32Array.from(alts, (a) => (crc32(V2_PREFIX + baseBody.slice(0, i) + a.ch + baseBody.slice(i + 1)) ^ baseCrc) >>> 0));
  // Depth-first over the body, cheapest alternatives first (each slot's are
  // sorted, so the first too dear ends the slot), without recursion: this runs
  // for up to SEARCH_BUDGET bodies per key, and for every wrong-checksum key.
  // The slots whose second choice is dearest come first: the tree branches
  // near its leaves, so most bodies share all but their last few steps.
  // (The order of the xors does not change a CRC.)
  const order = body.map((_, i) => i).sort((a, b) => (body[b]![1]?.cost ?? Infinity) - (body[a]![1]?.cost ?? Infinity) || a - b);
  const costQ = order.map((i) => Int32Array.from(body[i]!, (a) => Math.round(a.cost * Q)));
  const deltaAt = order.map((i) => delta[i]!);
  // Met in the middle over the check where that walks fewer strings (byCheck).
  if (how !== 'walk' && (how !== 'auto' || tried >= CHECK_FROM)) {
    const met = byCheck(costQ, deltaAt, baseCrc, checkCost, limitQ, how === 'auto' ? false : how === 'check' ? true : how);
    if (met) return result(met.idx, met.cost, met.crc, met.steps);
  }
  let foundCost = Infinity;
  // The dearest cost a string may still have: limitQ, then one quantum under the last find.
  // Costs are whole quanta, so `c > lim` is `c > limitQ || c >= foundCost`, in 32-bit integers.
  let lim = limitQ;
  let foundIdx: Uint8Array | null = null;
  let foundCrc = 0;
  // The last three body slots' costs and CRC deltas (baseCrc folded into the last's:
  // a candidate's CRC is one xor from its last slot's).
  const c27 = costQ[27]!;
  const c28 = costQ[28]!;
  const c29 = costQ[29]!;
  const d27 = Int32Array.from(deltaAt[27]!);
  const d28 = Int32Array.from(deltaAt[28]!);
  const d29 = Int32Array.from(deltaAt[29]!, (d) => d ^ baseCrc);
  // The first 27 slots walked (walkParts); the last three body slots and the six check
  // characters inline (loops in loops): going down to the last slots and back was most of
  // the walk's steps.
  const steps = walkParts(costQ, deltaAt, 0, 27, 0, lim, (idx, cost26, crc26) => {
    for (let a = 0; a < c27.length; a++) {
      const cost27 = cost26 + c27[a]!;
      if (cost27 > lim) break;
      const crc27 = crc26 ^ d27[a]!;
      for (let b = 0; b < c28.length; b++) {
        const cost28 = cost27 + c28[b]!;
        if (cost28 > lim) break;
        const crc28 = crc27 ^ d28[b]!;
        for (let k = 0; k < c29.length; k++) {
          const cost = cost28 + c29[k]!;
          if (cost > lim) break;
          // The last check character first, in 32-bit integers: nearly every string ends
          // there (no reading offers that digit). crc mod 62 by its 16-bit halves, 2^16 = 2 (mod 62).
          const crcI = crc28 ^ d29[k]!;
          const d5 = ((((crcI >>> 16) % 62) << 1) + (crcI & 0xffff)) % 62;
          let total = cost + checkCost[5 * 62 + d5]!;
          if (total > lim) continue;
          // Past it, the other five as before (the CRC as an unsigned number).
          const crcK = crcI >>> 0;
          let v = (crcK - d5) / 62;
          for (let j = 4; j >= 0 && total <= lim; j--) {
            const d = v % 62;
            v = (v - d) / 62;
            total += checkCost[j * 62 + d]!;
          }
          if (total <= lim) {
            foundCost = total;
            lim = total - 1;
            foundIdx = new Uint8Array(30);
            foundIdx.set(idx);
            foundIdx[27] = a;
            foundIdx[28] = b;
            foundIdx[29] = k;
            foundCrc = crcK;
          }
        }
      }
    }
    return lim;
  });
  return result(foundIdx, foundCost, foundCrc, steps);
  /** The search's answer from the chosen alternatives (walk order), cost and CRC (its check as base62). */
  function result(fi: Uint8Array | null, foundCost: number, crc: number, steps: number): V2Search {
    let foundCheck = '';
    for (let j = 0, w = crc; j < 6; j++) { foundCheck = BASE62[w % 62] + foundCheck; w = Math.floor(w / 62); }
    const chosen = new Array<string>(30);
    if (fi) order.forEach((slot, d) => { chosen[slot] = body[slot]![fi[d]!]!.ch; });
    const found = fi ? { key: `sfk_${chosen.join('')}${foundCheck}`, cost: foundCost / Q } : null;
    const guessed = !!found && [...foundCheck].some((ch, j) => !norm[30 + j]!.alts.find((a) => a.ch === ch)?.read);
    return { key: found?.key ?? null, tried, cost: found?.cost ?? Infinity, best, guessed, steps };
  }
}

/**
 * The walk's result met in the middle (searchV2): the check characters' values that fit
 * the bound are few where every check slot offers only what was read and its look-alikes,
 * and a body's CRC is the xor of its slots' deltas, so the body's last slots (in the walk's
 * order) are enumerated once into a table by their CRC, and each of the first slots' partial
 * bodies looks up, for each check value it can afford, the xor that makes the key's CRC that
 * value: the strings walked (bodies, up to 2^25 past the region's bound) become partial bodies
 * times check values. The same result as the walk: the cheapest passing string, the first in
 * the walk's order among equally cheap ones. Null when by its counts the walk is cheaper (a
 * check slot taking any character, withAny) or the table would be too big; `force` takes it
 * whenever the table fits, at the split it names if a number (tests).
 */
function byCheck(costQ: Int32Array[], deltaAt: Uint32Array[], baseCrc: number, checkCost: Int32Array, limitQ: number, force: boolean | number): { idx: Uint8Array | null; cost: number; crc: number; steps: number } | null {
  const n = costQ.length;
  const L = limitQ + 1;
  const sum = (h: Float64Array): number => h.reduce((a, b) => a + b, 0);
  // Counts by cost: the check values, the first m slots' partial bodies, the last n - m slots'.
  const digits = [0, 1, 2, 3, 4, 5].map((j) => [...Array(62).keys()].filter((d) => checkCost[j * 62 + d]! < NONE).sort((a, b) => checkCost[j * 62 + a]! - checkCost[j * 62 + b]!));
  let hS = new Float64Array(L);
  hS[0] = 1;
  for (let j = 0; j < 6; j++) hS = convolve(hS, digits[j]!.map((d) => checkCost[j * 62 + d]!));
  const cumS = new Float64Array(L);
  for (let c = 0, t = 0; c < L; c++) cumS[c] = t += hS[c]!;
  const first: Float64Array[] = [new Float64Array(L)];
  first[0]![0] = 1;
  for (let m = 0; m < n; m++) first.push(convolve(first[m]!, costQ[m]!));
  const last: number[] = new Array<number>(n + 1);
  let hL = new Float64Array(L);
  hL[0] = 1;
  last[n] = 1;
  for (let m = n - 1; m >= 0; m--) { hL = convolve(hL, costQ[m]!); last[m] = sum(hL); }
  const walk = sum(first[n]!);
  let bestM = -1;
  let bestWork = Infinity;
  for (let m = 0; m < n; m++) {
    if (last[m]! > TABLE_MAX || last[m]! * (n - m) > TABLE_MAX * 8) continue;
    let looks = 0;
    for (let c = 0; c < L; c++) if (first[m]![c]) looks += first[m]![c]! * cumS[limitQ - c]!;
    const work = looks + 3 * last[m]!;
    if (work < bestWork || m === force) { bestWork = work; bestM = m; }
    if (m === force) break;
  }
  if (bestM < 0 || (typeof force === 'number' && bestM !== force) || cumS[limitQ]! > CHECKS_MAX || (!force && bestWork * 2 > walk)) return null;
  const m = bestM;
  // The check values within the bound, cheapest first (an unsigned CRC is under 2^32).
  const sVal: number[] = [];
  const sCost: number[] = [];
  const put = (j: number, v: number, c: number): void => {
    if (j === 6) { if (v <= 0xffffffff) { sVal.push(v | 0); sCost.push(c); } return; }
    for (const d of digits[j]!) {
      const cc = c + checkCost[j * 62 + d]!;
      if (cc > limitQ) break;
      put(j + 1, v * 62 + d, cc);
    }
  };
  put(0, 0, 0);
  const sOrder = sVal.map((_, k) => k).sort((a, b) => sCost[a]! - sCost[b]!);
  const valS = Int32Array.from(sOrder, (k) => sVal[k]!);
  const costS = Int32Array.from(sOrder, (k) => sCost[k]!);
  // The last slots' partial bodies: CRC (their deltas' xor), cost, choices; a table by CRC.
  const w = n - m;
  const count = last[m]!;
  const eCrc = new Int32Array(count);
  const eCost = new Int32Array(count);
  const eIdx = new Uint8Array(count * w);
  let bits = 1;
  while (1 << bits < 2 * count) bits++;
  const mask = (1 << bits) - 1;
  const table = new Int32Array(1 << bits).fill(-1);
  const hash = (crc: number): number => Math.imul(crc, 0x9e3779b1) >>> (32 - bits);
  let e = 0;
  let steps = walkParts(costQ, deltaAt, m, n, 0, limitQ, (idx, cost, crc) => {
    eCrc[e] = crc;
    eCost[e] = cost;
    eIdx.set(idx, e * w);
    let h = hash(crc);
    while (table[h] !== -1) h = (h + 1) & mask;
    table[h] = e++;
    return limitQ;
  });
  // The first slots' partial bodies in the walk's order, each with every check value it can
  // afford: a passing string is one whose last slots' CRC is in the table. Kept: the cheapest,
  // the first in the walk's order among equally cheap (the same first slots: the last slots'
  // choices compared; a later first part never wins a tie).
  let lim = limitQ;
  let found: Uint8Array | null = null;
  let foundCost = 0;
  let foundCrc = 0;
  // (Its lookups count as steps inside; its walk's steps are added after it.)
  const walked = walkParts(costQ, deltaAt, 0, m, baseCrc, limitQ, (idx, cP, crcP) => {
    let mine = false;
    for (let s = 0; s < valS.length; s++) {
      const cS = cP + costS[s]!;
      if (cS > lim) break;
      steps++;
      const want = crcP ^ valS[s]!;
      for (let h = hash(want); table[h] !== -1; h = (h + 1) & mask) {
        const x = table[h]!;
        if (eCrc[x] !== want) continue;
        const total = cS + eCost[x]!;
        if (total > lim) continue;
        if (found && total === foundCost && !mine) continue;
        if (found && total === foundCost && mine && !before(eIdx, x * w, found, m, w)) continue;
        found ??= new Uint8Array(n);
        found.set(idx, 0);
        found.set(eIdx.subarray(x * w, x * w + w), m);
        foundCost = total;
        foundCrc = valS[s]! >>> 0;
        lim = total;
        mine = true;
      }
    }
    return lim;
  });
  steps += walked;
  return { idx: found, cost: foundCost, crc: foundCrc, steps };
}

/**
 * The partial bodies over the walk's slots from..to - 1 (searchV2's order) within the bound,
 * depth-first, each slot's choices cheapest first (the first too dear ends the slot), without
 * recursion: `visit` gets each one's choices, cost and CRC (crc0 xor its slots' deltas) and
 * returns the bound from then on. Its steps: each goes down a slot or back from one.
 */
function walkParts(costQ: Int32Array[], deltaAt: Uint32Array[], from: number, to: number, crc0: number, bound: number, visit: (idx: Uint8Array, cost: number, crc: number) => number): number {
  const w = to - from;
  const idx = new Uint8Array(w);
  const costAt = new Int32Array(w + 1);
  const crcAt = new Int32Array(w + 1);
  crcAt[0] = crc0;
  let lim = bound;
  let i = 0;
  let steps = 0;
  for (;;) {
    steps++;
    if (i === w) {
      lim = visit(idx, costAt[w]!, crcAt[w]!);
      i--;
    } else {
      const k = idx[i]!;
      const cs = costQ[from + i]!;
      const c = k < cs.length ? costAt[i]! + cs[k]! : NONE;
      if (c > lim) {
        idx[i] = 0;
        i--;
      } else {
        costAt[i + 1] = c;
        crcAt[i + 1] = crcAt[i]! ^ deltaAt[from + i]![k]!;
        i++;
        continue;
      }
    }
    if (i < 0) break;
    idx[i]!++;
  }
  return steps;
}

/** A cost no string can have: a check digit no slot offers. */
const NONE = 1 << 20;

/** Lexicographically before: the table's entry x's choices against those of `found` past m. */
function before(eIdx: Uint8Array, at: number, found: Uint8Array, m: number, w: number): boolean {
  for (let k = 0; k < w; k++) {
    if (eIdx[at + k]! !== found[m + k]!) return eIdx[at + k]! < found[m + k]!;
  }
  return false;
}

/** The most partial bodies byCheck puts in its table. */
const TABLE_MAX = 1 << 20;
/** Fewer strings than this are walked: byCheck's counts cost more than it saves (about 30 ms of a walk). */
const CHECK_FROM = 1 << 20;
/** The most check values byCheck enumerates. */
const CHECKS_MAX = 1 << 18;

export const B62_SET: Set<string> = IS_B62;
const CHECK_FIRST = new Set('01234');
/** The characters possible at each of a v2 key's 36 positions after `sfk_`: the check's first is 0..4 (62^5 * 5 > 2^32). */
export const V2_ALPHABET = (i: number): Set<string> => (i === 30 ? CHECK_FIRST : IS_B62);
export const HEX_SET: Set<string> = new Set('0123456789abcdef');

/** What a misread hex digit most likely was. */
const TO_HEX: Record<string, string> = {
  O: '0', o: '0', Q: '0', D: '0', U: '0',
  l: '1', I: '1', i: '1', j: '1', '|': '1', '!': '1', J: '1', L: '1', t: '1',
  S: '5', s: '5', $: '5', B: '8', Z: '2', z: '2', g: '9', q: '9', G: '6', A: 'a', C: 'c', E: 'e', F: 'f', T: '7', h: 'b',
};

export function toHex(ch: string): string | null {
  if (HEX_SET.has(ch)) return ch;
  return TO_HEX[ch] ?? null;
}

export interface V1Reading { key: string; sure: boolean }

/**
 * How much the legacy engine's readings of a v1 key count against the LSTM's.
 * The LSTM misreads some hex digits (`6` as `b`, `4` and `0` as `d`) the same
 * way in every view, so more LSTM readings do not outvote that; the legacy
 * classifier reads glyph by glyph and makes other mistakes. The LSTM's votes
 * are averaged over its readings; each of the (up to 3) legacy readings adds
 * LEGACY_V1_WEIGHT / 3 of a unanimous LSTM at confidence 90, so three legacy
 * readings that agree outvote a unanimous LSTM, and one does not.
 */
const LEGACY_V1_WEIGHT = 2.5;
const LEGACY_READS = 3;
/**
 * The legacy engine's confidence says more than the LSTM's: its misreads come
 * at 65-80 where a clean glyph gets ~90, so a vote is scaled by
 * ((conf - 50) / 40)^2.
 */
function legacyWeight(conf: number): number {
  const x = Math.max(0, (conf - 50) / 40);
  return 100 * x * x;
}
/**
 * The legacy engine's own consistent misreads, measured on the true boxes of
 * the dev sets' v1 keys (106 keys, 3 sizes): what it reads -> what the digit
 * was. Where the LSTM reads the latter, the legacy vote counts half.
 */
const LEGACY_MISREADS: Record<string, string> = { '6': '0e', '0': 'c', '3': 'a', '9': '0', e: '0' };

/**
 * Vote a v1 hex part (32 slots) over aligned readings (`legacy[j]`: reading j
 * is the legacy engine's). `glyphs`, when known (see sameGlyphs): `same[i]`
 * lists the slots holding the same glyph as slot i, whose votes are summed, so
 * a glyph read right in most of its copies is right in all; `r`, the cells'
 * correlations, for unlikeCopies. Sure when every LSTM
 * reading read every character as that same hex digit with high confidence.
 */
export function voteV1(readings: (Sym | undefined)[][], legacy: boolean[] = [], glyphs?: SameGlyphs): V1Reading | null {
  const totals: Map<string, number>[] = [];
  for (let i = 0; i < 32; i++) {
    const w = [new Map<string, number>(), new Map<string, number>()];
    const n = [0, 0];
    readings.forEach((r, j) => {
      const s = r[i];
      if (!s) return;
      const g = legacy[j] ? 1 : 0;
      n[g]!++;
      for (const c of s.choices) {
        const h = toHex(c.ch);
        if (h === null) continue;
        const penalty = h === c.ch ? 1 : 0.6;
        w[g]!.set(h, (w[g]!.get(h) ?? 0) + (g ? legacyWeight(c.conf) : Math.max(1, c.conf)) * penalty);
      }
    });
    const total = new Map<string, number>();
    const lstmTop = [...w[0]!.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    for (const g of [0, 1]) for (const [h, v] of w[g]!) {
      const doubt = g && (LEGACY_MISREADS[h] ?? '').includes(lstmTop) ? 0.5 : 1;
      total.set(h, (total.get(h) ?? 0) + (v / Math.max(g ? LEGACY_READS : 1, n[g]!)) * (g ? LEGACY_V1_WEIGHT * doubt : 1));
    }
    if (total.size === 0) return null;
    if (lstmTop === '1' && fOffered(readings, legacy, i)) fromOne(total);
    totals.push(total);
  }
  const ranked = totals.map((_, i) => {
    const total = new Map<string, number>();
    for (const j of glyphs?.same[i] ?? [i]) for (const [h, v] of totals[j]!) total.set(h, (total.get(h) ?? 0) + v);
    return [...total.entries()].sort((a, b) => b[1] - a[1]).map(([h]) => h);
  });
  const key = ranked.map((hs) => hs[0]!);
  if (glyphs) unlikeCopies(key, ranked, readings, glyphs.r);
  let sure = readings.length > 0;
  for (let i = 0; i < 32; i++) {
    readings.forEach((r, j) => {
      if (legacy[j]) return;
      const c0 = r[i]?.choices[0];
      if (!c0 || c0.ch !== key[i] || c0.conf < V1_HIGH_CONF) sure = false;
    });
  }
  return { key: key.join(''), sure };
}

/**
 * An `f` the LSTM reads as `1` in every view of a small, soft hex key (DejaVu
 * Sans Mono and DejaVu Sans 11 px in photos and recompressed pictures; the
 * legacy engine reads it `1` too), offering `f`, `F` or `T` (Liberation Mono's
 * small `f`) at F_OFFERED or more in some reading. On the v1 keys of the 12
 * wild tuning sets (3001-3004, 3101-3104, 3201-3204) a `1` with such an
 * alternative was an `f` 5 times of 5; the 216 `1`s voted right never had one
 * (one at 40-59).
 */
const F_OFFERED = 60;
const F_LIKE = 'fFT';

function fOffered(readings: (Sym | undefined)[][], legacy: boolean[], i: number): boolean {
  return readings.some((r, j) => !legacy[j] && !!r[i]?.choices.some((c) => F_LIKE.includes(c.ch) && c.conf >= F_OFFERED));
}

/** The votes for `1` go to `f`: the `1` was the `f`'s misread. */
function fromOne(total: Map<string, number>): void {
  total.set('f', (total.get('f') ?? 0) + (total.get('1') ?? 0));
  total.delete('1');
}

/**
 * A digit whose glyph is not the same picture as any copy of it in the key,
 * when two of those copies are the same picture (so the digit's picture is
 * known), is not that digit: the next digit the vote ranks there that some
 * reading read first as that digit (not a look-alike letter), and that is the
 * same picture as one of its own copies or has none. The LSTM reads a small `0` as `6` in every view (wild-2607
 * recompressed-004, Inconsolata 11 px after JPEG 50: a `0` voted `6`, its
 * cell 0.85-0.87 like the key's three `6`, two readings `0`). Only the
 * picture's word against the reading's, never a digit no reading read first:
 * in photos a keystoned key's cells are unlike their copies (0.75-0.88,
 * wild-2603 photo-006 and -011, wild-2607 photo-006) while every reading
 * agrees, and then nothing changes.
 */
function unlikeCopies(key: string[], ranked: string[][], readings: (Sym | undefined)[][], r: number[][]): void {
  const voted = [...key];
  const copies = (h: string, i: number) => voted.flatMap((k, j) => (j !== i && k === h ? [j] : []));
  const likeOne = (i: number, js: number[]) => js.some((j) => r[i]![j]! >= SAME_GLYPH);
  const unlike = key.flatMap((d, i) => {
    const c = copies(d, i);
    return c.length >= 2 && !likeOne(i, c) && c.some((j) => likeOne(j, c.filter((k) => k !== j))) ? [i] : [];
  });
  for (const i of unlike) {
    // As written: the legacy engine reads a glyph under a pointer as `s` (a `5` by toHex; wild-2701 occluded-011).
    const readFirst = new Set(readings.map((rd) => rd[i]?.choices[0]?.ch).filter((ch) => !!ch && HEX_SET.has(ch)));
    const next = ranked[i]!.find((h) => h !== voted[i] && readFirst.has(h) && (copies(h, i).length === 0 || likeOne(i, copies(h, i))));
    if (next) key[i] = next;
  }
}

/**
 * The data-centre number a v1 key's readings vote for, weighted as in voteV1:
 * the LSTM's readings averaged, the legacy engine's adding LEGACY_V1_WEIGHT in
 * all, half of it where a digit is one of the legacy engine's own misreads of
 * the LSTM's (`-sf16` for `-sf10`), none where it is the LSTM's with its last
 * digit lost (`-sf1` for `-sf12`). The LSTM reads Inconsolata's slashed `0`
 * as `8` in every view (`-sf18` for `-sf10`); the legacy engine reads it glyph
 * by glyph. Of the LSTM's readings only those `sure` vote when there are any
 * (the `f` read, every digit surely; see findV1): on the v1 keys of the 20
 * wild tuning sets 3001-3404 and id-3205/id-3305 (287 regions,
 * bench/ocr/v1-dc.ts) they were right 1308 times of 1320, the others 197 of 245. An `f` read `1` adds a digit
 * (`-s18` for `-sf8`, wild-3104 rotated-002, read so in four views of six), a
 * `9` read `7` loses one (`-sf7` for `-sf19`, wild-3302 photo-006).
 */
export function voteDc(dcs: { dc: string; legacy: boolean; sure?: boolean }[]): string | null {
  const all = dcs.filter((d) => !d.legacy);
  const sure = all.filter((d) => d.sure);
  const lstm = sure.length ? sure : all;
  const w = new Map<string, number>();
  for (const d of lstm) w.set(d.dc, (w.get(d.dc) ?? 0) + 1 / lstm.length);
  const lstmTop = [...w.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  for (const d of dcs) {
    if (!d.legacy) continue;
    // `-sf1` where the LSTM read `-sf12`: the second digit lost, not a vote against it.
    if (d.dc.length < lstmTop.length && lstmTop.startsWith(d.dc)) continue;
    const doubt = [...d.dc].some((ch, i) => lstmTop[i] !== undefined && lstmTop[i] !== ch && (LEGACY_MISREADS[ch] ?? '').includes(lstmTop[i]!)) ? 0.5 : 1;
    w.set(d.dc, (w.get(d.dc) ?? 0) + (LEGACY_V1_WEIGHT / LEGACY_READS) * doubt);
  }
  return [...w.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}
