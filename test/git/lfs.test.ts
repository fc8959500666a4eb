// Git LFS with the real git-lfs: `staged` and `history` read the content a pointer
// names from the local LFS store, and list a pointer whose content is not there.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { runCli, tempDir } from '../support/cli.js';
import { TestRepo } from '../support/git.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const hasLfs = spawnSync('git', ['lfs', 'version']).status === 0;
const title = hasLfs ? 'Git LFS' : 'Git LFS (SKIPPED: git-lfs is not installed; apt-get install git-lfs)';

interface Report {
  findings: Array<{ path: string; line: number; keySha256: string; commit?: string }>;
  skipped: Array<{ path: string; reason: string }>;
}

function report(repo: TestRepo, args: string[], env: NodeJS.ProcessEnv = {}): Report {
  const run = runCli([...args, '--format', 'json', '--no-cache'], { cwd: repo.dir, env });
  if (run.code === 2) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

/** A repository whose *.env and *.bin files git-lfs tracks; `storage` sets lfs.storage. */
function lfsRepo(storage?: string): TestRepo {
  const repo = new TestRepo();
  repo.git('lfs', 'install', '--local');
  if (storage) repo.git('config', 'lfs.storage', storage);
  repo.git('lfs', 'track', '*.env', '*.bin');
  repo.commit('track', { 'README.md': '# x\n' });
  return repo;
}

/** A pointer to content that no LFS store here holds (as after a clone with GIT_LFS_SKIP_SMUDGE). */
const unfetched = () => `version https://git-lfs.github.com/spec/v1\noid sha256:${randomBytes(32).toString('hex')}\nsize 1234\n`;

describe.skipIf(!hasLfs)(title, () => {
  it.each([
    ['in .git/lfs', undefined],
    ['in the store lfs.storage names', join(tempDir('sfscan-lfs-'), 'store')],
  ])('staged: the content git add stored %s, every line of it', (_name, storage) => {
    const repo = lfsRepo(storage);
    const key = makeV2Key();
    repo.write({ 'prod.env': `A=1\nKEY=${key}\n` });
    repo.git('add', 'prod.env');
    // The staged blob is the pointer, not the key.
    expect(repo.git('cat-file', '-p', ':prod.env')).toMatch(/^version https:\/\/git-lfs/);
    const { findings } = report(repo, ['staged']);
    expect(findings.map((f) => [f.path, f.line, f.keySha256])).toEqual([['prod.env', 2, sha(key)]]);
    const hook = runCli(['staged'], { cwd: repo.dir });
    expect(hook.code).toBe(1);
    expect(hook.stdout).toContain('prod.env:2');
    expect(hook.stdout + hook.stderr).not.toContain(key);
  });

  it('staged: a change to an LFS file counts every line (its diff is the pointer\'s)', () => {
    const repo = lfsRepo();
    const key = makeV2Key();
    repo.commit('key', { 'prod.env': `KEY=${key}\n` });
    repo.write({ 'prod.env': `KEY=${key}\nB=2\n` });
    repo.git('add', 'prod.env');
    expect(report(repo, ['staged']).findings.map((f) => [f.path, f.line])).toEqual([['prod.env', 1]]);
  });

  it('staged: a pointer whose content is not in the LFS store is listed as not read', () => {
    const repo = lfsRepo();
    repo.write({ 'model.bin': unfetched() });
    repo.git('add', 'model.bin');
    expect(report(repo, ['staged']).skipped).toEqual([{ path: 'model.bin', reason: 'LFS object not fetched', unread: true }]);
  });

  it('an oid that is not 64 hex digits is never a path: the text is scanned as it is', () => {
    const repo = new TestRepo();
    const key = makeV2Key();
    repo.write({ 'p.txt': `version https://git-lfs.github.com/spec/v1\noid sha256:../../../../etc/passwd\nsize 1\n# ${key}\n` });
    repo.git('add', 'p.txt');
    const { findings, skipped } = report(repo, ['staged']);
    expect(findings.map((f) => [f.path, f.line])).toEqual([['p.txt', 4]]);
    expect(skipped).toEqual([]);
  });

  describe('history', () => {
    const repo = lfsRepo();
    const key = makeV2Key();
    const withKey = repo.commit('config', { 'conf/prod.env': `# prod\nKEY=${key}\n` });
    repo.commit('model', { 'model.bin': unfetched() });
    const expectReport = (r: Report) => {
      expect(r.findings.map((f) => [f.commit, f.path, f.line, f.keySha256])).toEqual([[withKey, 'conf/prod.env', 2, sha(key)]]);
      expect(r.skipped.map((s) => [s.path.replace(/ \(blob \w+\)$/, ''), s.reason])).toEqual([['model.bin', 'LFS object not fetched']]);
    };

    it('reads the LFS objects present and lists the others as not fetched', () => expectReport(report(repo, ['history'])));

    it('the same when every blob is read from its pack', () => {
      repo.git('repack', '-adq');
      expectReport(report(repo, ['history'], { SPREEFLO_SCAN_PACKED_FROM: '0' }));
    });

    it('the same in range mode', () => expectReport(report(repo, ['history', 'HEAD~2..HEAD'])));
  });
});
