// One suppression model in `scan`, `staged` and `history`: each form (allow comments,
// ignore-file lines, config include/exclude/allow, a baseline) gives the same outcome
// in every command, on real repositories. The forms share a repository (one per
// include set, since include scopes everything) and each command runs once on it.
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { makeV2Key } from '../support/keys.js';
import { runCli, tempDir } from '../support/cli.js';
import { TestRepo } from '../support/git.js';
import { globMatcher } from '../../src/filters/globs.js';

const sha = (key: string) => createHash('sha256').update(key).digest('hex');

interface Ctx {
  /** The form's own key (to be suppressed), its hash, and the commit that first brought it in. */
  quiet: string;
  quietSha: string;
  commit: string;
}

interface Form {
  name: string;
  /** Files holding the quiet key and, where they must still be reported, the loud one. */
  files(quiet: string, loud: string): Record<string, string>;
  /** Paths where the loud key must be reported. */
  loud: string[];
  ignore?(ctx: Ctx): string[];
  config?(ctx: Ctx): { exclude?: string[]; include?: string[]; allow?: { keys?: string[]; paths?: string[]; fingerprints?: string[] } };
  baseline?(ctx: Ctx): string[];
  reason: RegExp;
  /** `include`/`exclude`: `scan` never reads the path, so it is not even listed as suppressed. */
  scope?: true;
  /** The entry names the commit: the key brought in again by a later commit is reported. */
  commitBound?: true;
}

const IGNORED = /^(listed in|path ignored by) .*\.spreeflo-scan-ignore$/;

const FORMS: Form[] = [
  {
    name: 'allow comment on the line',
    // The next-line marker on a key's own line allows neither it nor (past the end) anything.
    files: (q, l) => ({ 'app.env': `QUIET=${q} # spreeflo-scan:allow\nLOUD=${l} # spreeflo-scan:allow-next-line\n` }),
    loud: ['app.env'],
    reason: /^spreeflo-scan:allow comment$/,
  },
  {
    name: 'allow-next-line in JSON',
    files: (q, l) => ({ 'conf/keys.json': `{\n  "//": "spreeflo-scan:allow-next-line",\n  "example": "${q}",\n  "live": "${l}"\n}\n` }),
    loud: ['conf/keys.json'],
    reason: /^spreeflo-scan:allow-next-line comment$/,
  },
  {
    name: 'allow-next-line in YAML',
    files: (q, l) => ({ 'deploy/values.yaml': `service:\n  # spreeflo-scan:allow-next-line\n  token: ${q}\n  other: ${l}\n` }),
    loud: ['deploy/values.yaml'],
    reason: /^spreeflo-scan:allow-next-line comment$/,
  },
  {
    name: 'ignore file: the key hash',
    files: (q) => ({ 'anywhere/k.txt': `k=${q}\n` }),
    loud: [],
    ignore: (c) => [c.quietSha],
    reason: IGNORED,
  },
  {
    name: 'ignore file: <keySha256>:<path>',
    files: (q, l) => ({ 'fp/one.txt': `k=${q}\n`, 'fp/two.txt': `l=${l}\n` }),
    loud: ['fp/two.txt'],
    ignore: (c) => [`${c.quietSha}:fp/one.txt`],
    reason: IGNORED,
  },
  {
    name: 'ignore file: <keySha256>:<path>:<commit>',
    files: (q) => ({ 'fpc/one.txt': `k=${q}\n` }),
    loud: [],
    ignore: (c) => [`${c.quietSha}:fpc/one.txt:${c.commit}`],
    reason: IGNORED,
    commitBound: true,
  },
  {
    name: 'ignore file: `*.pem` at any depth',
    files: (q, l) => ({ 'a/b/c/server.pem': `${q}\n`, 'server.pem.txt': `${l}\n` }),
    loud: ['server.pem.txt'],
    ignore: () => ['*.pem'],
    reason: IGNORED,
  },
  {
    name: 'ignore file: `fixtures/` is a folder at any depth',
    files: (q, l) => ({ 'test/fixtures/key.txt': `${q}\n`, 'other/fixtures': `${l}\n` }),
    loud: ['other/fixtures'],
    ignore: () => ['fixtures/'],
    reason: IGNORED,
  },
  {
    name: 'config exclude: `*.log` at any depth',
    files: (q, l) => ({ 'logs/deep/app.log': `${q}\n`, 'logs/app.log.txt': `${l}\n` }),
    loud: ['logs/app.log.txt'],
    config: () => ({ exclude: ['*.log'] }),
    reason: /^path excluded in config$/,
    scope: true,
  },
  {
    name: 'config allow.paths: a leading / anchors',
    files: (q, l) => ({ 'root-only.txt': `${q}\n`, 'sub/root-only.txt': `${l}\n` }),
    loud: ['sub/root-only.txt'],
    config: () => ({ allow: { paths: ['/root-only.txt'] } }),
    reason: /^path allowed in config$/,
  },
  {
    name: 'config allow.fingerprints',
    files: (q) => ({ 'cfp/k.txt': `${q}\n` }),
    loud: [],
    config: (c) => ({ allow: { fingerprints: [`${c.quietSha}:cfp/k.txt`] } }),
    reason: /^fingerprint allowed in config$/,
  },
  {
    name: 'config allow.keys',
    files: (q) => ({ 'ck/k.txt': `${q}\n` }),
    loud: [],
    config: (c) => ({ allow: { keys: [c.quietSha] } }),
    reason: /^key allowed in config$/,
  },
  {
    name: 'baseline (a scan report read by every command)',
    files: (q) => ({ 'bl/k.txt': `${q}\n` }),
    loud: [],
    baseline: (c) => [`${c.quietSha}:bl/k.txt`],
    reason: /^in baseline$/,
  },
  {
    name: 'config include: `src/` leaves the rest out',
    files: (q, l) => ({ 'docs/key.md': `${q}\n`, 'src/app.ts': `const k = '${l}';\n` }),
    loud: ['src/app.ts'],
    config: () => ({ include: ['src/'] }),
    reason: /^path not included in config$/,
    scope: true,
  },
];

