// Deterministic benchmark corpus: OUT/files/** (the tree to scan) + OUT/manifest.json
// (where real keys and decoys were planted; keys themselves are stored only as sha256 + last4).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { Rng } from './prng.js';
import { TYPES, minifiedChunk, camel, noun, sentence } from './content.js';
import * as V from './vocab.js';
import { makeV1, makeV2, makeDecoy, DECOY_KINDS, selfTest, isValidV1, isValidV2 } from './keys.js';

export const GEN_VERSION = 4; // bump when the output for a given (mb, seed) changes
export const MB = 1e6;
// Outside this repository: its configuration allows bench/** (made-up keys live there), and a
// scan applies the configuration of the repository that holds the scanned folder, so a corpus
// under bench/ had every planted key suppressed (recall 0, unseen in the timings).
export const CORPUS_DIR = path.join(os.tmpdir(), 'spreeflo-bench-corpus');

const TYPE_WEIGHTS = [[18, 'ts'], [8, 'js'], [12, 'py'], [8, 'go'], [7, 'java'], [8, 'yaml'], [10, 'json'],
  [8, 'md'], [3, 'env'], [3, 'ini'], [4, 'log'], [4, 'csv'], [6, 'html']];
const REAL_KEY_RATE = 1 / 200;
const DECOY_RATE = 1 / 150;
const CRLF_RATE = 0.03;
const NO_FINAL_NL_RATE = 0.04;

/** A realistic path for a file of `type` (shared with the history generator). */
export function pathFor(r, type) {
  const proj = r.pick(V.PROJECTS);
  const sub = () => r.pick(['core', 'api', 'handlers', 'models', 'utils', 'services', 'lib', 'jobs', 'adapters', 'domain', 'http', 'store']);
  const base = () => `${r.pick(V.VERBS)}-${noun(r)}`;
  switch (type) {
    case 'ts': return `${r.pick(['apps', 'packages', 'services'])}/${proj}/src/${sub()}/${r.chance(0.4) ? sub() + '/' : ''}${base()}.${r.pick(['ts', 'ts', 'tsx'])}`;
    case 'js': return `${r.pick(['apps', 'packages', 'scripts'])}/${proj}/${r.pick(['src', 'lib', 'bin'])}/${base()}.${r.pick(['js', 'mjs', 'cjs'])}`;
    case 'py': return `services/${proj}/${proj.replace(/-/g, '_')}/${sub()}/${base().replace(/-/g, '_')}.py`;
    case 'go': return `services/${proj}/internal/${sub()}/${base().replace(/-/g, '_')}.go`;
    case 'java': return `services/${proj}/src/main/java/com/acme/${proj.replace(/-/g, '')}/${sub()}/${camel(r).replace(/^./, (c) => c.toUpperCase())}.java`;
    case 'yaml': return r.pick([
      () => `deploy/k8s/${proj}/${r.pick(['deployment', 'service', 'configmap', 'values', 'ingress', 'cronjob'])}-${noun(r)}.yaml`,
      () => `.github/workflows/${base()}.yml`,
      () => `services/${proj}/docker-compose.${r.pick(['yml', 'override.yml', 'prod.yml'])}`,
      () => `config/${proj}/${noun(r)}.yaml`])();
    case 'json': return r.pick([
      () => `config/${proj}/${r.pick(['default', 'production', 'staging', 'local'])}-${noun(r)}.json`,
      () => `services/${proj}/appsettings.${r.pick(['Development', 'Production', 'Staging'])}.json`,
      () => `data/${r.pick(['seed', 'snapshots', 'samples'])}/${noun(r)}s-${r.int(1, 999)}.json`])();
    case 'md': return r.pick([() => `docs/${sub()}/${base()}.md`, () => `${r.pick(['apps', 'packages', 'services'])}/${proj}/README.md`, () => `docs/adr/${String(r.int(1, 300)).padStart(4, '0')}-${base()}.md`])();
    case 'env': return `${r.pick(['apps', 'services', 'deploy'])}/${proj}/.env${r.pick(['', '.production', '.staging', '.local', '.development'])}`;
    case 'ini': return r.pick([() => `services/${proj}/setup.cfg`, () => `config/${proj}/${noun(r)}.ini`, () => `services/${proj}/.${r.pick(['pylintrc', 'flake8', 'editorconfig'])}`, () => `deploy/${proj}/${noun(r)}.conf`])();
    case 'log': return `logs/${proj}/${noun(r)}-2025-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}.log`;
    case 'csv': return `data/exports/${noun(r)}s-${r.pick(['weekly', 'monthly', 'full', 'delta'])}-${r.int(1, 999)}.csv`;
    case 'html': return `apps/${proj}/public/${r.pick(['', 'pages/', 'emails/', 'templates/'])}${base()}.html`;
    default: throw new Error(type);
  }
}

