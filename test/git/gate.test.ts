// The gate fails closed. What could hold a key but was not read fails `staged` and
// `history RANGE` (and is listed first by audits); and a change cannot silence itself:
// suppression settings are read as approved (HEAD, the range's base), never from the
// change, which the report names for reviewers.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';
import { TestRepo } from '../support/git.js';
import { entry, gzip, rawZip, zip } from '../fixtures/documents/make.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

interface Report {
  summary: { unread: number };
  findings: Array<{ path: string; keySha256: string }>;
  skipped: Array<{ path: string; reason: string; unread: boolean }>;
  notes: string[];
}

function json(args: string[], cwd: string): { code: number; report: Report } {
  const run = runCli([...args, '--format', 'json', '--no-cache'], { cwd });
  if (run.code === 2) throw new Error(run.stderr);
  return { code: run.code, report: JSON.parse(run.stdout) };
}

/** 10,001 entries: one past the entry limit. */
function manyEntries(): Buffer {
  const files: Record<string, string> = {};
  for (let i = 0; i <= 10_000; i++) files[`f${i}.txt`] = '';
  return zip(files, { level: 0 });
}

interface UnreadCase {
  name: string;
  file: string;
  data: () => Buffer;
  /** Settings committed with the repository (the limit that stops the read). */
  config?: string;
  reason: RegExp;
}

const UNREAD: UnreadCase[] = [
  { name: 'a zip past the entry limit', file: 'many.zip', data: manyEntries, reason: /more than 10000 entries: the rest not read/ },
  { name: 'a .gz that expands past the size limit', file: 'dump.sql.gz', data: () => gzip(Buffer.alloc(64 * 1024)), config: 'maxFileSize: 4KB\n', reason: /expands past the 4 KiB limit/ },
  { name: 'containers nested too deep', file: 'deep.zip', data: () => zip({ 'b.zip': zip({ 'c.zip': zip({ 'd.zip': zip({ '.env': 'A=1\n' }) }) }) }), reason: /nested deeper than 3 containers/ },
  { name: 'an encrypted zip entry', file: 'locked.zip', data: () => rawZip([entry('secret.env', 'x', { flags: 1 })]), reason: /encrypted/ },
  { name: 'a file over the size limit', file: 'big.log', data: () => Buffer.alloc(2048, 'a'), config: 'maxFileSize: 1KB\n', reason: /too large/ },
];

