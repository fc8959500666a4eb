// `history` reads every message a repository holds: annotated tags' and notes'
// besides commits'. In range mode, a tag or a note counts when it is on a commit of
// the range.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { makeV2Key } from '../support/keys.js';
import { runCli } from '../support/cli.js';
import { TestRepo } from '../support/git.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

interface JsonFinding {
  source: string;
  path: string | null;
  commit?: string;
  tag?: string;
  tagObject?: string;
  line: number;
  keySha256: string;
}

function history(repo: TestRepo, args: string[] = [], format = 'json') {
  const run = runCli(['history', ...args, '--format', format, '--no-progress'], { cwd: repo.dir });
  if (run.code === 2) throw new Error(run.stderr);
  return run;
}
const findings = (repo: TestRepo, args: string[] = []) => JSON.parse(history(repo, args).stdout).findings as JsonFinding[];

describe('history: messages besides commit messages', () => {
  const repo = new TestRepo();
  const root = repo.commit('root');
  const base = repo.commit('base');
  const tagged = repo.commit('release');
  const later = repo.commit('later');
  const tagKey = makeV2Key();
  repo.git('tag', '-a', 'v1.0', tagged, '-m', `Release 1.0\n\ndeploy with ${tagKey}`);
  const tagObject = repo.git('rev-parse', 'v1.0');
  // A tag deleted since: its object stays in the store, no ref reaches it.
  repo.git('tag', '-a', 'gone', later, '-m', `old ${makeV2Key()}`);
  repo.git('tag', '-d', 'gone');
  const noteKey = makeV2Key();
  repo.git('notes', 'add', '-m', `ran with ${noteKey}`, base);
  const reviewKey = makeV2Key();
  repo.git('notes', '--ref', 'review', 'add', '-m', `ok\nreviewer token ${reviewKey}`, later);
  const notesCommit = repo.git('rev-parse', 'refs/notes/commits');
  const reviewCommit = repo.git('rev-parse', 'refs/notes/review');

  const TAG = { source: 'tag-message', path: null, tag: 'v1.0', tagObject, commit: tagged, line: 3, keySha256: sha(tagKey) };
  const NOTE = { source: 'note', path: base, commit: notesCommit, line: 1, keySha256: sha(noteKey) };
  const REVIEW = { source: 'note', path: later, commit: reviewCommit, line: 2, keySha256: sha(reviewKey) };
  const pick = (f: JsonFinding) => ({ source: f.source, path: f.path, ...(f.tag ? { tag: f.tag, tagObject: f.tagObject } : {}), commit: f.commit, line: f.line, keySha256: f.keySha256 });
  const order = (xs: object[]) => xs.map((x) => JSON.stringify(x)).sort();

  it.each([
    ['the whole history: every tag a ref reaches, every note', [], [TAG, NOTE, REVIEW]],
    ['a range holding the tagged commit and the reviewed one', [`${base}..${later}`], [TAG, REVIEW]],
    ['a range holding only the annotated base', [`${root}..${base}`], [NOTE]],
    ['a range past both', [`${later}..${later}`], []],
  ] as const)('%s', (_name, args, expected) => {
    expect(order(findings(repo, [...args]).map(pick))).toEqual(order([...expected]));
  });

  it('every report names the tag and the note', () => {
    const text = history(repo, [], 'text').stdout;
    expect(text).toContain('message of tag v1.0:3:');
    expect(text).toContain(`note on ${base}:1:`);
    const sarif = JSON.parse(history(repo, [], 'sarif').stdout).runs[0].results as Array<{ properties: Record<string, unknown>; locations?: unknown }>;
    const tagResult = sarif.find((r) => r.properties.source === 'tag-message')!;
    expect(tagResult.properties).toMatchObject({ tag: 'v1.0', tagObject, commit: tagged });
    expect(tagResult.locations).toBeUndefined();
    const noteResult = sarif.find((r) => r.properties.source === 'note' && r.properties.annotated === base)!;
    expect(noteResult.locations).toBeUndefined();
    const html = history(repo, [], 'html').stdout;
    expect(html).toContain('message of tag v1.0');
    expect(html).toContain('git note');
    for (const out of [text, html, JSON.stringify(sarif)]) for (const k of [tagKey, noteKey, reviewKey]) expect(out).not.toContain(k);
  });
});
