// Options every scanning command shares, and turning them into a pipeline.
import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { IGNORE_FILE_NAME, findConfigFile, loadConfig, loadIgnoreFile, parseSize, type Config } from '../config.js';
import { builtinRulesDir, loadRuleDir, parseRuleFile, type RuleDefinition } from '../detect/rules.js';
import { existsSync, statSync } from 'node:fs';
import { allowComment, baseline, configAllowlist, ignoreFile, type Filter } from '../filters/filters.js';
import { UsageError } from '../errors.js';

export interface CommonOptions {
  format: 'text' | 'json' | 'sarif';
  output?: string;
  showSecrets?: boolean;
  config?: string;
  ignoreFile?: string;
  baseline?: string;
  strict?: boolean;
  progress: boolean;
  color?: boolean;
}

export function addReportOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json', 'sarif']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--show-secrets', 'print whole keys in the report (redacted by default)')
    .option('-c, --config <file>', 'configuration file (default: .spreeflo-scan.yaml in the scanned folder)')
    .option('--ignore-file <file>', `ignore file (default: ${IGNORE_FILE_NAME} in the scanned folder)`)
    .option('--baseline <report.json>', 'only report findings that are not in this earlier JSON report')
    .option('--strict', 'low-confidence findings fail the scan too')
    .option('--no-progress', 'never show progress on stderr')
    .option('--no-color', 'no colours in the text report');
}

/** Rule definitions: the built-in ones plus the user's rule files and folders. */
export function loadRules(config: Config): RuleDefinition[] {
  const rules = loadRuleDir(builtinRulesDir());
  for (const extra of config.rules) {
    let isDir: boolean;
    try {
      isDir = statSync(extra).isDirectory();
    } catch {
      throw new UsageError(`rule path not found: ${extra} (from ${config.file})`);
    }
    rules.push(...(isDir ? loadRuleDir(extra) : [parseRuleFile(extra)]));
  }
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) throw new UsageError(`two rules share the id "${r.id}" (${r.file})`);
    ids.add(r.id);
  }
  return rules;
}

export function loadConfigFor(root: string, explicit: string | undefined): Config {
  return loadConfig(explicit ? resolve(explicit) : findConfigFile(root));
}

export function buildFilters(root: string, opts: CommonOptions, config: Config): Filter[] {
  const filters: Filter[] = [allowComment(), configAllowlist(config)];
  if (opts.ignoreFile && !existsSync(opts.ignoreFile)) throw new UsageError(`ignore file not found: ${opts.ignoreFile}`);
  filters.push(ignoreFile(loadIgnoreFile(resolve(opts.ignoreFile ?? resolve(root, IGNORE_FILE_NAME)))));
  if (opts.baseline) filters.push(baseline(resolve(opts.baseline)));
  return filters;
}

export function sizeOption(value: string): number {
  return parseSize(value, '--max-file-size');
}
