// Where a report goes: never through a planted symlink, never over a scanned file,
// always 0600, and a full disk is exit 2 with no half-written report left behind.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, runCli, tempDir, writeTree } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';

function leakyFolder(): { dir: string; key: string } {
  const dir = tempDir();
  const key = makeV2Key();
  writeTree(dir, { 'app.env': `KEY=${key}\n` });
  return { dir, key };
}

/** A 64 KiB tmpfs: mounting needs root, which CI and this project's machines have. */
function smallDisk(): string | null {
  const dir = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    return null;
  }
}

describe('--output', () => {
  it.each([
    { name: 'a symlink planted where the report goes', plant: (target: string, victim: string) => symlinkSync(victim, target), refusal: /symbolic link/ },
    { name: 'a folder where the report goes', plant: (target: string) => execFileSync('mkdir', [target]), refusal: /not a regular file/ },
  ])('refuses $name and writes nothing', ({ plant, refusal }) => {
    const { dir } = leakyFolder();
    const victim = join(tempDir(), 'victim.txt');
    writeFileSync(victim, 'victim\n');
    plant(join(dir, 'report.sarif'), victim);
    const run = runCli(['scan', '.', '--no-progress', '--format', 'sarif', '--output', 'report.sarif'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(refusal);
    expect(readFileSync(victim, 'utf8')).toBe('victim\n');
  });

  it('refuses to overwrite a scanned file that is not a report of ours, and replaces one that is', () => {
    const { dir } = leakyFolder();
    writeFileSync(join(dir, 'README.md'), '# notes\n');
    const refused = runCli(['scan', '.', '--no-progress', '--output', 'README.md'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/one of the scanned files/);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# notes\n');
    for (const format of ['json', 'sarif', 'html', 'text']) {
      const first = runCli(['scan', '.', '--no-progress', '--format', format, '--output', `report.${format}`], { cwd: dir });
      expect(first.code).toBe(1);
      const again = runCli(['scan', '.', '--no-progress', '--format', format, '--output', `report.${format}`], { cwd: dir });
      expect(again.code, `${format}: ${again.stderr}`).toBe(1);
    }
  });

  it('leaves the report at mode 0600, an existing 0644 file included, with no temporary file beside it', () => {
    const { dir, key } = leakyFolder();
    const out = join(tempDir(), 'report.json');
    writeFileSync(out, '{}');
    chmodSync(out, 0o644);
    const run = runCli(['scan', dir, '--no-progress', '--format', 'json', '--output', out]);
    expect(run.code).toBe(1);
    expect(lstatSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).not.toContain(key);
    expect(readdirSync(join(out, '..'))).toEqual(['report.json']);
  });

  const disk = smallDisk();
  it.skipIf(disk === null)('on a full disk exits 2 with the reason and leaves neither a truncated report nor a temporary file', () => {
    const dir = tempDir();
    writeTree(dir, Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`f${i}.env`, `KEY${i}=${makeV2Key()}\n`])));
    const run = runCli(['scan', dir, '--no-progress', '--format', 'json', '--output', join(disk!, 'report.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no space left on device/);
    expect(readdirSync(disk!)).toEqual([]);
    execFileSync('umount', [disk!]);
  });
});

describe('standard output', () => {
  it('a full device is exit 2 with one line, not a stack trace', () => {
    const { dir } = leakyFolder();
    const res = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" scan . --no-progress > /dev/full`], { cwd: dir, encoding: 'utf8' });
    expect(existsSync('/dev/full')).toBe(true);
    expect(res.status).toBe(2);
    expect(res.stderr.trim()).toBe('spreeflo-scan: cannot write the report to standard output: no space left on device (ENOSPC)');
  });
});

describe('counts past what a call stack holds', () => {
  it('130,000 skipped entries and one key in 130,000 places end in a report, with readable lists', () => {
    const dir = tempDir();
    const key = makeV2Key();
    writeTree(dir, { 'many.env': Array.from({ length: 130_000 }, (_, i) => `K${i}=${key}`).join('\n') + '\n' });
    const links = join(dir, 'links');
    execFileSync('mkdir', [links]);
    for (let i = 0; i < 130_000; i++) symlinkSync(`missing${i}`, join(links, `l${i}`));
    const text = runCli(['scan', '.', '--no-progress'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/1 Spreeflo key found in 130,?000 places/);
    expect(text.stdout).toMatch(/… and 129,?950 more places/);
    expect(text.stdout).toMatch(/… and 129,?800 more items/);
    const out = join(tempDir(), 'report.json');
    expect(runCli(['scan', '.', '--no-progress', '--format', 'json', '--output', out], { cwd: dir }).code).toBe(1);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.findings).toHaveLength(130_000);
    expect(report.skipped).toHaveLength(130_000);
    expect(report.keys[0].occurrences).toBe(130_000);
    expect(report.keys[0].places).toHaveLength(1000);
    expect(report.keys[0].placesOmitted).toBe(129_000);
  }, 300_000);
});
