// Names from a repository are printed so that they can neither drive the terminal that
// shows them (escape sequences, bidi overrides) nor be read as a command by the CI
// runner whose log holds them; the JSON formats keep each name exactly.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';
import { TestRepo } from '../support/git.js';
import { forTerminal, jsonForLogs } from '../../src/report/printed.js';

/** Hostile file names, each with how the text report prints it. */
const NAMES: Array<{ what: string; name: string; shown: string }> = [
  { what: 'an ANSI colour sequence (ESC, CSI)', name: '\x1b[31mred.env', shown: '\\x1b[31mred.env' },
  { what: "an OSC window title ended by BEL", name: "\x1b]0;owned\x07t.env", shown: "\\x1b]0;owned\\x07t.env" },
  { what: 'a C1 control (single-byte CSI)', name: 'c1\u009b31m.env', shown: 'c1\\u009b31m.env' },
  { what: 'a newline', name: 'a\nb.env', shown: 'a\\nb.env' },
  { what: 'a right-to-left override', name: 'invoice\u202Etxt.env', shown: 'invoice\\u202etxt.env' },
  { what: 'a bidi isolate', name: 'x\u2066y\u2069.env', shown: 'x\\u2066y\\u2069.env' },
  { what: "GitHub's ::add-mask::", name: '::add-mask::x', shown: '\\x3a:add-mask::x' },
  { what: "GitHub's ::error with properties", name: '::error file=a::boom', shown: '\\x3a:error file=a::boom' },
  { what: "GitHub's legacy ##[error]", name: 'a ##[error]boom', shown: 'a \\x23#[error]boom' },
  { what: "Azure's ##vso[", name: '##vso[task.setvariable variable=x]1', shown: '\\x23#vso[task.setvariable variable=x]1' },
];

/** What a terminal acts on, or a CI runner reads as a command, in one line of output. */
function unsafeLines(text: string): string[] {
  return text.split('\n').filter(
    // eslint-disable-next-line no-control-regex
    (line) => /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(line) || /^\s*::/.test(line) || /##(vso)?\[/i.test(line),
  );
}

describe('forTerminal', () => {
  it.each([
    ...NAMES.map(({ name, shown }) => [name, shown]),
    ['  ::warning::x', '  \\x3a:warning::x'],
    ['\u00a0::notice::x', '\u00a0\\x3a:notice::x'],
    ['a::b', 'a::b'],
    [':one colon', ':one colon'],
    ['###[x]', '#\\x23#[x]'],
    ['##VSO[x]', '\\x23#VSO[x]'],
    ['plain/path.env', 'plain/path.env'],
  ])('%j prints as %j', (text, shown) => {
    expect(forTerminal(text)).toBe(shown);
    expect(unsafeLines(forTerminal(text))).toEqual([]);
  });
});

describe('jsonForLogs', () => {
  it.each(NAMES.map(({ what, name }) => [what, name]))('%s: the value survives exactly, nothing unsafe is printed', (_what, name) => {
    const json = jsonForLogs(JSON.stringify({ path: name }, null, 2));
    expect(JSON.parse(json).path).toBe(name);
    expect(unsafeLines(json)).toEqual([]);
  });
});

describe('hostile names in reports, the blocked-commit message and stderr', () => {
  const key = makeV2Key();
  const files = Object.fromEntries(NAMES.map(({ name }) => [name, `KEY=${key}\n`]));

  it.each([
    ['staged (the pre-commit hook)', ['staged']],
    ['history', ['history', '--no-progress']],
    ['scan', ['scan', '--no-progress', '.']],
  ])('%s: the text report escapes every name and no line is a CI command', (_what, args) => {
    const repo = new TestRepo();
    repo.write(files);
    repo.git('add', '-A');
    if (args[0] !== 'staged') repo.git('commit', '-q', '-m', 'names');
    const res = runCli(args, { cwd: repo.dir });
    expect(res.code, res.stderr).toBe(1);
    expect(unsafeLines(res.stdout)).toEqual([]);
    for (const { shown } of NAMES) expect(res.stdout).toContain(shown);
    if (args[0] === 'staged') expect(res.stdout).toContain(`staged in ${NAMES[0]!.shown}`);
  });

  it.each([
    ['staged', ['staged', '--format', 'json']],
    ['history', ['history', '--no-progress', '--format', 'json']],
    ['staged, SARIF', ['staged', '--format', 'sarif']],
  ])('%s: the JSON formats keep each git path exactly, and are safe to print', (_what, args) => {
    const repo = new TestRepo();
    repo.write(files);
    repo.git('add', '-A');
    if (args[0] === 'history') repo.git('commit', '-q', '-m', 'names');
    const res = runCli(args, { cwd: repo.dir });
    expect(res.code, res.stderr).toBe(1);
    expect(unsafeLines(res.stdout)).toEqual([]);
    expect(res.stdout.includes(key)).toBe(false);
    const report = JSON.parse(res.stdout);
    const paths = args.includes('sarif')
      ? report.runs[0].results.map((r: any) => decodeURI(r.locations[0].physicalLocation.artifactLocation.uri))
      : report.findings.map((f: any) => f.path);
    expect(new Set(paths)).toEqual(new Set(NAMES.map(({ name }) => name)));
  });

  it('the HTML report prints control and bidi characters escaped', () => {
    const repo = new TestRepo();
    repo.write(files);
    repo.git('add', '-A');
    const res = runCli(['staged', '--format', 'html'], { cwd: repo.dir });
    expect(res.code, res.stderr).toBe(1);
    // eslint-disable-next-line no-control-regex
    expect(res.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(res.stdout).toContain('invoice\\u202etxt.env');
  });

  it.each(NAMES.map(({ what, name }) => [what, name]))('an error quoting a path with %s prints it escaped on stderr', (_what, name) => {
    const res = runCli(['scan', '--no-progress', join(tempDir(), name)]);
    expect(res.code).toBe(2);
    expect(unsafeLines(res.stderr)).toEqual([]);
    // Inside the line, after the folder: a `::` there is no command.
    expect(res.stderr).toContain(forTerminal(`/${name}`));
  });

  it('the not-read list (a line per skipped path) escapes every name', () => {
    const root = tempDir();
    writeTree(root, files);
    const res = runCli(['scan', '--no-progress', '--max-file-size', '1B', root]);
    expect(unsafeLines(res.stdout)).toEqual([]);
    for (const { shown } of NAMES) expect(res.stdout).toMatch(new RegExp(`^   ${shown.replace(/[\\[\]().*+?^$|{}]/g, '\\$&')}: too large`, 'm'));
  });
});
