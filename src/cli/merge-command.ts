// `spreeflo-scan merge RESULTS…`: the shards of an audit as one report, and the one place an
// audit talks to Spreeflo (--verify: each unique key pinged once, however many shards ran).
import type { CommonOptions } from './flags.js';
import type { Config } from '../config.js';
import type { RuleDefinition } from '../detect/rules.js';
import { buildVerifier, loadConfigFor, loadRules } from './options.js';
import { emitReport } from './emit.js';
import { EXIT_ERROR, fail } from './run.js';
import { UsageError } from '../errors.js';
import { mergeResults } from '../audit/merge.js';
import { SECRET_ENV, sealingKey } from '../audit/sealed-keys.js';

export type MergeOptions = CommonOptions;

/** Why the merge cannot have a key it needs (for --verify or --show-secrets), in words. */
function missingKeys(keyless: number, unopened: number, flag: string): string {
  if (unopened > 0) return `${flag} needs the keys, and ${unopened} of them were sealed under another ${SECRET_ENV} than this one: give the merge the secret the shards had`;
  return (
    `${flag} needs the keys, and the reports hold ${keyless} of them only as their SHA-256 (keys are never written out unless asked): ` +
    `run the audit with --carry-keys (keys sealed under ${SECRET_ENV}, which the merge job also gets), or merge without ${flag}`
  );
}

/**
 * The report of an audit's results files, the merged one or a single run's (`allShards`
 * false: one shard's own report, which the other shards' absence does not make incomplete); the exit code:
 * 2 when a repository could not be read or a shard is missing or unfinished (the audit
 * covers less than its list), else 1 when keys were found or (unless `--unread report`)
 * content that could hold one was not read (a damaged object, a blob over the size limit),
 * else 0. An audit answers "is it anywhere?": what it could not look at is not a clean answer.
 */
export async function reportAudit(files: string[], opts: CommonOptions, config: Config, rules: RuleDefinition[], allShards = true): Promise<number> {
  const wantKeys = opts.verify === true || opts.showSecrets === true;
  const sealing = wantKeys && process.env[SECRET_ENV] ? sealingKey('opening sealed keys') : null;
  const merged = await mergeResults(files, sealing, allShards);
  if (wantKeys && merged.keyless.size > 0) {
    throw new UsageError(missingKeys(merged.keyless.size, merged.unopened.size, opts.verify ? '--verify' : '--show-secrets'));
  }
  const verify = await buildVerifier(opts, config, rules);
  if (verify) await verify(merged.result.findings);
  const code = await emitReport(merged.result, { rules, unread: opts.unread ?? 'fail' }, opts);
  if (merged.incomplete.length === 0 && merged.failed === 0) return code;
  for (const s of merged.incomplete) await fail(`${s.path}: ${s.reason}`);
  if (merged.failed > 0) await fail(`${merged.failed} repositor${merged.failed === 1 ? 'y' : 'ies'} could not be read (listed in the report)`);
  return EXIT_ERROR;
}

export async function mergeCommand(files: string[], opts: MergeOptions): Promise<number> {
  if (opts.baseline || opts.ignoreFile) {
    throw new UsageError('merge applies no --baseline or --ignore-file: give them to the audit, whose shards apply them to each repository');
  }
  const config = await loadConfigFor(process.cwd(), opts.config);
  return reportAudit(files, opts, config, await loadRules(config));
}
