import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/detect/detector.js';
import { isDocumentedExample } from '../../src/filters/example-keys.js';
import { makeV1Key, makeV2Key } from '../support/keys.js';

describe('the documented example keys', () => {
  it('rules/example-keys.json is what scripts/example-keys.ts makes of the rule files, README and docs', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/example-keys.ts', '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  // Copied from the platform page's "Example keys" (valid checksums, never issued to anyone);
  // the rules' positive examples hold them, which is how they reach the list.
  it.each([
    ['v2 example ZSXN', true, 'sfk_ZSXNdrTNulgdOPojL7hXcj70HKXHiP3dcF8u'],
    ['v2 example R8kH', true, 'sfk_R8kHPquvZd4auhRSpwWtoJk0eZWPOM0ADeHq'],
    ['v2 example pRA1', true, 'sfk_pRA1eBHg09NLb4yhPCwGPSyq0llDCW1r450p'],
    ['v1 example 25cb', true, '25cb257fab5a20f4284a1675da214991-sf7'],
    // Not a key (wrong checksum): the detector never finds it, so it is not listed.
    ['the wrong-checksum example', false, 'sfk_N1Vo1tmYYBLoOEpQxXbGjGb1U1KzYv0t0iSe'],
    ['a made-up v2 key', false, makeV2Key()],
    ['a made-up v1 key', false, makeV1Key()],
  ])('%s (listed: %s)', (_what, listed, key) => {
    expect(isDocumentedExample(sha256Hex(key))).toBe(listed);
  });
});
