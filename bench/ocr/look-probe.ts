// h32look: every check character the pipeline judged on chosen look-alike pictures, with the
// rule inputs (readings, copies, page, shape, stroke, alone) and the glyph's ink against the
// key's vouched glyphs (width, height, top, bottom). Keys are never printed.
//   npx tsx bench/ocr/look-probe.ts DIR name1,name2 …  (LOOK_OUT=/tmp/look.json)
import './shown.js';
import { basename } from 'node:path';
import { collectTraces, type ManifestEntry } from './collect.js';

const [dir, names] = process.argv.slice(2);
const only = names ? names.split(',') : null;
type Entry = ManifestEntry & { decoys?: { type: string; text: string }[]; keyFont?: string; size?: number; format?: string; dsf?: number };
await collectTraces([dir!], process.env.LOOK_OUT ?? '/tmp/look.json', (e0, file, trace, found) => {
  const e = e0 as Entry;
  const decoys = (e.decoys ?? []).map((d) => d.text);
  const out = (trace.checks ?? []).map((c) => {
    const at = decoys.flatMap((d) => (d.length === c.key.length ? [...d].flatMap((x, j) => (x !== c.key[j] ? [j - 4] : [])) : []));
    return {
      file: basename(file), font: `${e.keyFont} ${e.size} x${e.dsf} ${e.format}`, real: e.keys.some((k) => k.key === c.key), decoyAt: at.map((i) => i - 30),
      guessed: c.guessed, contradicted: c.contradicted,
      subs: c.subs.map((s) => ({ check: s.i - 30, ch: s.ch, asRead: !!s.asRead, partly: s.partly,
        syms: s.syms.map((sym) => sym.choices.slice(0, 4).map((x) => `${x.ch}${Math.round(x.conf)}`).join(' ')),
        copies: s.copies.map((x) => x.ch).join(''), likeness: s.likeness, page: s.pageLikeness, pairs: s.pairs, shape: s.shape, stroke: s.stroke, tops: s.tops,
        alone: s.alone?.map((g) => g.map((x) => `${x.ch}${Math.round(x.conf)}`).join(' ')), cells: s.cells.map((b) => `${Math.round(b.width)}x${Math.round(b.height)}`).join(',') })),
    };
  });
  process.stderr.write(`\n${basename(file)}: ${found.map((f) => f.confidence).join(',')}\n`);
  return out.length ? out : null;
}, (e) => !only || only.some((n) => e.file.startsWith(n)));
