// Read the true boxes (manifest) of v1 keys with the LSTM and the legacy
// engine, hex whitelist, at several sizes: exact readings and confusions
// (truth>read) per engine. Where LEGACY_MISREADS in correct.ts comes from.
//   npx tsx bench/ocr/legacy-probe.ts bench/.work/ocr bench/.work/ocr-dev-99 ...
import './shown.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { read, startLegacyWorker, startWorker } from '../../src/ocr/engine.js';
import { crop, decode, eraseRules, isolateLine, normalize, toPng, type Grey } from '../../src/ocr/preprocess.js';
const dirs = process.argv.slice(2);
const targets = [34, 46, 58];
const leg = await startLegacyWorker();
const lstm = await startWorker();
const conf: Record<string, Record<string, number>> = {};
const tally: Record<string, number> = {};
const ms: Record<string, number> = {};
const out: unknown[] = [];
for (const dir of dirs) {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { images: { file: string; keys: { key: string; ruleId: string; box: { x: number; y: number; width: number; height: number } }[] }[] };
  for (const e of manifest.images) {
    const keys = e.keys.filter((k) => k.ruleId.endsWith('v1') && k.box);
    if (!keys.length) continue;
    const d = await decode(await readFile(join(dir, e.file)));
    if (!d.ok) continue;
    const norm = eraseRules(normalize(d.grey), 56, 72);
    for (const k of keys) {
      const b = k.box; const h = b.height;
      const cy = Math.max(0, Math.floor(b.y - h * 0.5));
      const region: Grey = isolateLine(crop(norm, b.x - h * 0.8, b.y - h * 0.5, b.width + h * 1.6, h * 2), { from: b.y - h * 0.1 - cy, to: b.y + h * 1.1 - cy });
      const hex = k.key.slice(0, 32);
      const rec: Record<string, string> = {};
      for (const t of targets) {
        const png = await toPng(region, Math.min(8, t / h), 12);
        for (const [name, w] of [['lstm', lstm], ['legacy', leg]] as const) {
          const t1 = performance.now();
          const words = await read(() => w, png, { psm: '7', choices: false, whitelist: '0123456789abcdef-s ' });
          ms[name] = (ms[name] ?? 0) + performance.now() - t1;
          const txt = words.map((x) => x.text).join('');
          const m = /([0-9a-f]{32})-?s/.exec(txt);
          const v = `${name}${t}`;
          rec[v] = m ? m[1]! : txt;
          if (!m) { tally[v + ' bad'] = (tally[v + ' bad'] ?? 0) + 1; continue; }
          const errs = [...hex].filter((c, i) => m[1]![i] !== c).length;
          tally[v + (errs ? ' wrong' : ' exact')] = (tally[v + (errs ? ' wrong' : ' exact')] ?? 0) + 1;
          [...hex].forEach((c, i) => { if (m[1]![i] !== c) { const row = (conf[name] ??= {}); row[c + '>' + m[1]![i]] = (row[c + '>' + m[1]![i]] ?? 0) + 1; } });
        }
      }
      console.log(e.file, h, hex);
      for (const [v, s] of Object.entries(rec)) console.log('   ', v.padEnd(9), [...hex].map((c, i) => (s[i] === c ? '.' : s[i] ?? '?')).join(''));
      out.push({ file: join(dir, e.file), h, hex, rec });
    }
  }
}
console.log(JSON.stringify(tally, null, 0));
for (const [n, row] of Object.entries(conf)) console.log(n, Object.entries(row).sort((a, b) => b[1] - a[1]).map(([p, c]) => `${p}:${c}`).join(' '));
console.log('ms', ms);
await writeFile('bench/.work/v1-probe.json', JSON.stringify(out));
await leg.terminate(); await lstm.terminate();
