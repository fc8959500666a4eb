// Files named like containers are never read whole when they are larger than the bytes a
// file's containers may expand to (256 MiB): their bytes go through the detector in
// chunks, and a real container is listed as not opened (issue 14: a 900 MB sparse .mp4
// took 1 GB of memory). Sparse files, so the test writes almost nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { closeSync, openSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { scanJson, tempDir } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';

const MIB = 1024 * 1024;
const dir = tempDir('sfscan-large-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A sparse file of `size` bytes: `head` at its start and a key near its end. */
function sparse(name: string, head: string, size: number): void {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  writeSync(fd, head, 0);
  writeSync(fd, `\nKEY=${makeV2Key()}\n`, size - 100);
  closeSync(fd);
  truncateSync(path, size);
}

const cases = [
  { name: 'stub.mp4', head: 'not a video', reason: /^video not read: the content is not one; its bytes were searched as text, in chunks$/, unread: false },
  { name: 'real.zip', head: 'PK\x03\x04', reason: /^archive not opened: 260 MiB, over the 256 MiB a container may take in memory; its bytes were searched as text$/, unread: true },
  { name: 'real.pdf', head: '%PDF-1.7', reason: /^PDF not opened: 260 MiB, over the 256 MiB/, unread: true },
  { name: 'plain.bin', head: 'PK\x03\x04', reason: /^archive not opened: 260 MiB/, unread: true },
];

describe('files too large to open in memory', () => {
  it.each(cases)('$name: searched in chunks, listed with the reason', ({ name, head, reason, unread }) => {
    sparse(name, head, 260 * MIB);
    const { report } = scanJson([name, '--no-progress'], { cwd: dir });
    expect(report.findings.map((f) => [f.path, f.line])).toEqual([[name, 2]]);
    const skipped = report.skipped.filter((s) => s.path === name);
    expect(skipped).toHaveLength(1);
    expect(skipped[0].reason).toMatch(reason);
    expect(skipped[0].unread).toBe(unread);
    rmSync(join(dir, name));
  });
});
