// The detector: finds validated keys in one chunk of bytes. Literal prefilters,
// searched by their rarest bytes, find the few places worth a look; the rule's
// pattern, validator and context run only in a small window around each place, so
// the cost follows the number of hits, not the size of the chunk. Encoded text is
// found the same way: base64 and hex blocks by a sampling pass (encodings.ts), UTF-16
// and `\uXXXX` escapes by their own literals, each decoded only where it is.
import type { Candidate, Confidence } from '../model.js';
import { type CompiledRule, maskShapes } from './rules.js';
import { ByteLocator, lineIndexOf } from './locate.js';
import { LiteralFinder } from './needles.js';
import { type Finder, type PassResult, ScanPass } from './scan-pass.js';
import { allowsNextLine } from './allow.js';
import {
  blockText,
  decodeBlock,
  findBase64Blocks,
  hexRuns,
  holdsAsciiRun,
  joinedPieces,
  plainOffsetOf,
  sniffUtf16,
  unescapeUnicode,
  utf16Needle,
  utf16ToUtf8,
  utf16Window,
  type Base64Block,
  type BlockText,
  type Utf16Encoding,
  worthDecoding,
} from './encodings.js';

/** The shortest key, in bytes (v1: 32 hex digits, `-sf` and a version). */
const KEY_BYTES = 36;
/** Shortest base64 text that can hold a whole key (36 bytes -> 48 characters). */
const MIN_BASE64_CHARS = (KEY_BYTES / 3) * 4;
/** Base64 and hex are decoded inside one another up to this many layers (`base64>base64>base64`). */
export const MAX_LAYERS = 3;

interface PreparedRule {
  rule: CompiledRule;
  finders: LiteralFinder[];
  /** The same literals in UTF-16, little- or big-endian. */
  utf16: LiteralFinder[];
}

interface Match {
  rule: CompiledRule;
  key: string;
  start: number;
}

/** A validated key in one layer of decoded bytes. */
interface HiddenRange {
  start: number;
  end: number;
  label: string;
}

/** The first range (sorted by start; encoded blocks do not nest within a layer) ending after `offset`. */
function firstEndingAfter(ranges: HiddenRange[], offset: number): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid]!.end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Hit {
  rule: CompiledRule;
  key: string;
  /** Offset in this layer's bytes of the key, or of the encoded text holding its first byte. */
  at: number;
  confidence: Confidence;
  /** Encodings from the outermost in; empty for plain text. */
  encoding: string[];
  /** This layer's bytes that encode the key: shown as `[base64]` (`[utf-16le]`, …) in every snippet, never as they are. */
  hidden?: { start: number; end: number };
  /** A key in UTF-16 text found in place: its decoded line. */
  utf16Line?: string;
}

/** A chunk of a bigger file: only keys starting in `[from, to)` are its own; `midway`: it starts inside the file. */
export interface ScanPart {
  from: number;
  to: number;
  midway: boolean;
}

