// `npm run demo`: the whole flow on the bundled example project. The scan exits 1
// because the example leaks keys on purpose; the demo itself succeeds when it does.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = spawnSync(process.execPath, ['bin/spreeflo-scan.js', 'scan', 'examples/leaky-project', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
if (run.status === 1) {
  console.log('\nDemo finished: the example project leaks the keys shown above (exit code 1 means "keys found").');
  process.exit(0);
}
process.exit(run.status ?? 2);
