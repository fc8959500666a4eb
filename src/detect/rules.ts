// Rule definitions (plain data that crosses worker boundaries) and their compiled
// form for matching. Reading rule files is rule-files.ts's job.
import type { Confidence } from '../model.js';
import { isValidV2Key } from './checksum.js';
import { UsageError } from '../errors.js';

export interface RuleExample {
  text: string;
  confidence?: Confidence;
}

/** A rule as written in its file: plain data, safe to post to a worker. */
export interface RuleDefinition {
  id: string;
  name: string;
  description?: string;
  prefilter: string[];
  pattern: string;
  /** Longest token the pattern can match (default 256). */
  maxLength?: number;
  validate?: string;
  confidence: Confidence;
  context?: { lowConfidenceWhenLineMatches?: string };
  redact?: string;
  examples: { positive: RuleExample[]; negative: RuleExample[] };
  file: string;
}

export interface CompiledRule {
  def: RuleDefinition;
  /** The token with delimiter checks, global. */
  regex: RegExp;
  /** The bare token, for masking look-alikes in snippets. */
  shape: RegExp;
  validate: (token: string) => boolean;
  lowContext: RegExp | null;
  /** How far from a prefilter hit a token can reach (the longest token plus delimiters). */
  reach: number;
}

export const VALIDATORS: Record<string, (token: string) => boolean> = {
  'spreeflo-v2-checksum': isValidV2Key,
};

// A key is delimited by characters outside [0-9A-Za-z_] or the ends of the text.
// Escapes that stand for a delimiter in JSON strings (\n, \t, \r) and in URLs (%3D)
// count as one, so keys in notebooks and query strings are still whole tokens.
const BEFORE = String.raw`(?<=^|[^0-9A-Za-z_]|\\[nrtfbv]|\\u[0-9A-Fa-f]{4}|%[0-9A-Fa-f]{2})`;
const AFTER = String.raw`(?=$|[^0-9A-Za-z_])`;
// In file and entry names `_` separates words (`creds_<key>.txt`), so it delimits a key there too.
const NAME_BEFORE = BEFORE.replace('A-Za-z_]', 'A-Za-z]');
const NAME_AFTER = AFTER.replace('A-Za-z_]', 'A-Za-z]');
/** The longest delimiter BEFORE can look back over (`\\u0027`). */
const DELIMITER_REACH = 8;
const DEFAULT_MAX_LENGTH = 256;

/** JavaScript has no inline `(?i)`; rule files may start a pattern with it. */
function toRegExp(source: string, flags: string, file: string): RegExp {
  let src = source;
  let f = flags;
  if (src.startsWith('(?i)')) {
    src = src.slice(4);
    f += 'i';
  }
  try {
    return new RegExp(src, f);
  } catch (err) {
    throw new UsageError(`rule file ${file}: bad pattern: ${(err as Error).message}`);
  }
}

export function compileRule(def: RuleDefinition): CompiledRule {
  const shape = toRegExp(def.pattern, 'g', def.file);
  const validator = def.validate ? VALIDATORS[def.validate]! : () => true;
  return {
    def,
    regex: toRegExp(`${BEFORE}(?:${def.pattern})${AFTER}`, 'g', def.file),
    shape,
    validate: validator,
    lowContext: def.context?.lowConfidenceWhenLineMatches
      ? toRegExp(def.context.lowConfidenceWhenLineMatches, '', def.file)
      : null,
    reach: (def.maxLength ?? DEFAULT_MAX_LENGTH) + DELIMITER_REACH,
  };
}

/** Every key-shaped token in `text` (valid or not) replaced by its redacted form. */
export function maskShapes(rules: readonly CompiledRule[], text: string): string {
  let out = text;
  for (const rule of rules) out = out.replace(rule.shape, (token) => redactWith(rule.def, token));
  return out;
}

/** The rule as it matches in names, where `_` is a delimiter too. */
export function forNames(rule: CompiledRule): CompiledRule {
  return { ...rule, regex: toRegExp(`${NAME_BEFORE}(?:${rule.def.pattern})${NAME_AFTER}`, 'g', rule.def.file) };
}

export function redactWith(def: RuleDefinition | undefined, key: string): string {
  const m = def?.redact ? new RegExp(def.redact).exec(key) : null;
  if (m && m.length > 1) return m.slice(1).join('…');
  return key.length > 8 ? `${key.slice(0, 4)}…${key.slice(-4)}` : '…';
}
