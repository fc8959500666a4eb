// Hostile inputs that must stay bounded (issue 14): each is generated in a temp folder,
// scanned once with the built CLI, and reported with its wall time, peak RSS and
// outcome (exit code, keys, items not read and the first reason). The goal on 2 cores:
// under 10 s and under 400 MB each, or a skip at a documented limit.
//
//   npm run build && node bench/bounded-inputs.js [--only NAME[,NAME]] [--keep] [--dir DIR]
//
// A benchmark, not a test: it writes about 3 GB (mostly sparse or deleted as it goes).
// Wall time counts waiting for a busy machine; cpu (user + system, from GNU time) does not.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync, crc32 } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { run, GNU_TIME } from './lib/measure.js';
import { parseArgs } from './lib/args.js';
import { makeV2 } from './lib/keys.js';
import { Rng } from './lib/prng.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'spreeflo-scan.js');
const MIB = 1024 * 1024;
const LIMIT_MS = 10_000;
const LIMIT_RSS_KB = 400 * 1000;

const args = parseArgs(process.argv.slice(2), {
  only: { type: 'string', default: '' },
  keep: { type: 'boolean', default: false },
  dir: { type: 'string', default: '' },
});
if (args.help) {
  console.log('node bench/bounded-inputs.js [--only NAME[,NAME]] [--keep] [--dir DIR]');
  process.exit(0);
}
if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.cjs'))) {
  console.error('build first: npm run build');
  process.exit(2);
}

// ---------------------------------------------------------------------------
// A minimal zip writer (no zip64: every size here is under 4 GiB).

/** A deflated entry: the raw deflate stream with the CRC and size of what it inflates to. */
function deflated(name, data) {
  return { name, method: 8, body: deflateRawSync(data, { level: 9 }), crc: crc32(data) >>> 0, size: data.length };
}

function zipOf(entries) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.body.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(e.method, 10);
    dir.writeUInt32LE(e.crc, 16);
    dir.writeUInt32LE(e.body.length, 20);
    dir.writeUInt32LE(e.size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, name, e.body);
    central.push(dir, name);
    offset += 30 + name.length + e.body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Zero-filled entries share one deflate stream per size. */
const zeroCache = new Map();
function zeros(name, size) {
  if (!zeroCache.has(size)) zeroCache.set(size, deflated('', Buffer.alloc(size)));
  return { ...zeroCache.get(size), name };
}

// ---------------------------------------------------------------------------
// Inputs: each returns the scan's arguments and the folder to run it in.

const rng = new Rng('bounded-inputs');
const key = () => makeV2(rng);

function git(cwd, ...a) {
  return execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...a], { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * MIB });
}

/** A text file of `size` bytes of repeated lines, written in 1 MiB pieces. */
function repeatedText(file, size, line) {
  const piece = Buffer.from(line.repeat(Math.ceil(MIB / line.length))).subarray(0, MIB);
  const fd = fs.openSync(file, 'w');
  for (let left = size; left > 0; left -= MIB) fs.writeSync(fd, piece, 0, Math.min(MIB, left));
  fs.closeSync(fd);
}

/** 8000x5000 random pixels (127 MB as PNG): no text, judged so after decoding. */
async function noisePng(file) {
  const { default: sharp } = await import('sharp');
  const [w, h] = [8000, 5000];
  const pixels = Buffer.allocUnsafe(w * h * 3);
  for (let i = 0; i < pixels.length; i += 4) pixels.writeUInt32LE(rng.u32(), i);
  await sharp(pixels, { raw: { width: w, height: h, channels: 3 } }).png({ compressionLevel: 1 }).toFile(file);
}

/** 8000x5000 (or w x h) light grey with dark strokes of glyph size in 16 px rows: text to the no-text check, so it goes through OCR. */
async function clutterPng(file, w = 8000, h = 5000) {
  const { default: sharp } = await import('sharp');
  const px = Buffer.alloc(w * h, 245);
  for (let y = 8; y + 12 < h; y += 16) {
    for (let x = 4; x + 3 < w; x += 3 + (rng.u32() % 4)) {
      if (rng.u32() % 10 < 3) continue;
      const y0 = y + (rng.u32() % 3);
      for (let k = 5 + (rng.u32() % 5); k-- > 0; ) px[(y0 + k) * w + x] = px[(y0 + k) * w + x + 1] = 20;
    }
  }
  await sharp(px, { raw: { width: w, height: h, channels: 1 } }).png({ compressionLevel: 1 }).toFile(file);
}

