// The detector: finds validated keys in one chunk of bytes. Literal prefilters,
// searched by their rarest bytes, find the few places worth a look; the rule's
// pattern, validator and context run only in a small window around each place, so
// the cost follows the number of hits, not the size of the chunk.
import type { Candidate } from '../model.js';
import { type CompiledRule, maskShapes } from './rules.js';
import { ByteLocator } from './locate.js';
import { LiteralFinder } from './needles.js';
import { base64Anchors, base64RunAround, sniffUtf16, utf16ToUtf8, type Base64Run } from './encodings.js';
import { appendAll } from '../arrays.js';

/** Shortest base64 text that can hold a whole key (36 bytes -> 48 characters). */
const MIN_BASE64_RUN = 48;
/** Base64 inside base64 is still looked at; deeper nesting is not. */
const MAX_DEPTH = 2;

interface PreparedRule {
  rule: CompiledRule;
  finders: LiteralFinder[];
}

interface Match {
  rule: CompiledRule;
  key: string;
  start: number;
}

/** Loaded on first use: a pre-commit run with nothing found never pays for node:crypto. */
export function sha256Hex(text: string): string {
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class Detector {
  private readonly prepared: PreparedRule[];
  private readonly base64: LiteralFinder[];

  constructor(readonly rules: CompiledRule[]) {
    this.prepared = rules.map((rule) => ({
      rule,
      finders: rule.def.prefilter.map((p) => new LiteralFinder(Buffer.from(p, 'latin1'))),
    }));
    const anchors = new Set(
      rules.flatMap((r) => (r.def.base64Prefilter ? base64Anchors(r.def.base64Prefilter) : r.def.prefilter.flatMap((p) => base64Anchors([p])))),
    );
    this.base64 = [...anchors].map((a) => new LiteralFinder(Buffer.from(a, 'latin1')));
  }

  /** Keys in `buf`, located in its decoded text. */
  scan(buf: Buffer): Candidate[] {
    return this.scanAt(buf, 0);
  }

  private scanAt(raw: Buffer, depth: number): Candidate[] {
    const utf16 = sniffUtf16(raw);
    const buf = utf16 ? utf16ToUtf8(raw, utf16) : raw;
    const matches = this.prepared.flatMap((p) => this.matchRule(p, buf));
    const runs = depth < MAX_DEPTH ? this.base64Runs(buf) : [];
    if (matches.length === 0 && runs.length === 0) return [];

    const locator = new ByteLocator(buf);
    const found = matches.map((m) => this.candidate(m, locator));
    for (const run of runs) appendAll(found, this.scanBase64Run(buf, run, locator, depth));
    if (utf16) for (const c of found) c.encoding = c.encoding ? `${utf16}+${c.encoding}` : utf16;
    return found.sort((a, b) => a.line - b.line || a.column - b.column);
  }

  /** Validated tokens of one rule, each found once, from the windows around its literal hits. */
  private matchRule({ rule, finders }: PreparedRule, buf: Buffer): Match[] {
    const matches: Match[] = [];
    const seen = new Set<number>();
    for (const finder of finders) {
      for (let hit = finder.next(buf, 0); hit !== -1; hit = finder.next(buf, hit + 1)) {
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

  private candidate(m: Match, locator: ByteLocator): Candidate {
    const { line, column } = locator.locate(m.start);
    const around = locator.lineAround(m.start, m.start + m.key.length);
    const lowByContext = m.rule.lowContext?.test(around.text) ?? false;
    return {
      ruleId: m.rule.def.id,
      key: m.key,
      line,
      column,
      confidence: lowByContext ? 'low' : m.rule.def.confidence,
      snippet: this.mask(around.text),
    };
  }

  private base64Runs(buf: Buffer): Base64Run[] {
    const runs = new Map<number, Base64Run>();
    for (const finder of this.base64) {
      for (let at = finder.next(buf, 0); at !== -1; at = finder.next(buf, at + 1)) {
        const run = base64RunAround(buf, at);
        if (run.end - run.start >= MIN_BASE64_RUN) runs.set(run.start, run);
      }
    }
    return [...runs.values()];
  }

  private scanBase64Run(buf: Buffer, run: Base64Run, locator: ByteLocator, depth: number): Candidate[] {
    const runText = buf.toString('latin1', run.start, run.end);
    const inner = this.scanAt(Buffer.from(runText, 'base64'), depth + 1);
    if (inner.length === 0) return [];
    const { line, column } = locator.locate(run.start);
    const snippet = this.mask(locator.lineAround(run.start, run.end).text.replace(runText, '[base64]'));
    return inner.map((c) => ({ ...c, line, column, snippet, encoding: c.encoding ? `base64+${c.encoding}` : 'base64' }));
  }

  /** Every key-shaped token in `text` (valid or not) replaced by its redacted form. */
  mask(text: string): string {
    return maskShapes(this.rules, text);
  }
}
