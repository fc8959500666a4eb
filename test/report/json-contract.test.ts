// The JSON report as a contract: the schema the package ships rejects what it does not
// describe, and the README's example is the real report of the example project.
import { cpSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';
import { checkReport } from '../support/report-schema.js';

/** The README's fenced JSON block under "## Reports", its list indentation removed. */
function readmeExample(): string {
  const readme = readFileSync('README.md', 'utf8');
  const reports = readme.slice(readme.indexOf('\n## Reports\n'));
  const block = /\n( *)```json\n([\s\S]*?)\n\1```\n/.exec(reports);
  if (!block) throw new Error('no ```json block under "## Reports" in README.md');
  const indent = block[1]!.length;
  return block[2]!.split('\n').map((line) => line.slice(indent)).join('\n');
}

/** What changes from run to run or release to release. */
function normalise(report: string): string {
  return report.replace(/"seconds": [0-9.e-]+/, '"seconds": 0').replace(/("tool": \{\s*"name": "spreeflo-scan",\s*"version": )"[^"]*"/, '$1"x"');
}

describe('the JSON report contract', () => {
  it("the README's example is the example project's real report", () => {
    // A copy outside this repository, as `npm run demo` makes: inside it, the repository's own
    // configuration (which allows examples/**) would apply.
    const copy = tempDir('sfscan-example-');
    cpSync('examples/leaky-project', copy, { recursive: true });
    const run = runCli(['scan', '--format', 'json', '--no-cache', '--no-progress'], { cwd: copy });
    expect(run.code, run.stderr).toBe(1);
    expect(normalise(readmeExample())).toBe(normalise(run.stdout.trimEnd()));
  });

  const report = JSON.parse(readmeExample()) as Record<string, any>;
  it.each([
    ['an unknown top-level field', { ...report, extra: 1 }],
    ['no schemaVersion', { ...report, schemaVersion: undefined }],
    ['another schemaVersion', { ...report, schemaVersion: 2 }],
    ['a finding without its fingerprint', { ...report, findings: [{ ...report.findings[0], fingerprint: undefined }] }],
    ['a fingerprint that is not a key hash', { ...report, findings: [{ ...report.findings[0], fingerprint: 'abc:.env' }] }],
    ['an unknown source', { ...report, findings: [{ ...report.findings[0], source: 'disk' }] }],
    ['a skipped item without unread', { ...report, skipped: [{ path: 'a.bin', reason: 'too large' }] }],
  ])('the schema rejects %s', (_what, bad) => {
    expect(() => checkReport(JSON.parse(JSON.stringify(bad)))).toThrow(/does not match/);
  });

  it('the schema accepts the example', () => {
    expect(() => checkReport(report)).not.toThrow();
  });
});
