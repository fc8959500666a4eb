// `scan` of a large tree runs in a child node with a lean heap (src/cli/node-child.ts):
// its report, --output, standard input, exit code and signals are the command's.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeV2Key } from '../support/keys.js';
import { BIN, runCli, tempDir, writeTree } from '../support/cli.js';
import { alive, children, runWatchingForNodeChild } from '../support/processes.js';

/** Enough entries at its top for src/scan/prestart.ts's `looksBig`. */
function bigTree(files: Record<string, string> = {}): string {
  const root = tempDir('sfscan-child-');
  writeTree(root, { ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`notes-${i}.txt`, `line ${i}\n`])), ...files });
  return root;
}

/** The parent's node child running BIN, waited for (null if none came while the parent ran). */
async function nodeChild(parent: { pid?: number; exitCode: number | null }, deadline = Date.now() + 20_000) {
  while (parent.exitCode === null && Date.now() < deadline) {
    const child = children(parent.pid!).find((c) => c.args.includes(BIN));
    if (child) return child;
    await new Promise((r) => setTimeout(r, 2));
  }
  return null;
}

describe('scan: a large tree in a lean child node', () => {
  const key = makeV2Key();
  const tree = bigTree({ 'app/config.env': `KEY=${key}\n` });

  it("reports as the command does: findings in the tree and on standard input, --output, exit codes", () => {
    const out = join(tempDir(), 'report.json');
    const run = runCli(['scan', tree, '-', '--no-progress', '--format', 'json', '--output', out], { input: `TOKEN=${key}\n` });
    expect(run.code).toBe(1);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.findings.map((f: any) => `${f.path} ${f.line}`).sort()).toEqual(['<stdin> 1', `${tree}/app/config.env 1`].sort());
    expect(report.findings.every((f: any) => !JSON.stringify(f).includes(key))).toBe(true);
    expect(runCli(['scan', bigTree(), '--no-progress']).code).toBe(0);
    const usage = runCli(['scan', tree, '--max-file-size', 'banana']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('banana');
  });

  it.runIf(process.platform === 'linux').each(['SIGTERM', 'SIGINT'] as const)('passes %s on to the child and ends with its code', async (signal) => {
    // Standard input left open: the child waits on it until the signal comes.
    const parent = spawn(process.execPath, [BIN, 'scan', tree, '-', '--no-progress'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => parent.on('exit', (code) => resolve(code)));
    const child = await nodeChild(parent);
    expect(child, 'no child node seen').not.toBeNull();
    expect(child!.args).toContain('--max-semi-space-size=2');
    parent.kill(signal);
    expect(await exited).toBe(signal === 'SIGTERM' ? 143 : 130);
    expect(alive(child!.pid)).toBe(false);
    parent.stdin!.destroy();
  });

  it('scans a small folder in the process itself', async () => {
    const small = tempDir();
    writeTree(small, { 'a.txt': 'nothing\n' });
    expect(await runWatchingForNodeChild(BIN, ['scan', small, '--no-progress'])).toEqual({ code: 0, nodeChild: false });
  });
});
