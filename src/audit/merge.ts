// Shards' results into one audit: each repository once, each key once with all its places
// (one key in 40 repositories is one key with 40 places), and whatever is missing (a shard
// not given, a shard that did not finish, a repository that could not be read) said as a
// result, never passed over.
import type { Finding } from '../finding.js';
import type { Skipped, SourceKind } from '../model.js';
import type { ReportFinding, ReportSuppressed } from '../report/report-types.js';
import type { ScanResult } from '../scan/pipeline.js';
import type { Suppressed } from '../filters/filters.js';
import { Secret } from '../secret.js';
import { UsageError } from '../errors.js';
import { printable } from '../sources/names.js';
import { openKey } from './sealed-keys.js';
import { readResults, type AuditHeader, type RepoLine } from './results.js';
import { shardText } from './repo-list.js';

export interface MergedAudit {
  result: ScanResult;
  /** Keys (SHA-256) among the findings whose key itself the results do not hold. */
  keyless: Set<string>;
  /** Keys sealed under a secret other than the one given. */
  unopened: Set<string>;
  /** Shards missing or unfinished: the audit is incomplete (also listed first among the skipped). */
  incomplete: Skipped[];
  scanned: number;
  failed: number;
}

/** `repo:path`, as git's `rev:path`; a commit or tag message has no path, so it is the repository's. */
function placeIn(repo: string, path: string | null): string {
  return path === null ? repo : `${repo}:${path}`;
}

/** A finding as the pipeline had it, from its JSON form: what the reporters and the verifier take. */
function findingOf(repo: string, f: ReportFinding, key: string | null, morePlaces: number): Finding {
  const { rule, ruleName: _name, keySha256, redacted, key: _shown, line, column, confidence, verification, fingerprint, snippet, encoding, box, path, ...origin } = f;
  return {
    ...origin,
    path: placeIn(repo, path),
    rule,
    secret: new Secret(key ?? '', redacted, keySha256),
    line,
    column,
    confidence,
    verification,
    fingerprint,
    snippet,
    ...(encoding ? { encoding } : {}),
    ...(box ? { box } : {}),
    ...(morePlaces > 0 ? { morePlaces } : {}),
    repo,
  };
}

/** What the reporters read of a suppressed finding: where, which key (its hash starts the fingerprint), and why. */
function suppressedOf(repo: string, s: ReportSuppressed, source: SourceKind): Suppressed {
  const keySha256 = s.fingerprint.split(':')[0]!;
  const finding: Finding = {
    source,
    path: placeIn(repo, s.path),
    rule: '',
    secret: new Secret('', s.redacted, keySha256),
    line: s.line,
    column: 0,
    confidence: 'high',
    snippet: '',
    fingerprint: s.fingerprint,
    verification: { status: 'unchecked' },
  };
  return { finding, reason: s.reason };
}

class Merger {
  readonly result: ScanResult = { findings: [], suppressed: [], skipped: [], notes: [], stats: { files: 0, bytes: 0, seconds: 0 } };
  readonly keyless = new Set<string>();
  readonly unopened = new Set<string>();
  readonly seen = new Set<string>();
  /** Repositories recorded per shard index, and each shard's header. */
  readonly shards = new Map<number, { header: AuditHeader; repos: number }>();
  repeated = 0;
  scanned = 0;
  failed = 0;

  constructor(private readonly sealing: Buffer | null) {}

  header(file: string, h: AuditHeader): void {
    const first = [...this.shards.values()][0]?.header;
    if (first && first.list.sha256 !== h.list.sha256) {
      throw new UsageError(`${printable(file)} is an audit of another repository list than the reports before it: merge the shards of one audit`);
    }
    if (first && first.shard.count !== h.shard.count) {
      throw new UsageError(`${printable(file)} is shard ${shardText(h.shard)}, the reports before it split the list in ${first.shard.count}: merge the shards of one audit`);
    }
    if (first && (first.mode.files !== h.mode.files || first.mode.ocr !== h.mode.ocr)) {
      throw new UsageError(`${printable(file)} read the repositories otherwise (--files, --ocr) than the reports before it: merge the shards of one audit`);
    }
    if (!this.shards.has(h.shard.index)) this.shards.set(h.shard.index, { header: h, repos: 0 });
  }