describe('what was not read', () => {
  it.each(UNREAD.map((c) => [c.name, c] as const))('%s fails staged, with the reason and the opt-out', (_name, c) => {
    const repo = new TestRepo();
    repo.commit('init', { 'README.md': '# x\n', ...(c.config ? { '.spreeflo-scan.yaml': c.config } : {}) });
    repo.write({ [c.file]: c.data() });
    repo.git('add', '-A');
    const run = runCli(['staged', '--no-cache'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(c.reason);
    expect(run.stdout).toContain('could hold a key but was not read: this check fails');
    expect(run.stdout).toContain('--unread=report');
    // The opt-out lets it through, still listed.
    const optOut = json(['staged', '--unread=report'], repo.dir);
    expect(optOut.code).toBe(0);
    expect(optOut.report.skipped.some((s) => s.unread && c.reason.test(s.reason))).toBe(true);
  });

  it.each(UNREAD.map((c) => [c.name, c] as const))('%s is listed at the top of a scan, which passes', (_name, c) => {
    const root = tempDir();
    writeTree(root, { [c.file]: c.data(), ...(c.config ? { '.spreeflo-scan.yaml': c.config } : {}) });
    const run = runCli(['scan', '.', '--no-cache'], { cwd: root });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/No Spreeflo keys found/);
    expect(lines[2]).toMatch(/^Not read \(\d+\): .* could hold a key/);
    expect(lines[3]).toMatch(c.reason);
    const { code, report } = json(['scan', '.'], root);
    expect(code).toBe(0);
    expect(report.summary.unread).toBeGreaterThan(0);
    expect(report.skipped.find((s) => c.reason.test(s.reason))?.unread).toBe(true);
  });

  it('unread items come before the findings; what holds nothing is listed apart, unmarked', () => {
    const root = tempDir();
    writeTree(root, { 'locked.zip': rawZip([entry('secret.env', 'x', { flags: 1 })]), 'k.env': `K=${makeV2Key()}\n`, 'icon.png': Buffer.from('not a picture') });
    const run = runCli(['scan', '.', '--no-cache'], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stdout.indexOf('Not read (1)')).toBeLessThan(run.stdout.indexOf('Keys found'));
    const { report } = json(['scan', '.'], root);
    expect(report.skipped.find((s) => s.path === 'icon.png')?.unread).toBe(false);
    expect(report.summary.unread).toBe(1);
  });

  it('scan --unread=fail (the pre-commit framework hook) and a config key fail on it; history RANGE does by default', () => {
    const repo = new TestRepo();
    const base = repo.commit('init', { 'README.md': '# x\n' });
    repo.commit('add', { 'locked.zip': rawZip([entry('secret.env', 'x', { flags: 1 })]) });
    expect(runCli(['scan', '.', '--unread=fail'], { cwd: repo.dir }).code).toBe(1);
    expect(json(['history', `${base}..HEAD`], repo.dir).code).toBe(1);
    expect(json(['history'], repo.dir).code).toBe(0);
    repo.write({ '.spreeflo-scan.yaml': 'unread: fail\n' });
    expect(runCli(['scan', '.'], { cwd: repo.dir }).code).toBe(1);
  });

  it.each([
    ['exclude', 'exclude: ["vendor/**"]\n', '.spreeflo-scan.yaml', /path excluded in config/],
    ['allow.paths', 'allow:\n  paths: ["vendor/"]\n', '.spreeflo-scan.yaml', /path allowed in config/],
    ['an ignore-file glob', 'vendor/\n', '.spreeflo-scan-ignore', /path ignored by HEAD:\.spreeflo-scan-ignore/],
  ])('a path set aside in HEAD (%s) lets its unread content pass; set aside by the commit itself, it does not', (_how, text, file, why) => {
    const locked = rawZip([entry('secret.env', 'x', { flags: 1 })]);
    const approved = new TestRepo();
    approved.commit('init', { 'README.md': '# x\n', [file]: text });
    approved.write({ 'vendor/locked.zip': locked });
    approved.git('add', '-A');
    const { code, report } = json(['staged'], approved.dir);
    expect(code).toBe(0);
    expect(report.skipped).toContainEqual(expect.objectContaining({ path: 'vendor/locked.zip!secret.env', unread: false, reason: expect.stringMatching(why) }));
    const itself = new TestRepo();
    itself.commit('init', { 'README.md': '# x\n' });
    itself.write({ 'vendor/locked.zip': locked, [file]: text });
    itself.git('add', '-A');
    expect(json(['staged'], itself.dir).code).toBe(1);
  });

  it('pictures left unread by choice (--no-ocr) are listed, never failing', () => {
    const repo = new TestRepo();
    repo.commit('init', { 'README.md': '# x\n' });
    repo.write({ 'shot.png': Buffer.from('89504e470d0a1a0a0000000d49484452000000640000006408020000', 'hex') });
    repo.git('add', '-A');
    const { code, report } = json(['staged', '--no-ocr'], repo.dir);
    expect(code).toBe(0);
    expect(report.skipped).toContainEqual(expect.objectContaining({ path: 'shot.png', unread: false, reason: expect.stringMatching(/OCR is off/) }));
  });
});

interface Widening {
  name: string;
  /** Committed before the change in either variant. */
  before?: Record<string, string>;
  /** `commit`: the commit that added the key, in a range (a history finding's fingerprint names it). */
  widen: (key: string, commit?: string) => Record<string, string>;
  args?: string[];
  /** The file the report names as changed. */
  names: RegExp;
  /** Exit code when the widening is already approved (default 0: it suppresses). */
  approvedCode?: number;
  /** In a range, made by a later commit than the key's (it names that commit), and never approved at the base. */
  afterKey?: true;
}

const EMPTY_BASELINE = '{"findings":[]}';

const WIDENINGS: Widening[] = [
  { name: 'allow.paths **', widen: () => ({ '.spreeflo-scan.yaml': 'allow:\n  paths: ["**"]\n' }), names: /\.spreeflo-scan\.yaml/ },
  { name: 'an ignore-file line with the key hash', widen: (k) => ({ '.spreeflo-scan-ignore': `${sha(k)}\n` }), names: /\.spreeflo-scan-ignore/ },
  { name: 'an ignore-file path glob', widen: () => ({ '.spreeflo-scan-ignore': 'app/\n' }), names: /\.spreeflo-scan-ignore/ },
  {
    name: 'a baseline edit',
    before: { 'baseline.json': EMPTY_BASELINE },
    widen: (k, commit) => ({ 'baseline.json': JSON.stringify({ findings: [{ fingerprint: [sha(k), 'app/.env', commit].filter(Boolean).join(':') }] }) }),
    args: ['--baseline', 'baseline.json'],
    names: /baseline baseline\.json/,
    // A range's findings carry their new commit, which no baseline at the base can hold.
    afterKey: true,
  },
  // Approved, it leaves the file unread: the key is not reported, and the gate fails on the unread file.
  { name: 'maxFileSize 1B', widen: () => ({ '.spreeflo-scan.yaml': 'maxFileSize: 1B\n' }), names: /\.spreeflo-scan\.yaml/, approvedCode: 1 },
  { name: 'a new exclude', widen: () => ({ '.spreeflo-scan.yaml': 'exclude: ["app/**"]\n' }), names: /\.spreeflo-scan\.yaml/ },
];

type Mode = 'staged' | 'range';

/** The key in app/.env, the widening in the change itself or (approved) already committed before it. */
function run(mode: Mode, w: Widening, approved: boolean): { code: number; report: Report } {
  const repo = new TestRepo();
  const key = makeV2Key();
  const base = repo.commit('base', { 'README.md': '# x\n', ...(w.before ?? {}), ...(approved ? w.widen(key) : {}) });
  const change = { 'app/.env': `KEY=${key}\n`, ...(approved ? {} : w.widen(key)) };
  if (mode === 'staged') {
    repo.write(change);
    repo.git('add', '-A');
    return json(['staged', ...(w.args ?? [])], repo.dir);
  }
  if (w.afterKey && !approved) {
    const keyCommit = repo.commit('key', { 'app/.env': change['app/.env'] });
    repo.commit('widen', w.widen(key, keyCommit));
  } else repo.commit('change', change);
  return json(['history', `${base}..HEAD`, ...(w.args ?? [])], repo.dir);
}

const MODES: Mode[] = ['staged', 'range'];
const table = (approved: boolean) =>
  WIDENINGS.flatMap((w) => MODES.filter((m) => !(approved && m === 'range' && w.afterKey)).map((m) => [`${w.name} (${m})`, m, w] as const));

describe('a change cannot silence itself', () => {
  it.each(table(false))('%s in the change still fails, and the report names it', (_name, mode, w) => {
    const { code, report } = run(mode, w, false);
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.path)).toContain('app/.env');
    expect(report.notes.join('\n')).toMatch(w.names);
  });

  it.each(table(true))('%s already approved suppresses', (_name, mode, w) => {
    const { code, report } = run(mode, w, true);
    expect(report.findings).toEqual([]);
    expect(code).toBe(w.approvedCode ?? 0);
  });

  it('a first commit (no HEAD) goes by the index', () => {
    const repo = new TestRepo();
    const key = makeV2Key();
    repo.write({ 'app/.env': `KEY=${key}\n`, '.spreeflo-scan-ignore': 'app/\n' });
    repo.git('add', '-A');
    expect(json(['staged'], repo.dir).code).toBe(0);
  });

  it('staged never reads the work tree settings; --config and --ignore-file apply as given', () => {
    const repo = new TestRepo();
    const key = makeV2Key();
    repo.commit('init', { 'README.md': '# x\n' });
    repo.write({ 'app/.env': `KEY=${key}\n` });
    repo.git('add', '-A');
    repo.write({ '.spreeflo-scan-ignore': 'app/\n', 'cfg.yaml': 'allow:\n  paths: ["app/**"]\n' });
    expect(json(['staged'], repo.dir).code).toBe(1);
    expect(json(['staged', '--ignore-file', '.spreeflo-scan-ignore'], repo.dir).code).toBe(0);
    expect(json(['staged', '--config', join(repo.dir, 'cfg.yaml')], repo.dir).code).toBe(0);
  });
});
