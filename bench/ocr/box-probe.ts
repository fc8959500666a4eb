// What tooltipBoxV1 sees on a captured picture (final-replay.ts --capture): each run it takes, its box.
//   npx tsx bench/ocr/box-probe.ts <captured.jsonl…>   (pictures not turned: skew under MIN_SKEW)
import './shown.js';
import { readFile } from 'node:fs/promises';
import { decode } from '../../src/ocr/preprocess.js';
import { tooltipBoxV1 } from '../../src/ocr/pipeline.js';

for (const path of process.argv.slice(2)) {
  for (const line of (await readFile(path, 'utf8')).split('\n').filter(Boolean)) {
    const { file, page, views, scale } = JSON.parse(line);
    const d = await decode(await readFile(file));
    if (!d.ok) continue;
    const toOrig = (b: { x0: number; y0: number; x1: number; y1: number }) => ({ x: b.x0 / scale, y: b.y0 / scale, width: (b.x1 - b.x0) / scale, height: (b.y1 - b.y0) / scale });
    const hit = tooltipBoxV1(d.grey, page, views, toOrig);
    console.log(file, hit ? `${hit.key}, a box ${((hit.cover.x1 - hit.cover.x0) / hit.cover.pitch).toFixed(1)} pitches wide, ${hit.cover.mean.toFixed(2)} filled` : '-');
  }
}
