// Keys in names: a file, folder, archive entry, staged path or history path named
// after a key is a finding, and no report format, skipped list or error prints the
// name whole (unless --show-secrets).
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeV1Key, makeV2Key } from '../support/keys.js';
import { runCli, tempDir, writeTree, type CliRun } from '../support/cli.js';
import { TestRepo } from '../support/git.js';
import { docx, zip } from '../fixtures/documents/make.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
/** How a report shows a v2 key: `sfk_` and four characters, an ellipsis, the last four. */
const masked = (key: string) => `${key.slice(0, 8)}…${key.slice(-4)}`;

interface Place {
  what: string;
  /** Builds the input around `key`; returns the command and the folder to run it in. */
  make: (key: string) => { args: string[]; cwd?: string };
  /** The name finding, with `K` standing for the masked key. */
  expect: { source: string; path: string; entry?: string; column: number };
}

function scanOf(files: (key: string) => Record<string, string | Buffer>): Place['make'] {
  return (key) => {
    const root = tempDir();
    writeTree(root, files(key));
    return { args: ['scan', '--no-progress', '--no-ocr', root] };
  };
}

const PLACES: Place[] = [
  { what: 'a file name', make: scanOf((k) => ({ [`creds_${k}.txt`]: 'nothing here\n' })), expect: { source: 'file', path: 'creds_K.txt', column: 7 } },
  {
    what: 'a folder name (one place for all it holds)',
    make: scanOf((k) => ({ [`keys/${k}/a.txt`]: 'a\n', [`keys/${k}/b.txt`]: 'b\n' })),
    expect: { source: 'file', path: 'keys/K', column: 6 },
  },
  {
    what: 'a zip entry name',
    make: scanOf((k) => ({ 'bundle.zip': zip({ [`conf/prod-${k}.env`]: 'X=1\n' }) })),
    expect: { source: 'document', path: 'bundle.zip', entry: 'conf/prod-K.env', column: 11 },
  },
  {
    what: 'a folder inside a zip inside a zip',
    make: scanOf((k) => ({ 'outer.zip': zip({ 'inner.zip': zip({ [`${k}/a.txt`]: 'a\n', [`${k}/b.txt`]: 'b\n' }) }) })),
    expect: { source: 'document', path: 'outer.zip', entry: 'inner.zip!K', column: 11 },
  },
  {
    what: 'an office part name',
    make: scanOf((k) => ({ 'deck.docx': docx(['hello'], { media: { [`${k}.png`]: Buffer.from('not a picture') } }) })),
    expect: { source: 'document', path: 'deck.docx', entry: 'word/media/K.png', column: 12 },
  },
  {
    what: 'the path of a skipped file (a broken symlink)',
    make: (key) => {
      const root = tempDir();
      symlinkSync(join(root, 'missing'), join(root, `link-${key}`));
      return { args: ['scan', '--no-progress', root] };
    },
    expect: { source: 'file', path: 'link-K', column: 6 },
  },
  {
    what: 'a staged path',
    make: (key) => {
      const repo = new TestRepo();
      repo.write({ [`env/${key}.env`]: 'X=1\n' });
      repo.git('add', '-A');
      return { args: ['staged', '--no-progress'], cwd: repo.dir };
    },
    expect: { source: 'staged', path: 'env/K.env', column: 5 },
  },
  {
    what: 'a staged pure rename (no content changes)',
    make: (key) => {
      const repo = new TestRepo();
      repo.commit('base', { 'notes.txt': 'clean\n' });
      repo.git('mv', 'notes.txt', `notes-${key}.txt`);
      return { args: ['staged', '--no-progress'], cwd: repo.dir };
    },
    expect: { source: 'staged', path: 'notes-K.txt', column: 7 },
  },
  {
    what: 'an empty staged file',
    make: (key) => {
      const repo = new TestRepo();
      repo.commit('base', { 'README.md': 'hello\n' });
      repo.write({ [`empty_${key}`]: '' });
      repo.git('add', '-A');
      return { args: ['staged', '--no-progress'], cwd: repo.dir };
    },
    expect: { source: 'staged', path: 'empty_K', column: 7 },
  },
  {
    what: 'a history path whose blob is clean, deleted since',
    make: (key) => {
      const repo = new TestRepo();
      repo.commit('base', { 'README.md': 'hello\n' });
      repo.commit('add', { [`backup_${key}.sql`]: 'clean\n' });
      repo.commit('remove', { [`backup_${key}.sql`]: null });
      return { args: ['history', '--no-progress'], cwd: repo.dir };
    },
    expect: { source: 'history', path: 'backup_K.sql', column: 8 },
  },
];

type Format = 'text' | 'json' | 'sarif' | 'html';
const FORMATS: Format[] = ['text', 'json', 'sarif', 'html'];

/** Runs in `format`, sarif and html into a file; returns everything the run printed or wrote. */
function run(args: string[], cwd: string | undefined, format: Format): CliRun & { printed: string } {
  const out = join(tempDir('sfscan-out-'), `report.${format}`);
  const toFile = format === 'sarif' || format === 'html';
  const res = runCli([...args, '--format', format, ...(toFile ? ['--output', out] : [])], { cwd });
  return { ...res, printed: res.stdout + res.stderr + (toFile ? readFileSync(out, 'utf8') : '') };
}

