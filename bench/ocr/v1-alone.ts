// checkV1Alone (pipeline.ts) on readings stored by `v1-replay.ts --collect`: each
// region's key voted (settleV1, with the picture), then its contested digits no copy
// confirms read alone (a few reads of one glyph each; no page pass, no close-up).
// Prints each digit turned and each read that named something against what the digit
// truly is (one character, never the key), and the keys exact before and after.
//   npx tsx bench/ocr/v1-alone.ts readings.json ...
import { startEngines } from '../../src/ocr/engine.js';
import { checkV1Alone, settleV1, type Trace } from '../../src/ocr/pipeline.js';
import { storedV1 } from './stored-v1.js';

const engines = await startEngines();
const lstm = () => engines.live(engines.lstm);
const tally = { keys: 0, before: 0, after: 0, right: 0, wrong: 0, reads: 0 };
for await (const { s, grey } of storedV1(process.argv.slice(2))) {
  for (const r of s.regions) {
    const voted = settleV1(r, grey);
    const key = voted?.key ?? '';
    const truth = s.truth.find((t) => [...t.slice(0, 32)].filter((ch, i) => ch === key[i]).length >= 24);
    if (!truth) continue;
    const trace: Trace = { regions: 0, reads: 0, texts: [] };
    const after = (await checkV1Alone(lstm, grey, voted, r, trace))!.key;
    tally.keys++;
    tally.reads += trace.reads;
    if (key === truth) tally.before++;
    if (after === truth) tally.after++;
    for (const t of trace.texts) console.log(`${s.file} ${s.family} ${t}, truly ${truth[Number(/digit (\d+)/.exec(t)![1])]}`);
    for (let i = 0; i < 32; i++) {
      if (after[i] === key[i]) continue;
      const ok = after[i] === truth[i];
      tally[ok ? 'right' : 'wrong']++;
      console.log(`${s.file} ${s.family} digit ${i}: ${key[i]} turned ${after[i]}, ${ok ? 'right' : 'WRONG'}${after === truth ? ', key exact' : ''}`);
    }
  }
  process.stderr.write('.');
}
console.log(`v1 keys ${tally.keys}: exact ${tally.before} -> ${tally.after}; digits turned ${tally.right} right, ${tally.wrong} wrong; ${tally.reads} reads alone`);
await engines.terminate();
