// `history` on real repositories: every way a key can hide in history, found at the
// commit that introduced it, and nothing else.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { makeV1Key, makeV2Key } from '../support/keys.js';
import { runCli, tempDir } from '../support/cli.js';
import { TestRepo } from '../support/git.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

interface Expected {
  key: string;
  commit: string;
  path: string | null;
  line: number;
  source?: string;
}

function history(repo: TestRepo, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const run = runCli(['history', ...args, '--format', 'json'], { cwd: repo.dir, env });
  if (run.code === 2) throw new Error(run.stderr);
  return { run, report: JSON.parse(run.stdout) };
}

const where = (f: any) => `${f.source} ${f.commit} ${f.path} ${f.line} ${f.keySha256}`;
const expectedWhere = (e: Expected) => `${e.source ?? 'history'} ${e.commit} ${e.path} ${e.line} ${sha(e.key)}`;

describe('history: every hiding place in one repository', () => {
  const repo = new TestRepo();
  const expected: Expected[] = [];
  const k = () => makeV2Key();

  repo.commit('init', { 'README.md': '# app\n' });

  const removedKey = k();
  const addedThenRemoved = repo.commit('add config', { 'config.env': `A=1\nKEY=${removedKey}\n` });
  expected.push({ key: removedKey, commit: addedThenRemoved, path: 'config.env', line: 2 });
  repo.commit('remove key', { 'config.env': 'A=1\n' });

  const deletedKey = k();
  const inDeletedFile = repo.commit('add script', { 'scripts/old.py': `\n\nTOKEN = "${deletedKey}"\n` });
  expected.push({ key: deletedKey, commit: inDeletedFile, path: 'scripts/old.py', line: 3 });
  repo.commit('edit script', { 'scripts/old.py': `# header\n\n\nTOKEN = "${deletedKey}"\n` });
  repo.commit('delete script', { 'scripts/old.py': null });

  const renamedKey = makeV1Key(3);
  const beforeRename = repo.commit('add legacy', { 'legacy/a.txt': `key ${renamedKey}\n` });
  expected.push({ key: renamedKey, commit: beforeRename, path: 'legacy/a.txt', line: 1 });
  repo.git('mv', 'legacy/a.txt', 'legacy/b.txt');
  repo.commit('rename');
  // Renamed again with an edit in the same commit: still the key of 'add legacy'.
  repo.git('mv', 'legacy/b.txt', 'legacy/c.txt');
  repo.commit('rename and edit', { 'legacy/c.txt': `# moved\nkey ${renamedKey}\n` });
  // A copy beside the original is a new place of the key.
  const copied = repo.commit('copy', { 'copy/c.txt': `# moved\nkey ${renamedKey}\n` });
  expected.push({ key: renamedKey, commit: copied, path: 'copy/c.txt', line: 2 });

  const messageKey = k();
  const withMessage = repo.commit(`debug\n\nused ${messageKey} for testing`);
  expected.push({ key: messageKey, commit: withMessage, path: null, line: 3, source: 'commit-message' });

  const branchKey = k();
  repo.git('checkout', '-q', '-b', 'experiment');
  const onBranch = repo.commit('experiment', { 'exp.json': `{"key": "${branchKey}"}\n` });
  expected.push({ key: branchKey, commit: onBranch, path: 'exp.json', line: 1 });
  repo.git('checkout', '-q', 'main');

  // A merge whose conflict resolution brings in a key neither side had.
  repo.git('checkout', '-q', '-b', 'left');
  repo.commit('left', { 'conflict.txt': 'left\n' });
  repo.git('checkout', '-q', 'main');
  repo.commit('right', { 'conflict.txt': 'right\n' });
  const mergeKey = k();
  try {
    repo.git('merge', '-q', 'left');
  } catch {
    // the conflict is expected
  }
  repo.write({ 'conflict.txt': `resolved ${mergeKey}\n` });
  repo.git('add', 'conflict.txt');
  repo.git('commit', '-q', '--no-edit');
  expected.push({ key: mergeKey, commit: repo.git('rev-parse', 'HEAD'), path: 'conflict.txt', line: 1 });

  // The same key in two files is reported at each place.
  const twice = k();
  const twoPlaces = repo.commit('two places', { 'a/one.env': `K=${twice}\n`, 'b/two.yaml': `k: ${twice}\n` });
  expected.push({ key: twice, commit: twoPlaces, path: 'a/one.env', line: 1 });
  expected.push({ key: twice, commit: twoPlaces, path: 'b/two.yaml', line: 1 });

  // Stashed work is reachable from refs/stash.
  const stashKey = k();
  repo.write({ 'README.md': `# app\n${stashKey}\n` });
  repo.git('stash', '-q');

  const { run, report } = history(repo);

  it('exits 1', () => expect(run.code).toBe(1));

  it.each(expected.filter((e) => e.path !== 'README.md').map((e) => [e.path ?? 'commit message', e] as const))(
    'finds the key in %s at the commit that introduced it',
    (_name, e) => {
      expect(report.findings.map(where)).toContain(expectedWhere(e));
    },
  );

  it('finds the stashed key', () => {
    const f = report.findings.find((x: any) => x.keySha256 === sha(stashKey));
    expect(f?.path).toBe('README.md');
  });

  it('reports nothing else', () => {
    expect(report.findings).toHaveLength(expected.length + 1);
  });

  it('carries author, date and full commit id', () => {
    const f = report.findings.find((x: any) => x.keySha256 === sha(removedKey));
    expect(f.author).toBe('Dana Dev <dana@example.com>');
    expect(f.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(f.date).toMatch(/^2025-01-01T10:00:\d\d[+-]\d\d:\d\d$|^2025-01-01T10:00:\d\dZ$/);
  });

  it('groups the same key in one key entry', () => {
    const group = report.keys.find((g: any) => g.keySha256 === sha(twice));
    expect(group.occurrences).toBe(2);
  });

  it('range mode scans only the commits of the range', () => {
    const { report: ranged } = history(repo, [`${twoPlaces}~1..${twoPlaces}`]);
    expect(ranged.findings.map((f: any) => f.path).sort()).toEqual(['a/one.env', 'b/two.yaml']);
  });

  it('finds the same once the objects are packed and every blob is read from its pack', () => {
    repo.git('repack', '-adq');
    const { report: packed } = history(repo, [], { SPREEFLO_SCAN_PACKED_FROM: '0' });
    expect(packed.findings.map(where).sort()).toEqual(report.findings.map(where).sort());
    expect(packed.summary.files).toBe(report.summary.files);
  });
});

describe('history: blobs read from packs on worker threads', () => {
  // Enough packed blobs for the worker threads, each version of a file a delta of
  // the one before, and keys that enter in a later version.
  const repo = new TestRepo();
  const filler = (i: number, v: number) => Array.from({ length: 120 }, (_, l) => `row ${i}.${l} value ${(l * 7919 + i * 31 + (l % 9 === 0 ? v : 0)) % 100003}`).join('\n') + '\n';
  const files = (v: number) => Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`data/part-${i}.txt`, filler(i, v)]));
  repo.commit('v0', files(0));
  repo.commit('v1', files(1));
  const key = makeV2Key();
  const withKey = repo.commit('v2', { ...files(2), 'data/part-77.txt': filler(77, 2).replace('row 77.40 ', `row 77.40 ${key} `) });
  repo.commit('v3', files(3));
  repo.git('repack', '-adq', '--depth=50', '--window=50');
  const runs = [
    ['every blob through cat-file', { SPREEFLO_SCAN_PACKED_FROM: String(2 ** 40) }],
    ['every blob from its pack', { SPREEFLO_SCAN_PACKED_FROM: '0' }],
  ] as const;
  const reports = runs.map(([, env]) => history(repo, [], env).report);

  it.each(runs.map(([name], i) => [name, reports[i]] as const))('%s: the key at the commit and line that brought it', (_name, report) => {
    expect(report.findings.map((f: any) => `${f.commit} ${f.path}:${f.line}`)).toEqual([`${withKey} data/part-77.txt:41`]);
    expect(report.summary.files).toBe(4 * 200 + 4);
    expect(report.skipped).toEqual([]);
  });

  it('the repository really holds deltas', () => {
    const pack = repo.git('rev-parse', '--git-path', 'objects/pack');
    const idx = execFileSync('sh', ['-c', `ls ${pack}/*.idx`], { cwd: repo.dir, encoding: 'utf8' }).trim();
    const verify = repo.git('verify-pack', '-v', idx);
    expect(verify).toMatch(/chain length = [1-9]/);
  });
});

