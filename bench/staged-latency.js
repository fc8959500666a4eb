// Pre-commit latency: `spreeflo-scan staged` with 10 staged text files against a bare
// `node -e 0`, alternating runs, medians. Run: node bench/staged-latency.js [--runs N]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 40;
const bin = resolve('bin/spreeflo-scan.js');
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
git('add', '.');

function time(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

time(process.execPath, [bin, 'staged']);
time(process.execPath, ['-e', '0']);
const scanner = [];
const bare = [];
for (let i = 0; i < runs; i++) {
  scanner.push(time(process.execPath, [bin, 'staged']));
  bare.push(time(process.execPath, ['-e', '0']));
}
const s = median(scanner);
const b = median(bare);
console.log(`staged, 10 files: median ${s.toFixed(1)} ms over ${runs} runs`);
console.log(`node -e 0:        median ${b.toFixed(1)} ms`);
console.log(`ratio: ${(s / b).toFixed(2)}x (target 1.5x, never over 2.5x)`);
