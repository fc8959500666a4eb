// The one place text from a repository or from the Ping API is made fit to print.
// Every reporter renders the result `shownAs` returns, so a path, archive entry, tag,
// author, snippet, key name, skip reason or note goes through the same steps in every
// format: key-shaped tokens redacted (unless --show-secrets), and, for what a terminal
// or a CI log shows, control characters escaped and CI commands defused.
import { findingAt, type Finding } from '../finding.js';
import type { Verification } from '../model.js';
import type { ScanResult } from '../scan/pipeline.js';
import { printable } from '../sources/names.js';

type Show = (text: string) => string;

/**
 * A GitHub Actions workflow command (`::add-mask::x`, `::error::`) is read from a line
 * that starts with `::` once leading whitespace is trimmed, so an indent does not stop it.
 */
const LINE_COMMAND = /^(\s*):(?=:)/;
/** GitHub's older `##[command]` and Azure Pipelines' `##vso[command]` are read anywhere in a line. */
const INLINE_COMMAND = /#(?=#(?:vso)?\[)/gi;

/**
 * Text as the text report, the blocked-commit message and stderr print it: escaped as
 * names are (controls, bidi controls), and never a CI command: a leading `::` becomes
 * `\x3a:`, the `#` that starts `##[` or `##vso[` becomes `\x23`.
 */
export function forTerminal(text: string): string {
  return printable(text).replace(LINE_COMMAND, '$1\\x3a').replace(INLINE_COMMAND, '\\x23');
}

/** What JSON.stringify leaves as it is but a terminal acts on or reorders: C1 controls, DEL, bidi controls, line separators. */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A JSON document (report or SARIF) that is safe to print in a terminal or a CI log
 * and still holds every value exactly: what JSON.stringify leaves raw is written as a
 * `\uXXXX` escape, and so is the `#` that starts `##[` or `##vso[` (a `#` only ever
 * occurs inside a string). No line of indented JSON starts with a string's text.
 */
export function jsonForLogs(json: string): string {
  const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return json.replace(JSON_UNSAFE, hex).replace(INLINE_COMMAND, hex);
}

export function showVerification(v: Verification, show: Show): Verification {
  const out = { ...v };
  if (v.keyName !== undefined) out.keyName = show(v.keyName);
  if (v.probableName !== undefined) out.probableName = show(v.probableName);
  if (v.detail !== undefined) out.detail = show(v.detail);
  if (v.account?.name !== undefined) out.account = { ...v.account, name: show(v.account.name) };
  return out;
}

/** A copy made by findingAt, not by spread: spread copies do not share V8's hidden classes. */
export function showFinding(f: Finding, show: Show): Finding {
  const out = findingAt(f, f);
  out.path = f.path === null ? null : show(f.path);
  out.snippet = show(f.snippet);
  out.verification = showVerification(f.verification, show);
  for (const k of ['entry', 'tag', 'author', 'repo'] as const) {
    const text = f[k];
    if (text !== undefined) out[k] = show(text);
  }
  return out;
}

/** `result` with every piece of text from the repository or the API passed through `show`. */
export function shownAs(result: ScanResult, show: Show): ScanResult {
  return {
    ...result,
    findings: result.findings.map((f) => showFinding(f, show)),
    suppressed: result.suppressed.map((s) => ({ ...s, finding: showFinding(s.finding, show), reason: show(s.reason) })),
    skipped: result.skipped.map((s) => ({ ...s, path: show(s.path), reason: show(s.reason) })),
    notes: result.notes.map(show),
  };
}
