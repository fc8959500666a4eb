#!/usr/bin/env node
// One command for issue 16's figures, side by side (bench/README.md, "Field benchmark"):
//   history  git/git's history: `spreeflo-scan history` against gitleaks and against git
//            reading every object once (the floor), with peak RSS
//   range    the last N first-parent commits of git/git as a pull request: `history BASE..HEAD`
//            against `git log -p BASE..HEAD`
//   trees    the real trees against ripgrep (bench/trees-bench.js)
// Commands are interleaved, `--runs` rounds, medians reported (exit 1 is a finding, 2 an error).
// Peak RSS is GNU time's: the largest single process of the command's tree. The generated corpora stay
// with their own commands (`npm run bench`, bench/history-bench.js): the README reports both.
//
//   node bench/field-bench.js [--runs N] [--only history,range,trees] [--gitgit DIR] [--range-commits N]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './lib/args.js';
import { GNU_TIME, median, run, which } from './lib/measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const shared = path.resolve(repo, '..', 'shared');
const err = (m) => process.stderr.write(m + '\n');

let args;
try {
  args = parseArgs(process.argv.slice(2), {
    runs: { type: 'number', default: 1 },
    only: { default: 'history,range,trees' },
    gitgit: { default: '/tmp/corpus/gitgit' },
    gitleaks: { default: path.join(shared, 'bench-tools', 'gitleaks') },
    'range-commits': { type: 'number', default: 100 },
    scanner: { default: path.join(repo, 'bin', 'spreeflo-scan.js') },
  });
} catch (e) {
  err(e.message);
  process.exit(2);
}
if (args.help) {
  console.log('usage: node bench/field-bench.js [--runs N] [--only history,range,trees] [--gitgit DIR] [--gitleaks PATH] [--range-commits N] [--scanner PATH]');
  process.exit(0);
}
const only = new Set(args.only.split(','));
const scanner = path.resolve(args.scanner);
if (!fs.existsSync(path.join(repo, 'dist', 'cli.cjs')) && scanner === path.join(repo, 'bin', 'spreeflo-scan.js')) {
  err('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
if (!GNU_TIME) err('note: GNU time is missing (apt-get install time): peak RSS is polled, not exact');

/** Runs each command once per round, in turn; medians of wall time and of peak RSS. */
async function interleave(commands, cwd) {
  const samples = commands.map(() => ({ wall: [], rss: [], code: null }));
  for (let round = 0; round < args.runs; round++) {
    for (const [i, c] of commands.entries()) {
      const res = await run(c.cmd[0], c.cmd.slice(1), { cwd, captureStdout: false });
      samples[i].wall.push(res.ms / 1000);
      if (res.maxRssKb) samples[i].rss.push(res.maxRssKb / 1024);
      samples[i].code = res.code;
    }
  }
  return commands.map((c, i) => ({ name: c.name, wall: median(samples[i].wall), rss: samples[i].rss.length ? median(samples[i].rss) : null, code: samples[i].code }));
}

function table(title, rows, base) {
  console.log(`\n## ${title}`);
  console.log('| command | wall (s) | ratio | peak RSS (MB) | exit |\n|---|---:|---:|---:|---:|');
  const ref = rows.find((r) => r.name === base);
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.wall.toFixed(2)} | ${ref ? (r.wall / ref.wall).toFixed(2) + 'x' : ''} | ${r.rss ? r.rss.toFixed(0) : '?'} | ${r.code} |`);
  }
}

const gitgit = path.resolve(args.gitgit);
const haveGitgit = fs.existsSync(path.join(gitgit, '.git'));
if ((only.has('history') || only.has('range')) && !haveGitgit) {
  err(`git/git is not at ${gitgit}: fetch a mirror (the search tool's fetch with github:git/git, see ../shared/field/README.md), then`);
  err(`  git clone --no-local --single-branch -b master MIRROR ${gitgit}`);
  err('history and range are skipped.');
}

if (only.has('history') && haveGitgit) {
  const cmds = [
    { name: 'spreeflo-scan history', cmd: ['bash', '-c', `node '${scanner}' history --no-progress --format json > /dev/null`] },
    { name: 'git cat-file --batch-all-objects (floor)', cmd: ['bash', '-c', 'git cat-file --batch-all-objects --batch --unordered > /dev/null'] },
  ];
  if (fs.existsSync(args.gitleaks)) {
    cmds.push({
      name: 'gitleaks git',
      cmd: [args.gitleaks, 'git', '-c', path.join(path.dirname(args.gitleaks), 'spreeflo-gitleaks.toml'), '--no-banner', '-l', 'error', '-r', '/dev/null', gitgit],
    });
  } else err(`gitleaks not found at ${args.gitleaks}: its column is left out`);
  table(`git/git history (${args.runs} round(s))`, await interleave(cmds, gitgit), 'gitleaks git');
}

if (only.has('range') && haveGitgit) {
  const base = `HEAD~${args['range-commits']}`;
  const count = (await run('git', ['rev-list', '--count', `${base}..HEAD`], { cwd: gitgit })).stdout.trim();
  const cmds = [
    { name: `spreeflo-scan history ${base}..HEAD`, cmd: ['bash', '-c', `node '${scanner}' history --no-progress --format json ${base}..HEAD > /dev/null`] },
    { name: `git log -p ${base}..HEAD`, cmd: ['bash', '-c', `git log -p ${base}..HEAD > /dev/null`] },
  ];
  table(`pull-request range: ${args['range-commits']} first-parent commits, ${count} commits in all`, await interleave(cmds, gitgit), cmds[1].name);
}

if (only.has('trees')) {
  if (!which('rg')) err('ripgrep is missing (apt-get install ripgrep): trees are skipped');
  else {
    const { runTreesBench } = await import('./trees-bench.js');
    console.log('\n## Real trees against ripgrep (bench/trees-bench.js)');
    await runTreesBench({ runs: args.runs, scanner });
  }
}
