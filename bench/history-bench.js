#!/usr/bin/env node
// Benchmark `spreeflo-scan history` on a generated, realistic git history (see bench/README.md,
// "History benchmark"): against the floor (git reading every object once) and against the
// gitleaks approach (`git log -p` piped into a regex matcher).
//   node bench/history-bench.js [--commits N] [--runs N] [--scale S] [--seed S] [--out DIR]
//                               [--file-kb K] [--force] [--scanner PATH] [--strict]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './lib/args.js';
import { median, which } from './lib/measure.js';
import { ensureHistoryRepo, manifestFile, resolveParams } from './lib/history-repo.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const err = (m) => process.stderr.write(m + '\n');

let args;
try {
  args = parseArgs(process.argv.slice(2), {
    commits: { type: 'number', default: undefined },
    runs: { type: 'number', default: 3 },
    scale: { type: 'number', default: 1 },
    'file-kb': { type: 'number', default: undefined },
    seed: { default: '1' },
    out: { default: path.join(here, '.work', 'history-repo') },
    force: { type: 'boolean', default: false },
    scanner: { default: path.join(repo, 'bin', 'spreeflo-scan.js') },
    strict: { type: 'boolean', default: false },
  });
} catch (e) { err(e.message); process.exit(2); }
if (args.help) {
  console.log(`usage: node bench/history-bench.js [options]
  --commits N     commits on main (default 20000 x scale)
  --runs N        timed runs per command, median reported (default 3; one extra warm-up each)
  --scale S       size factor: commits (unless --commits), file pool (3000 x S), large/binary files (default 1)
  --seed S        generator seed (default 1)
  --file-kb K     median size of a generated text file in KB (default 2.2; 24 gives git/git's 34 KB average blob)
  --out DIR       where the repository goes (default bench/.work/history-repo; manifest beside it: DIR.manifest.json)
  --force         regenerate the repository even if the manifest says it matches
  --scanner PATH  scanner entry point (default bin/spreeflo-scan.js)
  --strict        exit 3 unless every planted key is reported at the expected commit/path/line with no extra findings`);
  process.exit(0);
}
const runs = Math.max(1, Math.round(args.runs));
const out = path.resolve(args.out);

// ---------------------------------------------------------------- preconditions
for (const tool of ['git', 'rg', 'bash']) {
  if (!which(tool)) { err(`${tool} is not installed (Debian/Ubuntu: apt-get install -y ${tool === 'rg' ? 'ripgrep' : tool})`); process.exit(2); }
}
const scanner = path.resolve(args.scanner);
if (!fs.existsSync(scanner)) { err(`scanner not found: ${scanner}`); process.exit(2); }
if (scanner === path.join(repo, 'bin', 'spreeflo-scan.js') && !fs.existsSync(path.join(repo, 'dist', 'cli.cjs'))) {
  err('dist/ is missing: run `npm run build` first (bin/spreeflo-scan.js loads dist/cli.cjs)');
  process.exit(2);
}
const GNU_TIME = (() => {
  if (!fs.existsSync('/usr/bin/time')) return null;
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /^[\d.]+ \d+\s*$/.test(r.stderr) ? '/usr/bin/time' : null;
})();

// ---------------------------------------------------------------- the repository
const params = resolveParams({ commits: args.commits, scale: args.scale, seed: args.seed, fileKb: args['file-kb'] });
const tGen = Date.now();
let manifest;
try {
  manifest = await ensureHistoryRepo({ out, commits: params.commits, scale: params.scale, seed: params.seed, fileKb: params.fileKb, force: args.force, log: err });
} catch (e) { err(`generating the repository failed: ${e.stack || e.message}`); process.exit(1); }
const genNote = manifest.reused
  ? `reused (generated earlier in ${manifest.generatedSeconds} s: fast-import ${manifest.fastImportSeconds} s, repack ${manifest.repackSeconds} s)`
  : `generated in ${((Date.now() - tGen) / 1000).toFixed(1)} s (fast-import ${manifest.fastImportSeconds} s, repack ${manifest.repackSeconds} s, self-check included)`;

