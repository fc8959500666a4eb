// What a close-up read's outputs cost: the same PNGs read by the LSTM (PSM 7,
// lstm_choice_mode 2, as readAfresh reads a close-up with choices) asking for the
// blocks JSON alone, the hOCR alone, and both (what readAfresh asks for), in
// rounds alternating the three (their order rotated); the mean CPU of the process (the engine's thread
// included) per read. Prints no text read: only times, and whether the blocks
// asked alone equal the blocks asked with the hOCR.
//   npx tsx bench/ocr/debug.ts <picture> --dump /tmp/crops   # the close-ups' PNGs
//   npx tsx bench/ocr/read-outputs.ts /tmp/crops [rounds] [psm: 7, or 10 for the glyphs read alone, `alone*.png`]
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startWorker } from '../../src/ocr/engine.js';

const dir = process.argv[2] ?? '/tmp/crops';
const rounds = Number(process.argv[3] ?? 5);
const psm = process.argv[4] ?? '7';
const files = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
const pngs = await Promise.all(files.map((f) => readFile(join(dir, f))));
const cpu = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const worker = await startWorker();
await worker.setParameters({ tessedit_pageseg_mode: psm, lstm_choice_mode: '2' } as never);
const kinds = { 'blocks and hOCR': { text: false, blocks: true, hocr: true }, 'blocks alone': { text: false, blocks: true, hocr: false }, 'hOCR alone': { text: false, blocks: false, hocr: true } };
const spent: Record<string, number> = {};
let same = 0;
for (let r = 0; r < rounds; r++) {
  for (const [i, png] of pngs.entries()) {
    const blocks: Record<string, string> = {};
    // Each PNG's three reads in turn, the order rotated (no kind always read first).
    const order = Object.entries(kinds);
    for (const [kind, output] of [...order.slice((r + i) % 3), ...order.slice(0, (r + i) % 3)]) {
      const t = cpu();
      const { data } = await worker.recognize(png, {}, output as never);
      spent[kind] = (spent[kind] ?? 0) + cpu() - t;
      if (output.blocks) blocks[kind] = JSON.stringify(data.blocks);
    }
    if (r === 0 && blocks['blocks alone'] === blocks['blocks and hOCR']) same++;
    if (r === 0 && i === pngs.length - 1) console.log(`blocks alone equal to blocks with hOCR: ${same} of ${pngs.length} PNGs`);
  }
}
for (const kind of Object.keys(kinds)) console.log(`${kind}: ${((spent[kind]! / (rounds * pngs.length)) * 1000).toFixed(1)} ms CPU a read (${rounds * pngs.length} reads)`);
await worker.terminate();
