// Every setting the README documents, proven in each command it applies to: one repository,
// three configs (none, one holding every setting, and one for the settings whose other
// value is the effect), each command run once per config. A row compares two of those runs.
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeTree, type JsonFinding } from '../support/cli.js';
import { TestRepo } from '../support/git.js';
import { makeV2Key } from '../support/keys.js';
import { ALLOW_KEYS, CONFIG_KEYS } from '../../src/config.js';

type Command = 'scan' | 'staged' | 'history';
type Variant = 'none' | 'every' | 'other';
interface Report {
  findings: JsonFinding[];
  suppressed: Array<{ path: string; reason: string }>;
  skipped: Array<{ path: string; reason: string }>;
  keys: Array<{ redacted: string; verification: { probableName?: string } }>;
}
interface Run {
  json: Report;
  text: string;
}

const sha = (key: string) => createHash('sha256').update(key).digest('hex');
const keys = Object.fromEntries(
  ['outside', 'vendor', 'allowed', 'example', 'fingerprint', 'named', 'ignored', 'link', 'deps'].map((k) => [k, makeV2Key()]),
) as Record<string, string>;
// A 1x1 PNG: too small to hold a key, told from its header, so OCR's verdict costs no engine start.
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const EVERY = [
  'rules: [rules/]',
  'include: ["src/", "vendor/", "ignored/", "links/", "node_modules/"]',
  'exclude: ["vendor/"]',
  'gitignore: true',
  'followSymlinks: true',
  'includeDeps: true',
  'maxFileSize: 2KB',
  'ocr: false',
  'unread: fail',
  'allow:',
  `  keys: [${sha(keys.allowed!)}]`,
  '  paths: ["src/examples/"]',
  `  fingerprints: ["${sha(keys.fingerprint!)}:src/fp.env"]`,
  'inventory:',
  `  - { name: Zapier sync, last4: "${keys.named!.slice(-4)}" }`,
].join('\n');
const OTHER = 'ocr: true\nunread: report\nmaxFileSize: 2KB\n';

const found = (r: Run, path: string) => r.json.findings.some((f) => f.path === path);
const suppressed = (r: Run, path: string, reason: RegExp) => r.json.suppressed.some((s) => s.path === path && reason.test(s.reason));
const skipped = (r: Run, path: string, reason: RegExp) => r.json.skipped.some((s) => s.path.startsWith(path) && reason.test(s.reason));
const gateFails = (r: Run) => r.text.includes('this check fails');

interface Row {
  /** The setting, as the README names it (`allow.keys` for a nested one). */
  key: string;
  commands: Command[];
  /** The run where the setting has its effect, and the one where it does not. */
  on: Variant;
  off: Variant;
  effect: (run: Run, command: Command) => boolean;
}

const ALL: Command[] = ['scan', 'staged', 'history'];
const rows: Row[] = [
  { key: 'rules', commands: ALL, on: 'every', off: 'none', effect: (r) => r.json.findings.some((f) => f.rule === 'internal-token' && f.path === 'src/custom.txt') },
  // scan never reads what include leaves out; staged and history list it as suppressed.
  { key: 'include', commands: ['scan'], on: 'every', off: 'none', effect: (r) => !found(r, 'outside/leak.env') },
  { key: 'include', commands: ['staged', 'history'], on: 'every', off: 'none', effect: (r) => suppressed(r, 'outside/leak.env', /not included in config/) },
  { key: 'exclude', commands: ['scan'], on: 'every', off: 'none', effect: (r) => !found(r, 'vendor/leak.env') },
  { key: 'exclude', commands: ['staged', 'history'], on: 'every', off: 'none', effect: (r) => suppressed(r, 'vendor/leak.env', /excluded in config/) },
  { key: 'gitignore', commands: ['scan'], on: 'every', off: 'none', effect: (r) => !found(r, 'ignored/leak.env') },
  { key: 'followSymlinks', commands: ['scan'], on: 'every', off: 'none', effect: (r) => found(r, 'links/out.env') },
  { key: 'includeDeps', commands: ['scan'], on: 'every', off: 'none', effect: (r) => found(r, 'node_modules/pkg/leak.env') },
  { key: 'maxFileSize', commands: ALL, on: 'every', off: 'none', effect: (r) => skipped(r, 'src/big.txt', /too large/) },
  // On by default in scan and staged: false lists the picture as not read for its pixels.
  { key: 'ocr', commands: ['scan', 'staged'], on: 'every', off: 'none', effect: (r) => skipped(r, 'src/tiny.png', /OCR is off/) },
  // Off by default in history: true reads pixels (this picture's header says it is too small).
  { key: 'ocr', commands: ['history'], on: 'other', off: 'none', effect: (r) => skipped(r, 'src/tiny.png', /too small/) },
  // The big file is unread in both runs: the setting decides whether that fails the check.
  { key: 'unread', commands: ['scan', 'history'], on: 'every', off: 'other', effect: gateFails },
  { key: 'unread', commands: ['staged'], on: 'other', off: 'every', effect: (r) => !gateFails(r) && r.text.includes('Not read (1)') },
  { key: 'allow.keys', commands: ALL, on: 'every', off: 'none', effect: (r) => suppressed(r, 'src/allowed.env', /./) && !found(r, 'src/allowed.env') },
  { key: 'allow.paths', commands: ALL, on: 'every', off: 'none', effect: (r) => suppressed(r, 'src/examples/leak.env', /./) && !found(r, 'src/examples/leak.env') },
  { key: 'allow.fingerprints', commands: ALL, on: 'every', off: 'none', effect: (r) => suppressed(r, 'src/fp.env', /./) && !found(r, 'src/fp.env') },
  { key: 'inventory', commands: ALL, on: 'every', off: 'none', effect: (r) => r.json.keys.some((k) => k.verification.probableName === 'Zapier sync') },
];

