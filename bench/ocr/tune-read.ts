// Tuning aid: read each v2 key from its true box (manifest) with several
// preprocessing variants and report character errors per variant.
//   npx tsx bench/ocr/tune-read.ts [--dir bench/.work/ocr]
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { read, startWorker } from '../../src/ocr/engine.js';
import { crop, decode, eraseRules, spaceOut, isolateLine, normalize, toPng, type Grey, type Style } from '../../src/ocr/preprocess.js';

const { values } = parseArgs({ options: { dir: { type: 'string', default: 'bench/.work/ocr' }, variants: { type: 'string' }, only: { type: 'string' }, print: { type: 'boolean', default: false } } });
const dir = values.dir!;
const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { images: { file: string; keys: { key: string; ruleId: string; box: { x: number; y: number; width: number; height: number } }[] }[] };
const WL = `0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-.:;,="'()[]{}<>/$`;

function lev(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1), d[i - 1]![j]! + 1, d[i]![j - 1]! + 1);
  return d[a.length]![b.length]!;
}

type Variant = { name: string; target: number; wl: boolean; psm: '7' | '13' | '6'; style?: Style; hex?: boolean; spaced?: number };
const all: Variant[] = [];
for (const target of [20, 22, 24, 26, 28, 30, 32, 36, 44, 56]) for (const wl of [true]) all.push({ name: `t${target}${wl ? 'w' : ''}`, target, wl, psm: '7' });
all.push({ name: 't36-psm13', target: 36, wl: true, psm: '13' });
all.push({ name: 't36-nowl', target: 36, wl: false, psm: '7' });
for (const sp of [1, 2, 3]) all.push({ name: `t30-sp${sp}`, target: 30, wl: true, psm: '7', spaced: sp }, { name: `t30-hexsp${sp}`, target: 30, wl: true, psm: '7', hex: true, spaced: sp });
all.push({ name: 't30-psm13', target: 30, wl: true, psm: '13' });
all.push({ name: 't30-hex', target: 30, wl: true, psm: '7', hex: true });
all.push({ name: 't30-hex13', target: 30, wl: true, psm: '13', hex: true });
for (const style of ['binary', 'bold', 'thin'] as const) for (const target of [28, 34, 46]) all.push({ name: `t${target}-${style}`, target, wl: true, psm: '7', style });
const variants = values.variants ? all.filter((v) => values.variants!.split(',').includes(v.name)) : all;
const worker = await startWorker();
const errs: Record<string, number[]> = {};
for (const e of manifest.images) {
  const keys = e.keys.filter((k) => k.box && (!values.only || values.only.split(',').some((o) => e.file.startsWith(o))));
  if (!keys.length) continue;
  const d = await decode(await readFile(join(dir, e.file)));
  if (!d.ok) continue;
  const norm = eraseRules(normalize(d.grey), 56, 72);
  for (const k of keys) {
    const b = k.box;
    const h = b.height;
    const cy = Math.max(0, Math.floor(b.y - h * 0.5));
    const region: Grey = isolateLine(crop(norm, b.x - h * 0.8, b.y - h * 0.5, b.width + h * 1.6, h * 2), { from: b.y - h * 0.1 - cy, to: b.y + h * 1.1 - cy });
    const row: string[] = [];
    for (const v of variants) {
      const s = Math.min(8, Math.max(0.5, v.target / h));
      const words = await read(worker, await toPng(v.spaced ? spaceOut(region, Math.max(1, Math.round((h * v.spaced) / 10))) : region, s, 12, v.style), { psm: v.psm, choices: false, ...(v.wl ? { whitelist: v.hex ? '0123456789abcdef-s ' : WL } : {}) });
      const text = words.map((w) => w.text).join(' ');
      // Best substring distance: compare against the text stripped to key chars.
      const flat = text.replace(/[^A-Za-z0-9_-]/g, '');
      const at = k.key.endsWith('-sf') ? 0 : 0;
      void at;
      const err = Math.min(lev(k.key, flat), ...[...Array(Math.max(1, flat.length - k.key.length + 1)).keys()].map((o) => lev(k.key, flat.slice(o, o + k.key.length))));
      (errs[v.name] ??= []).push(err);
      row.push(`${v.name}:${err}`);
      if (values.print) console.log('   ', v.name, flat);
    }
    console.log(e.file, k.ruleId.slice(-2), h, row.join(' '));
  }
}
for (const [n, a] of Object.entries(errs)) console.log(n, 'total', a.reduce((x, y) => x + y, 0), 'zero', a.filter((x) => x === 0).length, '/', a.length);
await worker.terminate();