describe('history: a pull request that silences findings', () => {
  it('shows reviewers every suppression the range adds', () => {
    const repo = new TestRepo();
    const base = repo.commit('base', { 'a.txt': 'x\n' });
    const key = makeV2Key();
    repo.commit('silence', {
      'src/app.ts': `\nconst k = "${key}"; // spreeflo-scan:allow\n`,
      '.spreeflo-scan-ignore': 'fixtures/\n',
    });
    const { run, report } = history(repo, [`${base}..HEAD`]);
    expect(run.code).toBe(0);
    expect(report.suppressed).toHaveLength(1);
    expect(report.notes).toContain('review: this range changes .spreeflo-scan-ignore, which can silence findings');
    expect(report.notes).toContain('review: this range adds a spreeflo-scan:allow comment at src/app.ts:2');
  });

  // The diff for new allow comments runs only when a changed file holds one: a file the
  // scan does not read (brought back from before the base) or reads on a worker counts too.
  it.each([
    ['through cat-file', {}],
    ['from its pack', { SPREEFLO_SCAN_PACKED_FROM: '0', SPREEFLO_SCAN_RANGE_PACKED_FROM: '0' }],
  ])('an allow comment in a copy of a file the base already had, read %s', (_name, env) => {
    const repo = new TestRepo();
    const allowed = `const k = "${makeV2Key()}"; // spreeflo-scan:allow\n`.repeat(400);
    repo.commit('old', { 'old.ts': allowed });
    const base = repo.commit('base', { 'a.txt': 'x\n' });
    repo.commit('copy', { 'src/copy.ts': allowed, 'src/new.ts': `// spreeflo-scan:allow\n${'filler line\n'.repeat(1000)}` });
    repo.git('repack', '-a', '-d', '-q');
    const { report } = history(repo, [`${base}..HEAD`], env);
    expect(report.notes).toContain('review: this range adds a spreeflo-scan:allow comment at src/copy.ts:1');
    expect(report.notes).toContain('review: this range adds a spreeflo-scan:allow comment at src/new.ts:1');
  });

  it('a range that adds no allow comment has no such note', () => {
    const repo = new TestRepo();
    repo.commit('old', { 'old.ts': '// spreeflo-scan:allow\n' });
    const base = repo.commit('base', { 'a.txt': 'x\n' });
    repo.commit('edit', { 'a.txt': 'y\n', 'old.ts': '// spreeflo-scan:allow\nmore\n' });
    const { report } = history(repo, [`${base}..HEAD`]);
    expect(report.notes.filter((n: string) => n.includes('allow comment'))).toEqual([]);
  });
});

