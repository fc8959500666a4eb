// Documented example keys (the platform page's and the rules' examples, those in the
// README and docs) were never issued: they are not leaks. Without this, the first scan
// of a project that installed the tool reports the tool's own rule files and bundle.
// The list holds hashes only (rules/example-keys.json, written by scripts/example-keys.ts).
import list from '../../rules/example-keys.json' with { type: 'json' };
import type { Filter, Suppressed } from './filters.js';

export const EXAMPLE_KEY_REASON = 'documented example key';

const EXAMPLE_KEYS = new Set(list.keys.map((k) => k.sha256));

export function isDocumentedExample(keySha256: string): boolean {
  return EXAMPLE_KEYS.has(keySha256);
}

export function documentedExamples(): Filter {
  return (f) => (isDocumentedExample(f.secret.sha256) ? EXAMPLE_KEY_REASON : null);
}

/** The suppressed findings that are example keys, and how many distinct keys they are: reports count them apart. */
export function exampleKeysIgnored(suppressed: readonly Suppressed[]): { findings: number; keys: number } {
  const examples = suppressed.filter((s) => s.reason === EXAMPLE_KEY_REASON);
  return { findings: examples.length, keys: new Set(examples.map((s) => s.finding.secret.sha256)).size };
}
