// A workspace package in an npm workspaces monorepo: `init` run in packages/web, a
// commit from there, and `scan` inside the package find the scanner, the repository's
// settings and report paths from the repository's top. The CLI is linked into
// node_modules/.bin (as npm installs a bin) rather than installed.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';
import { commit, git, gitRepo, init, run } from './helpers.js';

const WEB = 'packages/web';

/** A monorepo with the CLI linked where npm would put it: in the package, or hoisted to the top. */
function monorepo(installedIn: string, files: Record<string, string> = {}): string {
  const root = gitRepo({
    'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
    [`${WEB}/package.json`]: JSON.stringify({ name: 'web', devDependencies: { 'spreeflo-scan': '*' } }),
    [`${WEB}/src/app.ts`]: 'export const ok = 1;\n',
    ...files,
  });
  const bin = join(root, installedIn, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(BIN, join(bin, 'spreeflo-scan'));
  git(root, 'add', '-A', '--', '.', ':!**/node_modules');
  git(root, 'commit', '-q', '-m', 'set up the workspace');
  return root;
}

describe('a workspace package', () => {
  it.each([
    ['installed in the package', WEB],
    ['hoisted to the top', '.'],
  ])('init in packages/web, CLI %s: a commit with a key from packages/web is blocked', (_name, installedIn) => {
    const root = monorepo(installedIn);
    const cwd = join(root, WEB);
    const installed = init(cwd);
    expect(installed.code, installed.out).toBe(0);
    expect(installed.stdout).toContain(`${WEB}'s own install, else the top's`);
    const hook = readFileSync(join(root, '.git', 'hooks', 'pre-commit'), 'utf8');
    // The package's own install first, then the top's (where npm hoists it).
    expect(hook).toContain(`if [ -x ${WEB}/node_modules/.bin/spreeflo-scan ]; then`);
    expect(hook).toContain('elif [ -x node_modules/.bin/spreeflo-scan ]; then');

    const key = makeV2Key();
    const blocked = commit(root, { [`${WEB}/src/x.env`]: `SPREEFLO_API_KEY=${key}\n` }, undefined, cwd);
    expect(blocked.code, blocked.out).toBe(1);
    expect(blocked.out).toContain(`${WEB}/src/x.env`);
    expect(blocked.out).not.toContain(key);
    expect(blocked.out).not.toMatch(/cannot run/);
  });

  it('scan inside the package: settings from the top, paths from the top in every format', () => {
    const key = makeV2Key();
    const root = monorepo(WEB, {
      '.spreeflo-scan.yaml': 'exclude: ["fixtures/"]\n',
      '.spreeflo-scan-ignore': `${WEB}/docs/\n`,
      [`${WEB}/src/x.env`]: `SPREEFLO_API_KEY=${key}\n`,
      [`${WEB}/fixtures/a.env`]: `SPREEFLO_API_KEY=${key}\n`,
      [`${WEB}/docs/b.md`]: `key: ${key}\n`,
    });
    const cwd = join(root, WEB);
    const scan = (args: string[], at: string) => run(process.execPath, [BIN, 'scan', '--no-progress', ...args], at);
    // [cwd, args]: from inside the package, and naming it from the top.
    const cases: [string, string[]][] = [
      [cwd, []],
      [root, [WEB]],
    ];
    for (const [at, args] of cases) {
      const json = scan([...args, '--format', 'json'], at);
      expect(json.code, json.stderr).toBe(1);
      const report = JSON.parse(json.stdout);
      expect(report.findings.map((f: { path: string }) => f.path)).toEqual([`${WEB}/src/x.env`]);
      // The top's ignore file applied, its fingerprint-ready path from the top.
      expect(report.suppressed.map((s: { path: string; reason: string }) => [s.path, s.reason])).toEqual([
        [`${WEB}/docs/b.md`, 'path ignored by ' + join(root, '.spreeflo-scan-ignore')],
      ]);
      expect(report.findings[0].fingerprint).toBe(`${report.findings[0].keySha256}:${WEB}/src/x.env`);

      const sarif = JSON.parse(scan([...args, '--format', 'sarif'], at).stdout);
      expect(sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri)).toEqual([`${WEB}/src/x.env`]);

      const text = scan(args, at).stdout;
      expect(text).toContain(`${WEB}/src/x.env:1`);
    }
  });
});
