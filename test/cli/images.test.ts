// Images through the whole CLI: scan, staged and history --ocr read screenshots,
// with boxes, a cache, and clear skips for what is not an image.
import { describe, expect, it } from 'vitest';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { runCli, scanJson, tempDir, writeTree } from '../support/cli.js';
import { TestRepo } from '../support/git.js';

const FIXTURES = resolve('test/fixtures/images');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));
const withKey = manifest.images.find((i: any) => i.file === '000-settings-light.png');
const clean = manifest.images.find((i: any) => i.file === '014-chat-light.jpg');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const KEY_SHA = sha(withKey.keys[0].key);

function imageTree(): { root: string; cache: string } {
  const root = tempDir();
  copyFileSync(join(FIXTURES, withKey.file), join(root, 'shot.png'));
  copyFileSync(join(FIXTURES, clean.file), join(root, 'clean.jpg'));
  return { root, cache: tempDir('sfscan-cache-') };
}

describe('scan reads images', () => {
  it('finds the key in a screenshot with its box, then reads it from the cache', () => {
    const { root, cache } = imageTree();
    const { run, report } = scanJson([root, '--cache-dir', cache]);
    expect(run.code).toBe(1);
    const f = report.findings.find((x) => x.source === 'image');
    expect(f).toMatchObject({ path: 'shot.png', keySha256: KEY_SHA, confidence: 'high' });
    const box = f!.box as { x: number; y: number; width: number; height: number };
    const expected = withKey.keys[0].box;
    expect(Math.abs(box.x - expected.x)).toBeLessThan(20);
    expect(Math.abs(box.y - expected.y)).toBeLessThan(20);
    expect(report.findings.filter((x) => x.path === 'clean.jpg')).toEqual([]);
    expect(readdirSync(join(cache, 'ocr')).length).toBeGreaterThan(0);
    const again = scanJson([root, '--cache-dir', cache]);
    expect(again.report.findings.map((x) => x.keySha256)).toEqual([KEY_SHA]);
  });

  it('--no-ocr leaves pixels alone', () => {
    const { root } = imageTree();
    const { run, report } = scanJson([root, '--no-ocr']);
    expect(run.code).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it('a .png that is really text: skipped as an image, its text still scanned', () => {
    const root = tempDir();
    const key = makeV2Key();
    writeTree(root, { 'notes.png': `KEY=${key}\n`, 'empty.png': '', 'cut.png': readFileSync(join(FIXTURES, withKey.file)).subarray(0, 200) });
    const { report } = scanJson([root, '--no-cache']);
    expect(report.findings.map((f) => [f.path, f.source, f.keySha256])).toEqual([['notes.png', 'file', sha(key)]]);
    const reasons = Object.fromEntries(report.skipped.map((s: any) => [s.path, s.reason]));
    expect(reasons['notes.png']).toMatch(/image not read/);
    expect(reasons['empty.png']).toMatch(/image not read/);
    expect(reasons['cut.png']).toMatch(/image not read/);
  });
});

describe('staged and history read images', () => {
  it('staged blocks a committed screenshot', () => {
    const repo = new TestRepo();
    repo.commit('init', { 'a.txt': 'x\n' });
    copyFileSync(join(FIXTURES, withKey.file), join(repo.dir, 'docs-shot.png'));
    repo.git('add', 'docs-shot.png');
    const run = runCli(['staged', '--format', 'json', '--no-cache'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings[0]).toMatchObject({ source: 'image', path: 'docs-shot.png', keySha256: KEY_SHA });
  });

  it('history --ocr finds a screenshot at the commit that added it; plain history does not read pixels', () => {
    const repo = new TestRepo();
    repo.commit('init', { 'a.txt': 'x\n' });
    copyFileSync(join(FIXTURES, withKey.file), join(repo.dir, 'shot.png'));
    const added = repo.commit('add screenshot');
    repo.commit('remove screenshot', { 'shot.png': null });
    expect(runCli(['history'], { cwd: repo.dir }).code).toBe(0);
    const run = runCli(['history', '--ocr', '--no-cache', '--format', 'json'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings[0]).toMatchObject({ source: 'image', path: 'shot.png', commit: added, keySha256: KEY_SHA });
  });
});
