// A finding: one key at one place, with its origin and, later, its live status.
import type { Candidate, Origin, Verification } from './model.js';
import { Secret } from './secret.js';
import { sha256Hex } from './detect/detector.js';
import { redactWith, type RuleDefinition } from './detect/rules.js';
import { maskKeys } from './detect/names.js';

/** A candidate placed in its origin: the rule by name and the key only as a `Secret`. */
export interface Finding extends Origin, Omit<Candidate, 'ruleId' | 'key'> {
  rule: string;
  secret: Secret;
  /** Picture with every key masked and this key outlined (PNG data URI; only with --format html). Never in JSON or SARIF. */
  thumbnail?: string;
  /** Stable id of this key at this place (key hash, path, commit): for ignore files and baselines. */
  fingerprint: string;
  verification: Verification;
  /** Places of this key not listed as findings (history lists a key's first places, then counts). */
  morePlaces?: number;
  /** An audit's repository (`merge`): `path` is then `repo:path`, or `repo` for a message. */
  repo?: string;
}

/** Names that hold keys are masked: fingerprints go into ignore files and baselines, which are committed. */
export function fingerprintOf(keySha256: string, origin: Origin, rules: Map<string, RuleDefinition>): string {
  const where = maskKeys(origin.entry ? `${origin.path ?? ''}!${origin.entry}` : origin.path ?? '', rules);
  const place = origin.source === 'commit-message' ? 'commit-message' : origin.source === 'tag-message' ? `tag-message:${origin.tagObject}` : where;
  return [keySha256, place, origin.commit]
    .filter((part) => part !== undefined && part !== '')
    .join(':');
}

/** The Origin fields a finding may carry beyond `source` and `path`, in the order they are set. */
const ORIGIN_EXTRAS = ['entry', 'commit', 'tag', 'tagObject', 'author', 'date', 'page', 'time', 'inName'] as const;

/**
 * A finding built field by field, always in the same order, so that every finding
 * shares V8's hidden classes. Object spread (`{ ...origin, rule, … }`) gives each
 * copy a hidden class of its own: about 350 bytes a finding, 28 MB of 89 for 64k
 * keys on one line. `fields` are the finding's own, `origin` says where it is.
 */
export function findingAt(origin: Origin, fields: Omit<Finding, keyof Origin>): Finding {
  const finding: Finding = {
    source: origin.source,
    path: origin.path,
    rule: fields.rule,
    secret: fields.secret,
    line: fields.line,
    column: fields.column,
    confidence: fields.confidence,
    snippet: fields.snippet,
    fingerprint: fields.fingerprint,
    verification: fields.verification,
  };
  for (const k of ORIGIN_EXTRAS) if (origin[k] !== undefined) (finding as unknown as Record<string, unknown>)[k] = origin[k];
  if (fields.encoding !== undefined) finding.encoding = fields.encoding;
  if (fields.allowedAbove) finding.allowedAbove = true;
  if (fields.box !== undefined) finding.box = fields.box;
  if (fields.thumbnail !== undefined) finding.thumbnail = fields.thumbnail;
  if (fields.morePlaces !== undefined) finding.morePlaces = fields.morePlaces;
  if (fields.repo !== undefined) finding.repo = fields.repo;
  return finding;
}

/** `origin.thumbnail`: a picture's, from content.ts's originOf (only the HTML report reads it). */
export function toFinding(candidate: Candidate, origin: Origin & { thumbnail?: string }, rules: Map<string, RuleDefinition>): Finding {
  const keySha256 = sha256Hex(candidate.key);
  const rule = rules.get(candidate.ruleId);
  const secret = new Secret(candidate.key, redactWith(rule, candidate.key), keySha256);
  return findingAt(origin, {
    // The rule's own id string, not the candidate's copy: one string for all its findings.
    rule: rule?.id ?? candidate.ruleId,
    secret,
    line: candidate.line,
    column: candidate.column,
    confidence: candidate.confidence,
    snippet: candidate.snippet,
    fingerprint: fingerprintOf(keySha256, origin, rules),
    verification: { status: 'unchecked' },
    encoding: candidate.encoding || undefined,
    box: candidate.box,
    allowedAbove: candidate.allowedAbove,
    thumbnail: origin.thumbnail,
  });
}
