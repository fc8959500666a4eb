// action.yml, run the way the Actions runner runs a composite action's shell steps
// (`bash --noprofile --norc -eo pipefail`, inputs substituted, GITHUB_ENV and
// GITHUB_OUTPUT files carried from step to step). The `uses:` steps (setup-node,
// upload-sarif) are GitHub's own and are only checked for their wiring. The events and
// ranges are test/action/action-script.test.ts's; here, the steps' wiring and verdict.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { makeV2Key } from '../support/keys.js';
import { BIN, tempDir } from '../support/cli.js';
import { readGithubFile } from '../support/github-files.js';
import { cleanEnv, commit, gitRepo } from './helpers.js';

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync('action.yml', 'utf8')) as Action;

interface ActionRun {
  log: string;
  failed: boolean;
  outputs: Record<string, string>;
  /** Names of the `uses:` steps whose `if:` would let them run. */
  usesRun: string[];
}

function runAction(workspace: string, given: Record<string, string>): ActionRun {
  const inputs: Record<string, string> = {};
  // This checkout's build stands in for `npx spreeflo-scan@VERSION`.
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = given[name] ?? (name === 'command' ? BIN : (spec.default ?? ''));
  const scratch = tempDir('sfscan-runner-');
  const envFile = join(scratch, 'env');
  const stepOutputs: Record<string, Record<string, string>> = {};
  const expand = (text: string) =>
    text.replace(/\$\{\{\s*(inputs\.([\w-]+)|steps\.([\w-]+)\.outputs\.([\w-]+))\s*\}\}/g, (_m, _all, input, step, out) =>
      input ? (inputs[input] ?? '') : (stepOutputs[step]?.[out] ?? ''),
    );
  let log = '';
  let failed = false;
  const usesRun: string[] = [];
  for (const step of action.runs.steps) {
    if (step.uses) {
      // The conditions here are `always() && inputs.x == 'y' && steps.s.outputs.o != ''` shapes.
      const cond = (step.if ?? 'true')
        .replace(/\$\{\{|\}\}/g, '')
        .replace(/\binputs\.([\w-]+)/g, (_m, name: string) => `'${inputs[name] ?? ''}'`)
        .replace(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g, (_m, id: string, out: string) => `'${stepOutputs[id]?.[out] ?? ''}'`);
      const ok = cond
        .split('&&')
        .map((c) => c.trim())
        .every((c) => {
          if (c === 'always()' || c === 'true') return true;
          const m = /^'(.*?)'\s*(==|!=)\s*'(.*)'$/.exec(c);
          if (!m) throw new Error(`unexpected condition ${c}`);
          return m[2] === '==' ? m[1] === m[3] : m[1] !== m[3];
        });
      if (ok) usesRun.push(step.uses);
      continue;
    }
    if (failed) break;
    const outFile = join(scratch, `out-${step.id ?? 'x'}`);
    writeFileSync(outFile, '');
    const script = join(scratch, 'step.sh');
    writeFileSync(script, step.run!);
    const env = cleanEnv({
      ...readGithubFile(envFile),
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v))])),
      GITHUB_ACTION_PATH: resolve('.'),
      GITHUB_WORKSPACE: workspace,
      GITHUB_ENV: envFile,
      GITHUB_OUTPUT: outFile,
      RUNNER_TEMP: scratch,
    });
    const res = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env, encoding: 'utf8' });
    log += res.stdout + res.stderr;
    if (step.id) stepOutputs[step.id] = readGithubFile(outFile);
    if (res.status !== 0) failed = true;
  }
  const outputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries((action as unknown as { outputs: Record<string, { value: string }> }).outputs)) {
    outputs[name] = expand(spec.value);
  }
  return { log, failed, outputs, usesRun };
}

function repoWithKey(key: string): string {
  const root = gitRepo({ 'README.md': '# app\n' });
  expect(commit(root, { 'README.md': '# app\n' }).code).toBe(0);
  writeFileSync(join(root, 'deploy.env'), `SPREEFLO_API_KEY=${key}\n`);
  return root;
}

