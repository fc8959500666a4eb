#!/usr/bin/env node
// Benchmark `spreeflo-scan scan` against ripgrep on the generated corpus (see bench/README.md).
//   node bench/scan-bench.js [--runs N] [--mb N] [--seed S] [--small-mb N] [--no-flat] [--stub]
//                            [--scanner PATH] [--scanner-args "..."] [--strict]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './lib/args.js';
import { CORPUS_DIR, ensureCorpus, filesRoot, MB } from './lib/corpus.js';
import { run, median, which, GNU_TIME } from './lib/measure.js';
import { checkRecall } from './lib/recall.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const err = (m) => process.stderr.write(m + '\n');

let args;
try {
  args = parseArgs(process.argv.slice(2), {
    runs: { type: 'number', default: 7 },
    mb: { type: 'number', default: 120 },
    seed: { default: '1' },
    'small-mb': { type: 'number', default: 30 },
    flat: { type: 'boolean', default: true },
    'no-flat': { type: 'boolean', default: false },
    stub: { type: 'boolean', default: false },
    scanner: { default: path.join(repo, 'bin', 'spreeflo-scan.js') },
    'scanner-args': { default: '' },
    strict: { type: 'boolean', default: false },
  });
} catch (e) { err(e.message); process.exit(2); }
if (args.help) {
  console.log(`usage: node bench/scan-bench.js [options]
  --runs N            timed runs per command, median reported (default 7; one extra warm-up each)
  --mb N              corpus size in MB (default 120; corpus in $TMPDIR/spreeflo-bench-corpus)
  --seed S            corpus seed (default 1)
  --small-mb N        size of the second corpus for the memory-flatness check (default 30; $TMPDIR/spreeflo-bench-corpus-30mb)
  --no-flat           skip the memory-flatness check
  --stub              benchmark bench/lib/stub-scanner.js instead of bin/spreeflo-scan.js
  --scanner PATH      scanner entry point (default bin/spreeflo-scan.js)
  --scanner-args "…"  extra arguments appended to the scan command (e.g. "--no-cache")
  --strict            exit 3 unless recall is 100% with no false positives`);
  process.exit(0);
}
const runs = Math.max(1, Math.round(args.runs));

// ---------------------------------------------------------------- preconditions
const rg = which('rg');
if (!rg) {
  err('ripgrep (rg) is not installed; the benchmark compares against it.\n  Debian/Ubuntu: apt-get update && apt-get install -y ripgrep');
  process.exit(2);
}
const scanner = args.stub ? path.join(here, 'lib', 'stub-scanner.js') : path.resolve(args.scanner);
if (!fs.existsSync(scanner)) {
  err(`scanner not found: ${scanner}\n  (build/implement the CLI first, or pass --stub to benchmark the naive stand-in)`);
  process.exit(2);
}
const scannerLabel = args.stub ? 'stub-scanner (naive)' : 'spreeflo-scan';
const extra = args['scanner-args'].split(/\s+/).filter(Boolean);

const mainOut = CORPUS_DIR;
const manifest = ensureCorpus({ out: mainOut, mb: args.mb, seed: args.seed, log: err });
const root = filesRoot(mainOut);
const reportFile = path.join(os.tmpdir(), `spreeflo-bench-${process.pid}.json`);

const RG_ARGS = ['-c', '--no-ignore', '--hidden',
  '-e', '(?:^|[^0-9A-Za-z_])sfk_[0-9A-Za-z]{36}(?:$|[^0-9A-Za-z_])',
  '-e', '(?:^|[^0-9A-Za-z_])[0-9a-f]{32}-sf(?:[1-9]|1[0-9]|2[0-4])(?:$|[^0-9A-Za-z_])'];

const scanCmd = (dir) => [process.execPath, [scanner, 'scan', dir, '--format', 'json', '--output', reportFile, ...extra]];
const rgCmd = (dir) => [rg, [...RG_ARGS, dir]];
const nodeCmd = () => [process.execPath, ['-e', '0']];
const floorCmd = (dir) => [process.execPath, [path.join(here, 'lib', 'node-floor.js'), dir]];

