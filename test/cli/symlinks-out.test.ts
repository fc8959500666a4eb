// File symlinks: read where they point only inside the scanned folder, unless asked;
// the kernel's files are never read, so the environment never reaches a report.
import { describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanJson, tempDir } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';

describe('file symlinks', () => {
  const outsideKey = makeV2Key();
  const outside = join(tempDir(), 'elsewhere.env');
  writeFileSync(outside, `KEY=${outsideKey}\n`);

  it.each([
    { flags: [] as string[], found: ['inside.env', 'link-in'], skipped: [['e', /symlink to \/proc: never read/], ['link-out', /outside the scanned folder, not followed \(use --follow-symlinks\)/]] },
    { flags: ['--follow-symlinks'], found: ['inside.env', 'link-in', 'link-out'], skipped: [['e', /symlink to \/proc: never read/]] },
  ])('with flags $flags', ({ flags, found, skipped }) => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'inside.env'), `KEY=${makeV2Key()}\n`);
    symlinkSync('inside.env', join(dir, 'link-in'));
    symlinkSync(outside, join(dir, 'link-out'));
    symlinkSync('/proc/self/environ', join(dir, 'e'));
    const { report, run } = scanJson(['.', '--no-progress', ...flags], { cwd: dir, env: { SPREEFLO_API_KEY: makeV2Key(), GITHUB_TOKEN: 'ghp_SECRET' } });
    expect(report.findings.map((f) => f.path).sort()).toEqual(found);
    expect(report.skipped.map((s) => [s.path, s.reason])).toEqual(skipped.map(([p, r]) => [p, expect.stringMatching(r as RegExp)]));
    expect(report.skipped.every((s) => s.unread === false)).toBe(true);
    expect(run.stdout).not.toContain('ghp_SECRET');
  });
});
