// SARIF 2.1.0 for code-scanning services (GitHub accepts it as uploaded).
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Log, ReportingDescriptor, Result } from 'sarif';
import type { RuleDefinition } from '../detect/rules.js';
import type { Finding } from '../finding.js';
import type { ScanResult } from '../scan/pipeline.js';
import { TOOL_VERSION } from '../version.js';
import { describeStatus } from './status.js';
import { isUnread } from '../model.js';

const HELP =
  'Revoke the key in Spreeflo (Settings > API Keys > trash icon next to its name > Confirm), ' +
  'give the integration that used it a new key, and remove the key from the code and from git history.';

function ruleDescriptor(def: RuleDefinition): ReportingDescriptor {
  return {
    id: def.id,
    name: def.name.replace(/[^A-Za-z0-9]+/g, ' ').trim().replace(/ (\w)/g, (_, c: string) => c.toUpperCase()),
    shortDescription: { text: def.name },
    fullDescription: { text: def.description ?? def.name },
    help: { text: HELP, markdown: HELP },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['security', 'secret', 'spreeflo'], precision: 'very-high', 'security-severity': '9.0' },
  };
}

function message(f: Finding): string {
  const name = f.verification.keyName ?? f.verification.probableName;
  const status = f.verification.status === 'unchecked' ? '' : ` (${describeStatus(f.verification.status)})`;
  return `Spreeflo API key ${f.secret.redacted}${name ? ` named '${name}'` : ''}${status} is exposed here.`;
}

/**
 * An audit's findings are in many repositories, none of them the checkout %SRCROOT% names:
 * each repository is a base of its own (REPO1, REPO2, …), its URL or folder given once in the
 * run's originalUriBaseIds, and a file's uri is its path inside it.
 */
class RepoBases {
  readonly ids = new Map<string, string>();

  idOf(repo: string): string {
    let id = this.ids.get(repo);
    if (!id) this.ids.set(repo, (id = `REPO${this.ids.size + 1}`));
    return id;
  }

  /** SARIF wants absolute URIs ending in `/`; a clone URL git alone understands (`git@host:x`) is only described. */
  originalUriBaseIds(): Record<string, ArtifactLocation> | undefined {
    if (this.ids.size === 0) return undefined;
    const bases: Record<string, ArtifactLocation> = {};
    for (const [repo, id] of this.ids) {
      const uri = /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) ? repo : isAbsolute(repo) ? pathToFileURL(repo).href : undefined;
      bases[id] = { ...(uri ? { uri: uri.endsWith('/') ? uri : `${uri}/` } : {}), description: { text: repo } };
    }
    return bases;
  }
}

/** Where a finding is, as a SARIF artifact: none for a message (a note's path is the commit it annotates). */
function artifactOf(f: Finding, bases: RepoBases): ArtifactLocation | null {
  if (f.source === 'note' || f.path === null) return null;
  const where = f.entry ? `${f.path}!${f.entry}` : f.path;
  if (f.repo === undefined) return { uri: encodeURI(where), uriBaseId: '%SRCROOT%' };
  if (!where.startsWith(`${f.repo}:`)) return null;
  return { uri: encodeURI(where.slice(f.repo.length + 1)), uriBaseId: bases.idOf(f.repo) };
}

function result(f: Finding, bases: RepoBases): Result {
  const artifactLocation = artifactOf(f, bases);
  const r: Result = {
    ruleId: f.rule,
    level: f.confidence === 'high' ? 'error' : 'warning',
    message: { text: message(f) },
    partialFingerprints: { 'spreefloScanFingerprint/v1': createHash('sha256').update(f.fingerprint).digest('hex') },
    properties: {
      keySha256: f.secret.sha256,
      redacted: f.secret.redacted,
      source: f.source,
      confidence: f.confidence,
      verification: f.verification,
      ...(f.inName ? { inName: true } : {}),
      ...(f.commit ? { commit: f.commit } : {}),
      ...(f.tag ? { tag: f.tag, tagObject: f.tagObject } : {}),
      ...(f.source === 'note' ? { annotated: f.path } : {}),
      ...(f.repo !== undefined ? { repository: f.repo } : {}),
    },
  };
  if (artifactLocation) {
    r.locations = [
      {
        physicalLocation: {
          artifactLocation,
          region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) },
        },
      },
    ];
  }
  return r;
}

/** What could hold a key but was not read, as notifications of the run (a gate fails on them). */
function unreadNotifications(result_: ScanResult): Log['runs'][number]['invocations'] {
  const unread = result_.skipped.filter(isUnread);
  if (unread.length === 0) return undefined;
  const toolExecutionNotifications = unread.map((s) => ({ level: 'warning' as const, message: { text: `not read, could hold a key: ${s.path}: ${s.reason}` } }));
  return [{ executionSuccessful: true, toolExecutionNotifications }];
}

export function renderSarif(result_: ScanResult, rules: RuleDefinition[]): string {
  const invocations = unreadNotifications(result_);
  const bases = new RepoBases();
  const results = result_.findings.map((f) => result(f, bases));
  const originalUriBaseIds = bases.originalUriBaseIds();
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'spreeflo-scan',
            version: TOOL_VERSION,
            informationUri: 'https://www.npmjs.com/package/spreeflo-scan',
            rules: rules.map(ruleDescriptor),
          },
        },
        ...(originalUriBaseIds ? { originalUriBaseIds } : {}),
        results,
        ...(invocations ? { invocations } : {}),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