  repo(line: RepoLine, shard: number, source: SourceKind): void {
    if (this.seen.has(line.repo)) {
      this.repeated++;
      return;
    }
    this.seen.add(line.repo);
    this.shards.get(shard)!.repos++;
    if (line.status === 'failed') {
      this.failed++;
      this.result.skipped.push({ path: line.repo, reason: `repository not scanned: ${line.reason ?? 'no reason recorded'}` });
      return;
    }
    this.scanned++;
    const report = line.report!;
    this.add(line, report.findings, report.keys);
    for (const s of report.suppressed) this.result.suppressed.push(suppressedOf(line.repo, s, source));
    for (const s of report.skipped) {
      const skip: Skipped = { path: placeIn(line.repo, s.path), reason: s.reason, ...(s.unread ? {} : { unreadContent: false as const }) };
      this.result.skipped.push(skip);
    }
    for (const note of report.notes) this.result.notes.push(`${line.repo}: ${note}`);
    this.result.stats.files += report.summary.files;
    this.result.stats.bytes += report.summary.bytes;
    this.result.stats.seconds += report.summary.seconds;
  }

  /** Places history counted but did not list are kept: a key's occurrences add up across repositories. */
  private add(line: RepoLine, findings: ReportFinding[], keys: { keySha256: string; occurrences: number }[]): void {
    const listed = new Map<string, number>();
    for (const f of findings) listed.set(f.keySha256, (listed.get(f.keySha256) ?? 0) + 1);
    const more = new Map(keys.map((k) => [k.keySha256, k.occurrences - (listed.get(k.keySha256) ?? 0)]));
    for (const f of findings) {
      const key = f.key ?? this.open(line, f.keySha256);
      if (key === null) this.keyless.add(f.keySha256);
      this.result.findings.push(findingOf(line.repo, f, key, more.get(f.keySha256) ?? 0));
      more.delete(f.keySha256);
    }
  }

  private open(line: RepoLine, keySha256: string): string | null {
    const sealed = line.sealedKeys?.[keySha256];
    if (!sealed || !this.sealing) return null;
    const key = openKey(sealed, keySha256, this.sealing);
    if (key === null) this.unopened.add(keySha256);
    return key;
  }
}

/** Shards not given and shards that stopped early: an audit that covers less than its list must say so. */
function incompleteness(shards: Map<number, { header: AuditHeader; repos: number }>, allShards: boolean): Skipped[] {
  const count = [...shards.values()][0]!.header.shard.count;
  const problems: Skipped[] = [];
  for (let i = 0; i < count; i++) {
    const shard = shards.get(i);
    const path = `shard ${i}/${count}`;
    if (!shard) {
      if (allShards) problems.push({ path, reason: 'not among the merged reports: its repositories were not audited' });
    } else if (shard.repos < shard.header.repos) {
      problems.push({ path, reason: `unfinished: ${shard.repos} of ${shard.header.repos} repositories (run it again with the same --state to finish it)` });
    }
  }
  return problems;
}

function differingRules(shards: Map<number, { header: AuditHeader }>): string | null {
  const sets = new Map<string, number[]>();
  for (const [i, { header }] of shards) {
    const rules = `spreeflo-scan ${header.tool} rules ${header.rules.slice(0, 12)}`;
    sets.set(rules, [...(sets.get(rules) ?? []), i]);
  }
  if (sets.size < 2) return null;
  const which = [...sets].map(([rules, ids]) => `${rules} (shard${ids.length > 1 ? 's' : ''} ${ids.join(', ')})`).join('; ');
  return `the shards ran with different rules: ${which}. Every key any of them found is reported, but a repository scanned with older rules may hold keys only newer rules find: audit those shards again with one version`;
}

/**
 * The merged audit of the results files (one per shard, in any order). `allShards`: every
 * shard of the list is expected (a merge), not only those given (one shard's own report).
 */
export async function mergeResults(files: string[], sealing: Buffer | null, allShards = true): Promise<MergedAudit> {
  const merger = new Merger(sealing);
  for (const file of files) {
    let shard = -1;
    let source: SourceKind = 'history';
    for await (const line of readResults(file)) {
      if (line.type === 'audit') {
        merger.header(file, line);
        shard = line.shard.index;
        source = line.mode.files ? 'file' : 'history';
      } else {
        merger.repo(line, shard, source);
      }
    }
  }
  const incomplete = incompleteness(merger.shards, allShards);
  const first = [...merger.shards.values()][0]!.header;
  const { result } = merger;
  result.skipped.unshift(...incomplete);
  const rules = differingRules(merger.shards);
  result.notes.unshift(
    `audit of ${first.list.repos} repositories (${first.shard.count === 1 ? 'one run' : `${merger.shards.size} of ${first.shard.count} shards`}): ${merger.scanned} scanned, ${merger.failed} could not be read`,
    ...(allShards || first.shard.count === 1 ? [] : ['one shard of the list: `spreeflo-scan merge` its results.jsonl with the other shards\' for the whole audit']),
    ...(rules ? [rules] : []),
    ...(merger.repeated > 0 ? [`${merger.repeated} ${merger.repeated === 1 ? 'repository was' : 'repositories were'} in more than one report: each is reported once`] : []),
  );
  return { result, keyless: merger.keyless, unopened: merger.unopened, incomplete, scanned: merger.scanned, failed: merger.failed };
}
