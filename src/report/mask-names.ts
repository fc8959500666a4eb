// The one place names are masked for printing: every reporter renders the result
// this returns, so a path, entry, note or reason that holds a key (a file named after
// it, an archive entry, an error quoting a path) is printed redacted in every format.
import type { Finding } from '../finding.js';
import type { RuleDefinition } from '../detect/rules.js';
import type { ScanResult } from '../scan/pipeline.js';
import { maskKeys } from '../detect/names.js';

function maskFinding(f: Finding, mask: (text: string) => string): Finding {
  const path = f.path === null ? null : mask(f.path);
  const entry = f.entry === undefined ? undefined : mask(f.entry);
  if (path === f.path && entry === f.entry) return f;
  return { ...f, path, ...(entry !== undefined ? { entry } : {}) };
}

/** `result` as reports print it without --show-secrets: key-shaped tokens in names and messages redacted. */
export function maskNames(result: ScanResult, rules: readonly RuleDefinition[]): ScanResult {
  const mask = (text: string) => maskKeys(text, rules);
  return {
    ...result,
    findings: result.findings.map((f) => maskFinding(f, mask)),
    suppressed: result.suppressed.map((s) => ({ ...s, finding: maskFinding(s.finding, mask) })),
    skipped: result.skipped.map((s) => ({ ...s, path: mask(s.path), reason: mask(s.reason) })),
    notes: result.notes.map(mask),
  };
}
