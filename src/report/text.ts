// The report for people. It leads with what to do: which named keys to revoke now,
// then keys with nothing to revoke, keys whose state is unknown, unchecked keys;
// each with every place it appears.
import { createColors } from 'picocolors';
import type { ScanResult } from '../scan/pipeline.js';
import { isUnread, type Skipped, type UnreadMode, type VerificationStatus } from '../model.js';
import { groupByKey, placeOf, type KeyGroup } from './keys.js';
import { describeStatus } from './status.js';
import { forTerminal, showFinding, showVerification } from './printed.js';
import { EXAMPLE_KEY_REASON, exampleKeysIgnored } from '../filters/example-keys.js';

export interface TextOptions {
  color: boolean;
  showSecrets: boolean;
  ruleNames: Map<string, string>;
  /** Closing advice for the kind of scan (a blocked commit needs different steps). */
  advice?: (result: ScanResult) => string[];
  /** `fail`: what could hold a key but was not read fails the run, and the report says so first. */
  unread?: UnreadMode;
  /** `--quiet` on a failed run: what fails it and what to do, without the counts, skips and notes. */
  quiet?: boolean;
  /** Text from the repository or the API as printed (masked, escaped: report/printed.ts), applied to each item as it is written. */
  show?: (text: string) => string;
}

const asIs = (text: string): string => text;

type Colors = ReturnType<typeof createColors>;

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

interface Section {
  title: string;
  statuses: VerificationStatus[];
  intro?: string;
}

const SECTIONS: Section[] = [
  { title: 'Revoke now', statuses: ['live', 'plan_restricted'] },
  {
    title: 'Nothing to revoke (revoked or unknown to Spreeflo)',
    statuses: ['revoked', 'invalid'],
    intro: 'These no longer work, but still remove them from the code and from git history.',
  },
  { title: 'State unknown (Spreeflo could not be asked): check again with --verify', statuses: ['unknown'] },
  { title: 'Keys found', statuses: ['unchecked'] },
];

function statusOf(g: KeyGroup): VerificationStatus {
  return g.findings[0]!.verification.status;
}

function describeGroup(lines: string[], g: KeyGroup, index: number, c: Colors, opts: TextOptions): void {
  const show = opts.show ?? asIs;
  const v = showVerification(g.findings[0]!.verification, show);
  const shown = opts.showSecrets ? g.findings[0]!.secret.reveal() : g.redacted;
  const kind = c.dim(opts.ruleNames.get(g.rule) ?? g.rule);
  const account = v.account?.name ? ` (account ${v.account.name})` : '';
  lines.push('');
  if (v.status === 'live' || v.status === 'plan_restricted') {
    const name = v.keyName ? `'${v.keyName}'` : 'this key';
    lines.push(`${c.bold(c.red(`${index}. Revoke ${name}${account}`))}  ${shown}  ${kind}`);
    lines.push(`   ${describeStatus(v.status)}`);
    lines.push(`   In Spreeflo: ${REVOKE_STEPS.replace('its name', v.keyName ? `'${v.keyName}'` : 'the key ending in ' + v.last4)}.`);
    lines.push('   Integrations that use it need a newly generated key (a revoked key never works again).');
  } else {
    const name = v.keyName ? ` '${v.keyName}'${account}` : v.probableName ? ` probably '${v.probableName}' (last four characters match your inventory)` : '';
    lines.push(`${c.bold(`${index}. ${shown}`)}${name}  ${kind}`);
    lines.push(`   ${describeStatus(v.status)}`);
    if (v.status === 'unknown' && v.detail) lines.push(`   Why: ${v.detail}`);
    const leaked = g.findings.some((f) => f.source !== 'staged');
    if (v.status === 'unchecked' && leaked) {
      lines.push(`   Revoke it in Spreeflo (${REVOKE_STEPS}) unless you know it is dead; integrations using it need a new key.`);
    }
  }
  lines.push(`   Found in ${plural(g.findings.length + g.morePlaces, 'place')}:`);
  // Under each place, its fingerprint: the line that accepts it in .spreeflo-scan-ignore, in every command
  // (its path escaped as paths are matched, so it is never raw repository text).
  listCapped(lines, g.findings, PLACES_SHOWN, (f) => `     ${c.cyan(placeOf(showFinding(f, show)))}\n       ${c.dim(forTerminal(f.fingerprint))}`, (n) => `     … and ${plural(n, 'more place')} (the JSON report lists them)`);
  if (g.morePlaces > 0) lines.push(`     … and ${plural(g.morePlaces, 'more place')} in history, counted, not listed (see the note)`);
}

/**
 * A key copied into a million files, or a million unreadable entries, stays a
 * report a person can read: the first few, then how many more.
 */
const PLACES_SHOWN = 50;
const SKIPPED_SHOWN = 200;

function listCapped<T>(lines: string[], items: readonly T[], cap: number, show: (item: T) => string, more: (n: number) => string): void {
  for (const item of items.slice(0, cap)) lines.push(show(item));
  if (items.length > cap) lines.push(more(items.length - cap));
}

/**
 * Right after the summary: what could hold a key but was not read. In a gate it fails
 * the run, and the report says why and how to let it through.
 */
