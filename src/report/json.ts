// The JSON report: a public contract (add fields freely, rename none).
import type { Finding } from '../finding.js';
import type { ScanResult } from '../scan/pipeline.js';
import { groupByKey } from './keys.js';
import { TOOL_VERSION } from '../version.js';
import { isUnread, type Skipped } from '../model.js';
import { exampleKeysIgnored } from '../filters/example-keys.js';
import { SCHEMA_VERSION, type Report, type ReportFinding, type ReportSkipped } from './report-types.js';

export interface ReportOptions {
  showSecrets: boolean;
  ruleNames: Map<string, string>;
}

export function findingJson(f: Finding, opts: ReportOptions): ReportFinding {
  const out: ReportFinding = {
    rule: f.rule,
    ruleName: opts.ruleNames.get(f.rule) ?? f.rule,
    keySha256: f.secret.sha256,
    redacted: f.secret.redacted,
    source: f.source,
    path: f.path,
    line: f.line,
    column: f.column,
    confidence: f.confidence,
    verification: f.verification,
    fingerprint: f.fingerprint,
    snippet: f.snippet,
  };
  for (const k of ['entry', 'inName', 'commit', 'tag', 'tagObject', 'author', 'date', 'page', 'time', 'encoding', 'box'] as const) {
    if (f[k] !== undefined) Object.assign(out, { [k]: f[k] });
  }
  if (opts.showSecrets) out.key = f.secret.reveal();
  return out;
}

/** Places listed under each key; `occurrences` counts them all, those history only counted (`morePlaces`) included. */
const KEY_PLACES = 1000;

/** A skipped item says whether it is content that could hold a key and went unread. */
function skippedJson(skip: Skipped): ReportSkipped {
  const { unreadContent: _marker, ...rest } = skip;
  return { ...rest, unread: isUnread(skip) };
}

/** The report as an object: what the library API returns and `--format json` prints. */
export function jsonReport(result: ScanResult, opts: ReportOptions): Report {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'spreeflo-scan', version: TOOL_VERSION },
    summary: {
      keys: groupByKey(result.findings).length,
      findings: result.findings.length,
      suppressed: result.suppressed.length,
      /** Distinct documented example keys among the suppressed (reason "documented example key"). */
      exampleKeys: exampleKeysIgnored(result.suppressed).keys,
      skipped: result.skipped.length,
      /** Skipped items that could hold a key: they fail a gate (`--unread fail`). */
      unread: result.skipped.filter(isUnread).length,
      files: result.stats.files,
      bytes: result.stats.bytes,
      seconds: Number(result.stats.seconds.toFixed(3)),
    },
    findings: result.findings.map((f) => findingJson(f, opts)),
    keys: groupByKey(result.findings).map((g) => {
      const occurrences = g.findings.length + g.morePlaces;
      // Every listed place is in `findings`; a key in a million places keeps this list readable.
      const places = g.findings.slice(0, KEY_PLACES);
      return {
        keySha256: g.keySha256,
        redacted: g.redacted,
        rule: g.rule,
        confidence: g.confidence,
        verification: g.findings[0]!.verification,
        occurrences,
        places: places.map((f) => ({ source: f.source, path: f.path, line: f.line, ...(f.inName ? { inName: true } : {}), ...(f.commit ? { commit: f.commit } : {}), ...(f.tag ? { tag: f.tag } : {}) })),
        ...(occurrences > KEY_PLACES ? { placesOmitted: occurrences - places.length } : {}),
        ...(opts.showSecrets ? { key: g.findings[0]!.secret.reveal() } : {}),
      };
    }),
    suppressed: result.suppressed.map((s) => ({
      fingerprint: s.finding.fingerprint,
      redacted: s.finding.secret.redacted,
      path: s.finding.path,
      line: s.finding.line,
      reason: s.reason,
    })),
    skipped: result.skipped.map(skippedJson),
    notes: result.notes,
  };
}

export function renderJson(result: ScanResult, opts: ReportOptions): string {
  return `${JSON.stringify(jsonReport(result, opts), null, 2)}\n`;
}
