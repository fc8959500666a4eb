// v1 vote tuning without re-reading: `--collect` reads every image holding a
// v1 key (all sets given) and stores each region's v1 readings; without it,
// the stored readings are voted again with the current settleV1/voteV1.
//   npx tsx bench/ocr/v1-replay.ts --collect bench/.work/ocr bench/.work/ocr-dev-99 ...
//   npx tsx bench/ocr/v1-replay.ts
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEngines } from '../../src/ocr/engine.js';
import { recognizeImage, settleV1, type Trace, type V1Read } from '../../src/ocr/pipeline.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { collect: { type: 'boolean', default: false }, out: { type: 'string', default: 'bench/.work/v1-readings.json' }, verbose: { type: 'boolean', default: false } } });
interface Stored { file: string; truth: string[]; regions: V1Read[][] }
if (values.collect) {
  const engines = await startEngines();
  const stored: Stored[] = [];
  for (const dir of positionals) {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { images: { file: string; keys: { key: string; ruleId: string }[] }[] };
    for (const e of manifest.images) {
      const truth = e.keys.filter((k) => k.ruleId.endsWith('v1')).map((k) => k.key);
      if (!truth.length) continue;
      const trace: Trace = { regions: 0, reads: 0, texts: [] };
      await recognizeImage(engines, await readFile(join(dir, e.file)), trace);
      stored.push({ file: join(dir, e.file), truth, regions: trace.v1 ?? [] });
      process.stderr.write('.');
    }
  }
  await engines.terminate();
  await writeFile(values.out!, JSON.stringify(stored));
}
const stored = JSON.parse(await readFile(values.out!, 'utf8')) as Stored[];
let keys = 0;
let exact = 0;
for (const s of stored) {
  const got = s.regions.map((r) => settleV1(r)?.key);
  for (const t of s.truth) {
    keys++;
    if (got.includes(t)) exact++;
    else if (values.verbose) console.log(s.file, t, got.join(' '));
  }
}
console.log(`v1 exact ${exact}/${keys}`);
