// A wait that nothing can settle (a reader whose stream never ends, a worker gone
// quiet) must end as an unread item or an error, never as a hang or a silent exit 0.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli, tempDir, writeTree } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';
import { tar } from '../fixtures/documents/make.js';

const STALL = resolve('src/scan/stall.ts');

/** Runs a script with the stall guard loaded, as its own process (the guard acts when the process runs out of work). */
function runScript(body: string): string {
  const dir = tempDir();
  const file = join(dir, 'script.mts');
  writeFileSync(file, `const { owned } = await import(${JSON.stringify(STALL)});\n${body}\n`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 20_000 });
  expect(res.signal).toBeNull();
  return res.stdout + res.stderr;
}

/** A tar whose directory entry declares 5 bytes of body (as Go's hdr-only.tar): tar-stream never ends that entry. */
async function tarWithSizedDirectory(body: string): Promise<Buffer> {
  const data = await tar([{ name: 'dir/', type: 'directory' }, { name: 'dir/a.txt', body }]);
  const header = data.subarray(0, 512);
  header.write('00000000005\0', 124, 'latin1');
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return data;
}

describe('waits nobody can settle', () => {
  it.each([
    {
      name: 'a stalled wait is failed once the process has nothing left to run, and the caller goes on',
      body: `try { await owned('a reader', new Promise(() => {})); } catch (e) { console.log(e.name + ': ' + e.message); }\nconsole.log('went on');`,
      expected: ['StallError: a reader stopped without finishing', 'went on'],
    },
    {
      name: 'inner waits are failed first, so the outer one can still finish',
      body: `const outer = owned('the scan', (async () => { try { await owned('a reader', new Promise(() => {})); } catch { return 'recovered'; } })(), { outer: true });\nconsole.log(await outer);`,
      expected: ['recovered'],
    },
    {
      name: 'an outer wait left alone is failed too',
      body: `try { await owned('the scan', new Promise(() => {}), { outer: true }); } catch (e) { console.log(e.message); }`,
      expected: ['the scan stopped without finishing'],
    },
  ])('$name', ({ body, expected }) => {
    const out = runScript(body);
    for (const line of expected) expect(out).toContain(line);
  });

  it.each([
    { name: 'alone (read on the main thread)', files: 0 },
    { name: 'among 250 files (read while worker threads scan)', files: 250 },
  ])('a tar whose reader used to stall is read through and the scan finishes: $name', async ({ files }) => {
    const dir = tempDir();
    const [key, inTar] = [makeV2Key(), makeV2Key()];
    const tree: Record<string, string | Buffer> = { 'hdr-only.tar': await tarWithSizedDirectory(`KEY=${inTar}\n`), 'app.env': `KEY=${key}\n` };
    for (let i = 0; i < files; i++) tree[`src/f${i}.txt`] = `line ${i}\n`;
    writeTree(dir, tree);
    const run = runCli(['scan', '.', '--no-progress', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings.map((f: { path: string; entry?: string }) => [f.path, f.entry])).toEqual([['app.env', undefined], ['hdr-only.tar', 'dir/a.txt']]);
    expect(run.stdout).not.toContain(key);
  });
});
