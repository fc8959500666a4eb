// PARTIAL_MIN (src/ocr/pipeline.ts): how many key characters follow an `sfk_`-like
// start in what the OCR reads of pictures holding no key (masked keys, pages with no
// key, hex noise; not the key-shaped decoys, random `sfk_` strings and wrong
// checksums, which are meant to be flagged), and in pictures holding one; runs that
// repeat a few characters (a mask read as letters) left out, as partialV2 does.
//   npx tsx bench/ocr/partial-probe.ts bench/.work/wild-101-occluded bench/.work/ocr-5813 …   (WITH_KEYS=1: the pictures with a key too)
import './shown.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEngines } from '../../src/ocr/engine.js';
import { recognizeImage, type Trace } from '../../src/ocr/pipeline.js';

interface Entry { file: string; keys: unknown[]; decoys: { type: string }[] }
const START = /[s5S$][fktFTl1i|][kKxXh][_\-.~]([A-Za-z0-9]+)/g;
const engines = await startEngines();
const longest: Record<string, number[]> = {};
for (const dir of process.argv.slice(2)) {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { images: Entry[] };
  for (const e of manifest.images) {
    const kind = e.keys.length ? 'key' : e.decoys.some((d) => /wrong|invalid|random/.test(d.type)) ? 'key-shaped decoy' : `no key (${e.decoys.map((d) => d.type).join('+') || 'nothing'})`;
    if (kind === 'key-shaped decoy' || (kind === 'key' && !process.env.WITH_KEYS)) continue;
    const trace: Trace = { regions: 0, reads: 0, texts: [] };
    await recognizeImage(engines, await readFile(join(dir, e.file)), trace);
    const texts = [...trace.texts, (trace.pageWords ?? []).join(' ')];
    // As partialV2 counts: a run holding fewer different characters than half its length is a mask read as letters.
    const run = Math.max(0, ...texts.flatMap((t) => [...t.matchAll(START)].map((m) => m[1]!).filter((r) => new Set(r).size * 2 >= r.length).map((r) => r.length)));
    // A v1 key's start hidden: hex digits before `-sf<dc>` (PARTIAL_V1_MIN).
    const hex = Math.max(0, ...texts.flatMap((t) => [...t.matchAll(/([0-9a-f]+)-?s[fT][0-9]/g)].map((m) => m[1]!.length)));
    if (hex && kind !== 'key') console.log(`${dir}/${e.file} (${kind}): ${hex} hex digits before -sf<dc>`);
    (longest[kind] ??= []).push(run);
    if (run >= 5 && kind !== 'key') console.log(`${dir}/${e.file} (${kind}): ${run}`);
  }
}
await engines.terminate();
for (const [kind, runs] of Object.entries(longest)) console.log(`${kind}: ${runs.length} pictures, longest run after an sfk_ start: max ${Math.max(...runs)}, histogram ${JSON.stringify(runs.reduce<Record<number, number>>((h, r) => ({ ...h, [r]: (h[r] ?? 0) + 1 }), {}))}`);
