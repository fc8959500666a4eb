// A v1 key's last steps replayed on readings stored by `v1-replay.ts --collect`: each
// region voted (settleV1, with the picture), its digits a `0` contests read alone
// (checkV1Zeros), then the contested digits no copy confirms (checkV1Alone), as the
// pipeline does after a region's reads. Per picture: whether a region's key is the
// truth now, against what the pipeline found when the readings were stored (`pipeline`),
// and the digits that differ between the two (positions and single digits, never a key).
//   npx tsx bench/ocr/v1-final.ts readings.json ...
import { readFile } from 'node:fs/promises';
import { startEngines } from '../../src/ocr/engine.js';
import { finishV1 } from '../../src/ocr/pipeline.js';
import { storedV1 } from './stored-v1.js';

const engines = await startEngines();
const lstm = () => engines.live(engines.lstm);
const tally = { keys: 0, before: 0, after: 0, gained: [] as string[], lost: [] as string[] };
const pipelineOf = new Map<string, string[]>();
for (const path of process.argv.slice(2)) for (const s of JSON.parse(await readFile(path, 'utf8')) as { file: string; pipeline?: string[] }[]) pipelineOf.set(s.file, s.pipeline ?? []);
const differ = (a: string, b: string) => [...a].flatMap((ch, i) => (ch !== b[i] ? [`${i}:${b[i] ?? '_'}>${ch}`] : [])).join(' ');
for await (const { s, grey } of storedV1(process.argv.slice(2))) {
  const found: string[] = [];
  for (const r of s.regions) {
    const v1 = await finishV1(lstm, grey, r);
    if (v1) found.push(v1.key);
  }
  const before = pipelineOf.get(s.file) ?? [];
  for (const t of s.truth) {
    tally.keys++;
    const was = before.includes(t);
    const now = found.includes(t);
    if (was) tally.before++;
    if (now) tally.after++;
    if (was !== now) (now ? tally.gained : tally.lost).push(`${s.file} ${s.family}`);
    const near = (k: string) => [...t].filter((ch, i) => ch === k[i]).length;
    const b = [...before].sort((x, y) => near(y) - near(x))[0] ?? '';
    const a = [...found].sort((x, y) => near(y) - near(x))[0] ?? '';
    const tag = now ? 'exact' : `${differ(a, t).split(' ').length} off`;
    console.log(`${s.file} ${s.family}: ${was ? 'exact' : 'wrong'} -> ${tag}${a !== b ? ` (changed: ${differ(a, b)})` : ''}`);
  }
  process.stderr.write('.');
}
console.log(`v1 keys ${tally.keys}: exact ${tally.before} -> ${tally.after}; gained ${tally.gained.join(', ') || 'none'}; lost ${tally.lost.join(', ') || 'none'}`);
await engines.terminate();
