// `audit` and `merge` on the command line: what they refuse, --files, and credentials in URLs.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli, tempDir } from '../support/cli.js';
import { TestRepo } from '../support/git.js';
import { makeV2Key } from '../support/keys.js';

function listOf(lines: string[]): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'repos.txt'), lines.join('\n') + '\n');
  return dir;
}

describe('usage errors: exit 2, one line naming what to do', () => {
  it.each([
    ['--verify belongs to merge', ['audit', '--repos', 'repos.txt', '--verify'], /audit does not talk to Spreeflo: run `spreeflo-scan merge --verify`/],
    ['a shard out of range', ['audit', '--repos', 'repos.txt', '--shard', '4/4'], /--shard 4\/4: expected I\/N with 0 <= I < N/],
    ['a list that is not there', ['audit', '--repos', 'nope.txt'], /cannot read --repos nope\.txt: not found/],
    ['--carry-keys without the secret', ['audit', '--repos', 'repos.txt', '--carry-keys'], /--carry-keys needs SPREEFLO_SCAN_AUDIT_SECRET/],
    ['merge with a baseline', ['merge', 'results.jsonl', '--baseline', 'old.json'], /merge applies no --baseline or --ignore-file/],
    ['merge of a file that is not results', ['merge', 'repos.txt'], /repos\.txt:1: not a line of an audit's results/],
  ])('%s', (_name, args, message) => {
    const cwd = listOf([new TestRepo().dir]);
    const run = runCli(args, { cwd, env: { SPREEFLO_SCAN_AUDIT_SECRET: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('an empty list', () => {
    const run = runCli(['audit', '--repos', 'repos.txt'], { cwd: listOf(['# nothing yet']) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/lists no repository/);
  });

  it('a state folder of another shard is not continued', () => {
    const cwd = listOf([new TestRepo().dir, new TestRepo().dir]);
    expect(runCli(['audit', '--repos', 'repos.txt', '--shard', '0/2', '--state', 's', '--no-progress'], { cwd }).code).toBe(0);
    const again = runCli(['audit', '--repos', 'repos.txt', '--shard', '1/2', '--state', 's'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/holds an audit of shard 0\/2, not 1\/2: give another --state folder/);
  });
});

describe('what each repository is read for', () => {
  const now = makeV2Key();
  const past = makeV2Key();
  const repo = new TestRepo();
  repo.commit('old', { 'old.env': `K=${past}\n` });
  repo.commit('new', { 'old.env': null, 'app.env': `K=${now}\n` });

  it.each([
    ['history (default): every key history holds', [], 2],
    ['--files: the default branch as it is', ['--files'], 1],
  ])('%s', (_name, flags, keys) => {
    const cwd = listOf([repo.dir]);
    const run = runCli(['audit', '--repos', 'repos.txt', '--no-progress', '--format', 'json', ...flags], { cwd });
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.keys).toHaveLength(keys);
    expect(report.findings.map((f: { path: string }) => f.path)).toContain(`${repo.dir}:app.env`);
  });
});

describe('a repository that cannot be cloned', () => {
  it('is a result with the reason, said on stderr even with --no-progress, its password never shown; the others are still scanned; exit 2', () => {
    const good = new TestRepo();
    good.commit('key', { '.env': `K=${makeV2Key()}\n` });
    const cwd = listOf(['https://auditor:hunter2-token@127.0.0.1:1/org/x.git', good.dir]);
    const run = runCli(['audit', '--repos', 'repos.txt', '--format', 'json', '--no-progress'], { cwd });
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.keys).toHaveLength(1);
    expect(report.skipped[0]).toMatchObject({ path: 'https://127.0.0.1:1/org/x.git', reason: expect.stringMatching(/^repository not scanned: git clone failed/), unread: true });
    expect(run.stdout + run.stderr).not.toContain('hunter2');
    expect(run.stderr).toMatch(/https:\/\/127\.0\.0\.1:1\/org\/x\.git: git clone failed/);
  });
});

describe('SARIF of an audit', () => {
  it('places each file inside its own repository, never under the checkout (%SRCROOT%)', () => {
    const repo = new TestRepo();
    repo.commit(`oops ${makeV2Key()}`, { 'conf/app.env': `K=${makeV2Key()}\n` });
    const cwd = listOf([repo.dir]);
    const run = runCli(['audit', '--repos', 'repos.txt', '--no-progress', '--format', 'sarif'], { cwd });
    expect(run.code, run.stderr).toBe(1);
    const sarif = JSON.parse(run.stdout).runs[0];
    expect(sarif.originalUriBaseIds).toEqual({ REPO1: { uri: pathToFileURL(repo.dir).href + '/', description: { text: repo.dir } } });
    const places = sarif.results.map((r: { locations?: { physicalLocation: { artifactLocation: unknown } }[] }) => r.locations?.[0]?.physicalLocation.artifactLocation ?? null);
    expect(places).toContainEqual({ uri: 'conf/app.env', uriBaseId: 'REPO1' });
    // The commit message's key has no file to point at.
    expect(places).toContain(null);
    expect(JSON.stringify(sarif)).not.toContain('%SRCROOT%');
  });
});