describe('history: bad repositories and environments', () => {
  it('outside a repository exits 2 with a clear message', () => {
    const run = runCli(['history'], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a git repository/);
  });

  it('without git on PATH exits 2 with a clear message', () => {
    const repo = new TestRepo();
    const run = runCli(['history'], { cwd: repo.dir, env: { PATH: '/nonexistent' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/git was not found/);
  });

  it('an unknown range exits 2', () => {
    const repo = new TestRepo();
    repo.commit('init', { 'a.txt': 'x\n' });
    const run = runCli(['history', 'nope..HEAD'], { cwd: repo.dir });
    expect(run.code).toBe(2);
  });

  it('a shallow clone is scanned and said to be shallow', () => {
    const origin = new TestRepo();
    origin.commit('one', { 'a.env': `K=${makeV2Key()}\n` });
    origin.commit('two', { 'b.txt': 'b\n' });
    const clone = tempDir();
    runGit(['clone', '-q', '--depth', '1', `file://${origin.dir}`, clone]);
    const run = runCli(['history', '--format', 'json'], { cwd: clone });
    const report = JSON.parse(run.stdout);
    expect(report.notes.join(' ')).toMatch(/shallow/);
    expect(report.findings).toHaveLength(1);
  });

  it('an empty repository is clean', () => {
    const repo = new TestRepo();
    const run = runCli(['history'], { cwd: repo.dir });
    expect(run.code).toBe(0);
  });

  it('a key in a message amended away, or in a blob no ref reaches, is not history', () => {
    const repo = new TestRepo();
    repo.commit('init', { 'a.txt': 'x\n' });
    repo.commit(`oops ${makeV2Key()}`, { 'b.env': `K=${makeV2Key()}\n` });
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    repo.commit('clean message', { 'c.txt': 'y\n' });
    const { run, report } = history(repo);
    expect(run.code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.notes.join(' ')).toMatch(/no ref reaches them/);
  });

  it('reports a missing object and goes on', () => {
    const repo = new TestRepo();
    const key = makeV2Key();
    repo.commit('one', { 'gone.txt': 'this blob will be lost\n', 'kept.env': `K=${key}\n` });
    const blob = repo.git('rev-parse', 'HEAD:gone.txt');
    rmSync(join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const run = runCli(['history', '--format', 'json'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings.map((f: any) => f.path)).toEqual(['kept.env']);
    expect(report.skipped.some((s: any) => s.path.includes(blob) && /missing/.test(s.reason))).toBe(true);
  });

  it('scans binary blobs and skips (and lists) blobs over --max-file-size', () => {
    const repo = new TestRepo();
    const key = makeV2Key();
    repo.commit('bin', {
      'app.bin': Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(key), Buffer.from([0])]),
      'huge.log': 'x'.repeat(50_000),
    });
    const { report } = history(repo, ['--max-file-size', '10KB']);
    expect(report.findings.map((f: any) => f.path)).toEqual(['app.bin']);
    expect(report.skipped.some((s: any) => s.path.startsWith('huge.log') && /too large/.test(s.reason))).toBe(true);
  });

  it('lists blobs over the 256 MiB a blob may take in memory as not read', () => {
    const repo = new TestRepo();
    repo.commit('big', { 'zeros.bin': Buffer.alloc(257 * 1024 * 1024), 'a.env': `KEY=${makeV2Key()}\n` });
    const { report } = history(repo);
    expect(report.findings.map((f: any) => f.path)).toEqual(['a.env']);
    const skip = report.skipped.find((s: any) => s.path.startsWith('zeros.bin'));
    expect(skip).toMatchObject({ reason: '257 MiB, over the 256 MiB a blob may take in memory: not read', unread: true });
  });

  it('handles non-UTF-8 and odd paths', () => {
    const repo = new TestRepo();
    const key = makeV2Key();
    repo.write({ 'dir with space/"quoted"\tname.env': `K=${key}\n` });
    repo.write({ [Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x74, 0x78, 0x74]).toString('latin1')]: `K=${key}\n` });
    repo.commit('odd');
    const { report } = history(repo);
    expect(report.findings.map((f: any) => f.path).sort()).toContain('dir with space/"quoted"\tname.env');
    expect(report.findings).toHaveLength(2);
  });
});

function runGit(args: string[]): void {
  execFileSync('git', args, { stdio: 'ignore' });
}
