// Writes the chosen report and turns the result into the exit code.
import type { RuleDefinition } from '../detect/rules.js';
import type { ScanResult } from '../scan/pipeline.js';
import { createColors } from 'picocolors';
import type { TextOptions } from '../report/text.js';
import type { CommonOptions } from './flags.js';
import { writePrivateFile, writeStdout } from '../report/write-file.js';
import { isUnread, type UnreadMode } from '../model.js';
import type { ScanSetup } from './options.js';
import { forTerminal, jsonForLogs, shownAs } from '../report/printed.js';
import { maskKeys } from '../detect/names.js';
import { printable } from '../sources/names.js';
import { useColor } from './color.js';

export const EXIT_CLEAN = 0;
export const EXIT_FOUND = 1;

/** Keys in text from the repository and the API masked, unless secrets are shown. */
function maskFor(rules: RuleDefinition[], showSecrets: boolean): (text: string) => string {
  return showSecrets ? (text) => text : (text) => maskKeys(text, rules);
}

function ruleNamesOf(rules: RuleDefinition[]): Map<string, string> {
  return new Map(rules.map((r) => [r.id, r.name]));
}

/** What the JSON report (and the library API) is made of: how text is shown, and each rule's name. */
export function reportView(rules: RuleDefinition[], showSecrets: boolean): { show: (text: string) => string; ruleNames: Map<string, string> } {
  return { show: maskFor(rules, showSecrets), ruleNames: ruleNamesOf(rules) };
}

/**
 * The report in pieces, written as they are made: the JSON and text reports one
 * finding at a time (a report of 64k findings is never one string); SARIF and HTML
 * whole. Each format's reporter loads only when chosen. Each gets the text from the
 * repository and the API through one step (report/printed.ts): keys in it masked
 * unless --show-secrets, escaped for a terminal in the text report and for a page in
 * HTML; the JSON formats keep it exact, their serialised form made safe to print in a CI log.
 */
export async function render(
  scanned: ScanResult,
  rules: RuleDefinition[],
  opts: CommonOptions,
  toStdout: boolean,
  advice?: TextOptions['advice'],
  unread: UnreadMode = 'report',
): Promise<Iterable<string>> {
  if (opts.format === 'text') return textReport(scanned, rules, opts, toStdout, advice, unread);
  const showSecrets = opts.showSecrets === true;
  const mask = maskFor(rules, showSecrets);
  const ruleNames = ruleNamesOf(rules);
  switch (opts.format) {
    case 'json': {
      const pieces = (await import('../report/json.js')).jsonPieces(scanned, { showSecrets, ruleNames, show: mask });
      return mapPieces(pieces, jsonForLogs);
    }
    case 'sarif':
      return [jsonForLogs((await import('../report/sarif.js')).renderSarif(shownAs(scanned, mask), rules))];
    case 'html':
      return [(await import('../report/html.js')).renderHtml(shownAs(scanned, (text) => printable(mask(text))), { showSecrets, ruleNames })];
  }
}

/** The text report, the default format: the only one the pre-commit hook's entry holds. */
export async function textReport(...[scanned, rules, opts, toStdout, advice, unread = 'report']: Parameters<typeof render>): Promise<Iterable<string>> {
  const mask = maskFor(rules, opts.showSecrets === true);
  return (await import('../report/text.js')).textPieces(scanned, {
    showSecrets: opts.showSecrets === true,
    ruleNames: ruleNamesOf(rules),
    show: (text) => forTerminal(mask(text)),
    // A file never gets colours; stdout as the terminal, FORCE_COLOR or NO_COLOR say.
    color: toStdout && useColor(process.stdout, opts.color),
    unread,
    ...(toStdout && opts.quiet ? { quiet: true } : {}),
    ...(advice ? { advice } : {}),
  });
}

function* mapPieces(pieces: Iterable<string>, change: (piece: string) => string): Generator<string> {
  for (const piece of pieces) yield change(piece);
}

/**
 * The report of a scan set up by prepareScan, its unread mode deciding the exit code.
 * `scanned`: the paths the run read from disk, which `--output` must not replace.
 */
export async function emitReport(
  result: ScanResult,
  setup: Pick<ScanSetup, 'rules' | 'unread'>,
  opts: CommonOptions,
  advice?: TextOptions['advice'],
  scanned: readonly string[] = [],
): Promise<number> {
  const code = exitCodeFor(result, { ...opts, unread: setup.unread });
  // --quiet: a run that passes says nothing, unless a format for tools was asked for.
  const silent = opts.quiet === true && code === EXIT_CLEAN;
  const toStdout = !opts.output;
  if (!(silent && toStdout && opts.format === 'text')) {
    const pieces = await render(result, setup.rules, opts, toStdout, advice, setup.unread);
    if (opts.output) writePrivateFile(opts.output, pieces, scanned);
    else await writeStdout(pieces);
  }
  const extra = [
    ['json', opts.jsonOutput],
    ['sarif', opts.sarifOutput],
  ] as const;
  for (const [format, file] of extra) {
    if (file) writePrivateFile(file, await render(result, setup.rules, { ...opts, format }, false, advice, setup.unread), scanned);
  }
  if (opts.output && !silent) {
    // The report is in a file: a CI log still shows the outcome.
    const files = [opts.output, ...extra.map(([, file]) => file).filter((f) => f !== undefined)];
    const { headline } = await import('../report/text.js');
    const outcome = headline(result, setup.unread, createColors(useColor(process.stderr, opts.color)));
    const named = files.map((f) => forTerminal(maskKeys(f, setup.rules))).join(', ');
    process.stderr.write(`${outcome}; report${files.length > 1 ? 's' : ''} written to ${named}\n`);
  }
  return code;
}

/**
 * 1 when a finding fails the gate, or (`--unread fail`) when something that could
 * hold a key was not read. With --fail-on live, a key fails only while it may still
 * work: live or plan-restricted, or not known to be dead (unchecked, unknown), since
 * a gate must not pass on a failed check.
 */
export function exitCodeFor(result: ScanResult, opts: Pick<CommonOptions, 'strict' | 'failOn' | 'unread'>): number {
  if (opts.unread === 'fail' && result.skipped.some(isUnread)) return EXIT_FOUND;
  const failing = result.findings.some((f) => {
    if (f.confidence !== 'high' && !opts.strict) return false;
    if (opts.failOn !== 'live') return true;
    return f.verification.status !== 'revoked' && f.verification.status !== 'invalid';
  });
  return failing ? EXIT_FOUND : EXIT_CLEAN;
}