const runs = new Map<string, Run>();
const runKey = (command: Command, variant: Variant) => `${command}/${variant}`;

beforeAll(() => {
  const repo = new TestRepo();
  const elsewhere = tempDir();
  const configs = tempDir();
  writeFileSync(join(configs, 'none.yaml'), '{}\n');
  writeFileSync(join(configs, 'other.yaml'), OTHER);
  writeTree(elsewhere, { 'out.env': `KEY=${keys.link}\n` });
  const settings = {
    '.spreeflo-scan.yaml': `${EVERY}\n`,
    '.gitignore': 'ignored/\n',
    'rules/internal.yaml': ['id: internal-token', 'name: Internal token', 'prefilter: ["itk_"]', "pattern: 'itk_[a-z]{10}'", 'examples:', '  positive: ["itk_abcdefghij"]', '  negative: ["itk_short"]'].join('\n'),
  };
  // staged reads the config as committed in HEAD.
  repo.commit('settings', settings);
  repo.write({
    'src/custom.txt': 'token itk_qwertyuiop here\n',
    'outside/leak.env': `KEY=${keys.outside}\n`,
    'vendor/leak.env': `KEY=${keys.vendor}\n`,
    'src/allowed.env': `KEY=${keys.allowed}\n`,
    'src/examples/leak.env': `KEY=${keys.example}\n`,
    'src/fp.env': `KEY=${keys.fingerprint}\n`,
    'src/named.env': `KEY=${keys.named}\n`,
    'src/big.txt': 'x'.repeat(3000),
    'src/tiny.png': TINY_PNG,
  });
  repo.git('add', '-A');
  // What only scan reads: never staged or committed.
  repo.write({ 'ignored/leak.env': `KEY=${keys.ignored}\n`, 'node_modules/pkg/leak.env': `KEY=${keys.deps}\n` });
  repo.write({ 'links/.keep': '' });
  symlinkSync(join(elsewhere, 'out.env'), join(repo.dir, 'links', 'out.env'));
  const run = (command: Command, variant: Variant) => {
    const json = join(configs, `${command}-${variant}.json`);
    const args = [command, ...(command === 'scan' ? ['.'] : []), '--json-output', json, ...(variant === 'every' ? [] : ['--config', join(configs, `${variant}.yaml`)])];
    const res = runCli(args, { cwd: repo.dir });
    if (res.code === 2) throw new Error(`${args.join(' ')}: ${res.stderr}`);
    runs.set(runKey(command, variant), { json: JSON.parse(readFileSync(json, 'utf8')), text: res.stdout });
  };
  for (const variant of ['none', 'every', 'other'] as const) for (const command of ['scan', 'staged'] as const) run(command, variant);
  repo.git('commit', '-q', '-m', 'leaks');
  for (const variant of ['none', 'every', 'other'] as const) run('history', variant);
});

