// The stretches of background (stretchesOf) on each key's line of the wild sets, from the manifest's
// key boxes (no OCR): the selection pictures' stretches and greys, and per family how many key lines
// have more than one (those read the stretches view when their key is still pending).
//   npx tsx bench/ocr/stretch-probe.ts wild-2801 wild-2802 [ALL=1 prints every line]
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decode, crop, stretchesOf } from '../../src/ocr/preprocess.js';
const sets = process.argv.slice(2);
const stats: Record<string, { n: number; multi: number }> = {};
for (const s of sets) {
  const m = JSON.parse(await readFile(join('/tmp/sets', s, 'manifest.json'), 'utf8'));
  for (const e of m.images) {
    for (const k of e.keys) {
      const d = await decode(await readFile(join('/tmp/sets', s, e.file))); if (!d.ok) continue;
      const b = k.box; const h = Math.max(6, b.height);
      if (b.height > 40 && e.family === 'wrapped') continue;
      const cx = b.x - h * 1.2, cy = b.y - h * 0.5;
      const oy = Math.max(0, Math.floor(cy));
      const c = crop(d.grey, cx, cy, b.width + h * 4.7, h * 2);
      const spans = stretchesOf(c, { from: b.y - h * 0.25 - oy, to: b.y + h * 1.25 - oy });
      const sel = / selection /.test(e.variant ?? '');
      const key = `${e.family}${sel ? '-selection' : ''}`;
      const st = (stats[key] ??= { n: 0, multi: 0 }); st.n++; if (spans.length > 1) st.multi++;
      if (sel || process.env.ALL) console.log(s, e.file, sel ? 'SEL' : '', spans.map((p) => `${p.from}-${p.to}:${p.bg}`).join(' '));
    }
  }
}
console.log(JSON.stringify(stats));
