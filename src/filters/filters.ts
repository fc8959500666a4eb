// Filters decide which findings the user has deliberately accepted. Each returns
// the reason a finding is suppressed, or null; suppressed findings stay countable.
import { readSettingsFile } from '../settings-file.js';
import type { Config, IgnoreList } from '../config.js';
import type { Finding } from '../finding.js';
import { UsageError } from '../errors.js';

export const ALLOW_MARKER = 'spreeflo-scan:allow';

export type Filter = (finding: Finding) => string | null;

export function allowComment(): Filter {
  return (f) => (f.snippet.includes(ALLOW_MARKER) ? `${ALLOW_MARKER} comment` : null);
}

/** Matchers by their list of globs: the ignore file's feed two filters and are compiled once. */
const matchers = new WeakMap<string[], (path: string) => boolean>();

async function pathMatcher(globs: string[]): Promise<(path: string) => boolean> {
  if (globs.length === 0) return () => false;
  const known = matchers.get(globs);
  if (known) return known;
  // Loaded only when there are globs: a pre-commit run usually has none.
  const { default: picomatch } = await import('picomatch');
  const match = picomatch(globs, { dot: true });
  // A bare folder name or glob also covers what is inside it.
  const inside = picomatch(globs.map((g) => `${g.replace(/\/+$/, '')}/**`), { dot: true });
  const matcher = (path: string) => match(path) || inside(path);
  matchers.set(globs, matcher);
  return matcher;
}

function matchesFingerprint(f: Finding, fingerprints: Set<string>): boolean {
  return fingerprints.has(f.fingerprint) || fingerprints.has(f.secret.sha256);
}

export async function ignoreFile(list: IgnoreList): Promise<Filter> {
  const byPath = await pathMatcher(list.paths);
  const name = list.file ?? 'ignore file';
  return (f) => {
    if (matchesFingerprint(f, list.fingerprints)) return `listed in ${name}`;
    if (f.path !== null && byPath(f.path)) return `path ignored by ${name}`;
    return null;
  };
}

export async function configAllowlist(config: Config): Promise<Filter> {
  const byPath = await pathMatcher(config.allow.paths);
  // `scan` never reads excluded paths; `staged` and `history` read every blob, so they drop their findings here.
  const excluded = await pathMatcher(config.exclude);
  const keys = new Set(config.allow.keys);
  const fingerprints = new Set(config.allow.fingerprints);
  return (f) => {
    if (keys.has(f.secret.sha256)) return 'key allowed in config';
    if (fingerprints.has(f.fingerprint)) return 'fingerprint allowed in config';
    if (f.path !== null && byPath(f.path)) return 'path allowed in config';
    if (f.path !== null && excluded(f.path)) return 'path excluded in config';
    return null;
  };
}

/** Why unread content at this path is accepted, or null. */
export type UnreadAcceptance = (path: string) => string | null;

/**
 * The paths a user set aside (config `exclude` and `allow.paths`, ignore-file globs):
 * what could not be read there does not fail the gate either. A skipped item's path
 * is its file's, before `!entry` and a history ` (blob …)` suffix.
 */
export async function unreadAcceptance(config: Config, list: IgnoreList): Promise<UnreadAcceptance> {
  const checks: Array<[(path: string) => boolean, string]> = [
    [await pathMatcher(config.exclude), 'path excluded in config'],
    [await pathMatcher(config.allow.paths), 'path allowed in config'],
    [await pathMatcher(list.paths), `path ignored by ${list.file ?? 'ignore file'}`],
  ];
  return (path) => {
    const file = path.replace(/ \(blob [0-9a-f]+\)$/, '').split('!')[0]!;
    return checks.find(([matches]) => matches(file))?.[1] ?? null;
  };
}

/** Findings already in an earlier JSON report (matched by fingerprint) are not new. */
export function baseline(reportFile: string): Filter {
  return baselineOf(readSettingsFile(reportFile, 'baseline', '--baseline'), reportFile);
}

/** The same, from the report's text; `reportFile` names it (a path, or `HEAD:baseline.json`). */
export function baselineOf(text: string, reportFile: string): Filter {
  let known: Set<string>;
  try {
    const report = JSON.parse(text);
    if (!Array.isArray(report?.findings)) throw new Error('no "findings" list');
    known = new Set(report.findings.map((f: { fingerprint?: string }) => f.fingerprint).filter(Boolean));
  } catch (err) {
    // Described, never quoted: JSON.parse quotes the text it stopped at, which may hold a key.
    const why = err instanceof SyntaxError ? 'it is not JSON' : (err as Error).message;
    throw new UsageError(`--baseline ${reportFile}: not a spreeflo-scan JSON report (${why})`);
  }
  return (f) => (known.has(f.fingerprint) ? 'in baseline' : null);
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
