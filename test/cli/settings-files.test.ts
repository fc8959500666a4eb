// The files that steer a scan are read whole: a FIFO, a device or an oversized file in
// their place is refused with a clear error, never read forever.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';

const SETTINGS = [
  { name: 'the config file', file: '.spreeflo-scan.yaml', args: [] as string[], limit: 1 << 20 },
  { name: 'the ignore file', file: '.spreeflo-scan-ignore', args: [], limit: 16 << 20 },
  { name: '.gitignore', file: '.gitignore', args: ['--gitignore'], limit: 16 << 20 },
  { name: 'a baseline', file: 'base.json', args: ['--baseline', 'base.json'], limit: 512 << 20 },
];

const PLANTS = [
  { kind: 'a FIFO', plant: (path: string) => execFileSync('mkfifo', [path]), message: /not a regular file/ },
  { kind: 'a symlink to /dev/zero', plant: (path: string) => symlinkSync('/dev/zero', path), message: /not a regular file/ },
  {
    kind: 'a file over its limit',
    plant: (path: string, limit: number) => {
      writeFileSync(path, '');
      truncateSync(path, limit + 1);
    },
    message: /over the .* limit/,
  },
];

describe('settings files that are not plain, bounded files', () => {
  for (const setting of SETTINGS) {
    it.each(PLANTS)(`${setting.name} as $kind: exit 2 with the reason`, ({ plant, message }) => {
      const dir = tempDir();
      writeFileSync(join(dir, 'app.env'), `KEY=${makeV2Key()}\n`);
      plant(join(dir, setting.file), setting.limit);
      const run = runCli(['scan', '.', '--no-progress', ...setting.args], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('a baseline that is not JSON is described, never quoted', () => {
    const dir = tempDir();
    const key = makeV2Key();
    writeFileSync(join(dir, 'base.json'), `KEY=${key}\n`);
    const run = runCli(['scan', '.', '--no-progress', '--baseline', 'base.json'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a spreeflo-scan JSON report \(it is not JSON\)/);
    expect(run.stderr).not.toContain(key.slice(4, 20));
  });
});
