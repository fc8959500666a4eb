#!/usr/bin/env node
// `spreeflo-scan scan` on real trees against ripgrep (issue 16, "Real trees"), see
// bench/README.md. Two sets:
//   system:  /usr/share, /usr/lib/python3 and a project's node_modules (gzip man pages,
//            changelogs, jars, PDFs, binaries: nothing the team wrote)
//   include: a copy of /usr/include with planted keys ($TMPDIR/spreeflo-bench-include-tree), for recall
// Like with like: ripgrep without -z reads a .gz, a jar or a PDF as raw bytes (and stops
// at its first NUL, as for any binary), while the scanner opens it and reads what is
// inside; so the comparison leaves the files the scanner opens as containers out of both
// (by name: CONTAINERS). Beside it: .gz alone left out (the issue's figure), and
// everything, containers opened by the scanner only. Plain rg also stops at a binary file's
// first NUL, where the scanner reads on (a key in a binary is still a leak); `rg -a` reads
// those files whole, so beside plain rg it is the byte-for-byte like with like.
// Beside the scanner and rg, Node's floor
// (lib/walk-read-floor.js: the scanner's walk, threads and reads with no search) and the
// start-up (`node -e 0`, the scanner on an empty folder): what of the gap is Node's. Pixels are not read (`--no-ocr`): rg reads
// none; the bytes of pictures are still searched. Dependency folders are read
// (`--include-deps`), as rg reads them.
//
//   node bench/trees-bench.js [--runs N] [--only system|include] [--rg-z] [--node-modules DIR] [--scanner PATH]
//
// The one-command runner calls `runTreesBench(options)` (exported below) and prints its
// lines; it returns the rows too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from './lib/args.js';
import { run, median, which } from './lib/measure.js';
import { checkRecall } from './lib/recall.js';
import { ensureIncludeTree } from './lib/include-tree.js';
import { binaryShare } from './lib/binary-share.js';

/**
 * Names src/formats/kinds.ts opens as containers (gzip, zip and its kin, tar, PDF, Office,
 * video): the scanner reads what is inside them, rg only their raw bytes. `.html` and `.md`
 * are plain text unless they embed pictures, so they stay.
 */
const CONTAINERS = ['gz', 'tgz', 'zip', 'jar', 'war', 'apk', 'whl', 'nupkg', 'epub', 'tar', 'pdf', 'docx', 'docm', 'dotx', 'xlsx', 'xlsm', 'pptx', 'pptm', 'ppsx', 'odt', 'ods', 'odp', 'odg', 'ott', 'ots', 'mp4', 'm4v', 'mov', 'webm'];

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

const V2 = '(?:^|[^0-9A-Za-z_])sfk_[0-9A-Za-z]{36}(?:$|[^0-9A-Za-z_])';
const V1 = '(?:^|[^0-9A-Za-z_])[0-9a-f]{32}-sf(?:[1-9]|1[0-9]|2[0-4])(?:$|[^0-9A-Za-z_])';

/** The system trees: the ones issue 16 names, with this project's node_modules by default. */
export function systemTrees(nodeModules = path.join(repo, 'node_modules')) {
  return ['/usr/share', '/usr/lib/python3', nodeModules];
}

/**
 * Runs the comparisons; `log` gets each printed line. Options: runs (3), only
 * ('system' | 'include' | undefined for both), rgZ (also time `rg -z`, which spawns a
 * gzip per file: slow), nodeModules, scanner (bin/spreeflo-scan.js).
 */