type Command = 'scan' | 'staged' | 'history' | 'history RANGE';
const COMMANDS: Command[] = ['scan', 'staged', 'history', 'history RANGE'];

interface Report {
  findings: Array<{ keySha256: string; path: string }>;
  suppressed: Array<{ fingerprint: string; reason: string }>;
}

/**
 * One repository for `forms`, and each command's JSON report on it: the leaks are
 * committed (B), then the settings that name B; `scan` and whole `history` run; the
 * leaks are untracked and staged again for `staged`, then committed for `history D..E`.
 */
function runForms(forms: Form[], loud: string): { reports: Map<Command, Report>; quietSha: Map<Form, string> } {
  const repo = new TestRepo();
  const quiet = new Map(forms.map((f) => [f, makeV2Key()]));
  const files = Object.assign({}, ...forms.map((f) => f.files(quiet.get(f)!, loud))) as Record<string, string>;
  const commit = repo.commit('leaks', files);
  const ignore: string[] = [];
  const config = { include: [] as string[], exclude: [] as string[], allow: { keys: [] as string[], paths: [] as string[], fingerprints: [] as string[] } };
  const baseline: string[] = [];
  for (const form of forms) {
    const ctx = { quiet: quiet.get(form)!, quietSha: sha(quiet.get(form)!), commit };
    ignore.push(...(form.ignore?.(ctx) ?? []));
    const c = form.config?.(ctx) ?? {};
    config.include.push(...(c.include ?? []));
    config.exclude.push(...(c.exclude ?? []));
    for (const k of ['keys', 'paths', 'fingerprints'] as const) config.allow[k].push(...(c.allow?.[k] ?? []));
    baseline.push(...(form.baseline?.(ctx) ?? []));
  }
  repo.commit('settings', { '.spreeflo-scan-ignore': `${ignore.join('\n')}\n`, '.spreeflo-scan.yaml': JSON.stringify(config) });
  const baselineFile = join(tempDir(), 'baseline.json');
  writeFileSync(baselineFile, JSON.stringify({ findings: baseline.map((fingerprint) => ({ fingerprint })) }));
  const json = (...args: string[]): Report => {
    const run = runCli([...args, '--format', 'json', '--baseline', baselineFile], { cwd: repo.dir });
    if (run.code === 2) throw new Error(`${args.join(' ')}: ${run.stderr}`);
    return JSON.parse(run.stdout) as Report;
  };
  const reports = new Map<Command, Report>();
  reports.set('scan', json('scan'));
  reports.set('history', json('history'));
  repo.git('rm', '-r', '-q', '--cached', '--', ...Object.keys(files));
  repo.git('commit', '-q', '-m', 'untrack the leaks');
  const untracked = repo.git('rev-parse', 'HEAD');
  // New blobs: a range reports what its commits bring in, and the first ones are reachable from its base.
  repo.write(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, `${text}# again\n`])));
  repo.git('add', '--', ...Object.keys(files));
  reports.set('staged', json('staged'));
  repo.commit('bring them back');
  reports.set('history RANGE', json('history', `${untracked}..HEAD`));
  return { reports, quietSha: new Map(forms.map((f) => [f, sha(quiet.get(f)!)])) };
}

