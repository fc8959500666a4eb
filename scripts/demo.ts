// `npm run demo`: the whole flow on the bundled example project, offline. A fake
// Spreeflo API (the one the tests use) answers on 127.0.0.1; the example is copied
// into a temporary git repository whose history also leaked a key; spreeflo-scan
// scans the files (a screenshot included) and the history, verifies every key
// against the fake API, and ends with the revocation report.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeSpreeflo } from '../test/support/fake-spreeflo.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const example = join(root, 'examples', 'leaky-project');
const ACME = { id: 'acct_7Hq2', name: 'Acme Marketing', plan: 'professional' };

// The example's keys are made up and never issued (not the documented examples, which
// are never reported as leaks); the screenshot's is a test picture's.
const screenshotKey = JSON.parse(readFileSync(join(root, 'test/fixtures/images/manifest.json'), 'utf8')).images[0].keys[0].key as string;
const historyKey = 'sfk_1K1VzaceMDhoYFRQ1B5Wt9hE1JOAoC13lqVH';

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin/spreeflo-scan.js'), ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    child.on('close', (code) => resolve(code ?? 2));
  });
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=Demo', '-c', 'user.email=demo@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });
}

const api = await startFakeSpreeflo({
  keys: [
    { key: 'sfk_nbhNS65s2rzv0KB4H92bvH5aD8KnoV2KsBuD', state: 'live', name: 'Zapier sync', account: ACME },
    { key: 'sfk_Ggbpp9nFqv6WSCYBHesWPtUp55F8NI0y8BXN', state: 'plan_restricted', name: 'CRM export', account: { ...ACME, plan: 'starter' } },
    { key: '29fe373cc3ebd4773b9b3e492a3e9e18-sf7', state: 'revoked', name: 'Legacy import' },
    { key: screenshotKey, state: 'live', name: 'Webhook relay', account: ACME },
    { key: historyKey, state: 'live', name: 'Old CI deploy', account: ACME },
  ],
});
const work = mkdtempSync(join(tmpdir(), 'spreeflo-demo-'));
try {
  cpSync(example, work, { recursive: true });
  git(work, 'init', '-q', '-b', 'main');
  writeFileSync(join(work, 'deploy.env'), `SPREEFLO_API_KEY=${historyKey}\n`);
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'Add the demo project');
  rmSync(join(work, 'deploy.env'));
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'Remove deploy.env (the key stays in history)');

  const env = { SPREEFLO_API_URL: api.url, SPREEFLO_SCAN_CACHE_DIR: join(work, '.cache') };
  console.log(`\n=== spreeflo-scan scan --verify   (the files, the screenshot included; Spreeflo is faked at ${api.url})\n`);
  const scan = await run(['scan', '.', '--verify', '--exclude', '.cache/**'], work, env);
  console.log('\n=== spreeflo-scan history --verify --ocr   (every commit: a key removed since, and the screenshot)\n');
  const history = await run(['history', '--verify', '--ocr'], work, env);
  const ok = scan === 1 && history === 1;
  console.log(
    ok
      ? `\nDemo finished: the example leaks keys on purpose (exit code 1 means "keys found"). The fake API answered ${api.requests.length} requests.`
      : `\nDemo failed: unexpected exit codes (scan ${scan}, history ${history}).`,
  );
  process.exitCode = ok ? 0 : 2;
} finally {
  rmSync(work, { recursive: true, force: true });
  await api.close();
}
