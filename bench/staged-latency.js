// Pre-commit latency: `spreeflo-scan staged` with 10 staged text files against a bare
// `node -e 0`, alternating runs, medians. Run: node bench/staged-latency.js [--runs N]
// [--scanner BIN]... [--full-scan]: with two builds or more (an A/B), each round runs `node -e 0` then
// every build in turn, and each build's time over `node -e 0` and minus the first build's
// are taken within the round (the machine's speed drifts between rounds), then medians.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 40;
const scanners = process.argv.flatMap((a, i) => (a === '--scanner' && process.argv[i + 1] ? [resolve(process.argv[i + 1])] : []));
if (scanners.length === 0) scanners.push(resolve('bin/spreeflo-scan.js'));
const repo = mkdtempSync(join(tmpdir(), 'staged-latency-'));
const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
git('init', '-q');
git('config', 'user.email', 'bench@example.com');
git('config', 'user.name', 'bench');
const text = readFileSync(resolve('README.md'), 'utf8');
writeFileSync(join(repo, 'base.txt'), 'base\n');
git('add', '.');
git('commit', '-qm', 'base');
for (let i = 0; i < 10; i++) writeFileSync(join(repo, `file${i}.md`), text.slice(i * 2000, i * 2000 + 4000));
// --full-scan: an eleventh file holds the legacy rule's documented example key, a candidate
// the hook's entry hands to the full scan (whose filters set it aside: the commit passes).
if (process.argv.includes('--full-scan')) writeFileSync(join(repo, 'example.txt'), 'SPREEFLO_KEY=25cb257fab5a20f4284a1675da214991-sf7\n');
git('add', '.');

function time(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const bin of scanners) time(process.execPath, [bin, 'staged']);
time(process.execPath, ['-e', '0']);
const bare = [];
const scanner = scanners.map(() => []);
for (let i = 0; i < runs; i++) {
  bare.push(time(process.execPath, ['-e', '0']));
  scanners.forEach((bin, j) => scanner[j].push(time(process.execPath, [bin, 'staged'])));
}
console.log(`node -e 0:        median ${median(bare).toFixed(1)} ms over ${runs} runs`);
scanners.forEach((bin, j) => {
  const ratio = median(scanner[j].map((t, i) => t / bare[i]));
  const vsFirst = j > 0 ? `, ${median(scanner[j].map((t, i) => t - scanner[0][i])).toFixed(1)} ms vs the first build` : '';
  if (scanners.length > 1) console.log(bin);
  console.log(`staged, 10 files: median ${median(scanner[j]).toFixed(1)} ms`);
  console.log(`ratio: ${ratio.toFixed(2)}x (target 1.5x, never over 2.5x)${vsFirst}`);
});
