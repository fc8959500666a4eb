// Writes the chosen report and turns the result into the exit code.
import { writeFileSync } from 'node:fs';
import type { RuleDefinition } from '../detect/rules.js';
import type { ScanResult } from '../scan/pipeline.js';
import type { TextOptions } from '../report/text.js';
import type { CommonOptions } from './flags.js';
import { UsageError } from '../errors.js';
import { maskNames } from '../report/mask-names.js';

export const EXIT_CLEAN = 0;
export const EXIT_FOUND = 1;

/** Each format's reporter loads only when chosen; each gets names masked unless --show-secrets. */
export async function render(
  scanned: ScanResult,
  rules: RuleDefinition[],
  opts: CommonOptions,
  toTerminal: boolean,
  advice?: TextOptions['advice'],
): Promise<string> {
  const ruleNames = new Map(rules.map((r) => [r.id, r.name]));
  const showSecrets = opts.showSecrets === true;
  const result = showSecrets ? scanned : maskNames(scanned, rules);
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
        ...(advice ? { advice } : {}),
      });
  }
}

export async function emitReport(
  result: ScanResult,
  rules: RuleDefinition[],
  opts: CommonOptions,
  advice?: TextOptions['advice'],
): Promise<number> {
  const toTerminal = !opts.output && process.stdout.isTTY === true;
  const text = await render(result, rules, opts, toTerminal, advice);
  if (opts.output) {
    try {
      writeFileSync(opts.output, text, { mode: 0o600 });
    } catch (err) {
      throw new UsageError(`cannot write ${opts.output}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  } else {
    process.stdout.write(text);
  }
  return exitCodeFor(result, opts);
}

/**
 * 1 when a finding fails the gate. With --fail-on live, a key fails only while it
 * may still work: live or plan-restricted, or not known to be dead (unchecked,
 * unknown), since a gate must not pass on a failed check.
 */
export function exitCodeFor(result: ScanResult, opts: Pick<CommonOptions, 'strict' | 'failOn'>): number {
  const failing = result.findings.some((f) => {
    if (f.confidence !== 'high' && !opts.strict) return false;
    if (opts.failOn !== 'live') return true;
    return f.verification.status !== 'revoked' && f.verification.status !== 'invalid';
  });
  return failing ? EXIT_FOUND : EXIT_CLEAN;
}
