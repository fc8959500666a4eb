// sameSpotV1 (pipeline.ts) on readings stored by `v1-replay.ts --collect`: each
// region's v1 key as the pipeline finishes it (finishV1, with the picture: a few
// reads of one glyph each), the whole v1 keys listed as readPage lists them (those
// whose region read the `f` of `-sf` first, one per spot), before and after the keys
// read at one spot are voted together. Per picture whose listed keys change: exact
// or not before and after, and what the pipeline listed when the readings were stored.
//   npx tsx bench/ocr/v1-spots.ts readings.json ...
import { readFile } from 'node:fs/promises';
import { startEngines } from '../../src/ocr/engine.js';
import { byWrittenSuffix, finishV1, listedOver, sameSpotV1, type V1Read } from '../../src/ocr/pipeline.js';
import type { ImageCandidate } from '../../src/ocr/types.js';
import { storedV1 } from './stored-v1.js';

const engines = await startEngines();
const lstm = () => engines.live(engines.lstm);
const pipelineOf = new Map<string, string[]>();
for (const path of process.argv.slice(2)) for (const s of JSON.parse(await readFile(path, 'utf8')) as { file: string; pipeline?: string[] }[]) pipelineOf.set(s.file, s.pipeline ?? []);
/** As readPage's last loop: a whole v1 key overlapping one listed before it is left out. */
function listed(lows: ImageCandidate[], fUnread: Set<ImageCandidate>): string[] {
  const out: ImageCandidate[] = [];
  for (const l of byWrittenSuffix(lows, fUnread)) {
    if (out.some((c) => c.key === l.key || listedOver(c.box, l.box))) continue;
    out.push(l);
  }
  return out.map((c) => c.key);
}
const tally = { keys: 0, before: 0, after: 0, pipeline: 0, moved: 0 };
for await (const { s, grey } of storedV1(process.argv.slice(2))) {
  const lows: ImageCandidate[] = [];
  const reads = new Map<ImageCandidate, V1Read[]>();
  const fUnread = new Set<ImageCandidate>();
  for (const r of s.regions) {
    const v1 = await finishV1(lstm, grey, r);
    if (!v1 || !/^[0-9a-f]{32}-sf\d/.test(v1.key)) continue;
    lows.push(v1);
    reads.set(v1, r);
    if (!r.some((v) => v.plain)) fUnread.add(v1);
  }
  const before = listed(lows, fUnread);
  await sameSpotV1(lows, reads, (readings) => finishV1(lstm, grey, readings));
  const after = listed(lows, fUnread);
  const pipeline = pipelineOf.get(s.file) ?? [];
  for (const t of s.truth) {
    tally.keys++;
    const [b, a, p] = [before.includes(t), after.includes(t), pipeline.includes(t)];
    tally.before += +b; tally.after += +a; tally.pipeline += +p;
    if (b !== a || before.join() !== after.join()) {
      tally.moved++;
      console.log(`${s.file} ${s.family}: ${b ? 'exact' : 'wrong'} -> ${a ? 'exact' : 'wrong'} (pipeline ${p ? 'exact' : 'wrong'}; ${s.regions.length} regions, ${lows.length} keys)`);
    } else if (b !== p) console.log(`${s.file} ${s.family}: replay ${b ? 'exact' : 'wrong'}, pipeline ${p ? 'exact' : 'wrong'} (not replayed alike)`);
  }
  process.stderr.write('.');
}
console.log(`v1 keys ${tally.keys}: exact ${tally.before} -> ${tally.after} (pipeline ${tally.pipeline}); ${tally.moved} pictures' keys changed`);
await engines.terminate();
