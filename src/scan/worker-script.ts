// Where a bundled worker script is: dist/, beside the CLI. Absent when running from
// the TypeScript sources (tests): callers then do the work on the main thread.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function workerScript(name: string): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, name), join(here, '..', name)].find((p) => existsSync(p)) ?? null;
}
