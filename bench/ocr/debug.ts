// Trace one image through the pipeline: page words, regions, each close-up read.
//   npx tsx bench/ocr/debug.ts bench/.work/ocr/001-editor-dark.jpg [--dump /tmp/crops]
import './shown.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEngines } from '../../src/ocr/engine.js';
import { recognizeImage, type Trace } from '../../src/ocr/pipeline.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dump: { type: 'string' }, page: { type: 'boolean', default: false }, boxes: { type: 'boolean', default: false } } });
const worker = await startEngines();
for (const file of positionals) {
  const dumpDir = values.dump;
  if (dumpDir) await mkdir(dumpDir, { recursive: true });
  const trace: Trace = { regions: 0, reads: 0, texts: [], ...(dumpDir ? { dump: (n: string, png: Buffer) => writeFile(join(dumpDir, `${n}.png`), png) } : {}) };
  const t0 = performance.now();
  const res = await recognizeImage(worker, await readFile(file), trace);
  console.log(`${file}: ${((performance.now() - t0) / 1000).toFixed(2)} s, ${trace.regions} regions, ${trace.reads} reads, skew ${trace.skew?.toFixed(2)}`, JSON.stringify(trace.ms));
  if (values.page) console.log('  page:', trace.pageWords?.join(' | '));
  if (values.boxes) for (const w of trace.pageBoxes ?? []) console.log('  word:', w.text, w.box.x0, w.box.y0, w.box.x1, w.box.y1);
  for (const t of trace.texts) console.log('  read:', t);
  for (const c of res.candidates) console.log('  found', c.confidence, c.key, JSON.stringify(c.box));
}
await worker.terminate();
