// Builds dist/ once before the suite, so CLI tests run exactly what users run, and gives the
// run its own temporary folder: every test's repositories, trees and reports (planted keys
// among them) are made under it, and it is removed when the suite ends, whatever the result.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  execFileSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
  const runTmp = mkdtempSync(join(tmpdir(), 'sfscan-tests-'));
  // os.tmpdir() reads TMPDIR; the test workers and every process they start inherit it.
  process.env.TMPDIR = runTmp;
  return () => rmSync(runTmp, { recursive: true, force: true, maxRetries: 3 });
}