function describeUnread(lines: string[], unread: Skipped[], fails: boolean, c: Colors, show: (text: string) => string): void {
  if (unread.length === 0) return;
  lines.push('');
  const what = `${plural(unread.length, 'item')} could hold a key but ${unread.length === 1 ? 'was' : 'were'} not read`;
  lines.push(fails ? c.red(c.bold(`✖ ${what}: this check fails`)) : c.yellow(c.bold(`Not read (${unread.length}): ${what}`)));
  listCapped(lines, unread, SKIPPED_SHOWN, (s) => `   ${show(s.path)}: ${show(s.reason)}`, (n) => `   … and ${plural(n, 'more item')} (the JSON report lists them)`);
  if (!fails) return;
  lines.push(
    c.yellow('Read them (raise the limit that stopped them, e.g. --max-file-size; decrypt; split the archive), remove them,'),
    c.yellow('set their paths aside (exclude in .spreeflo-scan.yaml, or .spreeflo-scan-ignore, committed first),'),
    c.yellow('or let unread items pass with --unread=report (or `unread: report` in a committed .spreeflo-scan.yaml).'),
  );
}

function scanAdvice(): string[] {
  return [
    'Then remove each key from the places listed, and from git history',
    '(`spreeflo-scan history` finds every commit that holds it).',
    'A place that is deliberate (a made-up key): add the fingerprint printed under it to .spreeflo-scan-ignore.',
  ];
}

/** The report's first line without its counts: the run's outcome, also said on stderr when the report goes to a file. */
export function headline(result: ScanResult, unreadMode: UnreadMode | undefined, c: Colors): string {
  const high = groupByKey(result.findings).filter((g) => g.confidence === 'high');
  if (high.length === 0 && unreadMode === 'fail' && result.skipped.some(isUnread)) {
    return c.red(c.bold('✖ No Spreeflo keys found in what was read, but not everything was read'));
  }
  if (high.length === 0) return c.green('✔ No Spreeflo keys found');
  const places = high.reduce((n, g) => n + g.findings.length + g.morePlaces, 0);
  return c.red(c.bold(`✖ ${plural(high.length, 'Spreeflo key')} found in ${plural(places, 'place')}`));
}

/** What the run set aside or noted: suppressed findings, example keys, skips that fail nothing, notes. */
function describeAside(lines: string[], result: ScanResult, c: Colors, show: (text: string) => string): void {
  const chosen = result.suppressed.filter((s) => s.reason !== EXAMPLE_KEY_REASON);
  if (chosen.length > 0) {
    lines.push('');
    lines.push(c.dim(`Suppressed ${plural(chosen.length, 'finding')} (${countBy(chosen, (s) => show(s.reason))})`));
  }
  const examples = exampleKeysIgnored(result.suppressed);
  if (examples.keys > 0) {
    lines.push('');
    lines.push(c.dim(`${plural(examples.keys, 'documented example key')} ignored, in ${plural(examples.findings, 'place')} (never issued; see "Documented example keys" in the README)`));
  }
  const passed = result.skipped.filter((s) => !isUnread(s));
  if (passed.length > 0) {
    lines.push('');
    lines.push(c.yellow(`Skipped ${plural(passed.length, 'item')} (nothing there could hold a key, or not read by choice):`));
    listCapped(lines, passed, SKIPPED_SHOWN, (s) => `   ${show(s.path)}: ${show(s.reason)}`, (n) => `   … and ${plural(n, 'more item')} (the JSON report lists them)`);
  }
  for (const note of result.notes) lines.push(c.dim(`Note: ${show(note)}`));
}

/** The lines so far as text, each ending in a newline; `lines` is emptied. */
function flush(lines: string[]): string {
  return lines.length === 0 ? '' : `${lines.splice(0).join('\n')}\n`;
}

/**
 * The report in pieces, one key at a time as it is written: a report of 64k keys is
 * never one string. Text from the repository is shown (opts.show) as each item is.
 */
export function* textPieces(result: ScanResult, opts: TextOptions): Generator<string> {
  const show = opts.show ?? asIs;
  const c = createColors(opts.color);
  const lines: string[] = [];
  const groups = groupByKey(result.findings);
  const high = groups.filter((g) => g.confidence === 'high');
  const low = groups.filter((g) => g.confidence === 'low');
  const scanned = `${plural(result.stats.files, 'file')}, ${sizeText(result.stats.bytes)} in ${result.stats.seconds.toFixed(2)} s`;
  const unread = result.skipped.filter(isUnread);
  const unreadFails = opts.unread === 'fail' && unread.length > 0;

  lines.push(headline(result, opts.unread, c) + c.dim(`  (${scanned})`));
  describeUnread(lines, unread, unreadFails, c, show);
  yield flush(lines);

  let index = 0;
  for (const section of SECTIONS) {
    const members = high.filter((g) => section.statuses.includes(statusOf(g)));
    if (members.length === 0) continue;
    lines.push('');
    lines.push(c.bold(c.underline(`${section.title} (${members.length})`)));
    if (section.intro) lines.push(section.intro);
    for (const g of members) {
      describeGroup(lines, g, ++index, c, opts);
      yield flush(lines);
    }
  }

  if (low.length > 0) {
    lines.push('');
    lines.push(c.yellow(c.bold(`Possible keys, low confidence: check by eye (they fail the scan only with --strict) (${low.length})`)));
    for (const g of low) {
      describeGroup(lines, g, ++index, c, opts);
      yield flush(lines);
    }
  }
  if (!opts.quiet) describeAside(lines, result, c, show);
  // The advice names the files that hold keys: it sees them as the report shows them.
  const advice = high.length > 0 ? (opts.advice ?? scanAdvice)({ ...result, findings: result.findings.filter((f) => f.confidence === 'high').map((f) => showFinding(f, show)) }) : [];
  if (advice.length > 0) {
    lines.push('');
    for (const line of advice) lines.push(c.yellow(line));
  }
  yield flush(lines);
}
