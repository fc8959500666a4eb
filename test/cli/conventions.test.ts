// CLI conventions: `version`, --quiet, the stderr summary of a report written to a file,
// FORCE_COLOR and NO_COLOR, --files-from, and shell completion scripts.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';
import { TestRepo } from '../support/git.js';
import { useColor } from '../../src/cli/color.js';

const ESC = '\x1b[';

describe('version', () => {
  it('`version` prints what --version prints', () => {
    const [command, flag] = [runCli(['version']), runCli(['--version'])];
    expect(command.code).toBe(0);
    expect(command.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    expect(command.stdout).toBe(flag.stdout);
  });
});

describe('--quiet', () => {
  const key = makeV2Key();
  // b.env's key is suppressed: the full report says so, a quiet one does not.
  const leaky = { 'a.env': `K=${key}\n`, 'b.env': `K=${key} # spreeflo-scan:allow\n` };
  it.each([
    // [name, files, args, exit code, stdout test]
    ['a clean scan prints nothing', { 'a.txt': 'hi\n' }, ['scan', '-q'], 0, (out: string) => expect(out).toBe('')],
    ['a clean history prints nothing', null, ['history', '--quiet'], 0, (out: string) => expect(out).toBe('')],
    ['a format for tools is still written', { 'a.txt': 'hi\n' }, ['scan', '-q', '-f', 'json'], 0, (out: string) => expect(JSON.parse(out).findings).toEqual([])],
    [
      'a key: the summary, the places with fingerprints and what to do, not the notes',
      leaky,
      ['scan', '-q'],
      1,
      (out: string) => {
        expect(out).toMatch(/^✖ 1 Spreeflo key found in 1 place/);
        expect(out).toMatch(/a\.env:1:3\n\s+\S+:a\.env/);
        expect(out).toContain('add the fingerprint printed under it');
        expect(out).not.toMatch(/Suppressed|Note:|Skipped/);
        expect(out).not.toContain(key);
      },
    ],
  ] as const)('%s', (_name, files, args, code, check) => {
    const root = files ? tempDir() : new TestRepo().dir;
    if (files) writeTree(root, files);
    const run = runCli([...args], { cwd: root });
    expect(run.code, run.stderr).toBe(code);
    expect(run.stderr).toBe('');
    check(run.stdout);
  });

  it('staged: a blocked commit keeps its message', () => {
    const repo = new TestRepo();
    repo.commit('init', { 'README.md': 'hi\n' });
    repo.write({ 'config.env': `K=${key}\n` });
    repo.git('add', 'config.env');
    const run = runCli(['staged', '-q'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✖ 1 Spreeflo key/);
    expect(run.stdout).toContain('Commit blocked: a Spreeflo API key is staged in config.env.');
  });
});

describe('--output: one line on stderr', () => {
  it.each([
    ['keys found', { 'a.env': `K=${makeV2Key()}\n` }, ['-f', 'sarif', '-o', 'r.sarif'], 1, '✖ 1 Spreeflo key found in 1 place; report written to r.sarif\n'],
    ['clean', { 'a.txt': 'hi\n' }, ['-o', 'r.txt', '--json-output', 'r.json'], 0, '✔ No Spreeflo keys found; reports written to r.txt, r.json\n'],
    ['clean and quiet', { 'a.txt': 'hi\n' }, ['-q', '-o', 'r.txt'], 0, ''],
    ['keys found and quiet', { 'a.env': `K=${makeV2Key()}\n` }, ['-q', '-o', 'r.txt'], 1, '✖ 1 Spreeflo key found in 1 place; report written to r.txt\n'],
  ] as const)('%s', (_name, files, args, code, stderr) => {
    const root = tempDir();
    writeTree(root, files);
    const run = runCli(['scan', ...Object.keys(files), ...args], { cwd: root });
    expect(run.code).toBe(code);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(stderr);
    // The file holds the whole report, never coloured.
    expect(readFileSync(join(root, args[args.indexOf('-o') + 1]!), 'utf8')).not.toContain(ESC);
  });
});

describe('colour', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it.each([
    ['a terminal', tty, undefined, {}, true],
    ['a pipe', pipe, undefined, {}, false],
    ['--no-color', tty, false, {}, false],
    ['NO_COLOR', tty, undefined, { NO_COLOR: '1' }, false],
    ['NO_COLOR empty is unset', tty, undefined, { NO_COLOR: '' }, true],
    ['FORCE_COLOR=1 on a pipe', pipe, undefined, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR=3 on a pipe', pipe, undefined, { FORCE_COLOR: '3' }, true],
    ['FORCE_COLOR=0 on a terminal', tty, undefined, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false on a terminal', tty, undefined, { FORCE_COLOR: 'false' }, false],
    ['NO_COLOR beats FORCE_COLOR', pipe, undefined, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
    ['--no-color beats FORCE_COLOR', pipe, false, { FORCE_COLOR: '1' }, false],
    ['TERM=dumb', tty, undefined, { TERM: 'dumb' }, false],
  ] as const)('%s', (_name, stream, flag, env, expected) => {
    expect(useColor(stream, flag, env)).toBe(expected);
  });

  it('FORCE_COLOR colours the report on a pipe and the summary on stderr', () => {
    const root = tempDir();
    writeTree(root, { 'a.env': `K=${makeV2Key()}\n` });
    const env = { NO_COLOR: '', FORCE_COLOR: '1' };
    expect(runCli(['scan', 'a.env'], { cwd: root, env }).stdout).toContain(ESC);
    expect(runCli(['scan', 'a.env', '-o', 'r.txt'], { cwd: root, env }).stderr).toContain(ESC);
  });
});

describe('--files-from', () => {
  const key = makeV2Key();
  const files = { 'a.env': `K=${key}\n`, 'b.txt': 'hi\n', 'dir/c.env': `K=${key}\n`, 'other.env': `K=${key}\n` };
  it.each([
    ['a file, one path a line', (root: string) => (writeFileSync(join(root, 'list'), 'a.env\nb.txt\ndir\n'), ['--files-from', 'list']), '', 1, ['a.env', 'dir/c.env'], []],
    ['standard input', () => ['--files-from', '-'], 'b.txt\ndir/c.env\n', 1, ['dir/c.env'], []],
    ['NUL-separated (-z), names with newlines', (root: string) => (writeTree(root, { 'new\nline.env': `K=${key}\n` }), ['-z', '--files-from', '-']), 'new\nline.env\0b.txt\0', 1, ['new\\nline.env'], []],
    ['with path arguments too', () => ['a.env', '--files-from', '-'], 'b.txt\n', 1, ['a.env'], []],
    ['an empty list scans nothing', () => ['--files-from', '-'], '', 0, [], []],
    ['a missing path fails the run', () => ['--files-from', '-'], 'b.txt\ngone.env\n', 1, [], ['gone.env']],
    ['--unread report lets a missing path pass', () => ['--unread', 'report', '--files-from', '-'], 'gone.env\n', 0, [], ['gone.env']],
  ] as const)('%s', (_name, setup, input, code, found, missing) => {
    const root = tempDir();
    writeTree(root, files);
    const run = runCli(['scan', ...setup(root), '-f', 'json'], { cwd: root, input });
    expect(run.code, run.stderr).toBe(code);
    const report = JSON.parse(run.stdout);
    expect([...new Set(report.findings.map((f: { path: string }) => f.path))].sort()).toEqual([...found].sort());
    expect(report.skipped.filter((s: { reason: string }) => s.reason.startsWith('listed in --files-from')).map((s: { path: string }) => s.path)).toEqual(missing);
  });

  it.each([
    ['an unreadable list', ['--files-from', 'nope'], /^spreeflo-scan: cannot read --files-from nope: not found\n$/],
    ['stdin twice', ['-', '--files-from', '-'], /standard input \(-\) can be named once/],
    ['-z without a list', ['-z'], /-z \(--null\) says how a --files-from list is separated/],
  ])('%s is a usage error', (_name, args, message) => {
    const run = runCli(['scan', ...args], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

describe('completion', () => {
  const commands = ['scan', 'staged', 'init', 'history', 'audit', 'merge', 'version', 'completion'];
  const options = ['--format', '--quiet', '--files-from', '--no-ocr', '--uninstall', '--all-staged', '--repos', '--shard', '--carry-keys'];
  it.each([
    // [shell, how a command's own completions start, lines the script holds]
    ['bash', (name: string) => `      ${name}) COMPREPLY=`, ['complete -o default -F _spreeflo_scan spreeflo-scan', "'text json sarif html'"]],
    ['zsh', (name: string) => `    ${name}) _arguments`, ['#compdef spreeflo-scan', "'--format[report format]:value:(text json sarif html)'"]],
    ['fish', (name: string) => `-n __fish_use_subcommand -a ${name} -d`, ["complete -c spreeflo-scan -n '__fish_seen_subcommand_from scan' -s f -l format -d 'report format' -x -a 'text json sarif html'"]],
  ] as const)('%s: every command and a few options', (shell, entry, lines) => {
    const run = runCli(['completion', shell]);
    expect(run.code).toBe(0);
    for (const name of commands) expect(run.stdout).toContain(entry(name));
    const long = (o: string) => (shell === 'fish' ? `-l ${o.slice(2)}` : o);
    for (const option of options) expect(run.stdout).toContain(long(option));
    for (const line of lines) expect(run.stdout).toContain(line);
    // Syntax: bash is always there; zsh and fish are checked where installed.
    const script = join(tempDir(), `completion.${shell}`);
    writeFileSync(script, run.stdout);
    const check = spawnSync(shell, ['-n', script], { encoding: 'utf8' });
    if (shell !== 'bash' && (check.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return;
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('an unknown shell is a usage error', () => {
    expect(runCli(['completion', 'tcsh']).code).toBe(2);
  });
});
