// Does a glyph read alone (PSM 10, see readAlone in src/ocr/pipeline.ts) offer
// the true character where every line view of a key missed it, and does the
// search then find the key? `--collect` reads the images given (paths in
// screenshot sets) with a trace and stores, for each region whose last search
// failed, its readings and its glyphs read alone; then the stored regions are
// scored against the truth, and searched with and without the reads alone
// (SEARCH_BUDGET each, so a little more than the pipeline has left). Keys are
// never printed.
//   npx tsx bench/ocr/alone-probe.ts --collect --out /tmp/x.json /tmp/sets/wild-607/photo-009.jpg …
//   npx tsx bench/ocr/alone-probe.ts --out /tmp/x.json
import './shown.js';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Choice, startEngines } from '../../src/ocr/engine.js';
import { alignTo, recognizeImage, solveV2, v2Reference, type Trace } from '../../src/ocr/pipeline.js';
import { SEARCH_BUDGET, type Sym } from '../../src/ocr/correct.js';
import { editDistance } from '../../src/edit-distance.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { collect: { type: 'boolean', default: false }, out: { type: 'string', default: '/tmp/alone-probe.json' } } });
type Region = NonNullable<Trace['alone']>[number];
interface Stored { file: string; truth: string[]; regions: Region[] }

if (values.collect) {
  const engines = await startEngines();
  const stored: Stored[] = [];
  for (const path of positionals) {
    const manifest = JSON.parse(await readFile(join(dirname(path), 'manifest.json'), 'utf8')) as { images: { file: string; keys: { key: string; ruleId: string }[] }[] };
    const e = manifest.images.find((m) => m.file === basename(path))!;
    const trace: Trace = { regions: 0, reads: 0, texts: [] };
    await recognizeImage(engines, await readFile(path), trace);
    stored.push({ file: path, truth: e.keys.filter((k) => k.ruleId.endsWith('v2')).map((k) => k.key), regions: trace.alone ?? [] });
    process.stderr.write('.');
  }
  await engines.terminate();
  await writeFile(values.out!, JSON.stringify(stored));
}

const stored = JSON.parse(await readFile(values.out!, 'utf8')) as Stored[];
const top = (s: Sym | undefined) => s?.choices[0]?.ch ?? '';
/** Where every line view missed: the truth first in every read alone, offered, neither; where one was right: every read alone put something else first. */
const tally = { regions: 0, nearTruth: 0, missFirst: 0, missOffered: 0, missNot: 0, right: 0, rightAloneWrong: 0, before: 0, after: 0, guessedAfter: 0, invented: 0 };
for (const s of stored) {
  for (const r of s.regions) {
    tally.regions++;
    const ref = v2Reference(r.readings)!;
    const refText = ref.map(top).join('');
    const truth = s.truth.map((t) => ({ t: t.slice(4), d: editDistance(refText, t.slice(4)) })).sort((a, b) => a.d - b.d)[0];
    const near = !!truth && truth.d <= 12;
    const before = solveV2(r.readings, SEARCH_BUDGET);
    const after = solveV2(r.readings, SEARCH_BUDGET, undefined, r.alone);
    const judge = (k: string | null, guessed: boolean) => (!k ? '-' : !s.truth.includes(k) ? 'INVENTED' : guessed ? 'exact, guessed' : 'exact');
    if (before.key && s.truth.includes(before.key) && !before.guessed) tally.before++;
    if (after.key && s.truth.includes(after.key)) (after.guessed ? tally.guessedAfter++ : tally.after++);
    if (after.key && !s.truth.includes(after.key)) tally.invented++;
    console.log(`${s.file} ${near ? `truth at ${truth!.d}` : 'no key near'}: before ${judge(before.key, before.guessed)}, with the glyphs alone ${judge(after.key, after.guessed)}`);
    if (!near) continue;
    tally.nearTruth++;
    const t = truth!.t;
    const aligned = r.readings.map((rd) => alignTo(ref, rd));
    for (let i = 0; i < 36; i++) {
      const reads = (r.alone[i] ?? []).filter((c: Choice[]) => c.length);
      if (aligned.some((a) => top(a[i]) === t[i])) {
        tally.right++;
        if (reads.length && reads.every((c) => c[0]!.ch !== t[i])) tally.rightAloneWrong++;
      } else if (reads.length && reads.every((c) => c[0]!.ch === t[i])) tally.missFirst++;
      else if (reads.some((c) => c.some((x) => x.ch === t[i]))) tally.missOffered++;
      else tally.missNot++;
    }
  }
}
console.log(JSON.stringify(tally));
