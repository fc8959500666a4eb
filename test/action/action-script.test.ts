// scripts/action.mjs, the GitHub Action's logic, against recorded event payloads
// (test/fixtures/action/*.json) whose commits are built in real git repositories and
// substituted in. The plans (the range each event scans) are checked in-process, git
// only; two runs go through the built CLI for the outputs, annotations and summary.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionError, cliCommand, parseArgs, planScan, renderSummary, runAction } from '../../scripts/action.mjs';
import { BIN, tempDir } from '../support/cli.js';
import { TestRepo } from '../support/git.js';
import { makeV2Key } from '../support/keys.js';
import { readGithubFile } from '../support/github-files.js';

const key = makeV2Key();
const ZERO = '0'.repeat(40);
const GONE = '1234567890abcdef1234567890abcdef12345678';

// main: c1 - c2 (origin/main); feature/billing: c1 - f1 (adds a key), later rebased onto c2 as g1.
const repo = new TestRepo();
const c1 = repo.commit('init', { 'README.md': '# app\n' });
const c2 = repo.commit('docs', { 'docs/setup.md': 'Set SPREEFLO_API_KEY in the environment.\n' });
repo.git('update-ref', 'refs/remotes/origin/main', c2);
repo.git('checkout', '-q', '-b', 'feature/billing', c1);
const f1 = repo.commit('billing client', { 'src/config.ts': `export const key = "${key}";\n` });
repo.git('checkout', '-q', '-B', 'feature/billing', c2);
const g1 = repo.commit('billing client, rebased', { 'src/config.ts': 'export const key = process.env.SPREEFLO_API_KEY;\n' });
repo.git('checkout', '-q', 'main');

const shallow = join(tempDir('sfscan-shallow-'), 'clone');
execFileSync('git', ['clone', '-q', '--depth', '1', '--no-local', `file://${repo.dir}`, shallow]);

/** A recorded payload with the placeholders (`@AFTER@`) replaced by real commits, plus overrides. */
function payload(name: string, shas: Record<string, string>, extra: Record<string, unknown> = {}): any {
  let text = readFileSync(join('test/fixtures/action', `${name}.json`), 'utf8');
  for (const [k, v] of Object.entries(shas)) text = text.replaceAll(`@${k}@`, v);
  return { ...JSON.parse(text), ...extra };
}

const plan = (eventName: string, event: unknown, opts: { mode?: string; range?: string; repo?: string } = {}) =>
  planScan({ mode: opts.mode ?? 'auto', range: opts.range ?? '', eventName, event, repo: opts.repo ?? repo.dir });

