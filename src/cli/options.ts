// Turning the shared options into what a scan needs: config, rules, filters.
import { resolve } from 'node:path';
import { defaultConfig, findConfigFile, findIgnoreFile, loadConfig, loadIgnoreFile, parseConfig, parseIgnoreFile, type Config, type IgnoreList } from '../config.js';
import { compileRule, type RuleDefinition } from '../detect/rules.js';
import { loadBuiltinRules, loadRuleDir, parseRuleFile } from '../detect/rule-files.js';
import type { CommonOptions } from './flags.js';
import type { SourceContext, Verifier } from '../scan/pipeline.js';
import { defaultCacheDir } from '../scan/images.js';
import { DEFAULT_LIMITS } from '../formats/types.js';
import { existsSync, statSync } from 'node:fs';
import { allowComment, baseline, baselineOf, configAllowlist, ignoreFile, unreadAcceptance, type Filter, type UnreadAcceptance } from '../filters/filters.js';
import { documentedExamples } from '../filters/example-keys.js';
import { UsageError } from '../errors.js';
import type { UnreadMode } from '../model.js';
import { baselineAt, type ApprovedSettings } from '../git/approved-settings.js';

/** Rule definitions: the built-in ones plus the user's rule files and folders. */
export async function loadRules(config: Config): Promise<RuleDefinition[]> {
  const rules = await loadBuiltinRules();
  for (const extra of config.rules) {
    let isDir: boolean;
    try {
      isDir = statSync(extra).isDirectory();
    } catch {
      throw new UsageError(`rule path not found: ${extra} (from ${config.file})`);
    }
    rules.push(...(isDir ? await loadRuleDir(extra) : [await parseRuleFile(extra)]));
  }
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) throw new UsageError(`two rules share the id "${r.id}" (${r.file})`);
    ids.add(r.id);
  }
  return rules;
}

/**
 * The config: a file named on the command line as given (the user's choice); else the
 * approved one from git when a gate has it; else the nearest one at or above the
 * scanned folder, up to the repository's top (a scan inside a workspace package finds
 * the repository's).
 */
export function loadConfigFor(root: string, explicit: string | undefined, approved?: ApprovedSettings): Promise<Config> {
  if (explicit) return loadConfig(resolve(explicit));
  if (approved) return approved.config ? parseConfig(approved.config.text, approved.config.name, root) : Promise.resolve(defaultConfig());
  return loadConfig(findConfigFile(root));
}

function ignoreListFor(root: string, explicit: string | undefined, approved?: ApprovedSettings): IgnoreList {
  if (explicit) {
    if (!existsSync(explicit)) throw new UsageError(`ignore file not found: ${explicit}`);
    return loadIgnoreFile(resolve(explicit));
  }
  if (approved) return parseIgnoreFile(approved.ignore?.text ?? '', approved.ignore?.name ?? null);
  return loadIgnoreFile(findIgnoreFile(root));
}

/** A gate reads a tracked baseline as approved (and says when the change edits it); any other applies as given. */
async function baselineFor(root: string, file: string, approved: ApprovedSettings | undefined, notes: string[]): Promise<Filter> {
  const tracked = approved ? await baselineAt(root, approved.rev, file) : null;
  if (!tracked) return baseline(resolve(file));
  if (tracked.note) notes.push(tracked.note);
  return baselineOf(tracked.baseline.text, tracked.baseline.name);
}

export async function buildFilters(
  root: string,
  opts: CommonOptions,
  config: Config,
  scoped: boolean,
  approved?: ApprovedSettings,
  notes: string[] = [],
): Promise<{ filters: Filter[]; acceptUnread: UnreadAcceptance }> {
  const ignoreList = ignoreListFor(root, opts.ignoreFile, approved);
  // Example keys first: whatever else would also silence them, the report says they are examples.
  const filters: Filter[] = [documentedExamples(), allowComment(), await configAllowlist(config, scoped), await ignoreFile(ignoreList)];
  if (opts.baseline) filters.push(await baselineFor(root, opts.baseline, approved, notes));
  return { filters, acceptUnread: await unreadAcceptance(config, ignoreList) };
}