describe('action.yml', () => {
  it('is a composite action: node set up, the script run, SARIF uploaded with codeql-action; nothing installed or built', () => {
    expect(action.runs.using).toBe('composite');
    const uses = action.runs.steps.filter((s) => s.uses).map((s) => s.uses!.split('@')[0]);
    expect(uses).toEqual(['actions/setup-node', 'github/codeql-action/upload-sarif']);
    const runs = action.runs.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('node "$GITHUB_ACTION_PATH/scripts/action.mjs"');
    expect(runs).not.toMatch(/npm ci|build/);
    // Every input reaches the script (INPUT_NAME, as for a JavaScript action) or a step of its own.
    const scanEnv = action.runs.steps.find((s) => s.id === 'scan')!.env!;
    for (const name of Object.keys(action.inputs)) {
      if (!['fail-on-findings', 'sarif-category', 'node-version'].includes(name)) expect(scanEnv[`INPUT_${name.toUpperCase()}`]).toBe(`\${{ inputs.${name} }}`);
    }
    expect(JSON.parse(readFileSync('package.json', 'utf8')).files).toContain('action.yml');
  });

  const key = makeV2Key();
  it.each([
    ['a clean checkout passes', {}, false, 0, false],
    ['fail-on-findings: false reports and passes', { key: true, 'fail-on-findings': 'false' }, false, 1, false],
    ['upload-sarif writes SARIF, annotates, uploads, then fails', { key: true, 'upload-sarif': 'true' }, true, 1, true],
  ] as const)('%s', (_name, opts, failed, code, sarif) => {
    const root = 'key' in opts ? repoWithKey(key) : gitRepo({ 'a.txt': 'clean\n' });
    const { key: _k, ...given } = opts as Record<string, string | boolean>;
    const res = runAction(root, given as Record<string, string>);
    expect(res.failed, res.log).toBe(failed);
    expect(res.outputs['exit-code']).toBe(String(code));
    expect(res.log).not.toContain(key);
    if (code === 1) expect(res.log).toMatch(/::error file=deploy\.env,line=1,title=Spreeflo API key::/);
    if (sarif) {
      expect(res.usesRun).toContain('github/codeql-action/upload-sarif@v3');
      const report = JSON.parse(readFileSync(join(root, 'spreeflo-scan.sarif'), 'utf8'));
      expect(report.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('deploy.env');
      expect(res.outputs['sarif-file']).toBe('spreeflo-scan.sarif');
    } else {
      expect(res.usesRun).not.toContain('github/codeql-action/upload-sarif@v3');
    }
  });

  it('a range input scans those commits (history RANGE), with a baseline', () => {
    const root = gitRepo({ 'a.txt': 'a\n' });
    expect(commit(root, { 'a.txt': 'a\n' }).code).toBe(0);
    const base = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
    expect(commit(root, { 'src/config.ts': `export const k = "${key}";\n` }, cleanEnv({}), root).code).toBe(0);
    const res = runAction(root, { range: `${base}..HEAD` });
    expect(res.failed, res.log).toBe(true);
    expect(res.outputs).toMatchObject({ 'exit-code': '1', range: `${base}..HEAD` });
    expect(res.log).toContain('src/config.ts');
    expect(res.log).not.toContain(key);

    // The same range with that finding in the baseline passes.
    const baseline = join(root, '.spreeflo-baseline.json');
    const report = spawnSync(process.execPath, [resolve('bin/spreeflo-scan.js'), 'history', `${base}..HEAD`, '--format', 'json', '--output', baseline], {
      cwd: root,
      env: cleanEnv(),
    });
    expect(report.status).toBe(1);
    const again = runAction(root, { range: `${base}..HEAD`, baseline: '.spreeflo-baseline.json' });
    expect(again.outputs['exit-code'], again.log).toBe('0');
    expect(again.failed).toBe(false);
  });
});
