// Benchmark `spreeflo-scan audit` (see bench/README.md, "Audit benchmark"):
//   rate: repositories per minute of `audit --jobs 2` against a loop of `git clone --mirror`
//         and `history` runs, one repository after another, over the same generated list;
//   rss:  the peak RSS of one audit of many repositories (2,000 by default), to show that
//         memory does not grow with the number of repositories.
//   npx tsx bench/audit-bench.ts [--mode rate|rss|both] [--repos 100] [--big 2000] [--out DIR]
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync, spawnSync } from 'node:child_process';
import { makeRepos, type CommitFiles, type RepoSpec } from '../test/support/many-repos.js';
import { makeV2Key } from '../test/support/keys.js';
import { parseArgs } from './lib/args.js';
import { run } from './lib/measure.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const BIN = resolve(here, '..', 'bin', 'spreeflo-scan.js');
const args = parseArgs(process.argv.slice(2), {
  mode: { default: 'both' },
  repos: { type: 'number', default: 100 },
  big: { type: 'number', default: 2000 },
  out: { default: join(here, '.work', 'audit') },
}) as { mode: string; repos: number; big: number; out: string; help?: boolean };

/** Small repositories shaped like the e2e test's: three commits, one in ten with a key. */
function specs(n: number): RepoSpec[] {
  return Array.from({ length: n }, (_, i) => {
    const commits: CommitFiles[] = [
      { 'README.md': `repository ${i}\n`, 'src/app.js': `export const n = ${i};\n`, 'package.json': '{"name":"x","version":"1.0.0"}\n' },
      i % 10 === 0 ? { '.env': `SPREEFLO_KEY=${makeV2Key()}\n` } : { 'CHANGELOG.md': `- change ${i}\n` },
      { 'src/util.js': `export const m = ${i * 2};\n` },
    ];
    return { name: `r${String(i).padStart(5, '0')}.git`, kind: 'commits', commits };
  });
}

/** The list of `n` repositories under `out`, generated once (git fast-import) and reused. */
async function repoList(n: number): Promise<string> {
  const dir = join(args.out, `repos-${n}`);
  const list = join(dir, 'list.txt');
  if (existsSync(list)) return list;
  rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  const made = specs(n);
  await makeRepos(dir, made);
  writeFileSync(list, made.map((s) => s.name).join('\n') + '\n');
  process.stderr.write(`generated ${n} repositories in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return list;
}

async function audit(list: string, jobs: number) {
  const work = mkdtempSync(join(tmpdir(), 'sfscan-audit-bench-'));
  try {
    const res = await run(process.execPath, [BIN, 'audit', '--repos', list, '--state', join(work, 'state'), '--jobs', String(jobs), '--no-progress', '--format', 'json', '-o', join(work, 'report.json')]);
    if (res.code !== 1) throw new Error(`audit exited ${res.code}: ${res.stderr}`);
    const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8'));
    return { ...res, keys: report.summary.keys as number };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** What a user does without `audit`: clone each repository and run `history` in it, one after another. */
async function historyLoop(list: string) {
  const names = readFileSync(list, 'utf8').trim().split('\n');
  const work = mkdtempSync(join(tmpdir(), 'sfscan-history-loop-'));
  const started = performance.now();
  let keys = 0;
  try {
    for (const name of names) {
      const dir = join(work, name);
      execFileSync('git', ['clone', '--quiet', '--mirror', join(list, '..', name), join(dir, '.git')]);
      execFileSync('git', ['-C', join(dir, '.git'), 'config', 'core.bare', 'false']);
      const res = spawnSync(process.execPath, [BIN, 'history', '--no-progress', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
      if (res.status !== 0 && res.status !== 1) throw new Error(`history exited ${res.status}: ${res.stderr}`);
      keys += JSON.parse(res.stdout).summary.keys;
      rmSync(dir, { recursive: true, force: true });
    }
    return { ms: performance.now() - started, keys };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const perMinute = (n: number, ms: number) => ((n * 60_000) / ms).toFixed(0);

mkdirSync(args.out, { recursive: true });
if (args.mode === 'rate' || args.mode === 'both') {
  const list = await repoList(args.repos);
  const a = await audit(list, 2);
  const loop = await historyLoop(list);
  console.log(`rate, ${args.repos} repositories: audit --jobs 2 ${(a.ms / 1000).toFixed(1)} s (${perMinute(args.repos, a.ms)}/min, ${a.keys} keys); ` +
    `clone + history loop ${(loop.ms / 1000).toFixed(1)} s (${perMinute(args.repos, loop.ms)}/min, ${loop.keys} keys); ${(loop.ms / a.ms).toFixed(2)}x`);
}
if (args.mode === 'rss' || args.mode === 'both') {
  const list = await repoList(args.big);
  const a = await audit(list, 2);
  console.log(`rss, ${args.big} repositories: audit --jobs 2 ${(a.ms / 1000).toFixed(1)} s (${perMinute(args.big, a.ms)}/min, ${a.keys} keys), peak RSS ${((a.maxRssKb ?? 0) / 1024).toFixed(0)} MB (the node process; git's are apart)`);
}
