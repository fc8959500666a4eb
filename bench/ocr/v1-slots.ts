// What each reading of a v1 key says at the digits the vote gets wrong, and at the
// digits where the legacy engine's readings and the LSTM's disagree, measured on
// readings stored by `v1-replay.ts --collect` (with the picture: settleV1 as the
// pipeline calls it). Per such digit: the truth and the voted digit (one character
// each, never the key), the LSTM readings' first choices (with confidence) and the
// alternatives they offer at 30 or more, the legacy readings' first choices.
//   npx tsx bench/ocr/v1-slots.ts [--all] readings.json ...
import { parseArgs } from 'node:util';
import { alignTo, settleV1, type PSym, type V1Read } from '../../src/ocr/pipeline.js';
import { toHex } from '../../src/ocr/correct.js';
import { storedV1 } from './stored-v1.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { all: { type: 'boolean', default: false } } });
const top = (s: PSym | undefined) => s?.choices[0]?.ch ?? '';
for await (const { s, grey } of storedV1(positionals)) {
  for (const r of s.regions) {
    const voted = settleV1(r, grey);
    const key = voted?.key ?? '';
    const truth = s.truth.find((t) => [...t.slice(0, 32)].filter((ch, i) => ch === key[i]).length >= 20);
    if (!truth) { console.log(`${s.file} ${s.family}: no key near (${r.length} readings)`); continue; }
    const agree = (v: V1Read) => v.syms.filter((sym, i) => toHex(top(sym)) === key[i]).length;
    const ref = r.filter((v) => !v.legacy && v.exact).sort((a, b) => agree(b) - agree(a))[0] ?? r.filter((v) => v.exact)[0];
    if (!ref) continue;
    const aligned = r.map((v) => (v.syms === ref.syms ? v.syms : alignTo(ref.syms, v.run)));
    const wrong = [...truth.slice(0, 32)].filter((ch, i) => ch !== key[i]).length;
    const dcOk = key.slice(32) === truth.slice(32);
    console.log(`${s.file} ${s.family}: ${wrong} digits wrong${dcOk ? '' : ', dc wrong'}; readings lstm ${r.filter((v) => !v.legacy).length} legacy ${r.filter((v) => v.legacy).length}`);
    for (let i = 0; i < 32; i++) {
      const lstm = aligned.flatMap((a, j) => (r[j]!.legacy ? [] : [a[i]]));
      const legacy = aligned.flatMap((a, j) => (r[j]!.legacy ? [a[i]] : []));
      const legacyTops = legacy.map((x) => toHex(top(x)) ?? '?');
      const disagree = legacyTops.some((h) => h !== key[i] && h !== '?') || lstm.some((x) => (toHex(top(x)) ?? key[i]) !== key[i]);
      if (key[i] === truth[i] && !(values.all && disagree)) continue;
      const fmt = (x: PSym | undefined) => (x ? `${top(x)}${Math.round(x.choices[0]?.conf ?? 0)}${x.choices.slice(1).filter((c) => c.conf >= 30).map((c) => `/${c.ch}${Math.round(c.conf)}`).join('')}` : '-');
      console.log(`  ${i}: truth ${truth[i]} voted ${key[i]} ${key[i] === truth[i] ? 'ok ' : 'BAD'} | lstm ${lstm.map(fmt).join(' ')} | legacy ${legacy.map(fmt).join(' ')}`);
    }
  }
}