/** The verifier step: names from the inventory, if any; Ping API calls only with --verify. */
export async function buildVerifier(opts: CommonOptions, config: Config, rules: RuleDefinition[]): Promise<Verifier | undefined> {
  if (!opts.verify && config.inventory.length === 0) return undefined;
  const { checkVerifyTarget, nameFromInventory, pingVerifier, verifierChain } = await import('../verify/verifier.js');
  const steps = [nameFromInventory(config)];
  if (opts.verify) {
    checkVerifyTarget(undefined);
    // A name Spreeflo returns may hold a key: masked as snippets are.
    const [{ Detector }, { createVerifyProgress }] = await Promise.all([import('../detect/detector.js'), import('./progress.js')]);
    const detector = new Detector(rules.map(compileRule));
    steps.push(
      pingVerifier({
        timeoutMs: opts.verifyTimeout,
        ratePerSecond: opts.verifyRate,
        concurrency: opts.verifyConcurrency,
        ...(opts.verifyDeadline ? { deadlineMs: opts.verifyDeadline * 1000 } : {}),
        maskText: (text) => detector.mask(text),
        progress: createVerifyProgress(opts.progress),
      }),
    );
  }
  return verifierChain(steps);
}

/** Everything a scanning command needs besides its sources: config, rules, context, filters, verifier. */
export interface ScanSetup {
  config: Config;
  rules: RuleDefinition[];
  context: SourceContext;
  filters: Filter[];
  acceptUnread: UnreadAcceptance;
  verify?: Verifier;
  /** What unread content does, resolved: the flag, else the config, else the command's default. */
  unread: UnreadMode;
  /** For the report: how the suppression settings were chosen and what the change does to them. */
  notes: string[];
}

/**
 * One line on stderr as the OCR engine starts in a hook, where a commit waits on it: a cold
 * start takes seconds, which would otherwise look like a hang. Said once (each picture
 * source has its own pool), with no file name (a name may hold a key), and always: not
 * only on a terminal, since git clients and the pre-commit framework show a hook's output
 * in their own windows or logs, where it explains the pause as well; and with
 * --no-progress too (the framework's entry gives it), as it is one line, never redrawn.
 */
let ocrAnnounced = false;
function announceOcr(): void {
  if (ocrAnnounced) return;
  ocrAnnounced = true;
  process.stderr.write('spreeflo-scan: reading pictures with OCR (a few seconds while the engine loads; `ocr: false` in the config turns it off)…\n');
}

export async function prepareScan(
  root: string,
  opts: CommonOptions,
  extra: {
    maxFileSize?: number;
    onProgress?: SourceContext['onProgress'];
    /** A gate (`staged`, `history RANGE`): unread content fails the run unless told otherwise. */
    gate?: boolean;
    /** The suppression settings as approved (HEAD, the range's base), for a gate. */
    approved?: ApprovedSettings;
    /** The source reads every path (`staged`, `history`): the config's include and exclude apply to its findings. */
    scoped?: boolean;
    /** OCR when neither the flags nor the config say: `history` reads no pixels unless asked. */
    ocrByDefault?: boolean;
    /** A commit waits on this run (`staged`, `scan --hook`): say so when OCR makes it wait. */
    hook?: boolean;
  } = {},
): Promise<ScanSetup> {
  const { approved } = extra;
  const config = await loadConfigFor(root, opts.config, approved);
  const rules = await loadRules(config);
  const context: SourceContext = {
    rules,
    ruleById: new Map(rules.map((r) => [r.id, r])),
    maxFileSize: extra.maxFileSize ?? config.maxFileSize,
    ocr: (opts.ocr ?? config.ocr ?? extra.ocrByDefault ?? true)
      ? {
          cacheDir: opts.cache === false ? null : (opts.cacheDir ?? defaultCacheDir()),
          // The HTML report shows pictures with the key masked: made now, while their bytes are in hand.
          ...(opts.format === 'html' ? { thumbnails: true } : {}),
          ...(extra.hook ? { onEngineStart: announceOcr } : {}),
        }
      : null,
    // An entry is held in memory while it is read: bounded tighter than files on disk.
    limits: { ...DEFAULT_LIMITS, maxEntryBytes: Math.min(DEFAULT_LIMITS.maxEntryBytes, extra.maxFileSize ?? config.maxFileSize) },
    ...(extra.onProgress ? { onProgress: extra.onProgress } : {}),
  };
  const verify = await buildVerifier(opts, config, rules);
  const notes = [...(approved?.notes ?? [])];
  const { filters, acceptUnread } = await buildFilters(root, opts, config, extra.scoped === true, approved, notes);
  const unread = opts.unread ?? config.unread ?? (extra.gate ? 'fail' : 'report');
  return { config, rules, context, filters, acceptUnread, unread, notes, ...(verify ? { verify } : {}) };
}
