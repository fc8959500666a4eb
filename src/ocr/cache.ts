// Results of images already read, keyed by SHA-256 of the image bytes and the
// engine version, so a re-scan skips them. The entries hold the keys found
// (that is what makes them useful): files are created 0600 in a 0700 folder.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageResult } from './types.js';

export class ResultCache {
  constructor(private readonly dir: string, private readonly tag: string) {}

  key(image: Buffer): string {
    return createHash('sha256').update(this.tag).update('\0').update(image).digest('hex');
  }

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<ImageResult | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.path(key), 'utf8')) as { tag?: string; result?: ImageResult };
      if (parsed.tag !== this.tag || !parsed.result || !Array.isArray(parsed.result.candidates)) return undefined;
      return parsed.result;
    } catch {
      return undefined;
    }
  }

  async set(key: string, result: ImageResult): Promise<void> {
    try {
      const file = this.path(key);
      await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, JSON.stringify({ tag: this.tag, result }), { mode: 0o600 });
      await rename(tmp, file);
    } catch {
      // A cache that cannot be written only costs a re-read next time.
    }
  }
}
