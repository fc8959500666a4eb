// Filters decide which findings the user has deliberately accepted. Each returns
// the reason a finding is suppressed, or null; suppressed findings stay countable.
// One model for `scan`, `staged` and `history`: every form (allow comments, path globs,
// fingerprints, include and exclude, a baseline) accepts the same findings in each.
import { readSettingsFile } from '../settings-file.js';
import type { Config, IgnoreList } from '../config.js';
import type { Finding } from '../finding.js';
import { UsageError } from '../errors.js';
import { ALLOW_MARKER, ALLOW_NEXT_LINE_MARKER, allowsOwnLine } from '../detect/allow.js';
import { globMatcher } from './globs.js';

export type Filter = (finding: Finding) => string | null;

export function allowComment(): Filter {
  return (f) => (allowsOwnLine(f.snippet) ? `${ALLOW_MARKER} comment` : f.allowedAbove ? `${ALLOW_NEXT_LINE_MARKER} comment` : null);
}

/**
 * The file a finding is in, for path globs. None for a message or a note (a note's
 * `path` is the id of the commit it annotates), nor for a blob no commit was traced to.
 */
function filePathOf(f: Finding): string | null {
  if (f.path === null || f.source === 'note' || f.source === 'commit-message' || f.source === 'tag-message') return null;
  return f.source === 'history' && f.commit === undefined ? null : f.path;
}

const COMMIT_TAIL = /:(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Fingerprint entries (ignore-file lines, `allow.fingerprints`, a baseline's findings),
 * the same in every command: `<keySha256>` is the key anywhere; `<keySha256>:<place>`
 * the key at that place, in every commit; `<keySha256>:<place>:<commit>` the key as
 * that commit brought it in (`history`), or at that place (`scan` and `staged`, whose
 * findings have no commit). So a report's fingerprint, from any command, silences
 * the same finding in all three.
 */
export function fingerprintSet(entries: Iterable<string>): (f: Finding) => boolean {
  const exact = new Set<string>();
  const places = new Set<string>();
  for (const raw of entries) {
    const entry = raw.slice(0, 64).toLowerCase() + raw.slice(64);
    exact.add(entry);
    const place = entry.replace(COMMIT_TAIL, '');
    if (place !== entry) places.add(place);
  }
  return (f) => {
    if (exact.has(f.secret.sha256) || exact.has(f.fingerprint)) return true;
    if (f.commit === undefined) return places.has(f.fingerprint);
    const tail = `:${f.commit}`;
    return f.fingerprint.endsWith(tail) && exact.has(f.fingerprint.slice(0, -tail.length));
  };
}

export async function ignoreFile(list: IgnoreList): Promise<Filter> {
  const listed = fingerprintSet(list.fingerprints);
  const byPath = await globMatcher(list.paths);
  const name = list.file ?? 'ignore file';
  return (f) => {
    if (listed(f)) return `listed in ${name}`;
    const path = filePathOf(f);
    return path !== null && byPath(path) ? `path ignored by ${name}` : null;
  };
}

/** Why a path is outside what the config says to scan (`include`, `exclude`), or null. */
async function outOfScope(config: Config): Promise<(path: string) => string | null> {
  const included = config.include.length ? await globMatcher(config.include) : () => true;
  const excluded = await globMatcher(config.exclude);
  return (path) => (!included(path) ? 'path not included in config' : excluded(path) ? 'path excluded in config' : null);
}

/**
 * The config's allowlist, and with `scoped` its `include` and `exclude`: `scan` never
 * reads what they leave out, `staged` and `history` read every blob (a key's path is
 * known only once found), so they set its findings aside here.
 */
export async function configAllowlist(config: Config, scoped: boolean): Promise<Filter> {
  const byPath = await globMatcher(config.allow.paths);
  const keys = new Set(config.allow.keys);
  const fingerprints = fingerprintSet(config.allow.fingerprints);
  const outside = scoped ? await outOfScope(config) : () => null;
  return (f) => {
    if (keys.has(f.secret.sha256)) return 'key allowed in config';
    if (fingerprints(f)) return 'fingerprint allowed in config';
    const path = filePathOf(f);
    if (path === null) return null;
    return byPath(path) ? 'path allowed in config' : outside(path);
  };
}

/** Why unread content at this path is accepted, or null. */
export type UnreadAcceptance = (path: string) => string | null;

/**
 * The paths a user set aside (config `include`, `exclude` and `allow.paths`, ignore-file
 * globs): what could not be read there does not fail the gate either. A skipped item's
 * path is its file's, before `!entry` and a history ` (blob …)` suffix.
 */
export async function unreadAcceptance(config: Config, list: IgnoreList): Promise<UnreadAcceptance> {
  const outside = await outOfScope(config);
  const allowed = await globMatcher(config.allow.paths);
  const ignored = await globMatcher(list.paths);
  const name = list.file ?? 'ignore file';
  return (path) => {
    const file = path.replace(/ \(blob [0-9a-f]+\)$/, '').split('!')[0]!;
    return outside(file) ?? (allowed(file) ? 'path allowed in config' : ignored(file) ? `path ignored by ${name}` : null);
  };
}

/** Findings already in an earlier JSON report (matched by fingerprint) are not new. */
export function baseline(reportFile: string): Filter {
  return baselineOf(readSettingsFile(reportFile, 'baseline', '--baseline'), reportFile);
}

/** The same, from the report's text; `reportFile` names it (a path, or `HEAD:baseline.json`). */
export function baselineOf(text: string, reportFile: string): Filter {
  let known: (f: Finding) => boolean;
  try {
    const report = JSON.parse(text);
    if (!Array.isArray(report?.findings)) throw new Error('no "findings" list');
    known = fingerprintSet(report.findings.map((f: { fingerprint?: unknown }) => f.fingerprint).filter(Boolean));
  } catch (err) {
    // Described, never quoted: JSON.parse quotes the text it stopped at, which may hold a key.
    const why = err instanceof SyntaxError ? 'it is not JSON' : (err as Error).message;
    throw new UsageError(`--baseline ${reportFile}: not a spreeflo-scan JSON report (${why})`);
  }
  return (f) => (known(f) ? 'in baseline' : null);
}

export interface Suppressed {
  finding: Finding;
  reason: string;
}

export function applyFilters(findings: Finding[], filters: Filter[]): { kept: Finding[]; suppressed: Suppressed[] } {
  const kept: Finding[] = [];
  const suppressed: Suppressed[] = [];
  for (const finding of findings) {
    let reason: string | null = null;
    for (const filter of filters) {
      reason = filter(finding);
      if (reason) break;
    }
    if (reason) suppressed.push({ finding, reason });
    else kept.push(finding);
  }
  return { kept, suppressed };
}
