// `history` over the whole history runs in a child node with a lean heap
// (src/cli/node-child.ts): its report, exit code and signals are the command's.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { makeV2Key } from '../support/keys.js';
import { BIN, runCli } from '../support/cli.js';
import { TestRepo } from '../support/git.js';
import { alive, children, runWatchingForNodeChild } from '../support/processes.js';

describe('history: the whole history in a lean child node', () => {
  const repo = new TestRepo();
  const key = makeV2Key();
  const commit = repo.commit('add config', { 'config.env': `KEY=${key}\n` });
  repo.commit('drop the key', { 'config.env': 'KEY=\n' });

  it("reports as the command does: the child's findings, report and exit code", () => {
    const run = runCli(['history', '--format', 'json'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings.map((f: any) => `${f.commit} ${f.path} ${f.line}`)).toEqual([`${commit} config.env 1`]);
    const clean = new TestRepo();
    clean.commit('init', { 'README.md': '# app\n' });
    expect(runCli(['history'], { cwd: clean.dir }).code).toBe(0);
  });

  it.runIf(process.platform === 'linux').each(['SIGTERM', 'SIGINT'] as const)('passes %s on to the child and ends with its code', async (signal) => {
    const parent = spawn(process.execPath, [BIN, 'history', '--no-progress'], { cwd: repo.dir, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => parent.on('exit', (code) => resolve(code)));
    let child: { pid: number; args: string[] } | undefined;
    const deadline = Date.now() + 20_000;
    while (!child && Date.now() < deadline) {
      child = children(parent.pid!).find((c) => c.args.includes(BIN));
      if (!child) await new Promise((r) => setTimeout(r, 2));
    }
    expect(child, 'no child node seen').toBeDefined();
    expect(child!.args).toContain('--max-semi-space-size=1');
    // The signal goes to the parent only, as `kill` or a CI timeout sends it.
    parent.kill(signal);
    expect(await exited).toBe(signal === 'SIGTERM' ? 143 : 130);
    expect(alive(child!.pid)).toBe(false);
  });

  it('scans a range in the process itself', async () => {
    expect(await runWatchingForNodeChild(BIN, ['history', 'HEAD~1..HEAD', '--no-progress'], repo.dir)).toEqual({ code: 0, nodeChild: false });
  });
});