const bomb = () => zipOf([0, 1, 2, 3].map((i) => zeros(`zeros-${i}.bin`, 255 * MIB)));

const INPUTS = {
  'zip-bomb': (d) => {
    fs.writeFileSync(path.join(d, 'bomb.zip'), bomb());
    return ['scan', 'bomb.zip'];
  },
  'three-zip-bombs': (d) => {
    // Side by side, not nested: each file has its own budget, and files are read a few at once.
    const data = bomb();
    for (const name of ['a.zip', 'b.zip', 'c.zip']) fs.writeFileSync(path.join(d, name), data);
    return ['scan', '.'];
  },
  'zip-of-zips': (d) => {
    const inner = bomb();
    fs.writeFileSync(path.join(d, 'zips.zip'), zipOf([0, 1, 2].map((i) => deflated(`copy-${i}.zip`, inner))));
    return ['scan', 'zips.zip'];
  },
  'zip-fan-out': (d) => {
    const leaf = zipOf([zeros('big.bin', 100 * MIB)]);
    const middle = zipOf(Array.from({ length: 10 }, (_, i) => deflated(`leaf-${i}.zip`, leaf)));
    fs.writeFileSync(path.join(d, 'fan.zip'), zipOf(Array.from({ length: 10 }, (_, i) => deflated(`middle-${i}.zip`, middle))));
    return ['scan', 'fan.zip'];
  },
  'sparse-mp4': (d) => {
    fs.closeSync(fs.openSync(path.join(d, 'a.mp4'), 'w'));
    fs.truncateSync(path.join(d, 'a.mp4'), 900 * MIB);
    return ['scan', 'a.mp4'];
  },
  'three-500mb': (d) => {
    for (const name of ['a.zip', 'b.mp4', 'c.pdf']) {
      fs.closeSync(fs.openSync(path.join(d, name), 'w'));
      fs.truncateSync(path.join(d, name), 500 * MIB);
    }
    return ['scan', '.'];
  },
  'staged-190mb': (d) => {
    git(d, 'init', '-q');
    repeatedText(path.join(d, 'big.txt'), 190 * MIB, 'lorem ipsum dolor sit amet, consectetur adipiscing elit\n');
    git(d, 'add', 'big.txt');
    return ['staged'];
  },
  'history-1.3gb': (d) => {
    git(d, 'init', '-q');
    for (let i = 0; i < 3; i++) {
      repeatedText(path.join(d, `big-${i}.txt`), 440 * MIB, `row ${i} of a generated export, nothing secret here\n`);
      git(d, 'add', `big-${i}.txt`);
      git(d, 'commit', '-q', '-m', `export ${i}`);
      fs.unlinkSync(path.join(d, `big-${i}.txt`));
    }
    git(d, 'gc', '-q');
    return ['history'];
  },
  'ignore-100k': (d) => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `build/generated-${i}/**/*.${i % 7 === 0 ? 'map' : 'js'}`);
    fs.writeFileSync(path.join(d, '.spreeflo-scan-ignore'), lines.join('\n') + '\n');
    fs.mkdirSync(path.join(d, 'src'));
    for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(d, 'src', `f${i}.js`), `export const x${i} = ${i};\n`);
    return ['scan', '.'];
  },
  'symlinks-200': (d) => {
    repeatedText(path.join(d, 'target.txt'), 50 * MIB, 'the same fifty megabytes, reached two hundred ways\n');
    for (let i = 0; i < 200; i++) fs.symlinkSync('target.txt', path.join(d, `link-${i}.txt`));
    return ['scan', '.'];
  },
  'noise-png-40mp': async (d) => {
    await noisePng(path.join(d, 'noise.png'));
    return ['scan', 'noise.png', '--no-cache'];
  },
  // Text-like to the no-text check (mostly background), so it goes through OCR: strokes of
  // glyph size in 16 px rows that tesseract cannot read. Bounded by the OCR time limit.
  'clutter-png-40mp': async (d) => {
    await clutterPng(path.join(d, 'clutter.png'));
    return ['scan', 'clutter.png', '--no-cache'];
  },
  // Two at once, one per core unless bounded: each holds its file, its grey picture and its copies.
  'two-png-40mp': async (d) => {
    await clutterPng(path.join(d, 'a-clutter.png'));
    await noisePng(path.join(d, 'b-noise.png'));
    return ['scan', '.', '--no-cache'];
  },
  'two-clutter-png-40mp': async (d) => {
    await clutterPng(path.join(d, 'a.png'));
    await clutterPng(path.join(d, 'b.png'));
    return ['scan', '.', '--no-cache'];
  },
  // Two at once fit a budget of 40 megapixels, not one of memory.
  'two-clutter-png-20mp': async (d) => {
    await clutterPng(path.join(d, 'a.png'), 5000, 4000);
    await clutterPng(path.join(d, 'b.png'), 5000, 4000);
    return ['scan', '.', '--no-cache'];
  },
  'keys-64k-line': (d) => {
    fs.writeFileSync(path.join(d, 'keys.txt'), Array.from({ length: 65_536 }, key).join(' ') + '\n');
    return ['scan', 'keys.txt'];
  },
  'keys-64k-line-json': (d) => {
    fs.writeFileSync(path.join(d, 'keys.txt'), Array.from({ length: 65_536 }, key).join(' ') + '\n');
    return ['scan', 'keys.txt', '--format', 'json'];
  },
};

