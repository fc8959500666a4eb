// A finding: one key at one place, with its origin and, later, its live status.
import type { Candidate, Confidence, Origin, Verification } from './model.js';
import { Secret } from './secret.js';
import { sha256Hex } from './detect/detector.js';
import { redactWith, type RuleDefinition } from './detect/rules.js';
import { maskKeys } from './detect/names.js';

export interface Finding extends Origin {
  rule: string;
  secret: Secret;
  line: number;
  column: number;
  confidence: Confidence;
  encoding?: string;
  snippet: string;
  /** The line above holds `spreeflo-scan:allow-next-line`. */
  allowedAbove?: true;
  box?: Candidate['box'];
  /** Picture with every key masked and this key outlined (PNG data URI; only with --format html). Never in JSON or SARIF. */
  thumbnail?: string;
  /** Stable id of this key at this place (key hash, path, commit): for ignore files and baselines. */
  fingerprint: string;
  verification: Verification;
  /** Places of this key not listed as findings (history lists a key's first places, then counts). */
  morePlaces?: number;
}

/** Names that hold keys are masked: fingerprints go into ignore files and baselines, which are committed. */
export function fingerprintOf(keySha256: string, origin: Origin, rules: Map<string, RuleDefinition>): string {
  const where = maskKeys(origin.entry ? `${origin.path ?? ''}!${origin.entry}` : origin.path ?? '', rules);
  const place = origin.source === 'commit-message' ? 'commit-message' : origin.source === 'tag-message' ? `tag-message:${origin.tagObject}` : where;
  return [keySha256, place, origin.commit]
    .filter((part) => part !== undefined && part !== '')
    .join(':');
}

export function toFinding(candidate: Candidate, origin: Origin, rules: Map<string, RuleDefinition>): Finding {
  const keySha256 = sha256Hex(candidate.key);
  const secret = new Secret(candidate.key, redactWith(rules.get(candidate.ruleId), candidate.key), keySha256);
  const finding: Finding = {
    ...origin,
    rule: candidate.ruleId,
    secret,
    line: candidate.line,
    column: candidate.column,
    confidence: candidate.confidence,
    snippet: candidate.snippet,
    fingerprint: fingerprintOf(keySha256, origin, rules),
    verification: { status: 'unchecked' },
  };
  if (candidate.encoding) finding.encoding = candidate.encoding;
  if (candidate.box) finding.box = candidate.box;
  if (candidate.allowedAbove) finding.allowedAbove = true;
  return finding;
}
