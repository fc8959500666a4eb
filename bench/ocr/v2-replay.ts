// v2 search tuning without re-reading: `--collect` reads every image of the sets
// given and stores the readings of each region the pipeline left unresolved (true
// keys it missed, decoys, masked keys); without it, each stored region is searched
// again with the current solveV2/pool, reporting keys newly resolved and any key
// resolved that is not in its image (which must stay at zero).
//   npx tsx bench/ocr/v2-replay.ts --collect bench/.work/ocr bench/.work/ocr-dev-99 ...
//   npx tsx bench/ocr/v2-replay.ts [--verbose] [--why]   (--why: for each true key still missed, its cost per position; the searches' time is printed)
import './shown.js';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { alignTo, caseBySize, reference, solveV2, type PSym } from '../../src/ocr/pipeline.js';
import { collectTraces } from './collect.js';
import { SEARCH_BUDGET, V2_ALPHABET, pool, type Sym } from '../../src/ocr/correct.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { collect: { type: 'boolean', default: false }, why: { type: 'boolean', default: false }, out: { type: 'string', default: 'bench/.work/v2-readings.json' }, verbose: { type: 'boolean', default: false } },
});
interface Stored { file: string; truth: string[]; regions: PSym[][][] }
if (values.collect) {
  await collectTraces<Stored>(positionals, values.out!, (e, file, trace) =>
    trace.v2?.length ? { file, truth: e.keys.filter((k) => k.ruleId.endsWith('v2')).map((k) => k.key), regions: trace.v2 as PSym[][][] } : null,
  );
}
const stored = JSON.parse(await readFile(values.out!, 'utf8')) as Stored[];
let regions = 0;
let resolved = 0;
let invented = 0;
let guessed = 0;
let ms = 0;
for (const s of stored) {
  for (const r of s.regions) {
    regions++;
    const t0 = performance.now();
    const res = solveV2(r, SEARCH_BUDGET);
    ms += performance.now() - t0;
    if (values.why && (!res.key || res.guessed)) for (const t of s.truth) why(s.file, t, r);
    if (res.key && res.guessed && s.truth.includes(res.key)) guessed++;
    if (!res.key || res.guessed) continue;
    const key = res.key;
    if (s.truth.includes(key)) resolved++;
    else invented++;
    if (values.verbose) console.log(s.truth.includes(key) ? 'RESOLVED' : 'INVENTED', s.file, key);
  }
}
console.log(`${regions} unresolved regions in ${stored.length} images: ${resolved} true keys now resolved, ${invented} invented; ${guessed} true keys found through a guessed check character (low); searched in ${ms.toFixed(0)} ms`);

/** The true key's cost under the pooled slots, position by position (as solveV2 pools them onto its reference). */
function why(file: string, truth: string, readings: PSym[][]): void {
  const sized = readings.map(caseBySize);
  const ref = reference(sized);
  console.log(`MISSED ${file} ${truth.slice(0, 8)}…`);
  for (const r of sized) console.log('  reading', r.length, r.map((x) => x.choices[0]?.ch).join(''));
  if (!ref) return console.log('  no 36-symbol reference');
  const slots = pool(sized.map((r): Sym[] => alignTo(ref, r).map((x) => x ?? { choices: [], ref: -1 })), 36, V2_ALPHABET);
  const t = truth.slice(4);
  let total = 0;
  slots.forEach((slot, i) => {
    const m = Math.min(...slot.alts.map((a) => a.cost));
    const c = (slot.alts.find((x) => x.ch === t[i])?.cost ?? Infinity) - m;
    total += c;
    if (c > 0) console.log(`  ${i} ${t[i]} cost ${c.toFixed(2)}  ${slot.alts.map((x) => `${x.ch}:${(x.cost - m).toFixed(1)}`).join(' ')}`);
  });
  console.log(`  true key cost ${total.toFixed(2)}`);
}