describe('one suppression model in scan, staged and history', () => {
  const loud = makeV2Key();
  const runs = new Map<Form, { reports: Map<Command, Report>; quietSha: string }>();

  beforeAll(() => {
    // include scopes every path: its form gets a repository of its own.
    const scoping = (f: Form) => (f.config?.({ quiet: '', quietSha: '', commit: '' }).include ?? []).length > 0;
    for (const forms of [FORMS.filter((f) => !scoping(f)), FORMS.filter(scoping)]) {
      const { reports, quietSha } = runForms(forms, loud);
      for (const form of forms) runs.set(form, { reports, quietSha: quietSha.get(form)! });
    }
  }, 120_000);

  it.each(FORMS.flatMap((form) => COMMANDS.map((command) => ({ form, command }))))('$form.name: $command', ({ form, command }) => {
    const { reports, quietSha } = runs.get(form)!;
    const report = reports.get(command)!;
    for (const path of form.loud) expect(report.findings.some((f) => f.keySha256 === sha(loud) && f.path === path), `loud key at ${path}`).toBe(true);
    const reported = report.findings.filter((f) => f.keySha256 === quietSha);
    const suppressed = report.suppressed.filter((s) => s.fingerprint.startsWith(quietSha));
    if (form.commitBound && command === 'history RANGE') {
      // The entry names the commit that first brought the key in; this range brings it in again.
      expect(reported.length).toBeGreaterThan(0);
      return;
    }
    expect(reported).toEqual([]);
    if (form.scope && command === 'scan') expect(suppressed).toEqual([]);
    else {
      expect(suppressed.length).toBeGreaterThan(0);
      for (const s of suppressed) expect(s.reason).toMatch(form.reason);
    }
  });
});

/** [globs, path, matches]: gitignore's rules, as every command applies them. */
const GLOBS: Array<[string[], string, boolean]> = [
  [['*.png'], 'shot.png', true],
  [['*.png'], 'a/b/shot.png', true],
  [['*.png'], 'shot.png.txt', false],
  [['*.env'], '.env', true],
  [['fixtures/'], 'fixtures/', true],
  [['fixtures/'], 'test/fixtures/key.txt', true],
  [['fixtures/'], 'fixtures', false],
  [['fixtures/'], 'fixtures-old/key.txt', false],
  [['vendor'], 'vendor', true],
  [['vendor'], 'a/vendor/lib.js', true],
  [['/top.env'], 'top.env', true],
  [['/top.env'], 'sub/top.env', false],
  [['docs/*.md'], 'docs/a.md', true],
  [['docs/*.md'], 'docs/x/a.md', false],
  [['docs/*.md'], 'pkg/docs/a.md', false],
  [['**/fixtures/**'], 'a/b/fixtures/c/d.txt', true],
  [['src/**'], 'src/a/b.ts', true],
  [['*.env', '!keep.env'], 'a/prod.env', true],
  [['*.env', '!keep.env'], 'a/keep.env', false],
  [['*.PNG'], 'shot.png', false],
  [['*.env'], '../elsewhere/prod.env', true],
  [['*.env'], '/tmp/prod.env', true],
  [[], 'anything', false],
];

describe('path globs follow gitignore rules', () => {
  it.each(GLOBS)('%j on %s: %s', async (globs, path, matches) => {
    expect((await globMatcher(globs))(path)).toBe(matches);
  });
});

describe('the fingerprint a report prints is an ignore-file line for every command', () => {
  it('history prints it, pasted it silences scan, staged and history; a blocked commit prints it', () => {
    const repo = new TestRepo();
    const key = makeV2Key();
    repo.commit('leak', { 'config/prod.env': `API_KEY=${key}\n` });
    const history = runCli(['history'], { cwd: repo.dir });
    expect(history.code).toBe(1);
    const printed = new RegExp(`^ +(${sha(key)}:config/prod\\.env(?::[0-9a-f]{40})?)$`, 'gm');
    const fromHistory = [...history.stdout.matchAll(printed)].map((m) => m[1]!);
    expect(fromHistory).toEqual([expect.stringMatching(/:[0-9a-f]{40}$/)]);

    // The key staged again: the blocked commit's message names its fingerprint and what to do with it.
    repo.git('rm', '-q', '--cached', 'config/prod.env');
    repo.git('commit', '-q', '-m', 'untrack');
    repo.git('add', 'config/prod.env');
    const blocked = runCli(['staged'], { cwd: repo.dir });
    expect(blocked.code).toBe(1);
    expect([...blocked.stdout.matchAll(printed)].map((m) => m[1])).toEqual([`${sha(key)}:config/prod.env`]);
    expect(blocked.stdout).toContain('add the fingerprint printed');

    // History's line, pasted as it is (with its commit), and committed on its own.
    repo.write({ '.spreeflo-scan-ignore': `${fromHistory[0]}\n` });
    repo.git('add', '.spreeflo-scan-ignore');
    repo.git('commit', '-q', '-m', 'accept the example key', '--', '.spreeflo-scan-ignore');
    for (const args of [['staged'], ['scan'], ['history']]) {
      const run = runCli(args, { cwd: repo.dir });
      expect({ args, code: run.code }).toEqual({ args, code: 0 });
      expect(run.stdout).toMatch(/Suppressed \d+ findings? \(listed in /);
    }
  });
});