export async function runTreesBench({ runs = 3, only, rgZ = false, nodeModules, scanner = path.join(repo, 'bin', 'spreeflo-scan.js'), log = console.log, progress = (m) => process.stderr.write(m + '\n') } = {}) {
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (rg) is not installed: apt-get install ripgrep');
  if (!fs.existsSync(path.join(repo, 'dist', 'cli.cjs'))) throw new Error('dist/ is missing: npm run build');
  const report = path.join(os.tmpdir(), `spreeflo-trees-${process.pid}.json`);
  const scan = (roots, extra) => ({ cmd: process.execPath, args: [scanner, 'scan', ...roots, '--no-ocr', '--no-progress', '--format', 'json', '--output', report, ...extra], scanner: true });
  const rgc = (roots, extra) => ({ cmd: rg, args: ['-c', '--no-ignore', '--hidden', ...extra, '-e', V2, '-e', V1, ...roots] });
  // Node's floor: the scanner's walk, threads and reads, no search (lib/walk-read-floor.js).
  const floor = (roots, extra) => ({ cmd: process.execPath, args: [path.join(here, 'lib', 'walk-read-floor.js'), ...extra, ...roots] });
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'spreeflo-trees-empty-'));
  const rows = [];

  /** Interleaved rounds (order rotating), one warm-up each; medians. */
  const measure = async (title, commands) => {
    const series = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    const names = Object.keys(commands);
    const once = async (k) => {
      const c = commands[k];
      if (c.scanner) fs.rmSync(report, { force: true });
      const r = await run(c.cmd, c.args, { cwd: repo, captureStdout: !c.scanner });
      if (r.code !== 0 && r.code !== 1) throw new Error(`${k} failed (exit ${r.code}): ${r.stderr.split('\n').slice(-5).join('\n')}`);
      if (c.scanner) r.report = JSON.parse(fs.readFileSync(report, 'utf8'));
      return r;
    };
    progress(`${title}: warm-up...`);
    for (const k of names) await once(k);
    for (let i = 0; i < runs; i++) {
      for (const k of names.map((_, j) => names[(i + j) % names.length])) series[k].push(await once(k));
      progress(`${title}: run ${i + 1}/${runs}: ${names.map((k) => `${k} ${(series[k][i].ms / 1000).toFixed(1)} s`).join(', ')}`);
    }
    const stat = Object.fromEntries(names.map((k) => [k, { s: median(series[k].map((r) => r.ms)) / 1000, cpu: median(series[k].map((r) => r.cpuMs)) / 1000, rss: Math.max(...series[k].map((r) => r.maxRssKb ?? 0)) / 1024, last: series[k].at(-1) }]));
    log(`\n${title}`);
    log(`${'command'.padEnd(34)}${'wall s'.padStart(8)}${'cpu s'.padStart(8)}${'peak RSS MB'.padStart(13)}`);
    for (const k of names) log(`${k.padEnd(34)}${stat[k].s.toFixed(2).padStart(8)}${stat[k].cpu.toFixed(2).padStart(8)}${stat[k].rss.toFixed(0).padStart(13)}`);
    return stat;
  };

  // Start-up: what every run pays before its first file (Node itself, then the scanner's modules, configuration and report).
  const start = await measure('start-up', { 'node -e 0': { cmd: process.execPath, args: ['-e', '0'] }, 'scan, empty folder': scan([empty], []) });
  log(`scanner start-up above Node's: ${(start['scan, empty folder'].s - start['node -e 0'].s).toFixed(2)} s`);
  rows.push({ set: 'start-up', stat: start });
  if (only !== 'include') {
    const trees = systemTrees(nodeModules).filter((t) => fs.existsSync(t));
    log(`system trees: ${trees.join(' ')} (${runs} runs)`);
    const st = await measure('system trees', {
      'scan, containers left out': scan(trees, ['--include-deps', ...CONTAINERS.flatMap((x) => ['-e', `*.${x}`])]),
      'rg, containers left out': rgc(trees, CONTAINERS.flatMap((x) => ['-g', `!*.${x}`])),
      'rg -a, containers left out': rgc(trees, ['-a', ...CONTAINERS.flatMap((x) => ['-g', `!*.${x}`])]),
      'node floor, containers left out': floor(trees, ['--skip-ext', CONTAINERS.join(',')]),
      'node floor, fast-glob walk': floor(trees, ['--skip-ext', CONTAINERS.join(','), '--walker', 'fast-glob']),
      'scan, .gz left out': scan(trees, ['--include-deps', '-e', '*.gz']),
      'rg, .gz left out': rgc(trees, ['-g', '!*.gz']),
      'scan, everything': scan(trees, ['--include-deps']),
      'rg, .gz as raw bytes': rgc(trees, []),
      ...(rgZ ? { 'rg -z (gzip inflated)': rgc(trees, ['-z']) } : {}),
    });
    const like = st['scan, containers left out'].s / st['rg, containers left out'].s;
    const likeWhole = st['scan, containers left out'].s / st['rg -a, containers left out'].s;
    const noGz = st['scan, .gz left out'].s / st['rg, .gz left out'].s;
    const full = st['scan, everything'].s / st['rg, .gz as raw bytes'].s;
    const summary = st['scan, everything'].last.report.summary;
    const floorS = st['node floor, containers left out'].s;
    log(`like with like (what both read as bytes: containers left out of both): ${like.toFixed(2)}x rg; .gz left out of both (the issue's figure): ${noGz.toFixed(2)}x rg; everything (containers opened by the scanner only): ${full.toFixed(2)}x rg`);
    const share = binaryShare(rg, ['--no-ignore', '--hidden', ...CONTAINERS.flatMap((x) => ['-g', `!*.${x}`]), ...trees]);
    const mb = (n) => (n / 1e6).toFixed(0);
    log(`like with like, binary files read whole by both (rg -a): ${likeWhole.toFixed(2)}x rg -a; plain rg stops at the first NUL of ${share.binaryFiles} of ${share.files} files, which hold ${mb(share.binaryBytes)} of the ${mb(share.bytes)} MB (${(share.beforeNul / 1e6).toFixed(1)} MB before their first NUL)`);
    log(`Node's floor (the scanner's walk and reads, no search) ${(floorS / st['rg, containers left out'].s).toFixed(2)}x rg (with the walk before h16speed, fast-glob's: ${(st['node floor, fast-glob walk'].s / st['rg, containers left out'].s).toFixed(2)}x); the scan like with like ${(st['scan, containers left out'].s / floorS).toFixed(2)}x that floor`);
    log(`scanner read ${summary.files} files, ${(summary.bytes / 1e6).toFixed(0)} MB; ${summary.findings} findings (none expected: no tree here holds a key), ${summary.unread} not read`);
    rows.push({ set: 'system', like, likeWhole, noGz, full, floor: floorS / st['rg, containers left out'].s, stat: st });
  }
  if (only !== 'system') {
    // Outside this repository, whose configuration allows bench/** (made-up keys live there).
    const { manifest, root } = ensureIncludeTree({ out: path.join(os.tmpdir(), 'spreeflo-bench-include-tree'), log: progress });
    log(`\ninclude tree: ${root}: ${manifest.fileCount} files, ${(manifest.totalBytes / 1e6).toFixed(0)} MB, ${manifest.keys.length} planted keys (${runs} runs)`);
    const st = await measure('/usr/include with planted keys', { scan: scan([root], []), rg: rgc([root], []), 'rg -a': rgc([root], ['-a']), 'node floor': floor([root], []) });
    const rc = checkRecall(st.scan.last.report, manifest, root);
    log(`ratio ${(st.scan.s / st.rg.s).toFixed(2)}x rg (${(st.scan.s / st['rg -a'].s).toFixed(2)}x rg -a); Node's floor ${(st['node floor'].s / st.rg.s).toFixed(2)}x rg, the scan ${(st.scan.s / st['node floor'].s).toFixed(2)}x it; recall ${rc.found}/${rc.total}, false positives ${rc.fpElsewhere.length}${rc.missed.length ? `; missed ${rc.missed.map((m) => m.where).join(', ')}` : ''}`);
    rows.push({ set: 'include', ratio: st.scan.s / st.rg.s, ratioWhole: st.scan.s / st['rg -a'].s, floor: st['node floor'].s / st.rg.s, recall: `${rc.found}/${rc.total}`, fp: rc.fpElsewhere.length, stat: st });
  }
  fs.rmSync(report, { force: true });
  fs.rmSync(empty, { recursive: true, force: true });
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2), { runs: { type: 'number', default: 3 }, only: { default: '' }, 'rg-z': { type: 'boolean', default: false }, 'node-modules': { default: '' }, scanner: { default: '' } });
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  if (args.help) {
    console.log('usage: node bench/trees-bench.js [--runs N] [--only system|include] [--rg-z] [--node-modules DIR] [--scanner PATH]');
    process.exit(0);
  }
  try {
    await runTreesBench({ runs: Math.round(args.runs), only: args.only || undefined, rgZ: args['rg-z'], ...(args['node-modules'] ? { nodeModules: path.resolve(args['node-modules']) } : {}), ...(args.scanner ? { scanner: path.resolve(args.scanner) } : {}) });
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
}
