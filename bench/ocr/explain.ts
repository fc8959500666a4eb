// Why a v2 key was not resolved: the cost of the true key under the pooled slots.
//   npx tsx bench/ocr/explain.ts bench/.work/ocr/072-terminal-light.png sfk_...
import './shown.js';
import { readFile } from 'node:fs/promises';
import { startEngines } from '../../src/ocr/engine.js';
import { recognizeImage, reference, alignTo, type Trace } from '../../src/ocr/pipeline.js';
import { pool, V2_ALPHABET, type Sym } from '../../src/ocr/correct.js';
const [file, truth] = process.argv.slice(2) as [string, string];
const worker = await startEngines();
const trace: Trace = { regions: 0, reads: 0, texts: [] };
await recognizeImage(worker, await readFile(file), trace);
await worker.terminate();
const t = truth.slice(4);
for (const readings of trace.v2 ?? []) {
  for (const r of readings) console.log('reading', r.length, r.map((s) => s.choices[0]?.ch).join(''));
  const ref = reference(readings as never);
  if (!ref) { console.log('no reference'); continue; }
  const aligned: Sym[][] = readings.map((r) => alignTo(ref as never, r as never).map((s) => s ?? { choices: [], ref: -1 }));
  const slots = pool(aligned, 36, V2_ALPHABET);
  let total = 0;
  slots.forEach((s, i) => {
    const m = Math.min(...s.alts.map((a) => a.cost));
    const a = s.alts.find((x) => x.ch === t[i]);
    const c = a ? a.cost - m : Infinity;
    total += c;
    if (c > 0) console.log(i, t[i], 'cost', c.toFixed(2), s.alts.map((x) => `${x.ch}:${(x.cost - m).toFixed(1)}`).join(' '));
  });
  console.log('true key cost', total.toFixed(2));
}
