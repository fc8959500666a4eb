// The detector: finds validated keys in one chunk of bytes. Cheap literal
// prefilters decide whether a chunk is decoded at all; rule patterns, checksums
// and context run only on chunks that hold a prefilter literal.
import { createHash } from 'node:crypto';
import type { Candidate } from '../model.js';
import { type CompiledRule, redactWith } from './rules.js';
import { ByteLocator } from './locate.js';
import { base64Anchors, base64RunAround, sniffUtf16, utf16ToUtf8 } from './encodings.js';

/** Shortest base64 text that can hold a whole key (36 bytes -> 48 characters). */
const MIN_BASE64_RUN = 48;
/** Base64 inside base64 is still looked at; deeper nesting is not. */
const MAX_DEPTH = 2;

interface PreparedRule {
  rule: CompiledRule;
  literals: Buffer[];
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class Detector {
  private readonly prepared: PreparedRule[];
  private readonly base64: Buffer[];

  constructor(readonly rules: CompiledRule[]) {
    this.prepared = rules.map((rule) => ({
      rule,
      literals: rule.def.prefilter.map((p) => Buffer.from(p, 'latin1')),
    }));
    const anchors = new Set(rules.flatMap((r) => r.def.prefilter.flatMap(base64Anchors)));
    this.base64 = [...anchors].map((a) => Buffer.from(a, 'latin1'));
  }

  /** Keys in `buf`, located in its decoded text. */
  scan(buf: Buffer): Candidate[] {
    return this.scanAt(buf, 0);
  }

  private scanAt(raw: Buffer, depth: number): Candidate[] {
    const utf16 = sniffUtf16(raw);
    const buf = utf16 ? utf16ToUtf8(raw, utf16) : raw;
    const active = this.prepared.filter((p) => p.literals.some((lit) => buf.indexOf(lit) !== -1));
    const b64Hits = this.base64Hits(buf);
    if (active.length === 0 && b64Hits.length === 0) return [];

    const locator = new ByteLocator(buf);
    const found: Candidate[] = [];
    if (active.length > 0) {
      const text = buf.toString('latin1');
      for (const { rule } of active) found.push(...this.matchRule(rule, text, locator));
    }
    for (const run of this.base64Runs(buf, b64Hits)) {
      found.push(...this.scanBase64Run(buf, run, locator, depth));
    }
    if (utf16) for (const c of found) c.encoding = c.encoding ? `${utf16}+${c.encoding}` : utf16;
    return found.sort((a, b) => a.line - b.line || a.column - b.column);
  }

  private matchRule(rule: CompiledRule, text: string, locator: ByteLocator): Candidate[] {
    const out: Candidate[] = [];
    rule.regex.lastIndex = 0;
    for (let m = rule.regex.exec(text); m; m = rule.regex.exec(text)) {
      const key = m[0];
      if (!rule.validate(key)) continue;
      const { line, column } = locator.locate(m.index);
      const around = locator.lineAround(m.index, m.index + key.length);
      const lowByContext = rule.lowContext?.test(around.text) ?? false;
      out.push({
        ruleId: rule.def.id,
        key,
        line,
        column,
        confidence: lowByContext ? 'low' : rule.def.confidence,
        snippet: this.mask(around.text),
      });
    }
    return out;
  }

  private base64Hits(buf: Buffer): number[] {
    const hits: number[] = [];
    for (const anchor of this.base64) {
      for (let i = buf.indexOf(anchor); i !== -1; i = buf.indexOf(anchor, i + 1)) hits.push(i);
    }
    return hits;
  }

  private base64Runs(buf: Buffer, hits: number[]): { start: number; end: number }[] {
    const runs = new Map<number, { start: number; end: number }>();
    for (const at of hits) {
      const run = base64RunAround(buf, at);
      if (run.end - run.start >= MIN_BASE64_RUN) runs.set(run.start, run);
    }
    return [...runs.values()];
  }

  private scanBase64Run(
    buf: Buffer,
    run: { start: number; end: number },
    locator: ByteLocator,
    depth: number,
  ): Candidate[] {
    if (depth >= MAX_DEPTH) return [];
    const decoded = Buffer.from(buf.toString('latin1', run.start, run.end), 'base64');
    const inner = this.scanAt(decoded, depth + 1);
    if (inner.length === 0) return [];
    const { line, column } = locator.locate(run.start);
    const around = locator.lineAround(run.start, run.end);
    const runText = buf.toString('latin1', run.start, run.end);
    const snippet = this.mask(around.text.replace(runText, '[base64]'));
    return inner.map((c) => ({
      ...c,
      line,
      column,
      snippet,
      encoding: c.encoding ? `base64+${c.encoding}` : 'base64',
    }));
  }

  /** Every key-shaped token in `text` (valid or not) replaced by its redacted form. */
  mask(text: string): string {
    let out = text;
    for (const { rule } of this.prepared) {
      out = out.replace(rule.shape, (token) => redactWith(rule.def, token));
    }
    return out;
  }
}
