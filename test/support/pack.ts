// The package as users get it: `npm pack` of this checkout, and an environment in which npm
// installs it from its cache first (--prefer-offline), the network only for what is missing.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './cli.js';
import { cleanEnv } from '../hooks/helpers.js';

export const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/** Packs this checkout, dist/ as the test setup built it (there is no prepare script), and returns the tarball's path. */
export function packTarball(): string {
  // HUSKY=0 keeps husky from touching this repository's git config.
  const dest = tempDir('sfscan-pack-');
  const pack = spawnSync('npm', ['pack', '--pack-destination', dest, '--loglevel=error'], {
    env: { ...process.env, HUSKY: '0' },
    encoding: 'utf8',
  });
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stdout}${pack.stderr}`);
  const file = readdirSync(dest).find((f) => f.endsWith('.tgz'));
  if (!file) throw new Error(`npm pack wrote no tarball:\n${pack.stdout}`);
  return join(dest, file);
}

/** A clean environment (see cleanEnv) using the tester's npm cache. */
export function npmEnvironment(): NodeJS.ProcessEnv {
  const cache = spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).stdout.trim();
  return cleanEnv({ npm_config_cache: cache, npm_config_update_notifier: 'false' });
}