/** Build a text file of ~size bytes with the given secret lines inserted between filler blocks. */
function buildText(r, type, size, secrets, { secretLast = false } = {}) {
  const T = TYPES[type];
  const head = T.header ? T.header(r) : '';
  const foot = T.footer ? T.footer(r) : '';
  const blocks = [];
  let n = head.length + foot.length;
  while (n < size || blocks.length === 0) {
    const b = T.block(r);
    blocks.push(b);
    n += b.length;
  }
  for (const s of secrets) blocks.splice(r.int(0, blocks.length), 0, s);
  if (secretLast) return head + blocks.join('') + foot; // caller appended the secret as the last block and passed no footer
  return head + blocks.join('') + foot;
}

function locate(text, token) {
  const idx = text.indexOf(token);
  if (idx < 0 || text.indexOf(token, idx + 1) >= 0) throw new Error('planted token not found exactly once');
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < idx; i = text.indexOf('\n', i + 1)) line++;
  const col = idx - (text.lastIndexOf('\n', idx - 1) + 1) + 1;
  return { line, column: col };
}

const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');

export function manifestPath(out) { return path.join(out, 'manifest.json'); }
export function filesRoot(out) { return path.join(out, 'files'); }

export function readManifest(out) {
  try { return JSON.parse(fs.readFileSync(manifestPath(out), 'utf8')); } catch { return null; }
}

export function sameParams(m, mb, seed) {
  return !!m && m.params && m.params.mb === mb && m.params.seed === String(seed) && m.params.genVersion === GEN_VERSION;
}

/** Generate unless OUT/manifest.json already records the same parameters. Returns the manifest. */
export function ensureCorpus({ out, mb, seed, log = () => {} }) {
  const existing = readManifest(out);
  if (sameParams(existing, mb, seed) && fs.existsSync(filesRoot(out))) {
    log(`corpus up to date: ${out} (${existing.fileCount} files, ${(existing.totalBytes / MB).toFixed(1)} MB, seed ${seed})`);
    return existing;
  }
  return generate({ out, mb, seed, log });
}