// ---------------------------------------------------------------------------

/** What the run ended with: from the JSON report when there is one, else the text report's summary line. */
function outcome(res) {
  const out = res.stdout;
  try {
    const report = JSON.parse(out);
    const unread = report.skipped.filter((s) => s.unread);
    const first = unread[0]?.reason ?? report.skipped[0]?.reason;
    return `${report.findings.length} finding(s), ${unread.length} not read${first ? `: ${first.slice(0, 110)}` : ''}`;
  } catch {
    const lines = (out + res.stderr).split('\n').filter((l) => l.trim());
    return lines.find((l) => /\bkeys?\b.*\bfound|no keys|not read|skipped/i.test(l))?.trim().slice(0, 140) ?? lines.at(-1)?.slice(0, 140) ?? '';
  }
}

if (!GNU_TIME) console.error('note: /usr/bin/time (GNU time) not found; peak RSS is sampled from /proc');
const base = args.dir || fs.mkdtempSync(path.join(os.tmpdir(), 'spreeflo-bounded-'));
const only = args.only ? new Set(args.only.split(',')) : null;
const rows = [];
for (const [name, make] of Object.entries(INPUTS)) {
  if (only && !only.has(name)) continue;
  const dir = path.join(base, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const scanArgs = await make(dir);
  // Text reports go through the text reporter; the rest are asked for JSON to read the outcome.
  const json = name === 'keys-64k-line' || scanArgs.includes('--format') ? [] : ['--format', 'json'];
  const res = await run('timeout', ['120', process.execPath, BIN, ...scanArgs, ...json, '--no-progress'], { cwd: dir });
  const ok = res.ms < LIMIT_MS && (res.maxRssKb ?? 0) < LIMIT_RSS_KB;
  const row = { name, seconds: (res.ms / 1000).toFixed(1), cpu: res.cpuMs === null ? '?' : (res.cpuMs / 1000).toFixed(1), rssMb: res.maxRssKb ? Math.round(res.maxRssKb / 1000) : '?', exit: res.code === 124 ? 'timeout' : res.code, ok: ok ? 'ok' : 'OVER', outcome: outcome(res) };
  rows.push(row);
  console.log(`${row.ok.padEnd(4)} ${name.padEnd(20)} ${String(row.seconds).padStart(6)} s (cpu ${row.cpu} s) ${String(row.rssMb).padStart(6)} MB  exit ${row.exit}  ${row.outcome}`);
  if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
}
if (!args.keep && !args.dir) fs.rmSync(base, { recursive: true, force: true });
console.log(`\nload average before the last run: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
console.log('\n| input | wall s | cpu s | peak MB | exit | outcome |\n| --- | ---: | ---: | ---: | --- | --- |');
for (const r of rows) console.log(`| ${r.name} | ${r.seconds} | ${r.cpu} | ${r.rssMb} | ${r.exit} | ${r.outcome.replace(/\|/g, '\\|')} |`);
