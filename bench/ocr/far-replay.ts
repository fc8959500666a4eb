// The search past the region's bound (LOW_BUDGET, step 5 of docs/ocr.md) at other budgets:
// `--collect` reads the images given (paths in screenshot sets) with a trace and stores, for
// each region that reached the glyphs read alone, its readings and those reads, with the
// page's tilt; then each stored region is searched again as the pipeline's last search is
// (searchPastBound), at each budget of `--budgets` (powers of two), its last search taking any
// character at `--any` over a slot's cheapest (ANY_COST unless given), printing what it finds
// (TRUE: a key of the picture, decoy, other: a string not shown whose checksum holds, none)
// and its time.
// Keys are never printed.
//   npx tsx bench/ocr/far-replay.ts --collect --out /tmp/far.json /tmp/sets/wild-3103/recompressed-009.jpg …
//   npx tsx bench/ocr/far-replay.ts --out /tmp/far.json [--budgets 25,26,27] [--any 3]
import './shown.js';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEngines } from '../../src/ocr/engine.js';
import { MIN_SKEW, recognizeImage, searchPastBound, type Trace } from '../../src/ocr/pipeline.js';
import { decode, rotateGrey } from '../../src/ocr/preprocess.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { collect: { type: 'boolean', default: false }, out: { type: 'string', default: '/tmp/far-replay.json' }, budgets: { type: 'string', default: '25,26,27' }, any: { type: 'string' } } });
type Region = NonNullable<Trace['alone']>[number];
interface Stored { file: string; skew: number; truth: string[]; decoys: string[]; regions: Region[] }

if (values.collect) {
  const engines = await startEngines();
  const stored: Stored[] = [];
  for (const path of positionals) {
    const manifest = JSON.parse(await readFile(join(dirname(path), 'manifest.json'), 'utf8')) as { images: { file: string; keys: { key: string; ruleId: string }[]; decoys?: { key?: string }[] }[] };
    const e = manifest.images.find((m) => m.file === basename(path))!;
    const trace: Trace = { regions: 0, reads: 0, texts: [] };
    await recognizeImage(engines, await readFile(path), trace);
    const decoys = (e.decoys ?? []).map((d) => d.key ?? '').filter((k) => k.startsWith('sfk_'));
    stored.push({ file: path, skew: trace.skew ?? 0, truth: e.keys.filter((k) => k.ruleId.endsWith('v2')).map((k) => k.key), decoys, regions: trace.alone ?? [] });
    process.stderr.write('.');
  }
  await engines.terminate();
  await writeFile(values.out!, JSON.stringify(stored));
}

const budgets = values.budgets!.split(',').map(Number);
const stored = JSON.parse(await readFile(values.out!, 'utf8')) as Stored[];
const tally = budgets.map(() => ({ TRUE: 0, decoy: 0, other: 0, none: 0, ms: 0 }));
for (const s of stored) {
  if (!s.regions.length) continue;
  const decoded = await decode(await readFile(s.file));
  if (!decoded.ok) continue;
  const grey = Math.abs(s.skew) >= MIN_SKEW ? rotateGrey(decoded.grey, -s.skew).grey : decoded.grey;
  for (const r of s.regions) {
    const row = budgets.map((b, k) => {
      const t = performance.now();
      const res = searchPastBound(r.readings, grey, r.alone, 2 ** b, values.any ? Number(values.any) : undefined);
      const ms = performance.now() - t;
      const mark = !res.key ? 'none' : s.truth.includes(res.key) ? 'TRUE' : s.decoys.includes(res.key) ? 'decoy' : 'other';
      tally[k]![mark]++;
      tally[k]!.ms += ms;
      return `2^${b} ${mark} ${Math.round(ms)} ms`;
    });
    console.log(`${s.file.replace('/tmp/sets/', '')}: ${row.join(' | ')}`);
  }
}
budgets.forEach((b, k) => console.log(`2^${b}: ${JSON.stringify({ ...tally[k], ms: Math.round(tally[k]!.ms) })}`));