describe('every documented config setting has its effect in each command it applies to', () => {
  it.each(rows.flatMap((row) => row.commands.map((command) => [row.key, command, row] as const)))('%s in %s', (_key, command, row) => {
    expect(row.effect(runs.get(runKey(command, row.on))!, command)).toBe(true);
    expect(row.effect(runs.get(runKey(command, row.off))!, command)).toBe(false);
  });

  it('no key is ever printed whole', () => {
    for (const run of runs.values()) for (const key of Object.values(keys)) expect(run.text + JSON.stringify(run.json)).not.toContain(key);
  });
});

/** The settings the README's Configuration section lists, and whether it marks each "scan only". */
function documented(): Map<string, { scanOnly: boolean }> {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration: `.spreeflo-scan.yaml`'));
  const block = section.slice(section.indexOf('```yaml') + 7, section.indexOf('```', section.indexOf('```yaml') + 7));
  const settings = new Map<string, { scanOnly: boolean }>();
  let parent = '';
  for (const line of block.split('\n')) {
    const m = /^( *)([A-Za-z]+):/.exec(line);
    if (!m) continue;
    if (m[1] === '') parent = m[2]!;
    const name = m[1] === '' ? m[2]! : `${parent}.${m[2]}`;
    settings.set(name, { scanOnly: /\(scan only\)/.test(line) });
  }
  return settings;
}

describe("the README's settings are the parser's", () => {
  it('the same names, top level and under allow', () => {
    const names = [...documented().keys()];
    expect(names.filter((n) => !n.includes('.')).sort()).toEqual([...CONFIG_KEYS].sort());
    expect(names.filter((n) => n.startsWith('allow.')).sort()).toEqual(ALLOW_KEYS.map((k) => `allow.${k}`).sort());
  });

  it('each documented setting has rows for exactly the commands the README says it applies to', () => {
    for (const [name, { scanOnly }] of documented()) {
      if (name === 'allow' || name.startsWith('inventory.')) continue;
      const commands = new Set(rows.filter((r) => r.key === name).flatMap((r) => r.commands));
      expect([...commands].sort(), name).toEqual(scanOnly ? ['scan'] : ['history', 'scan', 'staged']);
    }
  });
});

describe('a setting the parser does not know, or of the wrong type, is an error naming the file and the setting', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a typo', 'ocrr: false\n', /\.spreeflo-scan\.yaml: unknown setting "ocrr" \(did you mean "ocr"\?\)/],
    ['a typo in case', 'maxfilesize: 1MB\n', /unknown setting "maxfilesize" \(did you mean "maxFileSize"\?\)/],
    ['a name nothing is near', 'telemetry: true\n', /unknown setting "telemetry"; known: rules, include/],
    ['a typo under allow', 'allow: { path: [docs/] }\n', /allow: unknown setting "path" \(did you mean "paths"\?\)/],
    ['a boolean as a string', 'ocr: "no"\n', /\.spreeflo-scan\.yaml: ocr must be true or false, not "no"/],
    ['a boolean as a word YAML keeps as text', 'gitignore: yes\n', /gitignore must be true or false, not "yes"/],
    ['a list as one string', 'exclude: vendor/\n', /exclude must be a list of strings, not "vendor\/"/],
    ['allow as a list', 'allow: [docs/]\n', /allow must be a mapping/],
    ['an unknown unread mode', 'unread: ignore\n', /unread must be fail or report, not "ignore"/],
    ['a size that is not one', 'maxFileSize: huge\n', /maxFileSize: "huge" is not a size/],
  ];
  it.each(cases)('%s', (_name, text, message) => {
    const root = tempDir();
    writeTree(root, { '.spreeflo-scan.yaml': text });
    const res = runCli(['scan', '.'], { cwd: root });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('staged refuses a committed config with an unknown setting too', () => {
    const repo = new TestRepo();
    repo.commit('settings', { '.spreeflo-scan.yaml': 'ocrr: false\n' });
    repo.write({ 'a.txt': 'hello\n' });
    repo.git('add', '-A');
    const res = runCli(['staged'], { cwd: repo.dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/HEAD:\.spreeflo-scan\.yaml: unknown setting "ocrr" \(did you mean "ocr"\?\)/);
  });
});
