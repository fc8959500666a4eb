// Reads many objects through `git cat-file --batch`, with several cat-file processes
// (git's inflating and delta resolution is the slow part) each streaming a
// contiguous share of the list, so pack locality is kept.
import { CatFile, type CatFileResult } from './cat-file.js';

const BATCH = 256;

export async function readObjects(
  cwd: string,
  ids: string[],
  streams: number,
  onObject: (result: CatFileResult) => void,
): Promise<void> {
  const count = Math.max(1, Math.min(streams, Math.ceil(ids.length / BATCH)));
  const share = Math.ceil(ids.length / count);
  const parts = Array.from({ length: count }, (_, i) => ids.slice(i * share, (i + 1) * share));
  await Promise.all(parts.map((part) => readPart(cwd, part, onObject)));
}

async function readPart(cwd: string, ids: string[], onObject: (result: CatFileResult) => void): Promise<void> {
  const cat = new CatFile(cwd);
  try {
    // One batch is always asked for ahead, so git never waits on us.
    let ahead = cat.request(ids.slice(0, BATCH));
    for (let start = 0; start < ids.length; start += BATCH) {
      const current = ahead;
      ahead = start + BATCH < ids.length ? cat.request(ids.slice(start + BATCH, start + 2 * BATCH)) : [];
      for (const pending of current) onObject(await pending);
    }
  } finally {
    cat.close();
  }
}
