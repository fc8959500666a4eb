// Writes the chosen report and turns the result into the exit code.
import type { RuleDefinition } from '../detect/rules.js';
import type { ScanResult } from '../scan/pipeline.js';
import type { TextOptions } from '../report/text.js';
import type { CommonOptions } from './flags.js';
import { writePrivateFile, writeStdout } from '../report/write-file.js';
import { isUnread, type UnreadMode } from '../model.js';
import type { ScanSetup } from './options.js';
import { maskNames } from '../report/mask-names.js';

export const EXIT_CLEAN = 0;
export const EXIT_FOUND = 1;

/** What every reporter is given: names masked unless secrets are shown, and each rule's name. */
export function reportView(scanned: ScanResult, rules: RuleDefinition[], showSecrets: boolean): { result: ScanResult; ruleNames: Map<string, string> } {
  return { result: showSecrets ? scanned : maskNames(scanned, rules), ruleNames: new Map(rules.map((r) => [r.id, r.name])) };
}

/** Each format's reporter loads only when chosen. */
export async function render(
  scanned: ScanResult,
  rules: RuleDefinition[],
  opts: CommonOptions,
  toTerminal: boolean,
  advice?: TextOptions['advice'],
  unread: UnreadMode = 'report',
): Promise<string> {
  const showSecrets = opts.showSecrets === true;
  const { result, ruleNames } = reportView(scanned, rules, showSecrets);
  switch (opts.format) {
    case 'json':
      return (await import('../report/json.js')).renderJson(result, { showSecrets, ruleNames });
    case 'sarif':
      return (await import('../report/sarif.js')).renderSarif(result, rules);
    case 'html':
      return (await import('../report/html.js')).renderHtml(result, { showSecrets, ruleNames });
    default:
      return (await import('../report/text.js')).renderText(result, {
        showSecrets,
        ruleNames,
        color: toTerminal && opts.color !== false && !process.env.NO_COLOR,
        unread,
        ...(advice ? { advice } : {}),
      });
  }
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
  const toTerminal = !opts.output && process.stdout.isTTY === true;
  const text = await render(result, setup.rules, opts, toTerminal, advice, setup.unread);
  if (opts.output) writePrivateFile(opts.output, text, scanned);
  else await writeStdout(text);
  return exitCodeFor(result, { ...opts, unread: setup.unread });
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
