// The shapes that flow through the pipeline: sources -> detector -> filters ->
// verifier -> reporters. The JSON report is a public contract: add, never rename.

export type Confidence = 'high' | 'low';

/** Where a chunk of content came from. */
export type SourceKind = 'file' | 'staged' | 'history' | 'commit-message' | 'image' | 'document';

export interface Origin {
  source: SourceKind;
  /** Path relative to the scanned root, forward slashes; null for a commit message. */
  path: string | null;
  /** Inner path inside an archive or document part (for example `inner.zip!app/.env`). */
  entry?: string;
  commit?: string;
  author?: string;
  date?: string;
  page?: number;
  /** Seconds into a video during which the key is visible. */
  time?: { start: number; end: number };
  /** The key is in the name itself (`path`'s last part, or `entry`'s when there is one), not in the content. */
  inName?: true;
}

/** What the detector reports for one key-shaped, validated token in a chunk. */
export interface Candidate {
  ruleId: string;
  /** The exact key. Never printed: reporters only see it through `Secret`. */
  key: string;
  line: number;
  column: number;
  confidence: Confidence;
  /** How the key was hidden, when it was not plain text (`base64`, `utf-16le`, ...). */
  encoding?: string;
  /** The line around the key, with every key-shaped token masked, for filters and reports. */
  snippet: string;
  /** Pixel box of the key in an image. */
  box?: { x: number; y: number; width: number; height: number };
}

export type VerificationStatus = 'unchecked' | 'live' | 'plan_restricted' | 'revoked' | 'invalid' | 'unknown';

export interface Verification {
  status: VerificationStatus;
  keyName?: string;
  keyId?: string;
  last4?: string;
  account?: { id?: string; name?: string; plan?: string };
  /** Name guessed offline from the inventory's last four characters. */
  probableName?: string;
  detail?: string;
}

export interface Skipped {
  path: string;
  reason: string;
}
