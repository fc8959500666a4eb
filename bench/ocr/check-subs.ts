// Which v2 keys the search found by changing a check character no reading read
// first there (see CheckSub in src/ocr/pipeline.ts), on real keys and decoys
// alike, with what tesseract read there and whether the glyph read alone
// contradicted the change (glyphContradicts). Keys are never printed; the
// characters at the changed position are.
//   npx tsx bench/ocr/check-subs.ts bench/.work/wild-606 …
import './shown.js';
import { parseArgs } from 'node:util';
import { collectTraces } from './collect.js';

const { positionals } = parseArgs({ allowPositionals: true, options: {} });
interface Row { file: string; real: boolean; guessed: boolean; contradicted: boolean; subs: { i: number; ch: string; read: string[]; offered: number[]; copies: string; alone: string; stroke: string }[] }
const out = process.env.CHECK_SUBS_OUT ?? '/tmp/check-subs.json';
await collectTraces<Row[]>(positionals, out, (e, file, trace) => {
  const rows = (trace.checks ?? []).map((c) => ({
    file,
    real: e.keys.some((k) => k.key === c.key),
    guessed: c.guessed,
    contradicted: c.contradicted,
    subs: c.subs.map((s) => ({
      i: s.i,
      ch: s.ch,
      read: s.syms.map((sym) => `${sym.choices[0]!.ch}${Math.round(sym.choices[0]!.conf)}`),
      offered: s.syms.map((sym) => Math.round(sym.choices.find((x) => x.ch === s.ch)?.conf ?? -1)),
      stroke: (s.stroke === undefined ? '' : `stroke ${s.stroke.toFixed(2)}${s.asRead ? ' (as read)' : ''}`) + (s.shape ? `; shape ${s.shape}${s.asRead ? ' (as read)' : ''}` : ''),
      alone: (s.alone ?? []).map((got) => got.map((x) => `${x.ch}${Math.round(x.conf)}`).join(',') || '-').join(' | '),
      copies: s.likeness ? `like copies of ${Object.entries(s.likeness).map(([ch, l]) => `${ch} ${l.toFixed(2)}`).join(', ') || 'none'}` : '',
    })),
  }));
  return rows.length ? rows : null;
});
const seen = new Set<string>();
const rows = (JSON.parse(await (await import('node:fs/promises')).readFile(out, 'utf8')) as Row[][]).flat();
for (const r of rows) {
  const id = JSON.stringify(r);
  if (seen.has(id)) continue;
  seen.add(id);
  console.log(`${r.real ? 'REAL ' : 'FALSE'} ${r.guessed ? 'guessed' : r.contradicted ? 'contradicted' : 'high   '} ${r.file}`);
  for (const s of r.subs) console.log(`    check ${s.i - 30}: ${s.ch} for ${s.read.join(' ')}; offered ${s.offered.join(' ')}; ${s.copies}; alone ${s.alone}; ${s.stroke}`);
}
