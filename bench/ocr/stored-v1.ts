// For the v1 tools replaying readings stored by `v1-replay.ts --collect`: each stored
// picture decoded and turned as the page pass turns it (the stored boxes are on that page).
import { readFile } from 'node:fs/promises';
import { MIN_SKEW, type V1Read } from '../../src/ocr/pipeline.js';
import { decode, pageView, rotateGrey, skewAngle, tileStats, type Grey } from '../../src/ocr/preprocess.js';

export interface StoredV1 { file: string; family?: string; truth: string[]; regions: V1Read[][] }

export async function* storedV1(paths: string[]): AsyncGenerator<{ s: StoredV1; grey: Grey }> {
  for (const path of paths) {
    for (const s of JSON.parse(await readFile(path, 'utf8')) as StoredV1[]) {
      const d = await decode(await readFile(s.file));
      if (!d.ok) continue;
      let grey: Grey = d.grey;
      const skew = skewAngle(pageView(grey, tileStats(grey)));
      if (Math.abs(skew) >= MIN_SKEW) grey = rotateGrey(grey, -skew).grey;
      yield { s, grey };
    }
  }
}
