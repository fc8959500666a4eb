// Where a file the build writes into dist/ is (a worker script, pdf.js): beside the
// CLI, from code bundled into dist/ or dist/chunks/. Absent when running from the
// TypeScript sources (tests): callers then do without it or use node_modules.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function bundledFile(name: string): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, name), join(here, '..', name)].find((p) => existsSync(p)) ?? null;
}
