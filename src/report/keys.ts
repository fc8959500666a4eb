// Findings grouped by key: the unit a person acts on (one key, one revocation).
import type { Finding } from '../finding.js';

export interface KeyGroup {
  keySha256: string;
  redacted: string;
  rule: string;
  confidence: 'high' | 'low';
  findings: Finding[];
  /** Places counted but not listed as findings (see Finding.morePlaces). */
  morePlaces: number;
}

export function groupByKey(findings: Finding[]): KeyGroup[] {
  const groups = new Map<string, KeyGroup>();
  for (const f of findings) {
    let g = groups.get(f.secret.sha256);
    if (!g) {
      g = { keySha256: f.secret.sha256, redacted: f.secret.redacted, rule: f.rule, confidence: 'low', findings: [], morePlaces: 0 };
      groups.set(f.secret.sha256, g);
    }
    g.findings.push(f);
    g.morePlaces += f.morePlaces ?? 0;
    if (f.confidence === 'high') g.confidence = 'high';
  }
  return [...groups.values()];
}

/** Where a key in a message is, in words; null for a key in a file. */
export function messageWhere(f: Finding): string | null {
  // An audit's messages carry their repository as the path.
  const repo = f.path === null ? '' : ` in ${f.path}`;
  if (f.source === 'commit-message') return `commit message${repo}`;
  if (f.source === 'tag-message') return `message of tag ${f.tag}${repo}`;
  if (f.source === 'note') return `note on ${f.path}`;
  return null;
}

/** `path:line:column`, with the archive entry, commit or page when there is one. */
export function placeOf(f: Finding): string {
  const where = messageWhere(f) ?? `${f.path}${f.entry ? `!${f.entry}` : ''}`;
  const at = f.box || f.inName ? '' : `:${f.line}:${f.column}`;
  const extras = [
    f.inName ? 'in the name' : '',
    f.commit ? `commit ${f.commit.slice(0, 12)}` : '',
    f.page !== undefined ? `page ${f.page}` : '',
    f.encoding ? f.encoding : '',
    f.confidence === 'low' ? 'low confidence' : '',
    // A picture's finding has no line to quote: its snippet is the OCR's note (a key partly hidden).
    f.box && f.snippet ? f.snippet : '',
  ].filter(Boolean);
  return `${where}${at}${extras.length ? `  (${extras.join(', ')})` : ''}`;
}
