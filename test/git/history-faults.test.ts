// `history` on damaged repositories: an object git cannot give (deleted, or its
// packed bytes overwritten) or a tree or commit the log walk cannot read is listed
// as unread by its id, and everything else is still scanned.
import { describe, expect, it } from 'vitest';
import { chmodSync, closeSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { runCliAsync } from '../support/cli.js';
import { TestRepo } from '../support/git.js';

/** A repository of two commits: a key in kept.env, a large and a small blob beside it, a folder. */
function damageable(key: string): TestRepo {
  const repo = new TestRepo();
  repo.commit('one', {
    'kept.env': `K=${key}\n`,
    // Large enough to be read from its pack by the scanner's own reader.
    'big.txt': randomBytes(20_000).toString('base64'),
    'small.txt': 'a small blob, read through git cat-file\n',
    'sub/x.txt': 'in a folder of its own\n',
  });
  repo.commit('two', { 'big.txt': `${randomBytes(20_000).toString('base64')}\nmore\n` });
  return repo;
}

function deleteLoose(repo: TestRepo, id: string): void {
  rmSync(join(repo.dir, '.git', 'objects', id.slice(0, 2), id.slice(2)));
}

/** Overwrites bytes in the middle of one object's compressed data in the repository's one pack. */
function corruptPacked(repo: TestRepo, id: string): void {
  repo.git('gc', '-q');
  const packDir = join(repo.dir, '.git', 'objects', 'pack');
  const pack = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.pack'))!);
  // `sha type size packed-size offset [depth base]`
  const line = repo.git('verify-pack', '-v', pack.replace(/\.pack$/, '.idx')).split('\n').find((l) => l.startsWith(id))!;
  const [, , , packed, offset] = line.split(/\s+/).map(Number);
  const n = Math.max(4, Math.min(32, Math.floor(packed! / 3)));
  chmodSync(pack, 0o644);
  const fd = openSync(pack, 'r+');
  writeSync(fd, Buffer.alloc(n, 0x58), 0, n, offset! + Math.floor(packed! / 2));
  closeSync(fd);
}

interface Case {
  name: string;
  /** Damages the repository; returns the id of the object that can no longer be read. */
  damage: (repo: TestRepo) => string;
  env?: NodeJS.ProcessEnv;
  /** Where the key is reported: its path once the walk reaches it, its blob when the walk stopped before. */
  keyAt: (repo: TestRepo) => string;
}

const cases: Case[] = [
  {
    name: 'a loose blob deleted',
    damage: (repo) => {
      const id = repo.git('rev-parse', 'HEAD:small.txt');
      deleteLoose(repo, id);
      return id;
    },
    keyAt: () => 'kept.env',
  },
  {
    name: 'a packed blob overwritten, read by the pack reader',
    damage: (repo) => {
      const id = repo.git('rev-parse', 'HEAD~1:big.txt');
      corruptPacked(repo, id);
      return id;
    },
    keyAt: () => 'kept.env',
  },
  {
    name: 'a packed blob overwritten, read by git cat-file',
    damage: (repo) => {
      const id = repo.git('rev-parse', 'HEAD~1:big.txt');
      corruptPacked(repo, id);
      return id;
    },
    env: { SPREEFLO_SCAN_PACKED_FROM: String(2 ** 40) },
    keyAt: () => 'kept.env',
  },
  {
    name: 'a small packed blob overwritten',
    damage: (repo) => {
      const id = repo.git('rev-parse', 'HEAD:small.txt');
      corruptPacked(repo, id);
      return id;
    },
    keyAt: () => 'kept.env',
  },
  {
    name: 'a tree deleted',
    damage: (repo) => {
      const id = repo.git('rev-parse', 'HEAD:sub');
      deleteLoose(repo, id);
      return id;
    },
    // The first commit's diff needs the tree: the walk stops before it.
    keyAt: (repo) => `blob ${repo.git('rev-parse', 'HEAD:kept.env')}`,
  },
  {
    name: 'a parent commit deleted',
    damage: (repo) => {
      const id = repo.git('rev-parse', 'HEAD~1');
      deleteLoose(repo, id);
      return id;
    },
    keyAt: (repo) => `blob ${repo.git('rev-parse', 'HEAD:kept.env')}`,
  },
];

describe('history: a damaged repository', () => {
  it.each(cases)('$name: the bad object is listed as unread and the rest is scanned', async ({ damage, env, keyAt }) => {
    const repo = damageable(makeV2Key());
    const keyPath = keyAt(repo);
    const bad = damage(repo);
    const run = await runCliAsync(['history', '--format', 'json'], { cwd: repo.dir, ...(env ? { env } : {}) });
    expect(run.stderr).toBe('');
    // A key was found: that fails the run whatever --unread says.
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings.map((f: any) => f.path)).toEqual([keyPath]);
    const unread = report.skipped.filter((s: any) => s.unread);
    expect(unread.some((s: any) => `${s.path} ${s.reason}`.includes(bad))).toBe(true);
    expect(report.summary.unread).toBe(unread.length);
  });

  // Whole history reports unread content by default (a range, a gate, fails on it).
  it.each([
    { unread: [], outcome: 'passes by default', code: 0 },
    { unread: ['--unread', 'fail'], outcome: 'fails under --unread fail', code: 1 },
  ])('with no key, a run with a damaged object $outcome', async ({ unread, code }) => {
    const repo = new TestRepo();
    repo.commit('one', { 'a.txt': 'nothing here\n' });
    const id = repo.git('rev-parse', 'HEAD:a.txt');
    corruptPacked(repo, id);
    const run = await runCliAsync(['history', ...unread, '--format', 'json'], { cwd: repo.dir });
    expect(run.code).toBe(code);
    expect(JSON.parse(run.stdout).skipped.map((s: any) => s.path)).toEqual([`a.txt (blob ${id})`]);
  });
});