async function runScanner(dir) {
  fs.rmSync(reportFile, { force: true });
  const [c, a] = scanCmd(dir);
  const r = await run(c, a, { cwd: repo, captureStdout: true });
  if (r.code !== 0 && r.code !== 1) {
    err(`\nscanner failed (exit ${r.code}${r.signal ? ', ' + r.signal : ''}): ${c} ${a.join(' ')}`);
    err(r.stderr.split('\n').slice(-25).join('\n'));
    process.exit(1);
  }
  let report = null;
  try { report = JSON.parse(fs.readFileSync(reportFile, 'utf8')); } catch (e) { r.reportError = e.message; }
  r.report = report;
  return r;
}
async function runRg(dir) {
  const [c, a] = rgCmd(dir);
  const r = await run(c, a, { cwd: repo });
  if (r.code !== 0 && r.code !== 1) { err(`rg failed (exit ${r.code}): ${r.stderr}`); process.exit(1); }
  r.lines = r.stdout.split('\n').filter(Boolean).reduce((s, l) => s + Number(l.slice(l.lastIndexOf(':') + 1)), 0);
  return r;
}
async function runNode() { const [c, a] = nodeCmd(); return run(c, a, { cwd: repo }); }
async function runFloor(dir) { const [c, a] = floorCmd(dir); return run(c, a, { cwd: repo }); }

// ---------------------------------------------------------------- timed, alternating runs
const rgVersion = (await run(rg, ['--version'], {})).stdout.split('\n')[0];
const mbTotal = manifest.totalBytes / MB;
console.log(`corpus   ${path.relative(repo, root)}: ${manifest.fileCount} files, ${mbTotal.toFixed(1)} MB, ${manifest.keys.length} planted keys, ${manifest.decoys.length} decoys (seed ${manifest.params.seed})`);
console.log(`machine  ${os.cpus().length} CPUs, node ${process.version}, ${rgVersion}, peak RSS via ${GNU_TIME ? 'GNU time -v' : '/proc VmHWM polling'}`);
console.log(`scanner  node ${path.relative(repo, scanner)} scan <corpus> --format json --output <tmp>${extra.length ? ' ' + extra.join(' ') : ''}`);
console.log(`method   ${runs} timed runs each after 1 warm-up, commands interleaved (rotating order), median wall time\n`);

const series = { scanner: [], rg: [], node: [], floor: [] };
const exec = { scanner: () => runScanner(root), rg: () => runRg(root), node: runNode, floor: () => runFloor(root) };
const order = ['scanner', 'rg', 'node', 'floor'];
err('warm-up...');
const warm = {};
for (const k of order) warm[k] = await exec[k]();
for (let i = 0; i < runs; i++) {
  const rot = order.map((_, j) => order[(i + j) % order.length]);
  for (const k of rot) series[k].push(await exec[k]());
  err(`run ${i + 1}/${runs}: ` + order.map((k) => `${k} ${series[k][i].ms.toFixed(0)} ms`).join(', '));
}

const stat = (xs) => ({ med: median(xs.map((r) => r.ms)), min: Math.min(...xs.map((r) => r.ms)), max: Math.max(...xs.map((r) => r.ms)), rss: median(xs.map((r) => r.maxRssKb)), rssMax: Math.max(...xs.map((r) => r.maxRssKb ?? 0)) });
const S = { scanner: stat(series.scanner), rg: stat(series.rg), node: stat(series.node), floor: stat(series.floor) };
const f0 = (x) => (x == null ? 'n/a' : x.toFixed(0));
const mbps = (ms) => (mbTotal / (ms / 1000)).toFixed(1);
const rssMB = (kb) => (kb == null ? 'n/a' : (kb / 1024).toFixed(1) + ' MB');
const row = (name, s, withRate = true) => console.log(`${name.padEnd(24)}${f0(s.med).padStart(9)}${f0(s.min).padStart(9)}${f0(s.max).padStart(9)}${(withRate ? mbps(s.med) : '-').padStart(10)}${rssMB(s.rss).padStart(14)}`);
console.log(`${'command'.padEnd(24)}${'median'.padStart(9)}${'min'.padStart(9)}${'max'.padStart(9)}${'MB/s'.padStart(10)}${'peak RSS'.padStart(14)}`);
row(scannerLabel, S.scanner);
row('rg (2 patterns)', S.rg);
row('node -e 0', S.node, false);
row('bare Node floor', S.floor);
const ratio = S.scanner.med / S.rg.med;
const net = S.scanner.med - S.node.med;
console.log(`\nratio scanner/rg: ${ratio.toFixed(2)}x   (scanner minus node start-up: ${f0(net)} ms = ${mbps(net)} MB/s, ${(net / S.rg.med).toFixed(2)}x rg)`);
console.log(`bare Node floor/rg: ${(S.floor.med / S.rg.med).toFixed(2)}x   (bench/lib/node-floor.js: walk, read, two indexOf searches on both cores; no rules or report)`);
console.log(`scanner peak RSS: median ${rssMB(S.scanner.rss)}, max ${rssMB(S.scanner.rssMax)}`);

