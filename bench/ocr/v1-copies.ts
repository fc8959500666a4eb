// The v1 vote's digits some LSTM reading contests, against the key's own copies
// (v1Rivals, byCopies in pipeline.ts), measured on readings stored by
// `v1-replay.ts --collect`, without re-reading: each picture decoded and turned
// as the page pass turns it, the contested digits listed with the glyph's
// likeness to the key's other glyphs voted the digit and the rival, and what
// the digit truly is (one character, never the key).
//   npx tsx bench/ocr/v1-copies.ts [--all] readings.json ...
import { parseArgs } from 'node:util';
import { settleV1, type V1Rival } from '../../src/ocr/pipeline.js';
import { storedV1 } from './stored-v1.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { all: { type: 'boolean', default: false } } });
const tally = { keys: 0, exact: 0, turned: { right: 0, wrong: 0 } };
for await (const { s, grey } of storedV1(positionals)) {
  for (const r of s.regions) {
    const rivals: V1Rival[] = [];
    const key = settleV1(r, grey, rivals)?.key ?? '';
    // The key this region read, give or take a few digits.
    const truth = s.truth.find((t) => [...t.slice(0, 32)].filter((ch, i) => ch === key[i]).length >= 24);
    if (!truth) continue;
    tally.keys++;
    if (key === truth) tally.exact++;
    for (const v of rivals) {
      const turned = key[v.i] === v.rival && v.rival !== v.voted;
      if (turned) tally.turned[truth[v.i] === v.rival ? 'right' : 'wrong']++;
      if (!turned && !values.all && v.asRival < 0.9) continue;
      const was = truth[v.i] === v.voted ? 'voted right' : truth[v.i] === v.rival ? 'rival right' : 'neither';
      console.log(`${s.file} ${s.family} digit ${v.i}: voted ${v.voted} (copies ${v.asVoted.toFixed(3)}), rival ${v.rival} (copies ${v.asRival.toFixed(3)}), ${was}${turned ? ', TURNED' : ''}`);
    }
  }
}
console.log(`v1 keys ${tally.keys}, exact ${tally.exact}; digits turned to the rival: ${tally.turned.right} right, ${tally.turned.wrong} wrong`);
