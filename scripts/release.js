// Tags a release whose commit carries the built dist/, so installs that skip devDependencies
// (the pre-commit framework's `npm install -g` of a git checkout) need no build. The branch keeps
// no built files: the release commit is HEAD plus dist/, made on a side index without touching
// the work tree, and the branch then merges it with `-s ours` (tree unchanged) so the tag is
// reachable from it, which `pre-commit autoupdate` (git describe on the default branch) needs.
//
//   node scripts/release.js [--tag NAME]     (default NAME: v<package.json version>)
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const at = process.argv.indexOf('--tag');
const tag = at === -1 ? `v${pkg.version}` : process.argv[at + 1];

function fail(message) {
  process.stderr.write(`release: ${message}\n`);
  process.exit(1);
}

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed`);
  return r.stdout.trim();
}

if (!tag || tag.startsWith('-')) fail('--tag needs a name');
// dist/ must be built from exactly what HEAD holds.
if (run('git', ['status', '--porcelain'])) fail('the work tree has changes: commit or stash them first');
if (spawnSync('git', ['rev-parse', '-q', '--verify', `refs/tags/${tag}`], { cwd: root }).status === 0) fail(`tag ${tag} exists`);

run(process.execPath, [join(root, 'scripts', 'build.js'), '--clean']);

const index = join(run('git', ['rev-parse', '--absolute-git-dir']), 'release-index');
try {
  const env = { ...process.env, GIT_INDEX_FILE: index };
  run('git', ['read-tree', 'HEAD'], env);
  run('git', ['add', '--force', 'dist'], env);
  const tree = run('git', ['write-tree'], env);
  const commit = run('git', ['commit-tree', tree, '-p', 'HEAD', '-m', `Release ${tag}: HEAD plus the built dist/`]);
  run('git', ['tag', '-a', tag, '-m', `spreeflo-scan ${tag}`, commit]);
  run('git', ['merge', '--quiet', '-s', 'ours', '--no-ff', '-m', `Release ${tag}: reachable from this branch (dist/ stays on the tag)`, commit]);
} finally {
  rmSync(index, { force: true });
}
process.stdout.write(`tagged ${tag}; publish with: git push --follow-tags (and npm publish)\n`);