const gitOut = (a) => {
  const r = spawnSync('git', a, { cwd: out, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${a.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const objects = { blob: [0, 0], tree: [0, 0], commit: [0, 0], tag: [0, 0] };
for (const line of gitOut(['cat-file', '--batch-all-objects', '--batch-check']).split('\n')) {
  const [, type, size] = line.split(' ');
  if (objects[type]) { objects[type][0]++; objects[type][1] += Number(size); }
}
const packDir = path.join(out, '.git', 'objects', 'pack');
const packs = fs.readdirSync(packDir).filter((f) => f.endsWith('.pack'));
const packBytes = packs.reduce((n, f) => n + fs.statSync(path.join(packDir, f)).size, 0);
const looseCount = Number(/^count: (\d+)/m.exec(gitOut(['count-objects', '-v']))?.[1] ?? 0);
const fig = {
  commits: Number(gitOut(['rev-list', '--all', '--count']).trim()),
  mainCommits: Number(gitOut(['rev-list', '--count', 'refs/heads/main']).trim()),
  merges: Number(gitOut(['rev-list', '--all', '--merges', '--count']).trim()),
  branches: gitOut(['for-each-ref', '--format=%(refname)', 'refs/heads']).split('\n').filter(Boolean).length,
  tags: gitOut(['for-each-ref', '--format=%(refname)', 'refs/tags']).split('\n').filter(Boolean).length,
  headFiles: gitOut(['ls-files', '-z']).split('\0').filter(Boolean).length,
};
const MB = 1e6;
const mb = (n) => `${(n / MB).toFixed(1)} MB`;
const planted = manifest.expected;
const keyCount = new Set(planted.map((e) => e.keySha256)).size;

console.log(`repo     ${path.relative(repo, out) || out}: ${genNote}`);
console.log(`         ${fig.commits} commits (${fig.mainCommits} on main, ${fig.merges} merges), ${fig.branches} branches, ${fig.tags} tags, ${fig.headFiles} files at HEAD`);
console.log(`         ${objects.blob[0]} unique blobs, ${mb(objects.blob[1])} uncompressed blob bytes; ${objects.tree[0]} trees (${mb(objects.tree[1])}), ${objects.commit[0]} commits (${mb(objects.commit[1])})`);
console.log(`         pack ${mb(packBytes)} in ${packs.length} pack(s), ${looseCount} loose objects`);
console.log(`         ${keyCount} planted keys -> ${planted.length} expected findings (${planted.filter((e) => e.source === 'commit-message').length} in commit messages), ${manifest.decoys.length} decoys`);
console.log(`machine  ${os.cpus().length} CPUs, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}, node ${process.version}, ${gitOut(['--version']).trim()}, ${spawnSync('rg', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]}`);
console.log(`method   ${runs} timed runs each after 1 warm-up, commands interleaved (rotating order), median wall time; peak RSS via ${GNU_TIME ? '/usr/bin/time -f "%e %M"' : 'n/a (no GNU time)'}\n`);

// ---------------------------------------------------------------- commands
const reportFile = path.join(os.tmpdir(), `spreeflo-history-bench-${process.pid}.json`);
const V2 = '(?:^|[^0-9A-Za-z_])sfk_[0-9A-Za-z]{36}(?:$|[^0-9A-Za-z_])';
const V1 = '(?:^|[^0-9A-Za-z_])[0-9a-f]{32}-sf(?:[1-9]|1[0-9]|2[0-4])(?:$|[^0-9A-Za-z_])';
const sq = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
// The command gitleaks v8 runs for a repository (sources/git.go) and parses in Go: its
// run time is a lower bound on gitleaks' own, measured without gitleaks.
const GITLEAKS_LOG = 'git log -p -U0 --full-history --all --diff-filter=tuxdb';
const COMMANDS = {
  scanner: { label: 'spreeflo-scan history', cmd: process.execPath, args: [scanner, 'history', '--format', 'json', '--output', reportFile], ok: [0, 1] },
  floor: { label: 'floor: cat-file --batch', cmd: 'bash', args: ['-c', 'git cat-file --batch-all-objects --unordered --batch > /dev/null'], ok: [0] },
  gitleaks: {
    label: 'git log -p | rg',
    cmd: 'bash',
    args: ['-c', `set +o pipefail; ${GITLEAKS_LOG} | rg -c -e ${sq(V2)} -e ${sq(V1)}`],
    ok: [0, 1],
  },
  gitlog: { label: "gitleaks' git log alone", cmd: 'bash', args: ['-c', `${GITLEAKS_LOG} > /dev/null`], ok: [0] },
};

function timed({ cmd, args: a }) {
  return new Promise((resolve, reject) => {
    const tf = GNU_TIME ? path.join(os.tmpdir(), `spreeflo-history-bench-time-${process.pid}`) : null;
    const file = GNU_TIME ? GNU_TIME : cmd;
    const argv = GNU_TIME ? ['-o', tf, '-f', '%e %M', cmd, ...a] : a;
    const t0 = process.hrtime.bigint();
    const child = spawn(file, argv, { cwd: out, stdio: ['ignore', 'pipe', 'pipe'] });
    const so = [], se = [];
    child.stdout.on('data', (d) => so.push(d));
    child.stderr.on('data', (d) => se.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      let rssKb = null, wallS = null;
      if (tf) {
        const t = fs.readFileSync(tf, 'utf8').trim().split('\n').pop().split(' ');
        wallS = Number(t[0]); rssKb = Number(t[1]);
        fs.rmSync(tf, { force: true });
      }
      resolve({ ms, wallS, rssKb, code, stdout: Buffer.concat(so).toString('utf8'), stderr: Buffer.concat(se).toString('utf8') });
    });
  });
}

async function exec(name) {
  const c = COMMANDS[name];
  if (name === 'scanner') fs.rmSync(reportFile, { force: true });
  const r = await timed(c);
  if (!c.ok.includes(r.code)) {
    err(`\n${c.label} failed (exit ${r.code}): ${c.cmd} ${c.args.join(' ')}\n${r.stderr.split('\n').slice(-25).join('\n')}`);
    process.exit(1);
  }
  if (name === 'scanner') {
    try { r.report = JSON.parse(fs.readFileSync(reportFile, 'utf8')); } catch (e) { r.reportError = e.message; }
  }
  if (name === 'gitleaks') r.count = Number(r.stdout.trim() || 0);
  return r;
}

const order = ['scanner', 'floor', 'gitleaks', 'gitlog'];
const series = { scanner: [], floor: [], gitleaks: [], gitlog: [] };
err('warm-up...');
for (const k of order) await exec(k);
for (let i = 0; i < runs; i++) {
  const rot = order.map((_, j) => order[(i + j) % order.length]);
  for (const k of rot) series[k].push(await exec(k));
  err(`run ${i + 1}/${runs}: ` + order.map((k) => `${k} ${series[k][i].ms.toFixed(0)} ms`).join(', '));
}

const stat = (xs) => ({ med: median(xs.map((r) => r.ms)), min: Math.min(...xs.map((r) => r.ms)), max: Math.max(...xs.map((r) => r.ms)), rss: median(xs.map((r) => r.rssKb)), rssMax: Math.max(...xs.map((r) => r.rssKb ?? 0)) });
const S = Object.fromEntries(order.map((k) => [k, stat(series[k])]));
const f0 = (x) => (x == null ? 'n/a' : x.toFixed(0));
const rssMB = (kb) => (kb == null ? 'n/a' : `${(kb / 1024).toFixed(1)} MB`);
const blobMBs = (ms) => (objects.blob[1] / MB / (ms / 1000)).toFixed(1);
console.log(`${'command'.padEnd(26)}${'median ms'.padStart(10)}${'min'.padStart(8)}${'max'.padStart(8)}${'blob MB/s'.padStart(11)}${'peak RSS'.padStart(12)}`);
for (const k of order) {
  const s = S[k];
  console.log(`${COMMANDS[k].label.padEnd(26)}${f0(s.med).padStart(10)}${f0(s.min).padStart(8)}${f0(s.max).padStart(8)}${blobMBs(s.med).padStart(11)}${rssMB(s.rss).padStart(12)}`);
}
console.log(`\nratio gitleaks-approach/scanner: ${(S.gitleaks.med / S.scanner.med).toFixed(2)}x   (>1: the scanner is faster)`);
console.log(`ratio gitleaks' git log alone/scanner: ${(S.gitlog.med / S.scanner.med).toFixed(2)}x   (gitleaks takes at least this much longer than the scanner)`);
console.log(`ratio scanner/floor: ${(S.scanner.med / S.floor.med).toFixed(2)}x   (1x = as fast as reading every object once)`);
console.log(`scanner peak RSS: median ${rssMB(S.scanner.rss)}, max ${rssMB(S.scanner.rssMax)}`);
const gl = series.gitleaks[series.gitleaks.length - 1];
console.log(`git log -p | rg: ${gl.count} matching patch/message lines (added and removed lines, merges not diffed, decoys with the right shape included)`);

// ---------------------------------------------------------------- recall
const last = series.scanner[series.scanner.length - 1];
let strictFail = false;
console.log('');
if (!last.report) {
  console.log(`recall: no readable JSON report (${last.reportError})`);
  strictFail = true;
} else {
  const findings = Array.isArray(last.report.findings) ? last.report.findings : [];
  const keyOf = (f) => [f.source, f.commit, f.path ?? '', f.line, f.keySha256].join('|');
  const expectedAt = new Map(planted.map((e) => [keyOf(e), e]));
  const seen = new Map();
  for (const f of findings) seen.set(keyOf(f), (seen.get(keyOf(f)) ?? 0) + 1);
  const missed = planted.filter((e) => !seen.has(keyOf(e)));
  const scenarioOfKey = new Map(planted.map((e) => [e.keySha256, e.scenario]));
  const extras = [];
  let duplicates = 0;
  for (const f of findings) {
    const k = keyOf(f);
    if (expectedAt.has(k)) continue;
    extras.push(f);
  }
  for (const [k, n] of seen) if (expectedAt.has(k) && n > 1) duplicates += n - 1;
  const short = (c) => (c ? String(c).slice(0, 10) : '?');
  const where = (f) => `${f.source} ${short(f.commit)} ${f.path == null ? '(message)' : f.path}:${f.line}`;
  console.log(`recall: ${planted.length - missed.length}/${planted.length} expected findings at the right commit, path and line (${(100 * (planted.length - missed.length) / planted.length).toFixed(1)}%), ${keyCount} distinct keys`);
  for (const e of missed) {
    const instead = findings.filter((f) => f.keySha256 === e.keySha256);
    console.log(`  MISSED ${e.scenario} (${e.keyKind}, ...${e.last4}, on ${e.ref}): expected ${where(e)}`);
    console.log(`         scanner reported this key ${instead.length ? 'at: ' + instead.map(where).join('; ') : 'nowhere'}`);
  }
  console.log(`extra findings: ${extras.length + duplicates} (${extras.length} not expected, ${duplicates} duplicate(s) of expected ones); report has ${findings.length} findings`);
  for (const f of extras.slice(0, 30)) {
    const sc = scenarioOfKey.get(f.keySha256);
    console.log(`  EXTRA ${where(f)} rule ${f.rule}: ${sc ? `planted key of scenario ${sc}` : 'not a planted key (decoy or filler)'}`);
  }
  if (last.report.summary) console.log(`scanner summary: ${JSON.stringify(last.report.summary)}`);
  if (Array.isArray(last.report.skipped) && last.report.skipped.length) console.log(`scanner skipped: ${last.report.skipped.slice(0, 5).map((s) => `${s.path} (${s.reason})`).join('; ')}`);
  const byScenario = {};
  for (const e of planted) { const s = (byScenario[e.scenario] ??= [0, 0]); s[1]++; if (seen.has(keyOf(e))) s[0]++; }
  console.log(`by scenario: ${Object.entries(byScenario).map(([k, [a, b]]) => `${k} ${a}/${b}`).join(', ')}`);
  strictFail = missed.length > 0 || extras.length + duplicates > 0;
}
if (fs.existsSync(path.join(out, '.spreeflo-scan-cache'))) console.log(`note: ${path.join(out, '.spreeflo-scan-cache')} exists: later runs may be served from the scanner's cache`);
console.log(`manifest: ${manifestFile(out)}`);
fs.rmSync(reportFile, { force: true });
if (args.strict && strictFail) process.exit(3);
