// How well pixels tell the same glyph from a different one (src/ocr/glyphs.ts):
// each monospaced key of the sets given is cut into cells from its true box
// (the manifest's), and every pair of cells is correlated. Prints the
// distribution for pairs of the same character and of different ones, and
// the different pairs that score highest. SAME_GLYPH was set from this.
//   npx tsx bench/ocr/glyph-pairs.ts [--rule v1|v2] bench/.work/ocr-fresh-2468 bench/.work/ocr-fresh-7777 bench/.work/ocr-dev-99
import './shown.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cellCorrelations } from '../../src/ocr/glyphs.js';
import { decode } from '../../src/ocr/preprocess.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rule: { type: 'string', default: 'v1' } } });
// The wild sets name the font in `variant` (`editor Fira Code 13px …`).
interface Entry { file: string; keyFont?: string; variant?: string; keys: { ruleId: string; key: string; box: { x: number; y: number; width: number; height: number } }[] }
const MONOSPACED = /Mono|Code|Inconsolata/;
const same: number[] = [];
const different: number[] = [];
const worst = new Map<string, number>();
for (const dir of positionals) {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { images: Entry[] };
  for (const e of manifest.images) {
    const keys = e.keys.filter((k) => k.ruleId.endsWith(values.rule!));
    if (!keys.length || !MONOSPACED.test(e.keyFont ?? e.variant ?? '')) continue;
    const decoded = await decode(await readFile(join(dir, e.file)));
    if (!decoded.ok) continue;
    for (const { key, box } of keys) {
      // v1: its 32 hex digits; v2: all 40 characters.
      const text = values.rule === 'v1' ? key.slice(0, 32) : key;
      const pitch = box.width / key.length;
      const cells = [...text].map((_, i) => ({ x: box.x + i * pitch + 1, y: box.y + 2, width: pitch - 2, height: box.height - 4 }));
      const r = cellCorrelations(decoded.grey, cells);
      if (!r) continue;
      for (let i = 0; i < text.length; i++) {
        for (let j = i + 1; j < text.length; j++) {
          if (text[i] === text[j]) { same.push(r[i]![j]!); continue; }
          different.push(r[i]![j]!);
          const pair = [text[i], text[j]].sort().join('');
          worst.set(pair, Math.max(worst.get(pair) ?? -1, r[i]![j]!));
        }
      }
    }
  }
}
const at = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.floor(p * (a.length - 1))]!.toFixed(3);
console.log(`same character: ${same.length} pairs, min ${at(same, 0)}, 0.1th percentile ${at(same, 0.001)}, 1st percentile ${at(same, 0.01)}, 5th ${at(same, 0.05)}, median ${at(same, 0.5)}`);
console.log(`different: ${different.length} pairs, median ${at(different, 0.5)}, 99th percentile ${at(different, 0.99)}, 99.9th ${at(different, 0.999)}, max ${at(different, 1)}`);
console.log('highest different pairs:', [...worst.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([p, c]) => `${p} ${c.toFixed(3)}`).join(', '));
