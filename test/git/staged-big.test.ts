// `staged` on files past the whole-file limit (64 MiB; 128 KiB here through the test knob):
// git leaves them out of the diff, their blob is read in chunks, and still only keys on
// added lines count, at the right line, in a new file and in a changed one.
import { describe, expect, it } from 'vitest';
import { makeV2Key } from '../support/keys.js';
import { runCli } from '../support/cli.js';
import { TestRepo } from '../support/git.js';

const env = { SPREEFLO_SCAN_CHUNK_BYTES: String(128 * 1024) };
/** Lines of filler, about 300 KB in all: past the limit and over several chunks. */
const filler = (from: number, n: number) => Array.from({ length: n }, (_, i) => `line ${from + i} of some ordinary text to pad it out`).join('\n') + '\n';

function staged(repo: TestRepo) {
  const run = runCli(['staged', '--format', 'json', '--no-cache'], { cwd: repo.dir, env });
  if (run.code === 2) throw new Error(run.stderr);
  return { code: run.code, places: (JSON.parse(run.stdout).findings as Array<{ path: string; line: number }>).map((f) => `${f.path}:${f.line}`) };
}

describe('staged: files past the whole-file limit', () => {
  it.each([
    ['a new file: every line counts', null, (k: string) => `${filler(1, 3000)}KEY=${k}\n${filler(3002, 3000)}`, ['big.txt:3001']],
    [
      'a changed file: the key it had does not count, the one added does',
      (old: string) => `KEY=${old}\n${filler(2, 6000)}`,
      (k: string, old: string) => `KEY=${old}\n${filler(2, 4000)}NEW=${k}\n${filler(4002, 2000)}`,
      ['big.txt:4002'],
    ],
  ] as const)('%s', (_name, head, index, expected) => {
    const repo = new TestRepo();
    const old = makeV2Key();
    repo.commit('init', { 'README.md': '# x\n', ...(head ? { 'big.txt': head(old) } : {}) });
    repo.write({ 'big.txt': index(makeV2Key(), old) });
    repo.git('add', '-A');
    const { code, places } = staged(repo);
    expect(places).toEqual(expected);
    expect(code).toBe(1);
  });
});
