// The walk lists files far faster than they are scanned; each file waiting holds its
// paths, so a tree's peak memory grew with its size (400,000 small files: 171,000
// waiting at once). The walk now waits, while the main thread scans, once it is
// 32,768 files ahead of what the workers were sent; no file may be lost to the waiting.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadBuiltinRules } from '../../src/detect/rule-files.js';
import { ScanPool } from '../../src/scan/pool.js';
import { scanJson, tempDir } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';

/** More than the walk may list ahead (WALK_AHEAD_FILES in src/scan/pool.ts), twice over. */
const FILES = 70_000;
const AHEAD = 32_768;
const root = tempDir('sfscan-walk-ahead-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** FILES small files in folders of 500; keys in the first, a middle and the last, one of them in a gzip. */
function tree(): { paths: string[]; keys: number } {
  const paths: string[] = [];
  const keyed = new Set([0, FILES / 2, FILES - 1]);
  for (let i = 0; i < FILES; i++) {
    const dir = join(root, `d${String(Math.floor(i / 500)).padStart(3, '0')}`);
    if (i % 500 === 0) mkdirSync(dir);
    const body = keyed.has(i) ? `KEY=${makeV2Key()}\n` : `line ${i}\n`;
    const path = join(dir, i === FILES / 2 ? `f${i}.log.gz` : `f${i}.txt`);
    writeFileSync(path, i === FILES / 2 ? gzipSync(body) : body);
    paths.push(path);
  }
  return { paths, keys: keyed.size };
}

const { paths, keys } = tree();

describe('the walk ahead of the scan', () => {
  it('holds at most 32,768 files waiting: past that, the main thread scans before the walk goes on', async () => {
    const rules = await loadBuiltinRules();
    let results = 0;
    let found = 0;
    // One thread: no workers, so every file is scanned by keepUp or finish, on this thread.
    const pool = new ScanPool({ rules, limits: { maxFileSize: 1 << 20, inflate: { maxEntryBytes: 1 << 20, maxTotalBytes: 1 << 20 } }, read: { images: false }, threads: 1 }, (_, result) => {
      results++;
      if (result.ok) found += result.candidates.length;
    });
    let most = 0;
    for (const [i, path] of paths.entries()) {
      pool.add(path);
      most = Math.max(most, i + 1 - results);
      await pool.keepUp();
    }
    expect(most).toBeLessThanOrEqual(AHEAD + 1);
    // The walk did wait: a pool that never asked the main thread to scan would hold them all.
    expect(results).toBeGreaterThanOrEqual(FILES - AHEAD - 1);
    await pool.finish();
    expect([results, found]).toEqual([FILES, keys]);
  });

  it('loses no file of a tree larger than that, with the workers', () => {
    const { report } = scanJson([root, '--no-ocr']);
    expect(report.summary.files).toBe(FILES);
    expect(new Set(report.findings.map((f) => f.keySha256)).size).toBe(keys);
    expect(report.skipped).toEqual([]);
  });
});
