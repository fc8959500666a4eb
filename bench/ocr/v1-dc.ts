// The v1 data centre's vote (voteDc), measured on readings stored by
// `v1-replay.ts --collect`, without re-reading: how often the LSTM readings read
// the data centre right, sure (dcSure in findV1) or not, and the regions whose
// voted data centre is wrong (by picture; never the key).
//   npx tsx bench/ocr/v1-dc.ts readings.json ...
import { readFile } from 'node:fs/promises';
import { settleV1, type V1Read } from '../../src/ocr/pipeline.js';

interface Stored { file: string; truth: string[]; regions: V1Read[][] }
const tally = { regions: 0, wrong: 0, sure: { right: 0, all: 0 }, unsure: { right: 0, all: 0 } };
for (const path of process.argv.slice(2)) {
  for (const s of JSON.parse(await readFile(path, 'utf8')) as Stored[]) {
    for (const r of s.regions) {
      const key = settleV1(r)?.key ?? '';
      // The key this region read, give or take a few digits.
      const truth = s.truth.find((t) => [...t.slice(0, 32)].filter((ch, i) => ch === key[i]).length >= 24);
      if (!truth) continue;
      const dc = truth.slice(35);
      tally.regions++;
      for (const v of r.filter((x) => !x.legacy)) {
        const t = v.dcSure ? tally.sure : tally.unsure;
        t.all++;
        if (v.dc === dc) t.right++;
      }
      if (key.slice(35) !== dc) {
        tally.wrong++;
        console.log(`${s.file}: data centre voted ${key.slice(35)}, is ${dc}`);
      }
    }
  }
}
console.log(`regions ${tally.regions}, data centre wrong ${tally.wrong}; LSTM readings sure ${tally.sure.right}/${tally.sure.all} right, unsure ${tally.unsure.right}/${tally.unsure.all}`);
