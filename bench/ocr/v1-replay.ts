// v1 vote tuning without re-reading: `--collect` reads every image holding a
// v1 key (all sets given) and stores each region's v1 readings; without it,
// the stored readings are voted again with the current settleV1/voteV1.
//   npx tsx bench/ocr/v1-replay.ts --collect bench/.work/ocr bench/.work/ocr-dev-99 ...
//   npx tsx bench/ocr/v1-replay.ts
import './shown.js';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { settleV1, type V1Read } from '../../src/ocr/pipeline.js';
import { collectTraces } from './collect.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { collect: { type: 'boolean', default: false }, out: { type: 'string', default: 'bench/.work/v1-readings.json' }, verbose: { type: 'boolean', default: false } } });
interface Stored { file: string; truth: string[]; regions: V1Read[][] }
if (values.collect) {
  // Only images holding a v1 key, every one of them (a region with no reading still counts as a miss).
  await collectTraces<Stored>(positionals, values.out!, (e, file, trace) => {
    const truth = e.keys.filter((k) => k.ruleId.endsWith('v1')).map((k) => k.key);
    return truth.length ? { file, truth, regions: trace.v1 ?? [] } : null;
  });
}
const stored = JSON.parse(await readFile(values.out!, 'utf8')) as Stored[];
let keys = 0;
let exact = 0;
for (const s of stored) {
  const got = s.regions.map((r) => settleV1(r)?.key);
  for (const t of s.truth) {
    keys++;
    if (got.includes(t)) exact++;
    else if (values.verbose) console.log(s.file, t, got.join(' '));
  }
}
console.log(`v1 exact ${exact}/${keys}`);
