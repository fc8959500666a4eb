// Case from ink, measured: for each v2 reading of the pictures given (trace.v2), each glyph whose
// letter is right but for its case, where the small letter has no ascender (`acegmnopqrsuvwxyz`):
// its ink's top under the line's cap line, in cap heights (`rel`), from the pixels of the page the
// readings' boxes are on (not tesseract's box). The cap line and baseline: each glyph's nearest
// glyphs read as digits or capitals (CAP_HEIGHT's), the median of their ink tops and bottoms;
// `relTrue` the same from the glyphs that truly are digits or capitals (and read so), the upper bound.
// Only readings 36 symbols long whose letters match the truth but for case at 24 positions or more.
// A glyph's ink: the rows of the middle 60% of its box's columns in the reading's band, normalised
// (ink dark), each edge where the row's ink crosses half the strongest row's (INK_FRACTION), between
// rows by interpolation. capPx: the line's cap height in page pixels.
// Prints per picture a summary line, and with --all every measured glyph (position, true case,
// read character, rel): single characters only, never a key. With --json FILE, the rows.
//   npx tsx bench/ocr/ink-case.ts [--all] [--json out.json] <picture>...
import './shown.js';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { startEngines } from '../../src/ocr/engine.js';
import { recognizeImage, MIN_SKEW, type Trace, type PSym } from '../../src/ocr/pipeline.js';
import { decode, rotateGrey, crop, normalizeCrop, type Grey } from '../../src/ocr/preprocess.js';
import { INK_BELOW } from '../../src/ocr/glyphs.js';

const CAP = new Set('0123456789ABDEFGHKLMNPRT');
const SMALL_NO_ASC = new Set('acegmnopqrsuvwxyz');
const args = process.argv.slice(2);
const all = args.includes('--all');
const jsonAt = args.indexOf('--json');
const jsonOut = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const files = args.filter((a, i) => !a.startsWith('--') && (jsonAt < 0 || i !== jsonAt + 1));

/** Ink rows (top, bottom) of the middle of a glyph's box in a normalised band; null with no ink. */
function inkRows(band: Grey, x0: number, x1: number): [number, number] | null {
  const rows = new Float64Array(band.height);
  for (let y = 0; y < band.height; y++) for (let x = Math.max(0, x0); x < Math.min(band.width, x1); x++) rows[y]! += Math.max(0, INK_BELOW - band.data[y * band.width + x]!);
  const max = Math.max(...rows);
  if (max <= 0) return null;
  // The ink's edges at FRACTION of the strongest row, between rows by linear interpolation
  // (a blurred edge at 9 px cap height moves a whole row for a fraction of one).
  const at = FRACTION * max;
  let top = 0;
  while (rows[top]! < at) top++;
  const topEdge = top === 0 ? 0 : top - (rows[top]! - at) / (rows[top]! - rows[top - 1]!);
  let bottom = band.height - 1;
  while (rows[bottom]! < at) bottom--;
  const bottomEdge = bottom === band.height - 1 ? band.height : bottom + 1 + (rows[bottom]! - at) / (rows[bottom]! - rows[bottom + 1]!) - 1;
  return [topEdge, bottomEdge];
}
const FRACTION = Number(process.env.INK_FRACTION ?? 0.5);

export function measure(page: Grey, r: PSym[]): ({ top: number; bottom: number } | null)[] {
  const y0 = Math.min(...r.map((s) => s.box.y));
  const y1 = Math.max(...r.map((s) => s.box.y + s.box.height));
  const pad = Math.round((y1 - y0) * 0.3);
  const x0 = Math.min(...r.map((s) => s.box.x));
  const x1 = Math.max(...r.map((s) => s.box.x + s.box.width));
  const top = Math.max(0, y0 - pad);
  const band = normalizeCrop(crop(page, x0, top, x1 - x0, y1 + pad - top));
  return r.map((s) => {
    if (s.space) return null;
    const a = s.box.x - x0 + s.box.width * 0.2;
    const b = s.box.x - x0 + s.box.width * 0.8;
    // only the rows of the symbol's own box and a little over and under it
    const rows = inkRows(band, Math.floor(a), Math.ceil(b));
    return rows ? { top: rows[0] + top, bottom: rows[1] + top } : null;
  });
}