describe('planScan: what each event scans', () => {
  it.each([
    ['push: before..after', 'push', () => payload('push', { BEFORE: c1, AFTER: c2 }), `${c1}..${c2}`, null],
    ['new branch: the commits not on the default branch', 'push', () => payload('push-new-branch', { AFTER: f1 }), `${c2}..${f1}`, /new refs\/heads\/feature\/billing: scanned the commits not on main/],
    ['new default branch (first push): the tip and its history', 'push', () => payload('push-new-branch', { AFTER: c2 }, { ref: 'refs/heads/main' }), c2, /new refs\/heads\/main: scanned .* and the history behind it$/],
    ['force-push: from the merge base', 'push', () => payload('push-force', { BEFORE: f1, AFTER: g1 }), `${c1}..${g1}`, /force-push: .* is not an ancestor .* merge base/],
    ['force-push, old tip not in the clone: not on the default branch', 'push', () => payload('push-force', { BEFORE: GONE, AFTER: g1 }), `${c2}..${g1}`, /previous tip 1234567890ab is not in the clone/],
    ['pull_request: base..head', 'pull_request', () => payload('pull_request', { BASE: c2, HEAD: f1 }), `${c2}..${f1}`, /pull request #42: the commits it adds/],
    ['fork pull_request: base..head, marked a fork', 'pull_request', () => payload('pull_request-fork', { BASE: c2, HEAD: f1 }), `${c2}..${f1}`, /#43 from the fork outsider\/app/],
  ])('%s', (_name, eventName, event, range, note) => {
    const p = plan(eventName, event());
    expect(p.command).toBe('history');
    expect(p.range).toBe(range);
    if (note) expect(p.notes.join('\n')).toMatch(note);
    else expect(p.notes).toEqual([]);
    expect(p.fork).toBe(eventName === 'pull_request' && event().number === 43);
  });

  it.each([
    ['a deleted branch: nothing', 'push', { ...payload('push', { BEFORE: c2, AFTER: ZERO }), deleted: true }, {}, 'none', null],
    ['another event: the checkout', 'workflow_dispatch', {}, {}, 'scan', null],
    ['mode scan on a push: the checkout', 'push', payload('push', { BEFORE: c1, AFTER: c2 }), { mode: 'scan' }, 'scan', null],
    ['mode history without a range: all history', 'schedule', {}, { mode: 'history' }, 'history', null],
    ['a range input wins over the event', 'push', payload('push', { BEFORE: c1, AFTER: c2 }), { range: 'origin/main..feature/billing' }, 'history', 'origin/main..feature/billing'],
  ])('%s', (_name, eventName, event, opts, command, range) => {
    const p = plan(eventName, event, opts);
    expect(p.command).toBe(command);
    expect(p.range).toBe(range);
  });

  it.each([
    ['push in a shallow clone', 'push', () => payload('push', { BEFORE: c1, AFTER: c2 }), shallow, /the previous tip .* is not in the clone \(a shallow clone\); fetch-depth: 0 needed/],
    ['pull_request in a shallow clone', 'pull_request', () => payload('pull_request', { BASE: c2, HEAD: f1 }), shallow, /the pull request's head .* not in the clone \(a shallow clone\); fetch-depth: 0 needed/],
    ['a range input naming a missing commit', 'push', () => ({}), repo.dir, /revision 1234567890ab is not in the clone; fetch-depth: 0 needed/],
  ])('error: %s', (_name, eventName, event, at, message) => {
    const range = eventName === 'push' && at === repo.dir ? `${GONE}..HEAD` : '';
    expect(() => plan(eventName, event(), { repo: at, range })).toThrow(ActionError);
    expect(() => plan(eventName, event(), { repo: at, range })).toThrow(message);
  });

  it.each([
    ['the published package at the action\'s own version', {}, ['npx', '--yes', `spreeflo-scan@${JSON.parse(readFileSync('package.json', 'utf8')).version}`]],
    ['another version', { INPUT_VERSION: '9.9.9' }, ['npx', '--yes', 'spreeflo-scan@9.9.9']],
    ['an installed one', { INPUT_COMMAND: 'node_modules/.bin/spreeflo-scan' }, ['node_modules/.bin/spreeflo-scan']],
  ])('runs %s', (_name, env, command) => {
    expect(cliCommand(env)).toEqual(command);
  });

  it('args: one argument per line, spaces and globs kept', () => {
    expect(parseArgs('--strict\r\n\n--cache-dir\n  /tmp/a dir/*  \n')).toEqual(['--strict', '--cache-dir', '/tmp/a dir/*']);
  });
});

/** The runner's environment for the scan step: event payload file, output and summary files, inputs. */
function runnerEnv(eventName: string, event: unknown, inputs: Record<string, string>, workspace = repo.dir) {
  const dir = tempDir('sfscan-runner-');
  writeFileSync(join(dir, 'event.json'), JSON.stringify(event));
  const env: Record<string, string> = {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    RUNNER_TEMP: dir,
    INPUT_COMMAND: BIN,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const log: string[] = [];
  const code = runAction(env, { log: (line) => log.push(line) });
  const summary = existsSync(env.GITHUB_STEP_SUMMARY!) ? readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8') : '';
  return { code, log: log.join('\n'), outputs: readGithubFile(env.GITHUB_OUTPUT!), summary };
}

describe('runAction: one spreeflo-scan run, its outputs and summary', () => {
  const cacheDir = join(tempDir('sfscan-args-'), 'cache dir/*');

  it('pull_request: scans base..head, annotates, uploads SARIF, summarises the key redacted', () => {
    const res = runnerEnv('pull_request', payload('pull_request', { BASE: c2, HEAD: f1 }), { 'upload-sarif': 'true', args: `--strict\n--cache-dir\n${cacheDir}\n` });
    expect(res.code, res.log).toBe(1);
    expect(res.log).toContain(`history ${c2}..${f1} --format text --json-output `);
    expect(res.log).toContain(` --strict --cache-dir '${cacheDir}' --no-progress`);
    expect(res.log).toMatch(/::error file=src\/config\.ts,line=1,title=Spreeflo API key::Spreeflo API key sfk_\w{4}…\w{4} added in commit /);
    expect(res.outputs).toMatchObject({ 'exit-code': '1', range: `${c2}..${f1}`, 'sarif-file': 'spreeflo-scan.sarif', 'upload-sarif': 'true' });
    expect(existsSync(join(repo.dir, 'spreeflo-scan.sarif'))).toBe(true);

    const report = JSON.parse(readFileSync(res.outputs['json-report']!, 'utf8'));
    const redacted: string = report.keys[0].redacted;
    expect(res.summary).toContain('## spreeflo-scan: 1 Spreeflo API key to revoke');
    expect(res.summary).toContain(`Scanned: commits \`${c2}..${f1}\`.`);
    expect(res.summary).toContain(`| \`${redacted}\` |  | not checked | src/config.ts:1 (commit ${f1.slice(0, 12)}) |`);
    for (const text of [res.log, res.summary, readFileSync(join(repo.dir, 'spreeflo-scan.sarif'), 'utf8')]) expect(text).not.toContain(key);

    // The name --verify gives, escaped: Spreeflo's names are text, not markdown.
    report.keys[0].verification = { status: 'live', keyName: 'Zapier | sync <b>' };
    const named = renderSummary({ plan: { command: 'history', range: `${c2}..${f1}`, notes: [], fork: false }, code: 1, report });
    expect(named).toContain(`| \`${redacted}\` | Zapier \\| sync &lt;b&gt; | live |`);
  });

  it('fork pull_request: the SARIF is written but not uploaded (read-only token), and the summary says so', () => {
    const res = runnerEnv('pull_request', payload('pull_request-fork', { BASE: c2, HEAD: f1 }), { 'upload-sarif': 'true', 'sarif-file': 'fork.sarif' });
    expect(res.code, res.log).toBe(1);
    expect(res.outputs).toMatchObject({ 'exit-code': '1', 'sarif-file': 'fork.sarif', 'upload-sarif': 'false' });
    expect(res.log).toContain('::notice::SARIF not uploaded: a pull request from a fork');
    expect(res.summary).toContain('pull request #43 from the fork outsider/app');
    expect(res.summary).toContain('SARIF not uploaded');
    expect(res.summary).not.toContain(key);
  });

  it.each([
    ['push in a shallow clone: exit 2 with the fetch-depth hint, nothing run', payload('push', { BEFORE: c1, AFTER: c2 }), shallow, 2, /## spreeflo-scan failed\n\nthe previous tip .* fetch-depth: 0 needed/],
    ['a deleted branch: nothing to scan, exit 0', { ...payload('push', { BEFORE: c2, AFTER: ZERO }), deleted: true }, repo.dir, 0, /no Spreeflo API keys found\n\nScanned: nothing\.\n- refs\/heads\/main deleted/],
  ])('%s', (_name, event, workspace, code, summary) => {
    const res = runnerEnv('push', event, {}, workspace);
    expect(res.code).toBe(code);
    expect(res.outputs['exit-code']).toBe(String(code));
    expect(res.log).not.toContain('spreeflo-scan action: node');
    expect(res.summary).toMatch(summary);
  });
});