export function generate({ out, mb, seed, log = () => {} }) {
  selfTest();
  const t0 = Date.now();
  const root = filesRoot(out);
  fs.mkdirSync(out, { recursive: true });
  fs.rmSync(manifestPath(out), { force: true });
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });

  const budget = Math.round(mb * MB);
  const master = new Rng(`spreeflo-bench:${seed}`);
  const used = new Set();
  const madeDirs = new Set();
  const keys = [];
  const decoys = [];
  const typeCounts = {};
  let totalBytes = 0;
  let fileCount = 0;
  let crlfFiles = 0, noFinalNewline = 0;

  const uniquePath = (r, type, fixed) => {
    let p = fixed || pathFor(r, type);
    for (let i = 2; used.has(p); i++) {
      const ext = path.extname(p);
      p = ext && !path.basename(p).startsWith('.') ? `${p.slice(0, -ext.length)}-${i}${ext}` : `${p}-${i}`;
      if (used.has(p) && !fixed && i > 3) p = pathFor(r, type);
    }
    used.add(p);
    return p;
  };

  const write = (rel, data, kind) => {
    const abs = path.join(root, rel);
    const dir = path.dirname(abs);
    if (!madeDirs.has(dir)) { fs.mkdirSync(dir, { recursive: true }); madeDirs.add(dir); }
    fs.writeFileSync(abs, data);
    totalBytes += data.length;
    fileCount++;
    typeCounts[kind] = (typeCounts[kind] || 0) + 1;
  };

  /**
   * plants: [{token, kind, real, rgShaped?}] ; text already final.
   */
  const record = (rel, text, plants) => {
    for (const p of plants) {
      const { line, column } = locate(text, p.token);
      if (p.real) {
        keys.push({ path: rel, line, column, kind: p.kind, last4: p.token.slice(-4), sha256: sha256(p.token) });
      } else {
        decoys.push({ path: rel, line, column, kind: p.kind, rgShaped: p.rgShaped });
      }
    }
  };

  const newPlant = (r, wantReal) => {
    if (wantReal) {
      const v2 = r.chance(0.6);
      const token = v2 ? makeV2(r) : makeV1(r);
      if (!(v2 ? isValidV2(token) : isValidV1(token))) throw new Error('generated an invalid key');
      return { token, kind: v2 ? 'v2' : 'v1', real: true };
    }
    const kind = r.pick(DECOY_KINDS);
    const d = makeDecoy(r, kind);
    return { token: d.text, kind, real: false, rgShaped: d.rgShaped };
  };

  /** One text file end to end. opts: {type, size, real, decoy, crlf, noFinalNl, fixedPath, secretLast} */
  const textFile = (r, opts) => {
    const { type } = opts;
    const rel = uniquePath(r, type, opts.fixedPath);
    const plants = [];
    for (let i = 0; i < (opts.real || 0); i++) plants.push(newPlant(r, true));
    for (let i = 0; i < (opts.decoy || 0); i++) plants.push(newPlant(r, false));
    const secrets = plants.map((p) => TYPES[type].secret(r, p.token));
    let text;
    if (opts.secretLast) {
      // Last line carries the key and the file has no final newline.
      text = buildText(r, type, opts.size, secrets.slice(0, -1)) + secrets[secrets.length - 1];
    } else {
      text = buildText(r, type, opts.size, secrets);
    }
    if (opts.noFinalNl) text = text.replace(/\n+$/, '');
    if (opts.crlf) text = text.replace(/\n/g, '\r\n');
    if (opts.noFinalNl) noFinalNewline++;
    if (opts.crlf) crlfFiles++;
    record(rel, text, plants);
    write(rel, Buffer.from(text, 'utf8'), type);
    return text.length;
  };

  let spent = 0;
  // ---- special files (forced edge cases), each on its own forked stream
  const sp = master.fork('special');
  const nLogs = Math.max(1, Math.round(mb / 30));
  const logSize = Math.min(7 * MB, Math.max(1 * MB, (0.3 * budget) / nLogs));
  for (let i = 0; i < nLogs; i++) {
    const r = sp.fork(`biglog${i}`);
    const size = Math.round(logSize * (0.6 + 0.4 * r.float()));
    // the first big log hides a real key deep inside; others a decoy
    const rel = uniquePath(r, 'log', `logs/${r.pick(V.PROJECTS)}/application-2025-0${i + 1}.log`);
    const plant = newPlant(r, i === 0);
    const lines = [];
    let n = 0;
    while (n < size) { const l = TYPES.log.block(r); lines.push(l); n += l.length; }
    lines.splice(Math.floor(lines.length * (0.75 + 0.2 * r.float())), 0, TYPES.log.secret(r, plant.token));
    const text = lines.join('');
    record(rel, text, [plant]);
    write(rel, Buffer.from(text, 'utf8'), 'log');
    spent += text.length;
  }
  {
    // minified bundle: license comment, one ~2 MB line with a v2 key in the middle, source-map comment
    const r = sp.fork('minified');
    const lineSize = Math.min(2.2 * MB, budget / 10);
    const rel = uniquePath(r, 'js', `apps/web-app/public/static/js/main.${r.hex(8)}.js`);
    const key = makeV2(r);
    const parts = [];
    let n = 0, placed = false;
    while (n < lineSize) {
      if (!placed && n > lineSize * 0.55) { parts.push(`var Sf={apiKey:"${key}",host:"https://api.spreeflo.com"};`); placed = true; }
      const c = minifiedChunk(r); parts.push(c); n += c.length;
    }
    const text = `/*! web-app v4.${r.int(0, 30)}.${r.int(0, 99)} | (c) Acme | MIT */\n` + parts.join('') + `\n//# sourceMappingURL=main.js.map\n`;
    record(rel, text, [{ token: key, kind: 'v2', real: true }]);
    write(rel, Buffer.from(text, 'utf8'), 'js-minified');
    spent += text.length;
  }
  {
    // large CSV export
    const r = sp.fork('csv');
    spent += textFile(r, { type: 'csv', size: Math.min(1.5 * MB, budget / 40), decoy: 1 });
  }
  // forced edge cases with real keys
  spent += textFile(sp.fork('env'), { type: 'env', size: 600, real: 1, fixedPath: 'services/zapier-sync/.env.production' });
  spent += textFile(sp.fork('yaml'), { type: 'yaml', size: 4000, real: 1, fixedPath: 'deploy/k8s/crm-bridge/values-prod.yaml' });
  spent += textFile(sp.fork('crlf'), { type: 'ini', size: 3000, real: 1, crlf: true, fixedPath: 'config/legacy-exporter/exporter.ini' });
  spent += textFile(sp.fork('nofinalnl'), { type: 'env', size: 800, real: 1, noFinalNl: true, secretLast: true, fixedPath: 'apps/admin-portal/.env.local' });
  spent += textFile(sp.fork('crlf-nofinal'), { type: 'py', size: 9000, real: 1, crlf: true, noFinalNl: true, fixedPath: 'ops/scripts/rotate_keys.py' });
  spent += textFile(sp.fork('decoys'), { type: 'env', size: 500, decoy: 5, fixedPath: 'services/mailer/.env.staging' });

  // binaries: never contain keys
  {
    const r = sp.fork('binary');
    const bins = [
      ['apps/web-app/public/img/hero.png', Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), r.bytes(r.int(80_000, 400_000))])],
      ['apps/web-app/public/fonts/inter.woff2', Buffer.concat([Buffer.from('wOF2'), r.bytes(r.int(40_000, 120_000))])],
      ['data/cache/contacts.sqlite', Buffer.concat([Buffer.from('SQLite format 3\0'), r.bytes(r.int(200_000, 600_000))])],
      ['data/archive/events-2024.json.gz', zlib.gzipSync(Buffer.from(Array.from({ length: 4000 }, () => TYPES.log.block(r)).join('')), { level: 6 })],
      ['tools/cli-tools/bin/helper.exe', Buffer.concat([Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), r.bytes(r.int(50_000, 150_000))])],
      ['docs/assets/diagram.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'), r.bytes(r.int(30_000, 90_000))])],
    ];
    for (const [rel, buf] of bins) { used.add(rel); write(rel, buf, 'binary'); spent += buf.length; }
  }

  // ---- regular files until the byte budget is spent
  const reg = master.fork('regular');
  let i = 0;
  while (spent < budget) {
    const r = reg.fork(`f${i++}`);
    const type = r.weighted(TYPE_WEIGHTS);
    const median = type === 'env' || type === 'ini' ? 900 : type === 'log' || type === 'csv' ? 30_000 : 7_000;
    const size = Math.min(r.lognormal(median, 1.1, 150, 400_000), budget - spent + 200);
    const real = r.chance(REAL_KEY_RATE) ? (r.chance(0.2) ? 2 : 1) : 0;
    const decoy = r.chance(DECOY_RATE) ? r.int(1, 2) : 0;
    spent += textFile(r, { type, size, real, decoy, crlf: r.chance(CRLF_RATE), noFinalNl: r.chance(NO_FINAL_NL_RATE) });
  }

  const rgLines = new Set([...keys.map((k) => `${k.path}:${k.line}`), ...decoys.filter((d) => d.rgShaped).map((d) => `${d.path}:${d.line}`)]);
  const manifest = {
    description: 'spreeflo-scan benchmark corpus; scan the files/ directory beside this manifest. Keys are recorded as sha256 + last4 only.',
    params: { mb, seed: String(seed), genVersion: GEN_VERSION },
    root: 'files',
    fileCount,
    totalBytes,
    typeCounts,
    crlfFiles,
    noFinalNewlineFiles: noFinalNewline,
    expectedRgMatchingLines: rgLines.size,
    keys: keys.sort(cmp),
    decoys: decoys.sort(cmp),
    generatedInMs: Date.now() - t0,
  };
  const tmp = manifestPath(out) + '.tmp';
  fs.writeFileSync(tmp, JSON.stringify(manifest, null, 2) + '\n');
  fs.renameSync(tmp, manifestPath(out));
  log(`generated ${out}: ${fileCount} files, ${(totalBytes / MB).toFixed(1)} MB, ${keys.length} keys, ${decoys.length} decoys in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return manifest;
}

function cmp(a, b) { return a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line; }
