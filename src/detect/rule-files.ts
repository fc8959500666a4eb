// Rules are data: rules/*.yaml ship with the tool, users add their own files.
// This module reads and checks them into plain RuleDefinitions.
import { readSettingsFile } from '../settings-file.js';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { VALIDATORS, type RuleDefinition, type RuleExample } from './rules.js';

/** Written by the build: the built-in rules, parsed, so start-up needs no YAML parser. */
const COMPILED_RULES = 'rules.json';

function packageRoot(): string {
  // Walk up from this module (src/detect, dist/ or dist/chunks) to the package root.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'rules')) && existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the built-in rules/ folder next to the installed package');
}

export function builtinRulesDir(): string {
  return join(packageRoot(), 'rules');
}

/** The rules that ship with the tool: from the build's JSON, or parsed from rules/ when running from source. */
export async function loadBuiltinRules(): Promise<RuleDefinition[]> {
  const compiled = join(packageRoot(), 'dist', COMPILED_RULES);
  if (existsSync(compiled)) return JSON.parse(readFileSync(compiled, 'utf8')) as RuleDefinition[];
  return loadRuleDir(builtinRulesDir());
}

function asExamples(list: unknown): RuleExample[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) =>
    typeof item === 'string' ? { text: item } : { text: String(item.text), confidence: item.confidence },
  );
}

export async function parseRuleFile(file: string): Promise<RuleDefinition> {
  const { parse: parseYaml } = await import('yaml');
  let raw: any;
  try {
    raw = parseYaml(readSettingsFile(file, 'rules', 'rule file'));
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
    maxLength: typeof raw.maxLength === 'number' ? raw.maxLength : undefined,
    validate: raw.validate,
    confidence: raw.confidence === 'low' ? 'low' : 'high',
    context: raw.context,
    redact: raw.redact,
    examples: { positive: asExamples(raw.examples?.positive), negative: asExamples(raw.examples?.negative) },
    file,
  };
}

export async function loadRuleDir(dir: string): Promise<RuleDefinition[]> {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  return Promise.all(files.map((f) => parseRuleFile(resolve(dir, f))));
}

