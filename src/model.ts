// The shapes that flow through the pipeline: sources -> detector -> filters ->
// verifier -> reporters. The JSON report is a public contract: add, never rename.

export type Confidence = 'high' | 'low';

/** Where a chunk of content came from. */
export type SourceKind = 'file' | 'staged' | 'history' | 'commit-message' | 'tag-message' | 'note' | 'image' | 'document';

export interface Origin {
  source: SourceKind;
  /** Path relative to the scanned root, forward slashes; null for a commit or tag message; for a note, the id of the object it annotates. */
  path: string | null;
  /** Inner path inside an archive or document part (for example `inner.zip!app/.env`). */
  entry?: string;
  /** The commit (for a tag message: the commit it tags; for a note: the notes commit that added it). */
  commit?: string;
  /** A tag message's tag name and tag object id. */
  tag?: string;
  tagObject?: string;
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
  /** The line around the key, with every key-shaped token masked, for filters and reports; a picture's: the OCR's note, if any. */
  snippet: string;
  /** The line above holds `spreeflo-scan:allow-next-line`. */
  allowedAbove?: true;
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

/**
 * Something not read. Unless marked `unreadContent: false` (a broken symlink, a link
 * loop, a special file, an excluded path: nothing there could hold a key), it is
 * content that could hold a key and went unread, which fails the gate: a new skip
 * site is fail-closed unless it says otherwise.
 */
export interface Skipped {
  path: string;
  reason: string;
  unreadContent?: false;
}

/** Whether a skipped item is content that could hold a key and was not read. */
export function isUnread(skip: { unreadContent?: false }): boolean {
  return skip.unreadContent !== false;
}

/** The marker of a skip that left nothing unread, carried from one skip record to another. */
export function unreadFlag(skip: { unreadContent?: false }): { unreadContent?: false } {
  return skip.unreadContent === false ? { unreadContent: false } : {};
}

/** How a run treats what it could not read: `fail` (the gate) or `report` (an audit lists it first). */
export type UnreadMode = 'fail' | 'report';
