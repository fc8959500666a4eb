// How alike a check character's glyph is to the key's own copies of that character, on
// true keys and on look-alike decoys (h29look): every sub the pipeline judged
// (Trace.checks), with its likeness to the key's copies of each character (copiesSay), to
// the page's twin glyphs (pageSays), its cell's height and what the readings read there.
// Reads only pictures where it can matter: a v2 key with a check character that is a twin
// (l 1 I, O 0, S 5, B 8, Z 2, G 6) and has a copy elsewhere in the key, or a decoy.
// Keys are never printed nor stored; the characters at the check position are.
//   npx tsx bench/ocr/own-copies.ts /tmp/sets/look-3706 … (OWN_COPIES_OUT=/tmp/own.json)
//   npx tsx bench/ocr/own-copies.ts --print /tmp/own.json …
import './shown.js';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { collectTraces, type ManifestEntry } from './collect.js';

const TWIN_CHARS = 'l1IO0S5B8Z2G6';
interface Sub { i: number; ch: string; asRead: boolean; partly: boolean; read: string; likeness: Record<string, number> | null; page: Record<string, number> | null; h: number; decoyHere: boolean; pairs: { ch: string; like: number }[] | null }
interface Row { set: string; file: string; family: string; variant: string; real: boolean; guessed: boolean; contradicted: boolean; subs: Sub[] }
type Entry = ManifestEntry & { variant?: string; decoys?: { type: string; text: string }[]; font?: string; size?: number; format?: string };

/** Does a v2 key have a twin check character with a copy of it among its other characters? */
function reachable(key: string): boolean {
  const body = key.slice(4);
  return [...body.slice(30)].some((ch, k) => TWIN_CHARS.includes(ch) && [...body].some((c, j) => j !== 30 + k && c === ch));
}

function want(e: Entry): boolean {
  return (e.decoys ?? []).some((d) => d.type === 'wrong-checksum') || e.keys.some((k) => k.ruleId === 'spreeflo-api-key-v2' && reachable(k.key));
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { print: { type: 'boolean' } } });
const out = process.env.OWN_COPIES_OUT ?? '/tmp/own-copies.json';
const files = values.print ? positionals : [out];
if (!values.print) {
  await collectTraces<Row[]>(positionals, out, (e0, file, trace) => {
    const e = e0 as Entry;
    const decoys = (e.decoys ?? []).map((d) => d.text);
    const rows = (trace.checks ?? []).map((c): Row => {
      // The check position a decoy differs from the key found (the look-alike put there).
      const at = decoys.flatMap((d) => (d.length === c.key.length ? [...d].flatMap((x, j) => (x !== c.key[j] ? [j - 4] : [])) : []));
      return {
        set: basename(dirname(file)),
        file: basename(file),
        family: e.family ?? 'look',
        variant: e.variant ?? [e.font, e.size, e.format].filter(Boolean).join(' '),
        real: e.keys.some((k) => k.key === c.key),
        ...{ guessed: c.guessed, contradicted: c.contradicted },
        subs: c.subs.map((s) => ({
          ...{ i: s.i, ch: s.ch, partly: s.partly },
          asRead: !!s.asRead,
          read: s.syms.map((sym) => sym.choices[0]?.ch ?? '?').join(''),
          likeness: s.likeness ?? null,
          page: s.pageLikeness ?? null,
          h: Math.max(0, ...s.cells.map((b) => b.height)),
          decoyHere: at.includes(s.i),
          pairs: s.pairs ?? null,
        })),
      };
    });
    return rows.length ? rows : null;
  }, (e) => want(e as Entry));
}
/** The key's repeated glyphs' likeness to their copies: the lowest, the median, and how many; the check character's own copies among themselves. */
function pairsOf(s: Sub): string {
  if (!s.pairs) return '-';
  const all = s.pairs.map((p) => p.like).sort((a, b) => a - b);
  const own = s.pairs.filter((p) => p.ch === s.ch).map((p) => p.like.toFixed(2));
  return `min ${all[0]?.toFixed(2)} med ${all[all.length >> 1]?.toFixed(2)} n ${all.length} own-among ${own.join('/') || '-'}`;
}

const seen = new Set<string>();
for (const f of files) {
  for (const r of (JSON.parse(await readFile(f, 'utf8')) as Row[][]).flat()) {
    for (const s of r.subs) {
      const own = s.likeness?.[s.ch];
      if (own === undefined) continue;
      const line = `${r.real ? 'REAL ' : s.decoyHere ? 'DECOY' : 'FALSE'} ${r.set} ${r.file} ${r.family} [${r.variant}] check ${s.i - 30} ${s.ch}${s.asRead ? ' asRead' : ''} read ${s.read} h ${s.h} own ${own.toFixed(3)} copies ${Object.entries(s.likeness!).map(([c, l]) => `${c} ${l.toFixed(2)}`).join(',')} pairs ${pairsOf(s)} page ${Object.entries(s.page ?? {}).map(([c, l]) => `${c} ${l.toFixed(2)}`).join(',') || '-'} ${r.guessed ? 'guessed' : r.contradicted ? 'contradicted' : 'high'}`;
      if (seen.has(line)) continue;
      seen.add(line);
      console.log(line);
    }
  }
}
