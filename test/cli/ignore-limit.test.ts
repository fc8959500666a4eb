// An ignore file holds at most MAX_IGNORE_GLOBS path globs (issue 14: 100,000 took a
// minute and 2 GB to compile); over it, the scan stops with a usage error that says
// what to do. Fingerprints are not globs and are not limited.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { MAX_IGNORE_GLOBS } from '../../src/config.js';
import { runCli, scanJson, tempDir, writeTree } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';

const dir = tempDir('sfscan-ignore-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const globs = (n: number) => Array.from({ length: n }, (_, i) => `build/generated-${i}/**/*.js`);
const fingerprints = (n: number) => Array.from({ length: n }, (_, i) => i.toString(16).padStart(64, '0'));

describe('ignore file size', () => {
  it('at the limit: compiled once, and used', () => {
    writeTree(dir, {
      '.spreeflo-scan-ignore': [...globs(MAX_IGNORE_GLOBS - 1), 'secret/**', ...fingerprints(20_000)].join('\n'),
      'secret/a.env': `KEY=${makeV2Key()}\n`,
    });
    const { run, report } = scanJson(['.', '--no-progress'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toHaveLength(1);
  });

  it('over it: a usage error that names the limit', () => {
    writeTree(dir, { '.spreeflo-scan-ignore': globs(MAX_IGNORE_GLOBS + 1).join('\n') });
    const run = runCli(['scan', '.', '--no-progress'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${MAX_IGNORE_GLOBS + 1} path globs, over the limit of ${MAX_IGNORE_GLOBS}`);
  });
});
