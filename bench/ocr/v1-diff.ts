// Why a v1 key was read wrong: each v1 reading of the pictures given (one per region the
// pipeline voted, trace.v1) and each v1 finding set against the truth of the picture's
// manifest, digit by digit (`i:truth>read`; positions and single digits only, never a key).
//   npx tsx bench/ocr/v1-diff.ts /tmp/sets/wild-3001/photo-003.jpg ...
import './shown.js';
import { readFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { startEngines } from '../../src/ocr/engine.js';
import { recognizeImage, type Trace } from '../../src/ocr/pipeline.js';

const engines = await startEngines();
function diff(t: string, r: string): string {
  const out: string[] = [];
  for (let i = 0; i < Math.max(t.length, r.length); i++) if (t[i] !== r[i]) out.push(`${i}:${t[i] ?? '_'}>${r[i] ?? '_'}`);
  return out.length > 8 ? `${out.slice(0, 8).join(' ')} …(${out.length})` : out.join(' ') || 'same';
}
for (const file of process.argv.slice(2)) {
  const m = JSON.parse(await readFile(join(dirname(file), 'manifest.json'), 'utf8')) as { images: { file: string; keys: { key: string; ruleId: string }[] }[] };
  const truth = m.images.find((e) => e.file === basename(file))!.keys.filter((k) => k.ruleId.endsWith('v1')).map((k) => k.key);
  const trace: Trace = { regions: 0, reads: 0, texts: [] };
  const res = await recognizeImage(engines, await readFile(file), trace);
  console.log(`== ${file} truth len ${truth.map((t) => t.length)} v1 regions ${trace.v1?.length ?? 0}`);
  for (const t of truth) {
    for (const [i, reg] of (trace.v1 ?? []).entries()) {
      for (const r of reg) {
        const s = r.syms.map((x) => x.choices[0]?.ch ?? '?').join('');
        const tag = r.legacy ? 'leg' : r.hex ? 'hex' : 'lstm';
        console.log(`  reg${i} ${tag} len${s.length} dc=${r.dc}${r.dcSure ? '' : '?'} exact=${r.exact} ${diff(t.slice(0, 32), s.slice(0, 32))} tail=${s.slice(32)}`);
      }
    }
    for (const c of res.candidates) console.log(`  found ${c.confidence} ${c.ruleId} ${c.ruleId.endsWith('v1') ? diff(t, c.key) : ''}`);
  }
}
await engines.terminate();