/** Loaded on first use: a pre-commit run with nothing found never pays for node:crypto. */
export function sha256Hex(text: string): string {
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const ESCAPE = new LiteralFinder(Buffer.from('\\u00', 'latin1'));
/** Between decoded blocks searched together: a delimiter for keys, and no line wrap for base64 (`!` is not base64). */
const SEPARATOR = Buffer.from('\n!\n', 'latin1');

function unique(hits: Hit[]): Hit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const id = `${h.at}\u0000${h.key}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** The line of `text` around `[from, to)`. */
function lineOf(text: string, from: number, to: number): string {
  const start = text.lastIndexOf('\n', from - 1) + 1;
  const end = text.indexOf('\n', to);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
}

/** Characters of key alphabets (base64, base64url, hex, `_`-joined prefixes), by code. */
const KEY_CHARACTER = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=.~') KEY_CHARACTER[c.charCodeAt(0)] = 1;

/** Hex digits' values by code, 16 for other bytes. */
const HEX_VALUE = new Uint8Array(256).fill(16);
for (const c of '0123456789abcdef') HEX_VALUE[c.charCodeAt(0)] = HEX_VALUE[c.toUpperCase().charCodeAt(0)] = parseInt(c, 16);

/**
 * Whether the `\\u00XX` at `at` stands for a character a key can hold. Read from the bytes,
 * no string: escaped text (pdfjs-dist's source maps) holds one every few bytes.
 */
function escapesKeyCharacter(buf: Buffer, at: number): boolean {
  if (at + 6 > buf.length) return false;
  const high = HEX_VALUE[buf[at + 4]!]!;
  const low = HEX_VALUE[buf[at + 5]!]!;
  return high < 8 && low < 16 && KEY_CHARACTER[(high << 4) | low] === 1;
}

/**
 * Chunks from this size on go through the native pass: below it the searches in JavaScript
 * cost a few microseconds, and the pre-commit hook's few small files never compile the module.
 */
const NATIVE_FROM = 1024;

export interface DetectorOptions {
  /** Chunks of at least this many bytes are searched by one WebAssembly pass (scan-pass.ts); Infinity: all in JavaScript. Tests compare both. */
  nativeFrom?: number;
}

export class Detector {
  private readonly prepared: PreparedRule[];
  private readonly reach: number;
  /** Finds every prepared rule's literals, then ESCAPE's, then the rules' UTF-16 literals, in the outermost layer; null: JavaScript does. */
  private readonly pass: ScanPass | null;

  constructor(
    readonly rules: CompiledRule[],
    options: DetectorOptions = {},
  ) {
    this.prepared = rules.map((rule) => ({
      rule,
      finders: rule.def.prefilter.map((p) => new LiteralFinder(Buffer.from(p, 'latin1'))),
      utf16: rule.def.prefilter.map((p) => new LiteralFinder(utf16Needle(p))),
    }));
    this.reach = Math.max(0, ...rules.map((r) => r.reach));
    const nativeFrom = options.nativeFrom ?? NATIVE_FROM;
    const literals = [...this.prepared.flatMap((p) => p.finders.map((f) => f.literal)), ESCAPE.literal];
    const utf16 = this.prepared.flatMap((p) => p.utf16.map((f) => f.literal));
    this.pass = nativeFrom === Infinity ? null : ScanPass.for(literals, utf16, nativeFrom);
  }

  /**
   * A buffer to read chunks into that the native pass searches where they are (no copy), or
   * null. Its bytes last only until the next scan of another buffer on this thread: read into it,
   * then scan it, with no other scan between.
   */
  chunkRoom(): Buffer | null {
    return this.pass?.room() ?? null;
  }

  /** Keys in `buf` (or, for a chunk of a bigger file, those that are `part`'s own), located in its decoded text. */
  scan(buf: Buffer, part?: ScanPart): Candidate[] {
    const pass = this.pass?.run(buf) ?? null;
    // One look for a NUL serves both UTF-16 checks: most files hold none.
    const nul = pass ? pass.nul : buf.indexOf(0);
    let hits = this.layer(buf, 0, part?.midway ?? false, nul !== -1, pass);
    if (part) hits = hits.filter((h) => h.at >= part.from && h.at < part.to);
    const found = this.candidates(buf, hits);
    // Text that is UTF-16 from its start is read decoded too, for the encodings inside it.
    const utf16 = part || !mayStartUtf16(buf, nul) ? null : sniffUtf16(buf);
    if (utf16) {
      const text = utf16ToUtf8(buf, utf16);
      const decoded = this.candidates(text, this.layer(text, 0, false)).map((c) => ({ ...c, encoding: c.encoding ? `${utf16}>${c.encoding}` : utf16 }));
      // The same key found both ways is kept as decoded: its column counts characters.
      const id = (c: Candidate) => `${c.ruleId}\u0000${c.key}\u0000${c.line}`;
      const seen = new Set(decoded.map(id));
      found.splice(0, found.length, ...decoded, ...found.filter((c) => !seen.has(id(c))));
    }
    return found.sort((a, b) => a.line - b.line || a.column - b.column);
  }

  /**
   * Keys in one layer of bytes: as they are, in the base64 and hex inside, in UTF-16, behind `\u` escapes.
   * `pass`: the native pass's findings on these bytes, in place of the searches.
   */
  private layer(buf: Buffer, depth: number, midway: boolean, nul = buf.indexOf(0) !== -1, pass: PassResult | null = null): Hit[] {
    let hits: Hit[] = [];
    let locator: ByteLocator | null = null;
    let k = 0;
    for (const p of this.prepared) {
      const finders = pass ? pass.finders.slice(k, (k += p.finders.length)) : p.finders;
      for (const m of this.matchRule(p, buf, finders)) {
        locator ??= new ByteLocator(buf);
        hits.push(this.hit(m, locator.lineAround(m.start, m.start + m.key.length).text, m.start, []));
      }
    }
    if (depth < MAX_LAYERS) {
      const blocks = findBase64Blocks(buf, MIN_BASE64_CHARS, pass?.samples);
      if (blocks.length > 0) this.inBlocks(buf, blocks, depth, midway, hits);
    }
    const escape = pass ? pass.finders[k]! : ESCAPE;
    if (nul) hits = hits.concat(this.inUtf16(buf, pass?.finders.slice(k + 1)));
    if (escape.next(buf, 0) !== -1) hits = hits.concat(this.behindEscapes(buf, escape));
    return hits.length > 1 ? unique(hits) : hits;
  }

  private hit(m: Match, line: string, at: number, encoding: string[]): Hit {
    const low = m.rule.lowContext?.test(line) ?? false;
    return { rule: m.rule, key: m.key, at, confidence: low ? 'low' : m.rule.def.confidence, encoding };
  }

  /** Keys in base64 blocks, decoded as base64 or, where they are all hex digits, as hex; added to `out`. */
  private inBlocks(buf: Buffer, blocks: Base64Block[], depth: number, midway: boolean, out: Hit[]): void {
    // Only blocks that can hold a key are decoded (most in lock files and bundles are hashes
    // of random bytes), into one buffer searched as one, between separators that end a key and
    // join no lines: a few searches per layer, not a few per block. A block's text is made only
    // where it is needed: hex, a cut block, a hit.
    const chosen: number[] = [];
    let capacity = 0;
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i]!;
      if (!(midway && block.start === 0) && !worthDecoding(buf, block, KEY_BYTES)) continue;
      chosen.push(i);
      capacity += block.end - block.start;
    }
    if (chosen.length === 0) return;
    // Room for each block decoded four times: from its start and from after a `-` or `_` at each other place in a quartet.
    const data = Buffer.allocUnsafe(3 * capacity + 4 * chosen.length * SEPARATOR.length);
    const texts: Array<BlockText | undefined> = [];
    const textOf = (i: number): BlockText => (texts[i] ??= blockText(buf, blocks[i]!));
    const starts: number[] = [];
    const which: number[] = [];
    /** Characters of the block's text before the part decoded. */
    const shifts: number[] = [];
    let size = 0;
    for (const i of chosen) {
      const block = blocks[i]!;
      const cut = midway && block.start === 0;
      const decoded = decodeBlock(buf, block, data, size);
      if (decoded.hexRun) {
        const text = textOf(i);
        for (const [start, end] of hexRuns(text.text)) {
          for (const from of [start, start + 1]) this.decoded(Buffer.from(text.text.slice(from, end), 'hex'), 'hex', depth, false, block, text, (b) => from + 2 * b, out);
        }
      }
      if (decoded.onlyHex) continue;
      if (cut) {
        // A block cut by the start of a chunk may begin anywhere in a quartet: each start is tried.
        const text = textOf(i);
        for (let skip = 0; skip < 4; skip++) this.decoded(Buffer.from(text.text.slice(skip), 'base64'), 'base64', depth, true, block, text, (b) => skip + Math.floor((b * 4) / 3), out);
        continue;
      }
      // Decoded bytes are kept for the search only where a key can be in them: PEM bundles
      // (certifi's cacert.pem) decode to certificates, and their pieces after the armor's
      // `-----` (below) to bytes out of step.
      const keep = (shift: number, bytes: number) => {
        if (!holdsAsciiRun(data, size, size + bytes, KEY_BYTES)) return;
        starts.push(size);
        which.push(i);
        shifts.push(shift);
        size += bytes;
        size += SEPARATOR.copy(data, size);
      };
      keep(0, decoded.bytes);
      // `-` and `_` are base64url's, or join a name to base64 (`secret-<base64>`), which is
      // decoded in step only from after the join.
      if (!decoded.joined) continue;
      for (const joined of joinedPieces(buf, block, MIN_BASE64_CHARS)) {
        const from = plainOffsetOf(buf, block, joined);
        keep(joined, data.write(from === -1 ? textOf(i).text.slice(joined) : buf.toString('latin1', from, block.end), size, 'base64'));
      }
    }
    if (starts.length === 0) return;
    for (const h of this.layer(data.subarray(0, size), depth + 1, false)) {
      const j = lineIndexOf(starts, h.at);
      const i = which[j]!;
      out.push(this.outer(h, 'base64', textOf(i), shifts[j]! + Math.floor(((h.at - starts[j]!) * 4) / 3), blocks[i]!));
    }
  }

  /** Keys in the bytes one block decodes to, added to `out` as seen from the block (`charOf`: decoded byte -> character of its text). */
  private decoded(data: Buffer, encoding: string, depth: number, midway: boolean, block: Base64Block, text: BlockText, charOf: (byte: number) => number, out: Hit[]): void {
    for (const h of this.layer(data, depth + 1, midway)) out.push(this.outer(h, encoding, text, charOf(h.at), block));
  }

  /** A hit in decoded bytes, seen from the layer that holds the encoded text (character `char` of `text`). */
  private outer(h: Hit, encoding: string, text: BlockText, char: number, block: Base64Block): Hit {
    return { rule: h.rule, key: h.key, confidence: h.confidence, at: text.offsetOf(char), encoding: [encoding, ...h.encoding], hidden: { start: block.start, end: block.end } };
  }

  /** Keys in UTF-16 wherever it is (after binary, between UTF-8, without a byte-order mark): decoded around each literal. `found`: the native pass's hits of every rule's UTF-16 literals. */
  private inUtf16(buf: Buffer, found?: Finder[]): Hit[] {
    const out: Hit[] = [];
    let k = 0;
    for (const p of this.prepared) {
      const reach = p.rule.reach;
      for (const finder of found ? found.slice(k, (k += p.utf16.length)) : p.utf16) {
        for (let at = finder.next(buf, 0); at !== -1; at = finder.next(buf, at + 1)) {
          // The literal's first code unit starts at `at` in little-endian text, a byte earlier in big-endian.
          // ASCII reads the same both ways; little-endian (what Windows writes) is tried first.
          for (const [enc, unit] of [['utf-16le', at], ['utf-16be', at - 1]] as Array<[Utf16Encoding, number]>) {
            if (unit < 0) continue;
            const from = unit - 2 * Math.min(reach, unit >> 1);
            const window = utf16Window(buf, from, Math.min(buf.length, unit + 2 * reach), enc);
            const matches = this.matchRule(p, window.bytes, p.finders);
            for (const m of matches) {
              const line = lineOf(window.text, m.start, m.start + m.key.length);
              // Hidden from other keys' snippets: a UTF-8 line around it would show it whole, a byte apart.
              const start = from + 2 * m.start;
              out.push({ ...this.hit(m, line, start, [enc]), utf16Line: line, hidden: { start, end: start + 2 * m.key.length } });
            }
            if (matches.length > 0) break;
          }
        }
      }
    }
    return out;
  }

  /** Keys with `\uXXXX` escapes inside (JSON, JavaScript): each stretch of escapes decoded once. */
  private behindEscapes(buf: Buffer, escape: Finder): Hit[] {
    const out: Hit[] = [];
    let at = escape.next(buf, 0);
    while (at !== -1) {
      const from = Math.max(0, at - this.reach);
      let to = at + 6 + this.reach;
      let inKey = escapesKeyCharacter(buf, at);
      for (at = escape.next(buf, at + 1); at !== -1 && at < to; at = escape.next(buf, at + 1)) {
        to = at + 6 + this.reach;
        inKey ||= escapesKeyCharacter(buf, at);
      }
      // Escaped quotes, `<`, `&` (most escapes in JSON and bundles) cannot be inside a key.
      if (!inKey) continue;
      const { bytes, offsets } = unescapeUnicode(buf, from, Math.min(to, buf.length));
      if (bytes.length === offsets[bytes.length]! - from) continue;
      let locator: ByteLocator | null = null;
      for (const p of this.prepared) {
        for (const m of this.matchRule(p, bytes, p.finders)) {
          const start = offsets[m.start]!;
          const end = offsets[m.start + m.key.length]!;
          // Keys without an escape inside were found as plain text.
          if (end - start === m.key.length) continue;
          locator ??= new ByteLocator(bytes);
          const line = locator.lineAround(m.start, m.start + m.key.length).text;
          out.push({ ...this.hit(m, line, start, ['unicode-escape']), hidden: { start, end } });
        }
      }
    }
    return out;
  }

  /** Validated tokens of one rule, each found once, from the windows around its literal hits. */
  private matchRule({ rule }: PreparedRule, buf: Buffer, finders: Finder[]): Match[] {
    const matches: Match[] = [];
    let seen: Set<number> | null = null;
    for (const finder of finders) {
      for (let hit = finder.next(buf, 0); hit !== -1; hit = finder.next(buf, hit + 1)) {
        seen ??= new Set<number>();
        const from = Math.max(0, hit - rule.reach);
        const window = buf.toString('latin1', from, Math.min(buf.length, hit + rule.reach));
        rule.regex.lastIndex = 0;
        for (let m = rule.regex.exec(window); m; m = rule.regex.exec(window)) {
          const start = from + m.index;
          // Tokens that do not cover this hit are whole only if another hit finds them.
          if (start > hit || start + m[0].length <= hit || seen.has(start)) continue;
          seen.add(start);
          if (rule.validate(m[0])) matches.push({ rule, key: m[0], start });
        }
      }
    }
    return matches;
  }

  /** Hits of the outermost layer as candidates: line, column and snippet in `buf`. */
  private candidates(buf: Buffer, hits: Hit[]): Candidate[] {
    if (hits.length === 0) return [];
    const locator = new ByteLocator(buf);
    // Every encoded key is hidden in every snippet, not only its own: key A's line must not show key B in base64.
    const hidden = hits
      .filter((h) => h.hidden)
      .map((h) => ({ ...h.hidden!, label: h.encoding[0]! }))
      .sort((a, b) => a.start - b.start);
    return hits.map((h) => {
      const { line, column } = locator.locate(h.at);
      return {
        ruleId: h.rule.def.id,
        key: h.key,
        line,
        // UTF-16 found in place: code units since the line's start (two bytes each).
        column: h.utf16Line !== undefined ? ((h.at - locator.lineStart(h.at)) >> 1) + 1 : column,
        confidence: h.confidence,
        snippet: this.mask(h.utf16Line ?? this.lineWithout(locator, h, hidden)),
        ...(h.encoding.length > 0 ? { encoding: h.encoding.join('>') } : {}),
        // UTF-16 text found in place has its lines in code units: only its own line is looked at.
        ...(h.utf16Line === undefined && allowedAbove(locator, h.at) ? { allowedAbove: true as const } : {}),
      };
    });
  }

  /** The line around a hit, with every encoded text holding a key replaced by `[base64]` (or its encoding). */
  private lineWithout(locator: ByteLocator, h: Hit, hidden: HiddenRange[]): string {
    const around = locator.lineAround(h.at, h.at + (h.hidden ? 1 : h.key.length));
    let i = firstEndingAfter(hidden, around.offset);
    if (i === hidden.length || hidden[i]!.start >= around.end) return around.text;
    let text = '';
    let at = around.offset;
    for (; i < hidden.length && hidden[i]!.start < around.end; i++) {
      const range = hidden[i]!;
      if (range.end <= at) continue;
      text += `${locator.text(at, Math.max(at, range.start))}[${range.label}]`;
      at = Math.min(around.end, range.end);
    }
    return text + locator.text(at, around.end);
  }

  /** Every key-shaped token in `text` (valid or not) replaced by its redacted form. */
  mask(text: string): string {
    return maskShapes(this.rules, text);
  }
}

/** Whether sniffUtf16 could say yes: a byte-order mark, or a NUL (first at `nul`) in the 4 KB it looks at. */
function mayStartUtf16(buf: Buffer, nul: number): boolean {
  return (nul !== -1 && nul < 4096) || (buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff);
}

/** Whether the line above `at` holds `spreeflo-scan:allow-next-line`. */
function allowedAbove(locator: ByteLocator, at: number): boolean {
  const above = locator.lineAbove(at);
  return above !== null && allowsNextLine(above);
}
