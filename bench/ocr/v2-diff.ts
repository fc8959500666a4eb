// Why a v2 key was read wrong: for each set of v2 readings the pipeline voted (trace.v2),
// the readings' reference and pooled slots (as explain.ts builds them), and the true key
// (after caseBySize and cutAtEnd, as solveV2 takes them) against each slot: the positions where the truth is not the slot's cheapest, each with
// what the slot offers first, the truth's cost over it (`inf`: no reading offers it) and a
// class (with the glyphs read alone, where the pipeline read them: `+alone`): `case` (the other case of the same letter), `twin` (0/O/o/D/Q, 1/l/I/i/|, 5/S/s,
// 8/B, 2/Z/z, 9/g/q, 6/G/b), `other`. Positions and single characters only, never a key.
//   npx tsx bench/ocr/v2-diff.ts /tmp/sets/wild-3903/photo-004.jpg ...
import './shown.js';
import { readFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { startEngines } from '../../src/ocr/engine.js';
import { recognizeImage, reference, alignTo, caseBySize, cutAtEnd, type Trace, type PSym } from '../../src/ocr/pipeline.js';
import { pool, withAlone, V2_ALPHABET, type Sym } from '../../src/ocr/correct.js';

/** At most this many wrong positions printed a reading set: half a key, so no key can be pieced together. */
const SHOWN = 18;
const TWINS = ['O0oQD', 'l1Ii|', 'S5s', 'B8', 'Z2z', 'g9q', 'G6b'];
export function kind(t: string, r: string | undefined): string {
  if (r === undefined) return 'none';
  if (t !== r && t.toLowerCase() === r.toLowerCase()) return 'case';
  if (TWINS.some((g) => g.includes(t) && g.includes(r))) return 'twin';
  return 'other';
}

const engines = await startEngines();
for (const file of process.argv.slice(2)) {
  const m = JSON.parse(await readFile(join(dirname(file), 'manifest.json'), 'utf8')) as { images: { file: string; keys: { key: string; ruleId: string }[] }[] };
  const truths = m.images.find((e) => e.file === basename(file))!.keys.filter((k) => k.ruleId.endsWith('v2')).map((k) => k.key.slice(4));
  const trace: Trace = { regions: 0, reads: 0, texts: [] };
  const res = await recognizeImage(engines, await readFile(file), trace);
  const exact = res.candidates.some((c) => truths.includes(c.key.slice(4)));
  console.log(`== ${file} v2 keys ${truths.length} readings sets ${trace.v2?.length ?? 0} exact ${exact} found ${res.candidates.map((c) => c.confidence).join(',') || 'none'}`);
  const seen = new Set<string>();
  for (const truth of truths) {
    for (const raw of trace.v2 ?? []) {
      // As the search takes them (solveV2's searchReadings, but for the cursor's wildcards).
      const readings = cutAtEnd((raw as PSym[][]).map(caseBySize));
      const lens = readings.map((r) => r.length).join(',');
      // No reference of the pipeline's (no reading 36 long, no consensus): the readings aligned on
      // the truth instead (marked `true-ref`), to see what they offer.
      const own = reference(readings as PSym[][]);
      const ref = own ?? [...truth].map((ch, k) => ({ choices: [{ ch, conf: 100 }], ref: -1, box: readings[0]![Math.min(k, readings[0]!.length - 1)]!.box, space: false }) as PSym);
      if (!own) console.log(`  no reference; lengths ${lens}; on the truth:`);
      const aligned: Sym[][] = readings.map((r) => alignTo(ref, r as PSym[]).map((s) => s ?? { choices: [], ref: -1 }));
      // The glyphs read alone (trace.alone, read on the pipeline's own reference when the line
      // views found no key): their slots as the second search takes them (withAlone), marked `+alone`.
      const alone = own ? trace.alone?.find((a) => a.readings.length === raw.length && a.readings.every((r, k) => r === raw[k]))?.alone : undefined;
      const slots = alone ? withAlone(pool(aligned, 36, V2_ALPHABET), alone) : pool(aligned, 36, V2_ALPHABET);
      const caps = ref.filter((x) => /[0-9ABDEFGHKLMNPRT]/.test(x.choices[0]?.ch ?? '')).map((x) => x.box.height).sort((a, b) => a - b);
      const capH = caps[caps.length >> 1] ?? 1;
      let total = 0;
      const out: string[] = [];
      const count: Record<string, number> = {};
      slots.forEach((s, i) => {
        const mn = Math.min(...s.alts.map((a) => a.cost));
        const a = s.alts.find((x) => x.ch === truth[i]);
        const c = a ? a.cost - mn : Infinity;
        if (c <= 0) return;
        total += c;
        const best = s.alts.find((x) => x.cost === mn)?.ch;
        const k = kind(truth[i]!, best) + (c === Infinity ? '!' : '');
        count[k] = (count[k] ?? 0) + 1;
        // For a case slip, the reference glyph's box height over the reading's median digit/capital height.
        const h = k.startsWith('case') ? `,h${(ref[i]!.box.height / capH).toFixed(2)}` : '';
        out.push(`${i}:${truth[i]}>${best}(${c === Infinity ? 'inf' : c.toFixed(1)},${k}${h})`);
      });
      const line = `  ${alone ? '+alone ' : ''}n=${readings.length} lens ${lens} cost ${total === Infinity ? 'inf' : total.toFixed(2)} wrong ${out.length} ${JSON.stringify(count)}: ${out.length > SHOWN ? `${out.slice(0, SHOWN).join(' ')} …(${out.length})` : out.join(' ')}`;
      if (!seen.has(line)) { seen.add(line); console.log(line); }
    }
  }
}
await engines.terminate();
