// Page-pass only: how long it takes at a given scale and whether its key-ish
// regions cover every key of the manifest.
//   npx tsx bench/ocr/pages.ts [--dir bench/.work/ocr] [--scale 1.5]
import './shown.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startWorker, read } from '../../src/ocr/engine.js';
import { decode, normalize, toPng } from '../../src/ocr/preprocess.js';
import { findRegions } from '../../src/ocr/pipeline.js';

const { values } = parseArgs({ options: { dir: { type: 'string', default: 'bench/.work/ocr' }, scale: { type: 'string', default: '2' } } });
const dir = values.dir!;
const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { images: { file: string; keys: { key: string; box: { x: number; y: number; width: number; height: number } | null }[] }[] };
const workers = await Promise.all([startWorker(), startWorker()]);
let keys = 0, covered = 0, ms = 0, nRegions = 0;
const queue = [...manifest.images];
await Promise.all(workers.map(async (w) => {
  for (let e = queue.shift(); e; e = queue.shift()) {
    const d = await decode(await readFile(join(dir, e.file)));
    if (!d.ok) continue;
    const norm = normalize(d.grey);
    const px = norm.width * norm.height;
    const scale = px <= 1_300_000 ? Number(values.scale) : 1;
    const t0 = performance.now();
    const page = await read(() => w, await toPng(norm, scale), { psm: '11', choices: false });
    ms += performance.now() - t0;
    const regions = findRegions(page, scale);
    nRegions += regions.length;
    for (const k of e.keys) {
      keys++;
      const b = k.box!;
      const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
      const ok = regions.some((r) => cy >= r.y - 2 && cy <= r.y + r.h + 2 && r.x < b.x + b.width && b.x < r.x + r.w);
      if (ok) covered++; else console.log('not covered', e.file, k.key);
    }
  }
}));
console.log({ scale: values.scale, keys, covered, msPerPage: Math.round(ms / manifest.images.length), regionsPerImage: +(nRegions / manifest.images.length).toFixed(1) });
await Promise.all(workers.map((w) => w.terminate()));
