// The JSON report: a public contract (add fields freely, rename none).
import type { Finding } from '../finding.js';
import type { ScanResult } from '../scan/pipeline.js';
import { groupByKey, type KeyGroup } from './keys.js';
import { showFinding, showVerification } from './printed.js';
import { TOOL_VERSION } from '../version.js';
import { isUnread, type Skipped } from '../model.js';
import { exampleKeysIgnored } from '../filters/example-keys.js';
import { SCHEMA_VERSION, type Report, type ReportFinding, type ReportKey, type ReportSkipped } from './report-types.js';

export interface ReportOptions {
  showSecrets: boolean;
  ruleNames: Map<string, string>;
  /** Text from the repository or the API as the report holds it (keys masked unless --show-secrets); applied to each item as it is made. */
  show?: (text: string) => string;
}

const asIs = (text: string): string => text;

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
function skippedJson(skip: Skipped, show: (text: string) => string): ReportSkipped {
  return { path: show(skip.path), reason: show(skip.reason), unread: isUnread(skip) };
}

function keyJson(g: KeyGroup, opts: ReportOptions, show: (text: string) => string): ReportKey {
  const occurrences = g.findings.length + g.morePlaces;
  // Every listed place is in `findings`; a key in a million places keeps this list readable.
  const places = g.findings.slice(0, KEY_PLACES).map((f) => showFinding(f, show));
  return {
    keySha256: g.keySha256,
    redacted: g.redacted,
    rule: g.rule,
    confidence: g.confidence,
    verification: showVerification(g.findings[0]!.verification, show),
    occurrences,
    places: places.map((f) => ({ source: f.source, path: f.path, line: f.line, ...(f.inName ? { inName: true } : {}), ...(f.commit ? { commit: f.commit } : {}), ...(f.tag ? { tag: f.tag } : {}) })),
    ...(occurrences > KEY_PLACES ? { placesOmitted: occurrences - places.length } : {}),
    ...(opts.showSecrets ? { key: g.findings[0]!.secret.reveal() } : {}),
  };
}

/** A list of the report made item by item as it is read: a report of a million findings is never whole in memory. */
type Lazy<T> = { lazy: Iterable<T> };
type ReportParts = { [K in keyof Report]: Report[K] extends (infer T)[] ? Lazy<T> : Report[K] };

function* mapped<T, U>(items: Iterable<T>, make: (item: T) => U): Generator<U> {
  for (const item of items) yield make(item);
}

/** The report, its lists made as they are read; every key appears in the order the schema gives. */
function reportParts(result: ScanResult, opts: ReportOptions): ReportParts {
  const show = opts.show ?? asIs;
  const groups = groupByKey(result.findings);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'spreeflo-scan', version: TOOL_VERSION },
    summary: {
      keys: groups.length,
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
    findings: { lazy: mapped(result.findings, (f) => findingJson(showFinding(f, show), opts)) },
    keys: { lazy: mapped(groups, (g) => keyJson(g, opts, show)) },
    suppressed: {
      lazy: mapped(result.suppressed, (s) => ({
        fingerprint: s.finding.fingerprint,
        redacted: s.finding.secret.redacted,
        path: s.finding.path === null ? null : show(s.finding.path),
        line: s.finding.line,
        reason: show(s.reason),
      })),
    },
    skipped: { lazy: mapped(result.skipped, (s) => skippedJson(s, show)) },
    notes: { lazy: mapped(result.notes, show) },
  };
}

function isLazy(value: unknown): value is Lazy<unknown> {
  return typeof value === 'object' && value !== null && 'lazy' in value;
}

/** The report as an object: what the library API returns. */
export function jsonReport(result: ScanResult, opts: ReportOptions): Report {
  const parts = reportParts(result, opts);
  return Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, isLazy(v) ? [...v.lazy] : v])) as unknown as Report;
}

/** `json` indented by `pad` more, as it sits inside an indented document (JSON strings hold no raw newline). */
function indented(json: string, pad: string): string {
  return json.replace(/\n/g, `\n${pad}`);
}

/**
 * What `--format json` prints, in pieces as they are made: the same text as
 * `JSON.stringify(jsonReport(…), null, 2)`, but one finding, key or skipped item at a
 * time, so a report of 64k findings (73 MB) is never one string (it took 641 MB).
 * Each piece ends outside any JSON string.
 */
export function* jsonPieces(result: ScanResult, opts: ReportOptions): Generator<string> {
  const entries = Object.entries(reportParts(result, opts));
  yield '{\n';
  for (const [i, [name, value]] of entries.entries()) {
    const end = i < entries.length - 1 ? ',\n' : '\n';
    if (!isLazy(value)) {
      yield `  ${JSON.stringify(name)}: ${indented(JSON.stringify(value, null, 2), '  ')}${end}`;
      continue;
    }
    yield `  ${JSON.stringify(name)}: [`;
    let first = true;
    for (const item of value.lazy) {
      yield `${first ? '' : ','}\n    ${indented(JSON.stringify(item, null, 2), '    ')}`;
      first = false;
    }
    yield first ? `]${end}` : `\n  ]${end}`;
  }
  yield '}\n';
}

export function renderJson(result: ScanResult, opts: ReportOptions): string {
  return [...jsonPieces(result, opts)].join('');
}
