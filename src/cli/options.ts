// Turning the shared options into what a scan needs: config, rules, filters.
import { resolve } from 'node:path';
import { IGNORE_FILE_NAME, findConfigFile, loadConfig, loadIgnoreFile, type Config } from '../config.js';
import { compileRule, type RuleDefinition } from '../detect/rules.js';
import { loadBuiltinRules, loadRuleDir, parseRuleFile } from '../detect/rule-files.js';
import type { CommonOptions } from './flags.js';
import type { SourceContext, Verifier } from '../scan/pipeline.js';
import { defaultCacheDir } from '../scan/images.js';
import { DEFAULT_LIMITS } from '../formats/types.js';
import { existsSync, statSync } from 'node:fs';
import { allowComment, baseline, configAllowlist, ignoreFile, type Filter } from '../filters/filters.js';
import { UsageError } from '../errors.js';

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

export function loadConfigFor(root: string, explicit: string | undefined): Promise<Config> {
  return loadConfig(explicit ? resolve(explicit) : findConfigFile(root));
}

export async function buildFilters(root: string, opts: CommonOptions, config: Config): Promise<Filter[]> {
  const filters: Filter[] = [allowComment(), await configAllowlist(config)];
  if (opts.ignoreFile && !existsSync(opts.ignoreFile)) throw new UsageError(`ignore file not found: ${opts.ignoreFile}`);
  filters.push(await ignoreFile(loadIgnoreFile(resolve(opts.ignoreFile ?? resolve(root, IGNORE_FILE_NAME)))));
  if (opts.baseline) filters.push(baseline(resolve(opts.baseline)));
  return filters;
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
  verify?: Verifier;
}

export async function prepareScan(
  root: string,
  opts: CommonOptions,
  extra: { maxFileSize?: number; onProgress?: SourceContext['onProgress'] } = {},
): Promise<ScanSetup> {
  const config = await loadConfigFor(root, opts.config);
  const rules = await loadRules(config);
  const context: SourceContext = {
    rules,
    ruleById: new Map(rules.map((r) => [r.id, r])),
    maxFileSize: extra.maxFileSize ?? config.maxFileSize,
    ocr: opts.ocr
      ? {
          cacheDir: opts.cache === false ? null : (opts.cacheDir ?? defaultCacheDir()),
          // The HTML report shows pictures with the key masked: made now, while their bytes are in hand.
          ...(opts.format === 'html' ? { thumbnails: true } : {}),
        }
      : null,
    // An entry is held in memory while it is read: bounded tighter than files on disk.
    limits: { ...DEFAULT_LIMITS, maxEntryBytes: Math.min(DEFAULT_LIMITS.maxEntryBytes, extra.maxFileSize ?? config.maxFileSize) },
    ...(extra.onProgress ? { onProgress: extra.onProgress } : {}),
  };
  const verify = await buildVerifier(opts, config, rules);
  return { config, rules, context, filters: await buildFilters(root, opts, config), ...(verify ? { verify } : {}) };
}
