// `npm run fake-api` starts the suite's fake Spreeflo for people trying --verify: the
// script runs for real, prints the URL first, and the scanner, pointed at it, names
// the keys to revoke; a bad keys file is a clear error.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempDir } from '../support/cli.js';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
let child: ChildProcess | undefined;

afterEach(() => child?.kill('SIGTERM'));

/** Starts the script; resolves with its first lines once it says how to stop it. */
function start(args: string[]): Promise<string[]> {
  child = spawn(tsx, [join(root, 'scripts', 'fake-api.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    createInterface({ input: child!.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('Ctrl-C')) resolve(lines);
    });
    child!.on('exit', (code) => reject(new Error(`fake-api exited (${code}): ${lines.join('\n')}`)));
  });
}

describe('npm run fake-api', () => {
  it('serves three made-up keys and says where they are; --verify names the ones Spreeflo names', async () => {
    const lines = await start([]);
    const url = /^SPREEFLO_API_URL=(http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0]!)![1]!;
    const file = /They are in (\S+)\./.exec(lines.join('\n'))![1]!;
    expect(readFileSync(file, 'utf8').match(/sfk_/g)).toHaveLength(3);
    const run = await runCliAsync(['scan', file, '--verify', '--no-progress', '--format', 'json'], { env: { SPREEFLO_API_URL: url } });
    const verified = JSON.parse(run.stdout).findings.map((f: { verification: { status: string; keyName?: string } }) => `${f.verification.status} ${f.verification.keyName ?? ''}`.trim());
    // A revoked key answers 401 like an unknown one: Spreeflo gives no name for it.
    expect(verified.sort()).toEqual(['live Zapier sync', 'plan_restricted CRM export', 'revoked']);
    // Never a whole key on its screen.
    expect(lines.join('\n')).not.toMatch(/sfk_[0-9A-Za-z]{36}/);
  });

  it.each([
    ['not JSON', 'nope'],
    ['not a list', '{"key": "x"}'],
    ['a wrong state', '[{"key": "sfk_x", "name": "a", "state": "alive"}]'],
  ])('refuses a keys file that is %s', async (_name, text) => {
    const file = join(tempDir(), 'keys.json');
    writeFileSync(file, text);
    await expect(start(['--keys', file])).rejects.toThrow(/exited \(2\)/);
  });
});
