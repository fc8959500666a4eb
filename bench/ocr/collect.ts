// For the replay tools: reads every image of the screenshot sets given once, with a
// trace, and stores what `pick` keeps of each (images it returns null for are left out;
// images `want` turns down are not read at all).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEngines } from '../../src/ocr/engine.js';
import { recognizeImage, type Trace } from '../../src/ocr/pipeline.js';
import type { ImageCandidate } from '../../src/ocr/types.js';

export interface ManifestEntry { file: string; family?: string; keys: { key: string; ruleId: string; hidden?: number }[] }

export async function collectTraces<T>(dirs: string[], out: string, pick: (entry: ManifestEntry, file: string, trace: Trace, found: ImageCandidate[]) => T | null, want: (entry: ManifestEntry) => boolean = () => true): Promise<void> {
  const engines = await startEngines();
  const stored: T[] = [];
  for (const dir of dirs) {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { images: ManifestEntry[] };
    for (const e of manifest.images.filter(want)) {
      const trace: Trace = { regions: 0, reads: 0, texts: [] };
      const { candidates } = await recognizeImage(engines, await readFile(join(dir, e.file)), trace);
      const kept = pick(e, join(dir, e.file), trace, candidates);
      if (kept) stored.push(kept);
      process.stderr.write('.');
    }
  }
  await engines.terminate();
  await writeFile(out, JSON.stringify(stored));
}
