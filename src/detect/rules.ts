// Rules are data (rules/*.yaml and users' own files); this module reads them into
// plain definitions (which cross worker boundaries) and compiles them for matching.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
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
  minLength: number;
}

const VALIDATORS: Record<string, (token: string) => boolean> = {
  'spreeflo-v2-checksum': isValidV2Key,
};

// A key is delimited by characters outside [0-9A-Za-z_] or the ends of the text.
// Escapes that stand for a delimiter in JSON strings (\n, \t, \r) and in URLs (%3D)
// count as one, so keys in notebooks and query strings are still whole tokens.
const BEFORE = String.raw`(?<=^|[^0-9A-Za-z_]|\\[nrtfbv]|\\u[0-9A-Fa-f]{4}|%[0-9A-Fa-f]{2})`;
const AFTER = String.raw`(?=$|[^0-9A-Za-z_])`;

export function builtinRulesDir(): string {
  // Walk up from this module (src/detect or dist/) to the package root.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'rules')) && existsSync(join(dir, 'package.json'))) return join(dir, 'rules');
    dir = dirname(dir);
  }
  throw new Error('cannot find the built-in rules/ folder next to the installed package');
}

function asExamples(list: unknown): RuleExample[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) =>
    typeof item === 'string' ? { text: item } : { text: String(item.text), confidence: item.confidence },
  );
}

export function parseRuleFile(file: string): RuleDefinition {
  let raw: any;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`rule file ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const missing = ['id', 'pattern'].filter((k) => typeof raw?.[k] !== 'string');
  if (missing.length) throw new UsageError(`rule file ${file}: missing ${missing.join(', ')}`);
  if (raw.validate && !VALIDATORS[raw.validate]) {
    throw new UsageError(`rule file ${file}: unknown validate "${raw.validate}" (known: ${Object.keys(VALIDATORS).join(', ')})`);
  }
  const prefilter = Array.isArray(raw.prefilter) ? raw.prefilter.map(String) : [];
  if (prefilter.length === 0) throw new UsageError(`rule file ${file}: prefilter needs at least one literal string`);
  return {
    id: raw.id,
    name: raw.name ?? raw.id,
    description: raw.description,
    prefilter,
    pattern: raw.pattern,
    validate: raw.validate,
    confidence: raw.confidence === 'low' ? 'low' : 'high',
    context: raw.context,
    redact: raw.redact,
    examples: { positive: asExamples(raw.examples?.positive), negative: asExamples(raw.examples?.negative) },
    file,
  };
}

export function loadRuleDir(dir: string): RuleDefinition[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => parseRuleFile(resolve(dir, f)));
}

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
    minLength: Math.min(...def.prefilter.map((p) => p.length)),
  };
}

export function redactWith(def: RuleDefinition | undefined, key: string): string {
  const m = def?.redact ? new RegExp(def.redact).exec(key) : null;
  if (m && m.length > 1) return m.slice(1).join('…');
  return key.length > 8 ? `${key.slice(0, 4)}…${key.slice(-4)}` : '…';
}
