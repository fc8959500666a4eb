// The audit's parts on their own: the list and its shards, sealed keys, the results file's
// unfinished last line, and what a merge says about shards that are missing, unfinished,
// repeated or ran under other rules.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inShard, nameOf, parseShard, readRepoList, type Repo } from '../../src/audit/repo-list.js';
import { openKey, sealKey, sealingKey } from '../../src/audit/sealed-keys.js';
import { cutUnfinishedLine, type AuditHeader, type RepoLine } from '../../src/audit/results.js';
import { mergeResults } from '../../src/audit/merge.js';
import { tempDir } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';
import { sha256Hex } from '../../src/detect/detector.js';

describe('repository list', () => {
  it.each([
    ['https://x-access-token:ghp_abc@github.com/org/a.git', 'https://github.com/org/a.git'],
    ['https://user@gitlab.example/org/b', 'https://gitlab.example/org/b'],
    ['git://127.0.0.1:9418/c.git', 'git://127.0.0.1:9418/c.git'],
    ['git@github.com:org/d.git', 'git@github.com:org/d.git'],
    ['repos/e.git', 'repos/e.git'],
  ])('%s is known as %s', (line, name) => {
    expect(nameOf(line)).toBe(name);
  });

  it('reads paths from the list\'s folder, skips comments and blank lines, and lists a repeat once', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'list'), '# org\n\nrepos/a.git\nhttps://tok@host/b.git\n  repos/a.git  \nhttps://host/b.git\n');
    const { repos, repeated } = readRepoList(join(dir, 'list'));
    expect(repos).toEqual([
      { name: 'repos/a.git', cloneFrom: join(dir, 'repos/a.git') },
      { name: 'https://host/b.git', cloneFrom: 'https://tok@host/b.git' },
    ]);
    expect(repeated).toBe(2);
  });

  it.each([['0/4'], ['3/4'], ['0/1']])('--shard %s is accepted', (value) => {
    expect(() => parseShard(value)).not.toThrow();
  });

  it.each([['4/4'], ['1'], ['-1/4'], ['1/0'], ['a/b']])('--shard %s is a usage error', (value) => {
    expect(() => parseShard(value)).toThrow(/I\/N with 0 <= I < N/);
  });

  it('N shards split the list: every repository in exactly one, the same one on every run, none empty', () => {
    const repos: Repo[] = Array.from({ length: 400 }, (_, i) => ({ name: `https://host/org/r${i}.git`, cloneFrom: '' }));
    const shards = [0, 1, 2, 3].map((index) => inShard(repos, { index, count: 4 }).map((r) => r.name));
    expect(shards.flat().sort()).toEqual(repos.map((r) => r.name).sort());
    for (const shard of shards) expect(shard.length).toBeGreaterThan(60);
    expect(inShard(repos, { index: 2, count: 4 }).map((r) => r.name)).toEqual(shards[2]);
  });
});

describe('sealed keys', () => {
  const key = makeV2Key();
  const sha = sha256Hex(key);
  const sealing = sealingKey('test', { SPREEFLO_SCAN_AUDIT_SECRET: 'twenty characters or more' });

  it('open with the same secret, to the same key; never with another secret or under another hash', () => {
    const sealed = sealKey(key, sha, sealing);
    expect(sealed).not.toContain(key);
    expect(openKey(sealed, sha, sealing)).toBe(key);
    expect(openKey(sealed, sha, sealingKey('test', { SPREEFLO_SCAN_AUDIT_SECRET: 'another secret of 20+ chars' }))).toBeNull();
    expect(openKey(sealed, sha256Hex(makeV2Key()), sealing)).toBeNull();
  });

  it.each([[undefined], ['short']])('a missing or short secret (%s) is a usage error naming the variable', (secret) => {
    expect(() => sealingKey('--carry-keys', secret === undefined ? {} : { SPREEFLO_SCAN_AUDIT_SECRET: secret })).toThrow(/--carry-keys needs SPREEFLO_SCAN_AUDIT_SECRET/);
  });
});

