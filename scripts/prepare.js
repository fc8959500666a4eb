// npm's `prepare`: build dist/ from the TypeScript sources. The build needs devDependencies
// (esbuild). An install that skips them, such as the pre-commit framework's global npm install
// of a git checkout, works from a release tag: its commit carries the built dist/
// (scripts/release.js), used as it is. Anywhere else a missing esbuild is an error that says so.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// What bin/spreeflo-scan.js and the CLI load: a release's dist/ holds each of them.
const BUILT = ['cli.js', 'hook.cjs', 'scan-worker.js', 'history-worker.js', 'rules.json'];

function canBuild() {
  try {
    createRequire(join(root, 'package.json')).resolve('esbuild');
    return true;
  } catch {
    return false;
  }
}

if (canBuild()) {
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'build.js'), '--clean'], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
if (BUILT.every((name) => existsSync(join(root, 'dist', name)))) {
  process.stderr.write('spreeflo-scan: no devDependencies to build with; using the prebuilt dist/ of this release\n');
} else {
  process.stderr.write(
    'spreeflo-scan: building needs the devDependencies (esbuild): run `npm install` in a checkout,\n' +
      'or install a release (npm install spreeflo-scan, or a vX.Y.Z tag, whose commit holds the built dist/)\n',
  );
  process.exit(1);
}