describe('a key in a name', () => {
  describe.each(PLACES)('$what', (place) => {
    const key = makeV2Key();
    const { args, cwd } = place.make(key);

    it.each(FORMATS)('is found and never printed whole (%s)', (format) => {
      const res = run(args, cwd, format);
      expect(res.code, res.stderr).toBe(1);
      expect(res.printed.includes(key), 'the whole key is printed').toBe(false);
      expect(res.printed.includes(key.slice(8, -4)), 'the middle of the key is printed').toBe(false);
    });

    it('is a finding at the name, marked inName, line 0 and the column in the name', () => {
      const res = run(args, cwd, 'json');
      const found = JSON.parse(res.stdout).findings.filter((f: any) => f.inName);
      const K = masked(key);
      expect(found.map((f: any) => ({ source: f.source, path: f.path, entry: f.entry, column: f.column, line: f.line, key: f.keySha256 }))).toEqual([
        {
          source: place.expect.source,
          path: place.expect.path.replace('K', K),
          entry: place.expect.entry?.replace('K', K),
          column: place.expect.column,
          line: 0,
          key: sha(key),
        },
      ]);
      expect(found[0].fingerprint.includes(key)).toBe(false);
    });
  });

  it('with --show-secrets the name is shown whole; the fingerprint stays masked', () => {
    const key = makeV2Key();
    const root = tempDir();
    writeTree(root, { [`creds_${key}.txt`]: 'x\n' });
    const res = runCli(['scan', '--no-progress', root, '--format', 'json', '--show-secrets']);
    const [f] = JSON.parse(res.stdout).findings;
    expect(f.path === `creds_${key}.txt`).toBe(true);
    expect(f.fingerprint).toBe(`${sha(key)}:creds_${masked(key)}.txt`);
  });

  it('the same key in a name and in the content is one key in two places', () => {
    const key = makeV2Key();
    const root = tempDir();
    writeTree(root, { [`${key}.env`]: `KEY=${key}\n` });
    const report = JSON.parse(runCli(['scan', '--no-progress', root, '--format', 'json']).stdout);
    expect(report.summary).toMatchObject({ keys: 1, findings: 2 });
    expect(report.keys[0].places.map((p: any) => [p.line, p.inName ?? false])).toEqual([
      [0, true],
      [1, false],
    ]);
  });

  it('a v1 key in a name is found too, `_` counting as a delimiter there', () => {
    const key = makeV1Key();
    const root = tempDir();
    writeTree(root, { [`dump_${key}_2024.sql`]: 'x\n' });
    const res = runCli(['scan', '--no-progress', root, '--format', 'json']);
    expect(res.stdout.includes(key)).toBe(false);
    expect(JSON.parse(res.stdout).findings.map((f: any) => [f.keySha256, f.column])).toEqual([[sha(key), 6]]);
  });

  it('a baseline made from the report suppresses the name finding (fingerprints are stable)', () => {
    const key = makeV2Key();
    const root = tempDir();
    writeTree(root, { [`creds_${key}.txt`]: 'x\n' });
    const baseline = join(tempDir('sfscan-out-'), 'baseline.json');
    runCli(['scan', '--no-progress', root, '--format', 'json', '--output', baseline]);
    const res = runCli(['scan', '--no-progress', root, '--baseline', baseline]);
    expect(res.code, res.stdout).toBe(0);
  });

  it('--write-redacted names the copy of a picture named after a key with the masked name', () => {
    const key = makeV2Key();
    const root = tempDir();
    copyFileSync(resolve('test/fixtures/images/000-settings-light.png'), join(root, `shot_${key}.png`));
    const outDir = join(tempDir('sfscan-redacted-'), 'copies');
    const res = runCli(['scan', root, '--write-redacted', outDir, '--no-cache', '--format', 'json', '--no-progress']);
    expect(res.code).toBe(1);
    expect((res.stdout + res.stderr).includes(key)).toBe(false);
    expect(readdirSync(outDir)).toEqual([`shot_${masked(key)}.png`]);
    expect(runCli(['scan', outDir, '--no-cache', '--no-progress']).code).toBe(0);
  });

  it('an error that quotes a path masks the key in it', () => {
    const key = makeV2Key();
    const res = runCli(['scan', '--no-progress', join(tempDir(), `missing-${key}.txt`)]);
    expect(res.code).toBe(2);
    expect(res.stderr.includes(key)).toBe(false);
    expect(res.stderr).toContain(`missing-${masked(key)}.txt`);
  });

  it('staged: a name HEAD already has is history\'s business unless --all-staged', () => {
    const key = makeV2Key();
    const repo = new TestRepo();
    repo.commit('old', { [`${key}/notes.txt`]: 'one\n' });
    writeFileSync(join(repo.dir, key, 'notes.txt'), 'one\ntwo\n');
    repo.git('add', '-A');
    const inName = (extra: string[]) => JSON.parse(runCli(['staged', '--format', 'json', ...extra], { cwd: repo.dir }).stdout).findings.filter((f: any) => f.inName).length;
    expect(inName([])).toBe(0);
    expect(inName(['--all-staged'])).toBe(1);
  });

  it('history: a name is reported once, at the commit that brought it in; a range reports only what it brings', () => {
    const key = makeV2Key();
    const repo = new TestRepo();
    const base = repo.commit('base', { 'README.md': 'hello\n' });
    const added = repo.commit('add', { [`${key}/a.txt`]: 'a\n' });
    repo.commit('edit', { [`${key}/a.txt`]: 'a2\n' });
    repo.commit('more', { [`${key}/b.txt`]: 'b\n' });
    const history = (range: string[]) =>
      JSON.parse(runCli(['history', '--no-progress', '--format', 'json', ...range], { cwd: repo.dir }).stdout).findings.map((f: any) => [f.path, f.commit]);
    expect(history([])).toEqual([[masked(key), added]]);
    expect(history([`${added}..HEAD`])).toEqual([[masked(key), repo.git('rev-parse', 'HEAD')]]);
    expect(history([`${base}..${added}`])).toEqual([[masked(key), added]]);
  });
});
