// `spreeflo-scan audit --repos FILE`: the history of many repositories, this shard's share
// of them, resumable, each repository's result on disk as soon as it is done.
import pLimit from 'p-limit';
import { resolve } from 'node:path';
import type { RepoScanOptions } from '../audit/scan-repo.js';
import { auditRepo } from '../audit/scan-repo.js';
import { inShard, listDigest, parseShard, readRepoList, WHOLE } from '../audit/repo-list.js';
import { RESULTS_FORMAT, rulesDigest, type AuditHeader } from '../audit/results.js';
import { openState } from '../audit/state.js';
import { createAuditProgress } from '../audit/progress.js';
import { sealingKey } from '../audit/sealed-keys.js';
import { defaultConfig } from '../config.js';
import { loadConfigFor, loadRules } from './options.js';
import { reportAudit } from './merge-command.js';
import { UsageError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { maskKeys } from '../detect/names.js';

export interface AuditOptions extends Omit<RepoScanOptions, 'sealing'> {
  repos: string;
  jobs: number;
  state: string;
  shard?: string;
  carryKeys?: boolean;
}

export async function auditCommand(opts: AuditOptions): Promise<number> {
  if (opts.verify) {
    throw new UsageError('audit does not talk to Spreeflo: run `spreeflo-scan merge --verify` on its results (each unique key is pinged once, however many shards ran)');
  }
  const { repos, repeated } = readRepoList(opts.repos);
  const shard = opts.shard === undefined ? WHOLE : parseShard(opts.shard);
  const mine = inShard(repos, shard);
  // The rules every repository is scanned with: --config's, else the built-in ones (a clone has no checkout to hold a config).
  const config = opts.config ? await loadConfigFor(process.cwd(), opts.config) : defaultConfig();
  const rules = await loadRules(config);
  const sealing = opts.carryKeys ? sealingKey('--carry-keys') : undefined;
  const header: AuditHeader = {
    type: 'audit',
    format: RESULTS_FORMAT,
    tool: TOOL_VERSION,
    rules: rulesDigest(rules),
    list: { sha256: listDigest(repos), repos: repos.length },
    shard,
    repos: mine.length,
    mode: { files: opts.files === true, ocr: opts.ocr === true },
  };
  const state = await openState(resolve(opts.state), header);
  const mask = (text: string) => maskKeys(text, rules);
  const progress = createAuditProgress(opts.progress, mine.length, { done: state.done.size, failed: state.failed }, mask);
  const limit = pLimit(opts.jobs);
  const repoOpts: RepoScanOptions = { ...opts, progress: false, ...(sealing ? { sealing } : {}) };
  try {
    await Promise.all(
      mine
        .filter((repo) => !state.done.has(repo.name))
        .map((repo) =>
          limit(async () => {
            const line = await auditRepo(repo, state.workDir, repoOpts, rules);
            state.writer.append(line);
            for (const k of line.report?.keys ?? []) state.keys.add(k.keySha256);
            progress.done(line, state.keys.size);
          }),
        ),
    );
  } finally {
    progress.stop();
    state.close();
  }
  if (repeated > 0) process.stderr.write(`spreeflo-scan: --repos lists ${repeated} repositor${repeated === 1 ? 'y' : 'ies'} more than once: each is audited once\n`);
  return reportAudit([state.resultsFile], opts, config, rules, false);
}
