// The audit end to end: about 200 generated repositories (clean ones, ones with a key, one
// key shared by five, one corrupt, one empty), half as local paths and half served by
// `git daemon` on 127.0.0.1, audited in one run and as 4 shards in separate processes (one
// of them killed with SIGKILL and started again), merged, and verified once per key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { BIN, runCli, runCliAsync, tempDir } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';
import { makeRepos, type RepoSpec } from '../support/many-repos.js';
import { startFakeSpreeflo } from '../support/fake-spreeflo.js';
import { sha256Hex } from '../../src/detect/detector.js';

const REPOS = 200;
const SHARDS = 4;
const SHARED = makeV2Key();
const SECRET = 'a shared CI secret of the audit test';
const name = (i: number) => `r${String(i).padStart(3, '0')}.git`;
const CORRUPT = 7;
const EMPTY = 9;

/** Repositories 0-4 share one key; every tenth from 10 has its own; 7 is corrupt, 9 empty; the rest are clean. */
function specs(): { specs: RepoSpec[]; unique: string[] } {
  const unique: string[] = [];
  const list: RepoSpec[] = [];
  for (let i = 0; i < REPOS; i++) {
    const base = { 'README.md': `repository ${i}\n`, 'src/app.js': `export const n = ${i};\n` };
    if (i === EMPTY) list.push({ name: name(i), kind: 'empty' });
    else if (i === CORRUPT) list.push({ name: name(i), kind: 'corrupt', commits: [{ ...base, 'data.txt': 'x'.repeat(4000) }, { 'more.txt': 'y\n'.repeat(3000) }] });
    else if (i < 5) list.push({ name: name(i), kind: 'commits', commits: [base, { 'deploy/.env': `SPREEFLO_KEY=${SHARED}\n` }] });
    else if (i % 10 === 0) {
      const key = makeV2Key();
      unique.push(key);
      list.push({ name: name(i), kind: 'commits', commits: [{ ...base, 'config.py': `API_KEY = "${key}"\n` }, { 'config.py': 'API_KEY = os.environ["API_KEY"]\n' }] });
    } else list.push({ name: name(i), kind: 'commits', commits: [base, { 'CHANGELOG.md': `- change ${i}\n` }] });
  }
  return { specs: list, unique };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function startDaemon(base: string): Promise<{ url: string; daemon: ChildProcess }> {
  const port = await freePort();
  const daemon = spawn('git', ['daemon', '--reuseaddr', '--export-all', `--base-path=${base}`, '--listen=127.0.0.1', `--port=${port}`, base], { stdio: 'ignore' });
  const url = `git://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (spawnSync('git', ['ls-remote', `${url}/${name(0)}`], { stdio: 'ignore' }).status === 0) return { url, daemon };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('git daemon did not start');
}

interface Report {
  findings: { path: string; keySha256: string; commit?: string; line: number; column: number; key?: string; verification: { status: string; keyName?: string } }[];
  keys: { keySha256: string; occurrences: number; verification: { status: string; keyName?: string } }[];
  skipped: { path: string; reason: string; unread: boolean }[];
}

const places = (r: Report) => r.findings.map((f) => `${f.path}|${f.keySha256}|${f.commit}|${f.line}:${f.column}`).sort();
const resultLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

let root: string;
let unique: string[];
let daemon: ChildProcess;
const env = { SPREEFLO_SCAN_AUDIT_SECRET: SECRET };
const stateOf = (shard: number | 'all') => join(root, `state-${shard}`);
const resultsOf = (shard: number | 'all') => join(stateOf(shard), 'results.jsonl');
const auditArgs = (shard: number | 'all') => [
  'audit', '--repos', 'repos.txt', '--state', stateOf(shard), '--carry-keys', '--no-progress', '--format', 'json',
  ...(shard === 'all' ? ['--jobs', '2', '-o', 'all.json'] : ['--jobs', '1', '--shard', `${shard}/${SHARDS}`, '-o', `shard-${shard}.json`]),
];

/** Starts shard 0, kills it with SIGKILL once it has recorded a few repositories. */
async function killedShard(): Promise<number> {
  const child = spawn(process.execPath, [BIN, ...auditArgs(0)], { cwd: root, env: { ...process.env, ...env }, stdio: 'ignore' });
  const lines = () => (existsSync(resultsOf(0)) ? readFileSync(resultsOf(0), 'utf8').split('\n').length - 1 : 0);
  while (lines() < 5 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return lines() - 1;
}

beforeAll(async () => {
  root = tempDir('sfscan-audit-');
  const made = specs();
  unique = made.unique;
  await makeRepos(join(root, 'repos'), made.specs);
  const served = await startDaemon(join(root, 'repos'));
  daemon = served.daemon;
  // Even ones as paths (relative to the list), odd ones through git daemon; a comment and a repeat are read as such.
  const lines = made.specs.map((s, i) => (i % 2 === 0 ? `repos/${s.name}` : `${served.url}/${s.name}`));
  writeFileSync(join(root, 'repos.txt'), `# the organisation\n${lines.join('\n')}\n${lines[0]}\n`);
  // The unsharded run and the killed shard share the machine; then the four shards run at once.
  const [whole, killedAfter] = await Promise.all([runCliAsync(auditArgs('all'), { cwd: root, env }), killedShard()]);
  expect(whole.code, whole.stderr).toBe(2);
  expect(killedAfter).toBeGreaterThanOrEqual(4);
  const shards = await Promise.all(Array.from({ length: SHARDS }, (_, i) => runCliAsync(auditArgs(i), { cwd: root, env })));
  for (const s of shards) expect([1, 2], s.stderr).toContain(s.code);
}, 600_000);

