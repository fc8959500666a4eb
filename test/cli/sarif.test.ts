// SARIF output validates against the official 2.1.0 schema and never holds a key.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv-draft-04';
import { makeV1Key, makeV2Key } from '../support/keys.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';
import { entry, rawZip } from '../fixtures/documents/make.js';

const require = createRequire(import.meta.url);
// ajv-draft-04 is CommonJS; require() gives its class directly.
const Ajv = require('ajv-draft-04') as new (opts: object) => { compile(schema: object): ValidateFunction };
const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));

describe('sarif report', () => {
  const root = tempDir();
  const keys = [makeV2Key(), makeV1Key()];
  writeTree(root, { 'a.env': `A=${keys[0]}\n`, 'src/b.py': `\n\nB = "${keys[1]}"\n`, 'dir with space/c.txt': `${keys[0]}\n`, 'locked.zip': rawZip([entry('s.env', 'x', { flags: 1 })]) });
  // The same run also writes a JSON report (--json-output), as the GitHub Action asks.
  const jsonFile = `${tempDir()}/report.json`;
  const run = runCli(['scan', '.', '--format', 'sarif', '--json-output', jsonFile], { cwd: root });
  const log = JSON.parse(run.stdout);

  it('--json-output writes the JSON report of the same run beside it', () => {
    const text = readFileSync(jsonFile, 'utf8');
    const report = JSON.parse(text);
    expect(report.findings.map((f: { path: string }) => f.path).sort()).toEqual(['a.env', 'dir with space/c.txt', 'src/b.py']);
    expect(report.keys).toHaveLength(2);
    for (const k of keys) expect(text).not.toContain(k);
  });

  it('is valid against the SARIF 2.1.0 schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('lists what could hold a key but was not read as notifications of the run', () => {
    const notes = log.runs[0].invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text);
    expect(notes).toEqual([expect.stringMatching(/^not read, could hold a key: locked\.zip!s\.env: encrypted/)]);
  });

  it('has one result per place, with rule, location and fingerprint', () => {
    expect(run.code).toBe(1);
    const results = log.runs[0].results;
    expect(results).toHaveLength(3);
    const b = results.find((r: any) => r.locations[0].physicalLocation.artifactLocation.uri === 'src/b.py');
    expect(b.ruleId).toBe('spreeflo-api-key-v1');
    expect(b.locations[0].physicalLocation.region.startLine).toBe(3);
    expect(results.some((r: any) => r.locations[0].physicalLocation.artifactLocation.uri === 'dir%20with%20space/c.txt')).toBe(true);
    expect(b.partialFingerprints['spreefloScanFingerprint/v1']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('holds no key in full', () => {
    for (const key of keys) expect(run.stdout).not.toContain(key);
  });
});
