// The final look replayed on what a picture's readings left it (Trace.final): a rule
// of finalLook tried on every picture nothing flagged without reading any again.
//   npx tsx bench/ocr/final-replay.ts --capture <out.jsonl> <pictures…>   (reads them, saves page words and close-ups)
//   npx tsx bench/ocr/final-replay.ts <captured.jsonl…>                      (finalLook on each, as the code is now)
import './shown.js';
import { appendFile, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startEngines } from '../../src/ocr/engine.js';
import { finalLook, recognizeImage, type Trace } from '../../src/ocr/pipeline.js';
import { decode } from '../../src/ocr/preprocess.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { capture: { type: 'string' } } });
if (values.capture) {
  const worker = await startEngines();
  for (const file of positionals) {
    const trace: Trace = { regions: 0, reads: 0, texts: [] };
    const res = await recognizeImage(worker, await readFile(file), trace);
    if (trace.final) await appendFile(values.capture, `${JSON.stringify({ file, ...trace.final })}\n`);
    console.log(file, res.candidates.map((c) => `${c.confidence} ${c.key}`).join(' ; ') || '-');
  }
  await worker.terminate();
} else {
  for (const path of positionals) {
    for (const line of (await readFile(path, 'utf8')).split('\n').filter(Boolean)) {
      const { file, page, views, scale } = JSON.parse(line);
      // The picture as decoded, not turned: tooltipBoxV1's pixels are exact for pictures under MIN_SKEW only.
      const d = await decode(await readFile(file));
      if (!d.ok) continue;
      console.log(file, finalLook(page, views, { scale, grey: d.grey }).map((c) => `${c.ruleId} ${c.key}`).join(' ; ') || '-');
    }
  }
}