afterAll(() => {
  daemon?.kill();
});

describe('audit of ~200 repositories, sharded and merged', () => {
  it('4 shards merged give the same findings and failures as one run', () => {
    const merged = runCli(['merge', ...Array.from({ length: SHARDS }, (_, i) => resultsOf(i)), '--format', 'json', '-o', 'merged.json'], { cwd: root });
    expect(merged.code, merged.stderr).toBe(2);
    const one = JSON.parse(readFileSync(join(root, 'all.json'), 'utf8')) as Report;
    const all = JSON.parse(readFileSync(join(root, 'merged.json'), 'utf8')) as Report;
    expect(places(all)).toEqual(places(one));
    expect(all.skipped.map((s) => s.path).sort()).toEqual(one.skipped.map((s) => s.path).sort());
    // 5 repositories share one key, 19 have their own: one key with five places, not five keys.
    expect(all.keys).toHaveLength(1 + unique.length);
    expect(all.keys.find((k) => k.keySha256 === sha256Hex(SHARED))!.occurrences).toBe(5);
    const failed = all.skipped.filter((s) => s.reason.startsWith('repository not scanned'));
    expect(failed.map((s) => s.path)).toEqual([expect.stringMatching(new RegExp(`${name(CORRUPT)}$`))]);
    // The empty repository is scanned (nothing to find), not a failure.
    expect(all.skipped.some((s) => s.path.includes(name(EMPTY)))).toBe(false);
  });

  it('the shard killed with SIGKILL resumed: every repository of it recorded once', () => {
    const [header, ...repos] = resultLines(resultsOf(0));
    const names = repos.map((r) => r.repo);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBe(header.repos);
    expect(readdirSync(stateOf(0))).toEqual(['results.jsonl']);
  });

  it('no key is written out in plain: results, reports and a text merge show only redacted keys', () => {
    const text = runCli(['merge', ...Array.from({ length: SHARDS }, (_, i) => resultsOf(i))], { cwd: root });
    expect(text.stdout).toMatch(/Found in 5 places/);
    const files = [resultsOf('all'), ...Array.from({ length: SHARDS }, (_, i) => resultsOf(i)), join(root, 'all.json'), join(root, 'merged.json')];
    for (const written of [...files.map((f) => readFileSync(f, 'utf8')), text.stdout, text.stderr]) {
      for (const key of [SHARED, ...unique]) expect(written.includes(key)).toBe(false);
    }
  });

  it('merge --verify asks Spreeflo about each unique key once, and names the key to revoke', async () => {
    const api = await startFakeSpreeflo({ keys: [{ key: SHARED, state: 'live', name: 'Zapier sync' }, { key: unique[0]!, state: 'revoked', name: 'Old export' }] });
    try {
      const run = await runCliAsync(['merge', '--verify', ...Array.from({ length: SHARDS }, (_, i) => resultsOf(i)), '--format', 'json', '--no-progress'], {
        cwd: root,
        env: { ...env, SPREEFLO_API_URL: api.url },
      });
      expect(run.code, run.stderr).toBe(2);
      const asked = api.requests.map((r) => r.key).sort();
      expect(asked).toEqual([SHARED, ...unique].sort());
      const report = JSON.parse(run.stdout) as Report;
      const shared = report.keys.find((k) => k.keySha256 === sha256Hex(SHARED))!;
      expect(shared.verification).toMatchObject({ status: 'live', keyName: 'Zapier sync' });
      expect(report.keys.find((k) => k.keySha256 === sha256Hex(unique[0]!))!.verification.status).toBe('revoked');
    } finally {
      await api.close();
    }
  });

  it('merge --verify without the secret the keys were sealed under says so and asks nothing', async () => {
    const api = await startFakeSpreeflo({ keys: [] });
    try {
      const run = await runCliAsync(['merge', '--verify', resultsOf('all')], { cwd: root, env: { SPREEFLO_API_URL: api.url, SPREEFLO_SCAN_AUDIT_SECRET: '' } });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--verify needs the keys.*only as their SHA-256.*--carry-keys/);
      expect(api.requests).toHaveLength(0);
    } finally {
      await api.close();
    }
  });
});
