// `history` on a tree bomb: one small blob at ten thousand paths, built with
// `git mktree` as an attacker would (the field case has a million). One key in many
// places is one key with a true count and a capped list of places, found fast.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { makeV2Key } from '../support/keys.js';
import { runCli } from '../support/cli.js';
import { TestRepo } from '../support/git.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Places listed per key (src/git/introductions.ts PLACES_PER_KEY). */
const CAP = 1000;

/** A tree holding `leaf` at 10^levels paths: ten names per folder, `levels` deep. */
function bombTree(repo: TestRepo, leaf: string, levels: number, fileName = (i: number) => `f${i}`): string {
  const entries = (mode: string, type: string, id: string, name: (i: number) => string) =>
    Array.from({ length: 10 }, (_, i) => `${mode} ${type} ${id}\t${name(i)}\n`).join('');
  let tree = mkTree(repo, entries('100644', 'blob', leaf, fileName));
  for (let level = 1; level < levels; level++) tree = mkTree(repo, entries('040000', 'tree', tree, (i) => `d${i}`));
  return tree;
}

function mkTree(repo: TestRepo, listing: string): string {
  return gitIn(repo, ['mktree'], listing);
}

/** Git with `input` on stdin (TestRepo.git has none): plumbing that builds objects by hand. */
function gitIn(repo: TestRepo, args: string[], input = ''): string {
  const res = spawnSync('git', args, { cwd: repo.dir, input, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(res.stderr);
  return res.stdout.trim();
}

function commitTree(repo: TestRepo, tree: string, parent?: string): string {
  const id = gitIn(repo, ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', 'bomb']);
  gitIn(repo, ['update-ref', 'refs/heads/main', id]);
  return id;
}

function history(repo: TestRepo, format: 'json' | 'text', env: NodeJS.ProcessEnv = {}) {
  const started = Date.now();
  const run = runCli(['history', '--no-progress', '--format', format], { cwd: repo.dir, env });
  if (run.code === 2) throw new Error(run.stderr);
  return { run, seconds: (Date.now() - started) / 1000 };
}

describe('history: one key blob at ten thousand paths', () => {
  const repo = new TestRepo();
  const key = makeV2Key();
  const blob = gitIn(repo, ['hash-object', '-w', '--stdin'], `KEY=${key}\n`);
  const root = commitTree(repo, bombTree(repo, blob, 4));
  // A newer commit brings the key to one more path: walk order is newest first.
  const withLate = mkTree(repo, `${gitIn(repo, ['ls-tree', root])}\n100644 blob ${blob}\tlate.env\n`);
  const late = commitTree(repo, withLate, root);

  it.each([
    ['the log output held in memory whole', {}],
    ['git made to wait after 64 KB of log output', { SPREEFLO_SCAN_LOG_BUFFER: String(64 * 1024) }],
  ])('is one key with its true count and its first places listed, with %s', (_label, env) => {
    const { run, seconds } = history(repo, 'json', env);
    const report = JSON.parse(run.stdout);
    expect(run.code).toBe(1);
    expect(report.summary.keys).toBe(1);
    expect(report.findings).toHaveLength(CAP);
    const [k] = report.keys;
    expect(k.keySha256).toBe(sha(key));
    expect(k.occurrences).toBe(10_001);
    expect(k.places).toHaveLength(CAP);
    expect(k.placesOmitted).toBe(10_001 - CAP);
    expect(report.findings[0]).toMatchObject({ path: 'late.env', commit: late });
    expect(report.findings.slice(1).every((f: { commit: string }) => f.commit === root)).toBe(true);
    expect(report.notes).toContain(`key ${k.redacted} is at 9,001 more places in history than the first ${CAP} listed, brought in by commit ${root.slice(0, 12)}`);
    expect(seconds).toBeLessThan(15);
  }, 30_000);

  it('the text report gives the count and says the rest are not listed, never the key', () => {
    const { run } = history(repo, 'text');
    expect(run.stdout).toContain('1 Spreeflo key found in 10,001 places');
    expect(run.stdout).toContain('… and 9,001 more places in history, counted, not listed (see the note)');
    expect(run.stdout).not.toContain(key);
  }, 30_000);
});

describe('history: keys in names at ten thousand paths', () => {
  it('a key-named folder over them is one finding in the folder name, found fast', () => {
    const repo = new TestRepo();
    const key = makeV2Key();
    const clean = gitIn(repo, ['hash-object', '-w', '--stdin'], 'nothing here\n');
    const inner = bombTree(repo, clean, 4);
    const root = commitTree(repo, mkTree(repo, `040000 tree ${inner}\tconf-${key}\n`));
    const { run, seconds } = history(repo, 'json');
    const report = JSON.parse(run.stdout);
    // Reports print the name with the key masked.
    const seen = report.findings.map((f: { path: string; inName: boolean; commit: string; keySha256: string }) => [f.path.startsWith('conf-sfk_') && !f.path.includes(key), f.inName, f.commit, f.keySha256]);
    expect(seen).toEqual([[true, true, root, sha(key)]]);
    expect(seconds).toBeLessThan(15);
  }, 30_000);

  it('key-named files at ten thousand paths are one key with its true count and 1000 places', () => {
    const repo = new TestRepo();
    const key = makeV2Key();
    const clean = gitIn(repo, ['hash-object', '-w', '--stdin'], 'nothing here\n');
    commitTree(repo, bombTree(repo, clean, 4, (i) => `${i}-${key}`));
    const { run, seconds } = history(repo, 'json');
    const report = JSON.parse(run.stdout);
    expect(report.findings).toHaveLength(CAP);
    expect(report.findings.every((f: { inName: boolean; keySha256: string }) => f.inName && f.keySha256 === sha(key))).toBe(true);
    expect(report.keys.map((k: { occurrences: number; placesOmitted: number }) => [k.occurrences, k.placesOmitted])).toEqual([[10_000, 10_000 - CAP]]);
    expect(seconds).toBeLessThan(15);
  }, 30_000);
});
