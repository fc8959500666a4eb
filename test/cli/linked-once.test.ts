// Many links to one file read it once (issue 14: 200 links to a 50 MB file read 10 GB):
// the first link is read, the others are listed, with nothing left unread.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { scanJson, tempDir, writeTree } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';

const dir = tempDir('sfscan-links-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('links to one file', () => {
  it('are read through the first link only', () => {
    writeTree(dir, { 'data/target.env': `KEY=${makeV2Key()}\n`, 'other.env': `KEY=${makeV2Key()}\n` });
    for (let i = 0; i < 5; i++) symlinkSync('data/target.env', join(dir, `link-${i}.env`));
    symlinkSync('other.env', join(dir, 'other-link.env'));
    const { report } = scanJson(['.', '--no-progress'], { cwd: dir });
    const paths = report.findings.map((f) => f.path).sort();
    // The target and other.env are plain files, read as met; one link to each is read.
    expect(paths).toHaveLength(4);
    expect(paths.filter((p) => p.startsWith('link-'))).toHaveLength(1);
    expect(paths).toEqual(expect.arrayContaining(['data/target.env', 'other.env', 'other-link.env']));
    const first = paths.find((p) => p.startsWith('link-'))!;
    const listed = report.skipped.filter((s) => s.path.startsWith('link-'));
    expect(listed).toHaveLength(4);
    for (const s of listed) expect(s).toMatchObject({ reason: `symlink to a file already read through ${first}`, unread: false });
  });
});

// Which link is read decides what the report lists; the walk's order (a folder's own
// files, then each folder in it breadth first) is the one fast-glob had, whatever order
// readdir gives: pinned, so that a faster walk reports the same.
describe('the link read is the one the walk meets first', () => {
  it.each([
    ['a link beside the scanned folder\'s files, before any in its folders', ['top-link.env', 'pkg/shallow/link.env', 'pkg/1/2/3/link.env'], 'top-link.env'],
    ['the shallower of two in one folder', ['pkg/1/2/3/link.env', 'pkg/shallow/link.env', 'pkg/1/2/deeper.env'], 'pkg/shallow/link.env'],
  ])('%s', (_name, links, first) => {
    const root = tempDir('sfscan-link-order-');
    writeTree(root, { 'target/key.env': `KEY=${makeV2Key()}\n`, ...Object.fromEntries(links.map((l) => [`${l}.keep`, ''])) });
    for (const link of links) symlinkSync(join(root, 'target/key.env'), join(root, link));
    const { report } = scanJson(['.', '--no-progress'], { cwd: root });
    expect(report.findings.map((f) => f.path).sort()).toEqual([first, 'target/key.env'].sort());
    const listed = report.skipped.filter((s) => links.includes(s.path));
    expect(listed.map((s) => s.path).sort()).toEqual(links.filter((l) => l !== first).sort());
    for (const s of listed) expect(s.reason).toBe(`symlink to a file already read through ${first}`);
    rmSync(root, { recursive: true, force: true });
  });
});

// A folder named inside another named folder (`scan /usr/share /usr/share/go-1.19/src`)
// was walked twice: every finding and every skipped entry of it appeared twice.
describe('roots inside other roots', () => {
  it.each([
    ['a folder inside another', ['.', 'nested']],
    ['the inner one first', ['nested', '.']],
    ['a file inside a named folder', ['.', 'nested/deep/app.env']],
    ['the same folder twice', ['nested', './nested/']],
  ])('%s: each file once', (_name, args) => {
    const root = tempDir('sfscan-nested-');
    writeTree(root, { 'nested/deep/app.env': `KEY=${makeV2Key()}\n`, 'top.env': `KEY=${makeV2Key()}\n` });
    const { report } = scanJson([...args, '--no-progress'], { cwd: root });
    const paths = report.findings.map((f) => f.path);
    expect(paths).toEqual([...new Set(paths)]);
    // One folder scanned alone reports its paths from inside it.
    expect(paths.filter((p) => p.endsWith('deep/app.env'))).toHaveLength(1);
    rmSync(root, { recursive: true, force: true });
  });
});