function median(v: number[]): number { const s = [...v].sort((a, b) => a - b); return s[s.length >> 1]!; }

const out: { pic: string; i: number; truth: string; read: string; rel: number; relBottom: number; relTrue: number; capPx: number; boxRel: number }[] = [];
const engines = await startEngines();
for (const file of files) {
  const m = JSON.parse(await readFile(join(dirname(file), 'manifest.json'), 'utf8')) as { images: { file: string; keys: { key: string; ruleId: string }[] }[] };
  const truths = m.images.find((e) => e.file === basename(file))!.keys.filter((k) => k.ruleId.endsWith('v2')).map((k) => k.key.slice(4));
  const buf = await readFile(file);
  const trace: Trace = { regions: 0, reads: 0, texts: [] };
  await recognizeImage(engines, buf, trace);
  const dec = await decode(buf);
  if (!dec.ok) continue;
  const page = Math.abs(trace.skew ?? 0) >= MIN_SKEW ? rotateGrey(dec.grey, -(trace.skew ?? 0)).grey : dec.grey;
  const pic = `${basename(dirname(file))}/${basename(file)}`;
  let n = 0;
  for (const readings of trace.v2 ?? []) for (const r0 of readings) {
    const r = (r0 as PSym[]).filter((s) => !s.space);
    if (r.length !== 36) continue;
    const truth = truths.find((t) => [...t].filter((c, i) => c.toLowerCase() === (r[i]!.choices[0]?.ch ?? '').toLowerCase()).length >= 24);
    if (!truth) continue;
    const ink = measure(page, r);
    const capH = median(r.filter((s, i) => CAP.has(s.choices[0]?.ch ?? '') && ink[i]).map((s) => s.box.height));
    r.forEach((s, i) => {
      const t = truth[i]!;
      const read = s.choices[0]?.ch ?? '';
      if (!SMALL_NO_ASC.has(t.toLowerCase()) || read.toLowerCase() !== t.toLowerCase() || !ink[i]) return;
      const line = (trueCaps: boolean) => {
        const near = r.map((x, j) => ({ x, j })).filter(({ x, j }) => j !== i && (trueCaps ? CAP.has(truth[j]!) && truth[j] === x.choices[0]?.ch : CAP.has(x.choices[0]?.ch ?? '')) && ink[j]).sort((p, q) => Math.abs(p.j - i) - Math.abs(q.j - i)).slice(0, 8);
        if (near.length < 4) return null;
        const capTop = median(near.map(({ j }) => ink[j]!.top));
        const base = median(near.map(({ j }) => ink[j]!.bottom));
        return base - capTop > 2 ? { capTop, base, h: base - capTop } : null;
      };
      const [read1, true1] = [line(false), line(true)];
      if (!read1 || !true1) return;
      const row = {
        pic, i, truth: t === t.toLowerCase() ? 'small' : 'cap', read,
        rel: (ink[i]!.top - read1.capTop) / read1.h, relBottom: (ink[i]!.bottom - read1.base) / read1.h,
        relTrue: (ink[i]!.top - true1.capTop) / true1.h, capPx: true1.h, boxRel: s.box.height / capH,
      };
      out.push(row);
      n++;
      if (all) console.log(`  ${pic} ${i} ${row.truth} read ${read} rel ${row.rel.toFixed(2)} true-caps ${row.relTrue.toFixed(2)} cap ${row.capPx.toFixed(1)} px bottom ${row.relBottom.toFixed(2)} box ${row.boxRel.toFixed(2)}`);
    });
  }
  const mine = out.filter((o) => o.pic === pic);
  const wrongCase = mine.filter((o) => (o.truth === 'small') !== (o.read === o.read.toLowerCase()));
  console.log(`${pic} glyphs ${n} wrong-case ${wrongCase.length}: ${wrongCase.map((o) => `${o.i}:${o.truth}/${o.read} ${o.rel.toFixed(2)}`).join(' ')}`);
}
await engines.terminate();
if (jsonOut) await writeFile(jsonOut, JSON.stringify(out));