// ---------------------------------------------------------------- correctness
const last = series.scanner[series.scanner.length - 1];
let strictFail = false;
console.log('');
if (!last.report) {
  console.log(`recall: no readable JSON report at --output (${last.reportError})`);
  strictFail = true;
} else {
  const rc = checkRecall(last.report, manifest, root);
  console.log(`recall: ${rc.found}/${rc.total} planted keys reported at the right path and line (${(100 * rc.found / rc.total).toFixed(1)}%)`);
  for (const m of rc.missed) console.log(`  missed ${m.kind}: ${m.where}`);
  console.log(`false positives: ${rc.fpAtDecoys.length + rc.fpElsewhere.length} (${rc.fpAtDecoys.length} at decoy places, ${rc.fpElsewhere.length} elsewhere); report has ${rc.findings} findings, ${rc.duplicates} duplicate(s) at key places`);
  for (const f of [...rc.fpAtDecoys, ...rc.fpElsewhere].slice(0, 20)) console.log(`  FP ${f.rule} at ${f.where}${f.decoy ? ` (decoy: ${f.decoy})` : ''}`);
  if (rc.hashChecked) console.log(`key identity: ${rc.hashChecked - rc.hashMismatch}/${rc.hashChecked} findings at key places carry the planted key's sha256`);
  if (Object.keys(rc.confidence).length) console.log(`confidence at key places: ${Object.entries(rc.confidence).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (rc.summary) console.log(`scanner summary: ${JSON.stringify(rc.summary)}${rc.suppressedAtKeys ? ` (${rc.suppressedAtKeys} planted keys suppressed by filters)` : ''}`);
  console.log(`rules seen: ${Object.entries(rc.rulesByKind).map(([k, v]) => `${k} -> ${v.join('|')}`).join('; ') || 'none'}`);
  strictFail = rc.found !== rc.total || rc.fpAtDecoys.length + rc.fpElsewhere.length > 0;
}
const rgLast = series.rg[series.rg.length - 1];
console.log(`rg sanity: ${rgLast.lines} matching lines, manifest expects ${manifest.expectedRgMatchingLines} (planted keys + wrong-checksum v2 decoys, which rg cannot tell apart)`);
for (const d of [root, repo]) if (fs.existsSync(path.join(d, '.spreeflo-scan-cache'))) console.log(`note: ${path.join(d, '.spreeflo-scan-cache')} exists: later runs may be served from the scanner's cache`);

// ---------------------------------------------------------------- memory flatness
if (args.flat && !args['no-flat'] && args['small-mb'] < args.mb) {
  const smallOut = `${CORPUS_DIR}-${args['small-mb']}mb`;
  const small = ensureCorpus({ out: smallOut, mb: args['small-mb'], seed: args.seed, log: err });
  const sroot = filesRoot(smallOut);
  await runScanner(sroot); // warm-up
  const n = Math.min(runs, 3);
  const rs = [];
  for (let i = 0; i < n; i++) rs.push(await runScanner(sroot));
  const sm = stat(rs);
  const rc = rs[rs.length - 1].report ? checkRecall(rs[rs.length - 1].report, small, sroot) : null;
  const smMB = small.totalBytes / MB;
  console.log(`\nmemory flatness (scanner peak RSS, median of ${n}):`);
  console.log(`  ${smMB.toFixed(0).padStart(5)} MB corpus (${String(small.fileCount).padStart(5)} files): ${rssMB(sm.rss).padStart(10)}   ${f0(sm.med)} ms, ${(smMB / (sm.med / 1000)).toFixed(1)} MB/s${rc ? `, recall ${rc.found}/${rc.total}, FP ${rc.fpAtDecoys.length + rc.fpElsewhere.length}` : ''}`);
  console.log(`  ${mbTotal.toFixed(0).padStart(5)} MB corpus (${String(manifest.fileCount).padStart(5)} files): ${rssMB(S.scanner.rss).padStart(10)}   ${f0(S.scanner.med)} ms, ${mbps(S.scanner.med)} MB/s`);
  const growth = S.scanner.rss - sm.rss;
  console.log(`  growth: ${rssMB(growth)} for ${(mbTotal - smMB).toFixed(0)} MB more input (${(S.scanner.rss / sm.rss).toFixed(2)}x; flat is ~1x)`);
}
fs.rmSync(reportFile, { force: true });
if (args.strict && strictFail) process.exit(3);
