// The report for people: keys first, grouped, with every place and what to do next.
import { createColors } from 'picocolors';
import type { ScanResult } from '../scan/pipeline.js';
import { groupByKey, placeOf, type KeyGroup } from './keys.js';
import { describeStatus, mustRevoke } from './status.js';

export interface TextOptions {
  color: boolean;
  showSecrets: boolean;
  ruleNames: Map<string, string>;
  /** Closing advice for the kind of scan (a blocked commit needs different steps). */
  advice?: (result: ScanResult) => string[];
}

const REVOKE_STEPS = 'Settings > API Keys > trash icon next to its name > Confirm';

/** 12345 -> "12,345" (toLocaleString would load ICU data: slow for a pre-commit hook). */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function plural(n: number, word: string): string {
  return `${thousands(n)} ${word}${n === 1 ? '' : 's'}`;
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

function countBy<T>(items: T[], key: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k}: ${n}`).join(', ');
}

function scanAdvice(): string[] {
  return [
    'Next: revoke each key above, give its integration a new key, then remove the key from these files',
    'and from git history (`spreeflo-scan history` finds every commit that holds it).',
  ];
}

export function renderText(result: ScanResult, opts: TextOptions): string {
  const c = createColors(opts.color);
  const lines: string[] = [];
  const groups = groupByKey(result.findings);
  const high = groups.filter((g) => g.confidence === 'high');
  const low = groups.filter((g) => g.confidence === 'low');
  const scanned = `${plural(result.stats.files, 'file')}, ${sizeText(result.stats.bytes)} in ${result.stats.seconds.toFixed(2)} s`;

  if (high.length === 0) {
    lines.push(c.green(`✔ No Spreeflo keys found`) + c.dim(`  (${scanned})`));
  } else {
    const places = high.reduce((n, g) => n + g.findings.length, 0);
    lines.push(c.red(c.bold(`✖ ${plural(high.length, 'Spreeflo key')} found in ${plural(places, 'place')}`)) + c.dim(`  (${scanned})`));
  }

  const describeGroup = (g: KeyGroup, index: number) => {
    const v = g.findings[0]!.verification;
    const shown = opts.showSecrets ? g.findings[0]!.secret.reveal() : g.redacted;
    const name = v.keyName
      ? ` named '${v.keyName}'${v.account?.name ? ` (account ${v.account.name})` : ''}`
      : v.probableName
        ? ` probably '${v.probableName}' (last four characters match your inventory)`
        : '';
    lines.push('');
    lines.push(`${c.bold(`${index}. ${shown}`)}${name}  ${c.dim(opts.ruleNames.get(g.rule) ?? g.rule)}`);
    lines.push(`   status: ${describeStatus(v.status)}`);
    for (const f of g.findings) lines.push(`   ${c.cyan(placeOf(f))}`);
    // A key that is only staged has not left the machine: removing it is enough.
    const leaked = g.findings.some((f) => f.source !== 'staged');
    if ((v.status === 'unchecked' && leaked) || mustRevoke(v.status)) {
      const who = v.keyName ?? v.probableName;
      lines.push(`   ${c.yellow('→')} Revoke ${who ? `'${who}'` : 'this key'} in Spreeflo (${REVOKE_STEPS}); integrations using it need a new key.`);
    }
  };
  high.forEach((g, i) => describeGroup(g, i + 1));

  if (low.length > 0) {
    lines.push('');
    lines.push(c.yellow(`Possible keys, low confidence (check by eye; they fail the scan only with --strict): ${low.length}`));
    low.forEach((g, i) => describeGroup(g, high.length + i + 1));
  }
  if (result.suppressed.length > 0) {
    lines.push('');
    lines.push(c.dim(`Suppressed ${plural(result.suppressed.length, 'finding')} (${countBy(result.suppressed, (s) => s.reason)})`));
  }
  if (result.skipped.length > 0) {
    lines.push('');
    lines.push(c.yellow(`Skipped ${plural(result.skipped.length, 'item')}:`));
    for (const s of result.skipped) lines.push(`   ${s.path}: ${s.reason}`);
  }
  for (const note of result.notes) lines.push(c.dim(`Note: ${note}`));
  const advice = high.length > 0 ? (opts.advice ?? scanAdvice)(result) : [];
  if (advice.length > 0) {
    lines.push('');
    for (const line of advice) lines.push(c.yellow(line));
  }
  return `${lines.join('\n')}\n`;
}
