// A real tree with planted keys: a copy of /usr/include (C headers nobody on the team
// wrote) with Spreeflo keys added to some headers as `#define` lines, deterministic
// for a seed. Its manifest has the shape lib/recall.js reads (keys with path, line,
// kind, sha256; no decoys), and the keys themselves are never written there.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Rng } from './prng.js';
import { makeV1, makeV2 } from './keys.js';

export const INCLUDE_GEN_VERSION = 1;
/** One header in this many gets a key. */
const EVERY = 200;

function listFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) out.push(abs);
    }
  };
  walk(root);
  return out;
}

/**
 * Copies `source` to `out/files` (regular files and folders only: links are left out) and
 * plants keys; reuses the copy when its manifest has the same source, seed and version.
 */
export function ensureIncludeTree({ source = '/usr/include', out, seed = '1', log = () => {} }) {
  const manifestPath = path.join(out, 'manifest.json');
  const root = path.join(out, 'files');
  try {
    const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    if (m.params.source === source && m.params.seed === seed && m.params.version === INCLUDE_GEN_VERSION) return { manifest: m, root };
  } catch { /* none yet */ }
  if (!fs.existsSync(source)) throw new Error(`${source} is missing (Debian: apt-get install linux-libc-dev libc6-dev)`);
  log(`copying ${source} to ${root} and planting keys...`);
  fs.rmSync(out, { recursive: true, force: true });
  const rng = new Rng(`include:${seed}`);
  const keys = [];
  let totalBytes = 0;
  const files = listFiles(source);
  files.forEach((abs, i) => {
    const rel = path.relative(source, abs).split(path.sep).join('/');
    const dest = path.join(root, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    let data = fs.readFileSync(abs);
    if (i % EVERY === EVERY / 2 && rel.endsWith('.h') && !data.includes(0)) {
      const lines = data.toString('utf8').split('\n');
      const at = rng.int(0, Math.max(0, lines.length - 2));
      const kind = keys.length % 2 ? 'v1' : 'v2';
      const key = kind === 'v2' ? makeV2(rng) : makeV1(rng);
      lines.splice(at, 0, `#define SPREEFLO_API_KEY_${keys.length} "${key}"`);
      data = Buffer.from(lines.join('\n'));
      keys.push({ path: rel, line: at + 1, kind, last4: key.slice(-4), sha256: createHash('sha256').update(key).digest('hex') });
    }
    fs.writeFileSync(dest, data);
    totalBytes += data.length;
  });
  const manifest = { params: { source, seed, version: INCLUDE_GEN_VERSION }, fileCount: files.length, totalBytes, keys, decoys: [] };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));
  return { manifest, root };
}
