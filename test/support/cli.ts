// Runs the built CLI as users do (node bin/spreeflo-scan.js) and captures everything.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { checkCliReport } from './report-schema.js';

export const BIN = resolve('bin/spreeflo-scan.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): CliRun {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    encoding: 'utf8',
    input: opts.input ?? '',
    maxBuffer: 64 * 1024 * 1024,
  });
  const run = { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
  checkCliReport(args, run, opts.cwd);
  return run;
}

export function tempDir(prefix = 'sfscan-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `files` (relative path -> content) under `root`. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

export interface JsonFinding {
  rule: string;
  path: string;
  line: number;
  column: number;
  keySha256: string;
  redacted: string;
  confidence: string;
  source: string;
  fingerprint: string;
  encoding?: string;
  [k: string]: unknown;
}

export function scanJson(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const run = runCli(['scan', ...args, '--format', 'json'], opts);
  if (run.code === 2) throw new Error(`scan failed: ${run.stderr}`);
  return { run, report: JSON.parse(run.stdout) as { summary: Record<string, number>; findings: JsonFinding[]; keys: any[]; skipped: any[]; suppressed: any[] } };
}

/** Like runCli, but without blocking this process (for tests that serve HTTP to the CLI). */
export function runCliAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (code) => {
      const run = { code: code ?? -1, stdout, stderr };
      try {
        checkCliReport(args, run, opts.cwd);
        resolvePromise(run);
      } catch (err) {
        reject(err);
      }
    });
  });
}