describe('results file', () => {
  it.each([
    ['an unfinished last line is cut', '{"a":1}\n{"b":2}\n{"c":', '{"a":1}\n{"b":2}\n'],
    ['a finished file is left as it is', '{"a":1}\n{"b":2}\n', '{"a":1}\n{"b":2}\n'],
    ['a header cut short leaves nothing', '{"type":"au', ''],
  ])('%s', (_name, before, after) => {
    const file = join(tempDir(), 'results.jsonl');
    writeFileSync(file, before);
    cutUnfinishedLine(file);
    expect(readFileSync(file, 'utf8')).toBe(after);
  });
});

describe('merge', () => {
  const header = (index: number, count: number, repos: number, rules = 'a'.repeat(64), list = 'b'.repeat(64)): AuditHeader => ({
    type: 'audit',
    format: 1,
    tool: '0.1.0',
    rules,
    list: { sha256: list, repos: 10 },
    shard: { index, count },
    repos,
    mode: { files: false, ocr: false },
  });
  const clean = (repo: string): RepoLine => ({
    type: 'repo',
    repo,
    status: 'scanned',
    seconds: 0.1,
    report: {
      schemaVersion: 1,
      tool: { name: 'spreeflo-scan', version: '0.1.0' },
      summary: { keys: 0, findings: 0, suppressed: 0, exampleKeys: 0, skipped: 0, unread: 0, files: 1, bytes: 10, seconds: 0.05 },
      findings: [],
      keys: [],
      suppressed: [],
      skipped: [],
      notes: [],
    },
  });
  const write = (lines: object[]) => {
    const file = join(tempDir(), 'results.jsonl');
    writeFileSync(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    return file;
  };

  it('a missing shard and an unfinished one are listed first as not read; a repeated repository counts once', async () => {
    const files = [write([header(0, 3, 2), clean('a'), clean('b')]), write([header(1, 3, 3), clean('c'), clean('a')])];
    const merged = await mergeResults(files, null);
    expect(merged.incomplete).toEqual([
      { path: 'shard 1/3', reason: expect.stringMatching(/^unfinished: 1 of 3 repositories/) },
      { path: 'shard 2/3', reason: expect.stringMatching(/^not among the merged reports/) },
    ]);
    expect(merged.result.skipped.slice(0, 2)).toEqual(merged.incomplete);
    expect(merged.scanned).toBe(3);
    expect(merged.result.notes).toContain('1 repository was in more than one report: each is reported once');
  });

  it('shards under different rules are merged, with a note saying which ran with which', async () => {
    const merged = await mergeResults([write([header(0, 2, 1), clean('a')]), write([header(1, 2, 1, 'c'.repeat(64)), clean('b')])], null);
    expect(merged.incomplete).toEqual([]);
    expect(merged.result.notes.join('\n')).toMatch(/different rules: spreeflo-scan 0\.1\.0 rules aaaaaaaaaaaa \(shard 0\); spreeflo-scan 0\.1\.0 rules cccccccccccc \(shard 1\)/);
  });

  it.each([
    ['another list', [header(0, 2, 1), header(1, 2, 1, undefined, 'd'.repeat(64))], /another repository list/],
    ['another shard count', [header(0, 2, 1), header(1, 3, 1)], /split the list in 2/],
  ])('shards of %s are not merged', async (_name, [a, b], message) => {
    await expect(mergeResults([write([a!]), write([b!])], null)).rejects.toThrow(message);
  });

  it.each([
    ['not JSON', 'hello\n', /:1: not a line of an audit's results/],
    ['JSON without the header', '{"type":"repo"}\n', /:1: not an audit's results file/],
    ['an empty file', '', /is empty/],
  ])('%s is an error naming the file and line', async (_name, text, message) => {
    const file = join(tempDir(), 'results.jsonl');
    writeFileSync(file, text);
    await expect(mergeResults([file], null)).rejects.toThrow(message);
  });
});
