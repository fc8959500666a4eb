// The JSON report's shape, as published: the library API returns it and its .d.ts ships in
// the package, so this file imports nothing but model.ts's plain types (the declaration
// build follows these imports only). schema/report.schema.json says the same for other languages.
import type { Candidate, Confidence, Origin, Verification } from '../model.js';

/** Bumped only when a field is renamed, removed or changes type; added fields keep it. */
export const SCHEMA_VERSION = 1;

/** Where it is (source, path, entry, commit, tag, page, time…), as the pipeline's Origin says. */
export interface ReportFinding extends Origin {
  rule: string;
  ruleName: string;
  keySha256: string;
  /** `sfk_ZSXN…cF8u`: never the whole key. */
  redacted: string;
  line: number;
  column: number;
  confidence: Confidence;
  verification: Verification;
  /** `<keySha256>:<place>[:<commit>]`, for ignore files, `allow.fingerprints` and baselines. */
  fingerprint: string;
  snippet: string;
  encoding?: string;
  box?: Candidate['box'];
  /** The whole key: only with `showSecrets`. */
  key?: string;
}

export interface ReportPlace extends Pick<Origin, 'source' | 'path' | 'inName' | 'commit' | 'tag'> {
  line: number;
}

export interface ReportKey {
  keySha256: string;
  redacted: string;
  rule: string;
  confidence: Confidence;
  verification: Verification;
  occurrences: number;
  places: ReportPlace[];
  placesOmitted?: number;
  key?: string;
}

export interface ReportSuppressed {
  fingerprint: string;
  redacted: string;
  path: string | null;
  line: number;
  reason: string;
}

export interface ReportSkipped {
  path: string;
  reason: string;
  /** Content that could hold a key and was not read: it fails a gate. */
  unread: boolean;
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'spreeflo-scan'; version: string };
  summary: {
    keys: number;
    findings: number;
    suppressed: number;
    exampleKeys: number;
    skipped: number;
    unread: number;
    files: number;
    bytes: number;
    seconds: number;
  };
  findings: ReportFinding[];
  keys: ReportKey[];
  suppressed: ReportSuppressed[];
  skipped: ReportSkipped[];
  notes: string[];
}
