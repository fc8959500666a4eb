// The pre-commit framework for real: a consumer's .pre-commit-config.yaml points `repo:` at a
// local copy of this repository and `rev:` at a tag scripts/release.js made; pre-commit installs
// the hooks its own way (its npm install of the checkout, runtime dependencies from the npm
// registry) and runs both. Slow (a minute or more, mostly npm): it runs when
// SPREEFLO_TEST_PRE_COMMIT=1, as .ci/run sets it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { tempDir } from '../support/cli.js';
import { cleanEnv, git, gitRepo, releasedClone, run } from './helpers.js';

const enabled = process.env.SPREEFLO_TEST_PRE_COMMIT === '1';

describe.runIf(enabled)('pre-commit framework install from a release tag', () => {
  it('blocks a staged key with the commit wording, key redacted, and passes a clean tree', () => {
    const { root: repo, release } = releasedClone('v0.0.0-test');
    expect(release.code, release.out).toBe(0);

    const key = makeV2Key();
    const consumer = gitRepo({
      '.pre-commit-config.yaml': [
        'repos:',
        `  - repo: ${repo}`,
        '    rev: v0.0.0-test',
        '    hooks:',
        '      - id: spreeflo-scan',
        '      - id: spreeflo-scan-staged',
        '',
      ].join('\n'),
      'README.md': '# app\n',
      'settings.env': `SPREEFLO_API_KEY=${key}\n`,
    });
    git(consumer, 'add', '.');
    // npm's own cache, so packages this machine already has are not downloaded again.
    const cache = spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).stdout.trim();
    const env = cleanEnv({ PRE_COMMIT_HOME: tempDir('sfscan-pre-commit-home-'), npm_config_cache: cache, npm_config_update_notifier: 'false' });

    const blocked = run('pre-commit', ['run', '--all-files'], consumer, env);
    expect(blocked.code, blocked.out).toBe(1);
    expect(blocked.out).toMatch(/spreeflo-scan \(Spreeflo API keys\)\.+Failed/);
    expect(blocked.out).toMatch(/spreeflo-scan \(Spreeflo API keys in the lines this commit adds\)\.+Failed/);
    expect(blocked.out).toContain('Commit blocked: a Spreeflo API key is staged in settings.env.');
    expect(blocked.out).toContain('The key has not left this machine yet.');
    expect(blocked.out).toContain(`${key.slice(0, 8)}…${key.slice(-4)}`);
    expect(blocked.out).not.toContain(key);

    git(consumer, 'rm', '-q', '--cached', 'settings.env');
    rmSync(join(consumer, 'settings.env'));
    writeFileSync(join(consumer, 'app.ts'), 'export const apiKey = process.env.SPREEFLO_API_KEY;\n');
    git(consumer, 'add', 'app.ts');
    const clean = run('pre-commit', ['run', '--all-files'], consumer, env);
    expect(clean.code, clean.out).toBe(0);
    expect(clean.out).toMatch(/spreeflo-scan \(Spreeflo API keys\)\.+Passed/);
    expect(clean.out).toMatch(/spreeflo-scan \(Spreeflo API keys in the lines this commit adds\)\.+Passed/);
  }, 600_000);
});
