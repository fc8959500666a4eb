// OCR benchmark on a generated screenshot set.
//
//   npx tsx scripts/render-screenshots/render.ts --preset bench --count 80 --seed 7   # -> bench/.work/ocr
//   npx tsx bench/ocr/run.ts [--dir bench/.work/ocr] [--workers N] [--verbose] [--only 012,031] [--times] [--show-keys]
//
// Reports exact recovery of v2 and v1 keys (any confidence, and 'high'),
// invented high-confidence keys, flagged images, and seconds per image cold
// (engine start included, empty cache) and warm (same images, cache filled).
// `--times`: the slowest pictures of the cold pass, each by the time it held its slot.
// `--verbose` marks each found key that is one of the picture's keys `exact`: the printed
// form is redacted, so a near miss would otherwise look the same.
import './shown.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { createOcrPool, type ImageResult } from '../../src/ocr/index.js';

/** `family`, `hidden`: the wild sets (scripts/render-screenshots/wild.ts); a key with characters hidden is only expected flagged. */
interface Entry { file: string; family?: string; keys: { ruleId: string; key: string; hidden?: number }[]; decoys: { type: string; text: string }[] }

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'bench/.work/ocr' },
    workers: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    only: { type: 'string' },
    json: { type: 'string' },
    times: { type: 'boolean', default: false },
  },
});
const dir = values.dir!;
const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { images: Entry[] };
let images = manifest.images;
if (values.only) {
  const only = values.only.split(',');
  images = images.filter((e) => only.some((o) => e.file.startsWith(o)));
}
const buffers = await Promise.all(images.map((e) => readFile(join(dir, e.file))));
const cacheDir = await mkdtemp(join(tmpdir(), 'sf-ocr-bench-'));

const workers = values.workers ? Number(values.workers) : availableParallelism();

async function pass(): Promise<{ results: ImageResult[]; seconds: number; held: number[] }> {
  const t0 = performance.now();
  const pool = createOcrPool({ workers, cacheDir });
  const done: number[] = [];
  const results = await Promise.all(images.map((e, i) => pool.recognize(buffers[i]!, e.file).then((r) => ((done[i] = performance.now() - t0), r))));
  await pool.close();
  // The pool starts pictures in order, each when a slot frees: the nth picture past the
  // first `workers` starts at the nth end (the first picture's time includes the engines' start).
  const ends = [...done].sort((a, b) => a - b);
  const held = done.map((d, i) => (d - (i < workers ? 0 : ends[i - workers]!)) / 1000);
  return { results, seconds: (performance.now() - t0) / 1000, held };
}

const cold = await pass();
const warm = await pass();
await rm(cacheDir, { recursive: true, force: true });

/** Keys the image shows whole enough to read exactly: a v2 key with at most one character covered (the checksum fills it in), a v1 key with none. */
const readable = (k: Entry['keys'][number]) => !k.hidden || (k.ruleId.endsWith('v2') && k.hidden <= 1);
const families = new Map<string, { v2: number; v2Exact: number; v1: number; v1Exact: number; withKey: number; flagged: number; inventedHigh: number; negatives: number }>();
const stats = { v2: 0, v2Exact: 0, v2High: 0, v1: 0, v1Exact: 0, v1High: 0, inventedHigh: 0, inventedLow: 0, withKey: 0, flagged: 0, negatives: 0, negFlagged: 0, skipped: 0 };
for (const [i, e] of images.entries()) {
  const res = cold.results[i]!;
  const expected = new Set(e.keys.map((k) => k.key));
  if (res.skipped) stats.skipped++;
  const fam = families.get(e.family ?? 'all') ?? { v2: 0, v2Exact: 0, v1: 0, v1Exact: 0, withKey: 0, flagged: 0, inventedHigh: 0, negatives: 0 };
  families.set(e.family ?? 'all', fam);
  for (const k of e.keys) {
    const c = res.candidates.find((x) => x.key === k.key);
    if (readable(k)) {
      if (k.ruleId.endsWith('v2')) { fam.v2++; if (c) fam.v2Exact++; } else { fam.v1++; if (c) fam.v1Exact++; }
    }
    if (k.ruleId.endsWith('v2')) { stats.v2++; if (c) stats.v2Exact++; if (c?.confidence === 'high') stats.v2High++; }
    else { stats.v1++; if (c) stats.v1Exact++; if (c?.confidence === 'high') stats.v1High++; }
  }
  const invented = res.candidates.filter((c) => !expected.has(c.key));
  stats.inventedHigh += invented.filter((c) => c.confidence === 'high').length;
  stats.inventedLow += invented.filter((c) => c.confidence === 'low').length;
  fam.inventedHigh += invented.filter((c) => c.confidence === 'high').length;
  if (e.keys.length) { fam.withKey++; if (res.candidates.length) fam.flagged++; } else fam.negatives++;
  if (e.keys.length) { stats.withKey++; if (res.candidates.length) stats.flagged++; }
  else { stats.negatives++; if (res.candidates.length) stats.negFlagged++; }
  const missed = e.keys.filter((k) => !res.candidates.some((c) => c.key === k.key && (k.ruleId.endsWith('v1') || c.confidence === 'high')));
  const bad = invented.filter((c) => c.confidence === 'high');
  if (values.verbose || missed.length || bad.length) {
    console.log(`${e.file}: ${missed.length ? 'MISSED ' + missed.map((k) => k.key).join(' ') : ''}${bad.length ? ' INVENTED ' + bad.map((c) => c.key).join(' ') : ''}`);
    for (const c of res.candidates) console.log(`    found ${c.confidence} ${c.key} ${JSON.stringify(c.box)}${expected.has(c.key) ? ' exact' : ''}`);
    for (const d of e.decoys) console.log(`    decoy ${d.type} ${d.text}`);
  }
}
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
const summary = {
  images: images.length,
  v2: `${stats.v2Exact}/${stats.v2} exact (${pct(stats.v2Exact, stats.v2)}), ${stats.v2High} high`,
  v1: `${stats.v1Exact}/${stats.v1} exact (${pct(stats.v1Exact, stats.v1)}), ${stats.v1High} high`,
  inventedHigh: stats.inventedHigh,
  inventedLow: stats.inventedLow,
  flagged: `${stats.flagged}/${stats.withKey} images with a key`,
  negativesFlagged: `${stats.negFlagged}/${stats.negatives} (low candidates only)`,
  skipped: stats.skipped,
  secondsPerImageCold: +(cold.seconds / images.length).toFixed(3),
  secondsPerImageWarm: +(warm.seconds / images.length).toFixed(4),
  totalCold: +cold.seconds.toFixed(1),
};
console.log(JSON.stringify(summary, null, 2));
if (values.times) {
  const slowest = images.map((e, i) => ({ file: e.file, s: cold.held[i]! })).sort((a, b) => b.s - a.s).slice(0, 5);
  console.log(`slowest (s held, cold): ${slowest.map((x) => `${x.file} ${x.s.toFixed(1)}`).join(', ')}`);
}
if (families.size > 1 || !families.has('all')) {
  console.log('| family | v2 exact | v1 exact | images with a key flagged | invented high (negatives) |');
  for (const [name, f] of families) console.log(`| ${name} | ${f.v2Exact}/${f.v2} (${pct(f.v2Exact, f.v2)}) | ${f.v1Exact}/${f.v1} (${pct(f.v1Exact, f.v1)}) | ${f.flagged}/${f.withKey} | ${f.inventedHigh} (${f.negatives}) |`);
}
if (values.json) await (await import('node:fs/promises')).writeFile(values.json, JSON.stringify(summary, null, 2));
