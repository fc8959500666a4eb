// Globs of one name (`*.gz`) are matched by a regular expression of our own, the rest by
// `ignore`: both must say what `ignore` alone says, for every path, file or folder.
import { describe, expect, it } from 'vitest';
import ignore from 'ignore';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { globMatcher } from '../../src/filters/globs.js';
import { walkFiles } from '../../src/sources/files.js';

const CONTAINERS = ['*.gz', '*.tgz', '*.zip', '*.jar', '*.tar', '*.pdf', '*.docx', '*.mp4'];

const LISTS: Array<[string, string[]]> = [
  ['extensions', CONTAINERS],
  ['two extensions, a trailing dot', ['*.tar.gz', '*.', '*z']],
  ['names and wildcards', ['.env', '*.min.js', 'id_rsa?', 'foo*bar', 'a+b.txt', '@scope', '*']],
  ['one name beside a path glob', ['*.gz', 'docs/*.md', 'vendor/']],
  ['one name beside a double star', ['*.log', '**/fixtures/**', 'src/**/*.snap']],
  ['a name glob with a double star', ['**.gz', 'x**y']],
  ['negated: ignore alone', ['*.env', '!keep.env', '*.gz']],
  ['character classes and escapes', ['*.[gj]z', 'a\\*b', '#not-a-comment']],
  ['case counts', ['*.PNG', 'Makefile']],
];

const PATHS = [
  'a.gz', 'dir/a.gz', 'a.gz/', 'a.gz/inner.txt', 'x/a.gz/y/z.c', 'a.gzip', 'a.gz.txt', '.gz', 'gz',
  'lib.tar.gz', 'b.jar', 'deep/er/b.pdf', 'b.pdf/', 'notes.md', 'docs/a.md', 'docs/x/a.md',
  '.env', 'sub/.env', 'sub/.env/', 'prod.env', 'keep.env', 'a/keep.env', 'app.min.js', 'app.min.js.map',
  'id_rsa1', 'id_rsa', 'sub/id_rsa2/', 'foobar', 'fooXbar', 'xfoo-bar/', 'a+b.txt', 'aab.txt', '@scope/pkg/index.js',
  'scope/@scope', 'vendor/lib.js', 'a/vendor/lib.js', 'fixtures/', 'a/b/fixtures/c/d.txt', 'src/x/y.snap', 'run.log',
  'a.jz', 'x.', 'x/y./z', 'tar.gz', 'a.tar.gz/b', 'z', 'a/z/', 'a\\*b', 'a*b', 'ab', '#not-a-comment', 'shot.png', 'shot.PNG', 'Makefile', 'makefile', 'xy', 'x/y', 'x.y',
];

describe('path globs: what `ignore` alone says', () => {
  it.each(LISTS)('%s', async (_, globs) => {
    const reference = ignore({ ignorecase: false }).add(globs);
    const test = await globMatcher(globs);
    for (const path of PATHS) expect([path, test(path)]).toEqual([path, reference.ignores(path)]);
  });
});

describe("a walk's test of a path by its last name, the folders above it tested already", () => {
  it.each(LISTS)('%s', async (_, globs) => {
    const reference = ignore({ ignorecase: false }).add(globs);
    const test = await globMatcher(globs);
    for (const path of PATHS) {
      const names = path.replace(/\/$/, '').split('/');
      // Only paths a walk reaches: no folder above is excluded.
      if (names.slice(0, -1).some((_, i) => reference.ignores(`${names.slice(0, i + 1).join('/')}/`))) continue;
      expect([path, test(path, names.at(-1))]).toEqual([path, reference.ignores(path)]);
    }
  });

  it('a scanned folder whose own name is excluded leaves out every file under it', async () => {
    const top = mkdtempSync(join(tmpdir(), 'globs-walk-'));
    try {
      mkdirSync(join(top, 'logs.gz', 'sub'), { recursive: true });
      writeFileSync(join(top, 'logs.gz', 'a.txt'), 'a');
      writeFileSync(join(top, 'logs.gz', 'sub', 'b.txt'), 'b');
      const opts = { include: [], exclude: ['*.gz'], gitignore: false, followSymlinks: false, includeDeps: true };
      const rels: string[] = [];
      await walkFiles(join(top, 'logs.gz'), top, opts, (file) => rels.push(file.rel));
      expect(rels).toEqual([]);
      await walkFiles(join(top, 'logs.gz'), top, { ...opts, exclude: ['*.txt'] }, (file) => rels.push(file.rel));
      expect(rels).toEqual([]);
      await walkFiles(join(top, 'logs.gz'), top, { ...opts, exclude: ['b.*'] }, (file) => rels.push(file.rel));
      expect(rels).toEqual(['logs.gz/a.txt']);
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});
