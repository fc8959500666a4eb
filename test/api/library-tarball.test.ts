// The library API as a Node user gets it: the packed tarball installed in a fresh project
// (`npm init -y && npm i <tgz>`), imported from an .mjs that scans a folder, a staged change
// and a repository's history, and its types checked by tsc on a .ts consumer.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeV1Key, makeV2Key } from '../support/keys.js';
import { tempDir, writeTree } from '../support/cli.js';
import { checkReport } from '../support/report-schema.js';
import { git, gitRepo, run } from '../hooks/helpers.js';
import { NPM_FLAGS, npmEnvironment, packTarball } from '../support/pack.js';

const TSC = resolve('node_modules/typescript/bin/tsc');

/** Scans what argv names and prints the three reports: the only output the process may have. */
const CONSUMER_MJS = `import { scanFiles, scanHistory, scanStaged, SCHEMA_VERSION } from 'spreeflo-scan';
const [folder, repo] = process.argv.slice(2);
const files = await scanFiles(folder, { ocr: false });
const staged = await scanStaged({ cwd: repo });
const history = await scanHistory({ cwd: repo });
process.stdout.write(JSON.stringify({ SCHEMA_VERSION, files, staged, history }));
`;

/** Uses the published types; the @ts-expect-error lines fail the check if the types were \`any\`. */
const CONSUMER_TS = `import { scanFiles, scanHistory, scanStaged, SCHEMA_VERSION, type Report, type ReportFinding, type ScanFilesOptions } from 'spreeflo-scan';
const options: ScanFilesOptions = { exclude: ['vendor/**'], maxFileSize: '10MB', ocr: false };
const report: Report = await scanFiles(['.'], options);
const first: ReportFinding | undefined = report.findings[0];
export const where: string | null = first ? first.path : null;
export const version: 1 = report.schemaVersion === SCHEMA_VERSION ? report.schemaVersion : 1;
export const live: boolean = report.keys.some((k) => k.verification.status === 'live');
await scanStaged({ cwd: '.', allStaged: true });
await scanHistory({ range: 'HEAD~1..HEAD', maxFileSize: 1_000_000 });
// @ts-expect-error: not an option
await scanFiles('.', { notAnOption: true });
// @ts-expect-error: a finding is an object
export const wrong: string = report.findings[0];
`;

let project = '';
let env: NodeJS.ProcessEnv = {};

beforeAll(() => {
  const tarball = packTarball();
  env = npmEnvironment();
  project = tempDir('sfscan-lib-');
  for (const args of [['init', '-y'], ['pkg', 'set', 'type=module'], ['install', ...NPM_FLAGS, tarball]]) {
    const res = run('npm', args, project, env);
    if (res.code !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${res.out}`);
  }
}, 300_000);

describe('the library API, installed from the packed tarball', () => {
  it('scanFiles, scanStaged and scanHistory resolve to JSON reports and print nothing else', () => {
    const [fileKey, stagedKey, committedKey] = [makeV2Key(), makeV2Key(), makeV1Key()];
    const folder = tempDir('sfscan-lib-files-');
    writeTree(folder, { 'app/.env': `SPREEFLO_API_KEY=${fileKey}\n`, 'README.md': 'nothing here\n' });
    const repo = gitRepo({ 'legacy.py': `KEY = "${committedKey}"\n` });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'legacy');
    writeFileSync(join(repo, 'settings.env'), `SPREEFLO_API_KEY=${stagedKey}\n`);
    git(repo, 'add', 'settings.env');
    writeFileSync(join(project, 'consumer.mjs'), CONSUMER_MJS);

    const res = run(process.execPath, ['consumer.mjs', folder, repo], project, env);
    expect(res.code, res.out).toBe(0);
    expect(res.stderr).toBe('');
    for (const key of [fileKey, stagedKey, committedKey]) expect(res.stdout).not.toContain(key);
    const { SCHEMA_VERSION, files, staged, history } = JSON.parse(res.stdout);
    expect(SCHEMA_VERSION).toBe(1);
    const where = (report: { findings: Array<{ path: string; source: string }> }) => report.findings.map((f) => [f.source, f.path]);
    expect(where(files)).toEqual([['file', 'app/.env']]);
    expect(where(staged)).toEqual([['staged', 'settings.env']]);
    expect(where(history)).toEqual([['history', 'legacy.py']]);
    for (const report of [files, staged, history]) checkReport(report);
  });

  it('ships the schema the suite checks reports against', () => {
    const shipped = readFileSync(join(project, 'node_modules/spreeflo-scan/schema/report.schema.json'), 'utf8');
    expect(shipped).toBe(readFileSync('schema/report.schema.json', 'utf8'));
  });

  it('a TypeScript consumer type-checks against the published types', () => {
    writeFileSync(join(project, 'consumer.ts'), CONSUMER_TS);
    // No @types/node: the published types must stand alone; skipLibCheck off checks them too.
    const compilerOptions = { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022'], types: [], skipLibCheck: false };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    const res = run(process.execPath, [TSC, '-p', '.'], project, env);
    expect(res.code, res.out).toBe(0);
  });
});
