// v1 vote tuning without re-reading: `--collect` reads every image holding a
// v1 key (all sets given) and stores each region's v1 readings; without it,
// the stored readings are voted again with the current settleV1/voteV1
// (without the image, so without the same-glyph votes: `pipeline` is what the
// whole pipeline found when collected).
//   npx tsx bench/ocr/v1-replay.ts --collect bench/.work/ocr bench/.work/ocr-dev-99 ...
//   npx tsx bench/ocr/v1-replay.ts [--verbose]
import { shown } from './shown.js';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { settleV1, type V1Read } from '../../src/ocr/pipeline.js';
import { collectTraces } from './collect.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { collect: { type: 'boolean', default: false }, out: { type: 'string', default: 'bench/.work/v1-readings.json' }, verbose: { type: 'boolean', default: false } } });
interface Stored { file: string; family?: string; truth: string[]; pipeline?: string[]; regions: V1Read[][] }
if (values.collect) {
  // Only images holding a v1 key with nothing hidden (a region with no reading still counts as a miss).
  const truthOf = (keys: { key: string; ruleId: string; hidden?: number }[]) => keys.filter((k) => k.ruleId.endsWith('v1') && !k.hidden).map((k) => k.key);
  await collectTraces<Stored>(positionals, values.out!, (e, file, trace, found) => ({
    file, family: e.family, truth: truthOf(e.keys), pipeline: found.filter((c) => c.ruleId.endsWith('v1')).map((c) => c.key), regions: trace.v1 ?? [],
  }), (e) => truthOf(e.keys).length > 0);
}
const stored = JSON.parse(await readFile(values.out!, 'utf8')) as Stored[];
const tally = new Map<string, { keys: number; exact: number; pipeline: number }>();
for (const s of stored) {
  const got = s.regions.map((r) => settleV1(r)?.key);
  for (const t of s.truth) {
    for (const name of ['all', s.family ?? '-']) {
      const row = tally.get(name) ?? { keys: 0, exact: 0, pipeline: 0 };
      row.keys++;
      if (got.includes(t)) row.exact++;
      if (s.pipeline?.includes(t)) row.pipeline++;
      tally.set(name, row);
    }
    if (!got.includes(t) && values.verbose) console.log(s.file, shown(t), got.map((g) => (g ? shown(g) : '-')).join(' '));
  }
}
for (const [name, r] of tally) console.log(`${name}: v1 exact ${r.exact}/${r.keys} (pipeline ${r.pipeline}/${r.keys})`);
