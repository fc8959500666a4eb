// Reading objects straight from pack files: every object of real repositories,
// packed the ways git packs them, must come out byte for byte as git stores it
// (its SHA-1 over "<type> <size>\0<content>" is its id).
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { PackIndex } from '../../src/git/pack-index.js';
import { PackStore } from '../../src/git/pack-reader.js';
import { DeltaBaseCache } from '../../src/git/delta-base-cache.js';
import { TestRepo } from '../support/git.js';

/** A repository whose files change a little in each commit, so that most versions are stored as deltas. */
function historyOfEdits(): TestRepo {
  const repo = new TestRepo();
  const lines = Array.from({ length: 400 }, (_, i) => `line ${i}: ${'abcdefghij'.repeat(1 + (i % 5))}`);
  const binary = randomBytes(20_000);
  for (let v = 0; v < 25; v++) {
    lines[(v * 37) % lines.length] = `edited in version ${v}`;
    lines.splice((v * 11) % lines.length, 0, `inserted in version ${v}`);
    binary[v * 97] = v;
    repo.commit(`version ${v}`, {
      'src/big.txt': lines.join('\n'),
      'src/small.txt': `version ${v}\n`,
      'assets/blob.bin': Buffer.from(binary),
      ...(v % 5 === 0 ? { [`notes/${v}.md`]: lines.slice(0, 50).join('\n') } : {}),
    });
  }
  return repo;
}

const idOf = (type: string, data: Buffer) => createHash('sha1').update(`${type} ${data.length}\0`).update(data).digest('hex');

function everyObject(repo: TestRepo): { id: string; type: string }[] {
  return repo
    .git('cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)')
    .split('\n')
    .map((line) => {
      const [id, type] = line.split(' ');
      return { id: id!, type: type! };
    });
}

describe('pack reader', () => {
  const packings = [
    { name: 'offset deltas (git repack -adf)', config: [] as string[], cacheBytes: undefined },
    { name: 'reference deltas (repack.useDeltaBaseOffset=false)', config: ['-c', 'repack.useDeltaBaseOffset=false'], cacheBytes: undefined },
    { name: 'offset deltas, a 64 KiB cache (evictions, chains rebuilt)', config: [] as string[], cacheBytes: 64 * 1024 },
  ];

  it.each(packings)('$name: every object comes out as git stored it', ({ config, cacheBytes }) => {
    const repo = historyOfEdits();
    repo.git(...config, 'repack', '-adfq', '--depth=50', '--window=50');
    const objects = everyObject(repo);
    const index = PackIndex.load(repo.git('rev-parse', '--path-format=absolute', '--git-path', 'objects'));
    const store = new PackStore(index.packs(), cacheBytes);
    try {
      // In pack order and then backwards, so bases are found both cached and not.
      for (const { id, type } of [...objects, ...[...objects].reverse()]) {
        const at = index.find(id);
        expect(at, id).not.toBeNull();
        const obj = store.read(at!);
        expect(obj.type).toBe(type);
        expect(idOf(obj.type, obj.data)).toBe(id);
      }
    } finally {
      store.close();
    }
    expect(repo.git('verify-pack', '-v', index.packs()[0]!.idxPath)).toMatch(/chain length = [2-9]/);
  });

  it('an id no pack holds (a loose object) is not found', () => {
    const repo = historyOfEdits();
    repo.git('repack', '-adq');
    const loose = repo.git('hash-object', '-w', '--stdin');
    const index = PackIndex.load(repo.git('rev-parse', '--path-format=absolute', '--git-path', 'objects'));
    expect(index.find(loose)).toBeNull();
    expect(index.find('not an id')).toBeNull();
  });

  it('a repository without packs has an empty index', () => {
    const repo = new TestRepo();
    repo.commit('one', { 'a.txt': 'a\n' });
    const index = PackIndex.load(repo.git('rev-parse', '--path-format=absolute', '--git-path', 'objects'));
    expect(index.packs()).toEqual([]);
    expect(index.find(repo.git('rev-parse', 'HEAD'))).toBeNull();
  });
});

describe('delta base cache', () => {
  const fill = (byte: number) => (out: Buffer) => out.fill(byte);
  // Each step builds an object (offset, size) in a 100-byte ring with 40-byte objects at most;
  // `kept` is what must still be there afterwards, each with its own bytes.
  const cases: { name: string; steps: [number, number][]; kept: number[]; gone: number[] }[] = [
    { name: 'objects that fit are all kept', steps: [[1, 30], [2, 30], [3, 30]], kept: [1, 2, 3], gone: [] },
    { name: 'wrapping round drops the oldest', steps: [[1, 30], [2, 30], [3, 30], [4, 30]], kept: [2, 3, 4], gone: [1] },
    { name: 'what does not fit before the end goes to the start', steps: [[1, 40], [2, 40], [3, 30]], kept: [2, 3], gone: [1] },
    {
      name: 'a wrap drops what the last lap left past the end first',
      steps: [[1, 40], [2, 40], [3, 15], [4, 30], [5, 10], [6, 40], [7, 30]],
      kept: [5, 6, 7],
      gone: [1, 2, 3, 4],
    },
    { name: 'a second lap drops in order', steps: [[1, 40], [2, 40], [3, 40], [4, 40], [5, 40]], kept: [4, 5], gone: [1, 2, 3] },
    { name: 'too large for the cache: built, not kept', steps: [[1, 30], [2, 50]], kept: [1], gone: [2] },
  ];

  it.each(cases)('$name', ({ steps, kept, gone }) => {
    const cache = new DeltaBaseCache(100, 40);
    for (const [offset, size] of steps) {
      const obj = cache.build(offset, 'blob', size, fill(offset));
      expect(obj.data.length).toBe(size);
      expect(obj.data.every((b) => b === offset)).toBe(true);
    }
    for (const offset of kept) {
      const data = cache.get(offset)?.data;
      expect(data?.every((b) => b === offset), `object ${offset}`).toBe(true);
    }
    for (const offset of gone) expect(cache.get(offset), `object ${offset}`).toBeUndefined();
  });

  it('never writes a new object over the base it is built from', () => {
    const cache = new DeltaBaseCache(100, 60);
    const base = cache.build(1, 'blob', 50, fill(1));
    cache.build(2, 'blob', 40, fill(2));
    // The next 50 bytes would wrap onto the base: they get their own memory instead.
    const built = cache.build(3, 'blob', 50, (out) => base.data.copy(out), base.data);
    expect(built.data.every((b) => b === 1)).toBe(true);
    expect(cache.get(1)?.data.every((b) => b === 1)).toBe(true);
  });
});
