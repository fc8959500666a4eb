#!/usr/bin/env node
// Development stand-in for bin/spreeflo-scan.js (used by `scan-bench.js --stub`):
//   node bench/lib/stub-scanner.js scan <dir> --format json --output <file>
// A deliberately naive single-threaded Node scanner: whole-file read, one regex per
// format, v2 checksum check. It gives the benchmark a baseline and lets it run before
// the real CLI exists. Exit 1 when keys are found, 0 when none.
import fs from 'node:fs';
import path from 'node:path';
import { isValidV2 } from './keys.js';

const argv = process.argv.slice(2);
if (argv[0] !== 'scan' || !argv[1]) { console.error('usage: stub-scanner.js scan <dir> --format json --output <file>'); process.exit(2); }
const root = path.resolve(argv[1]);
const oi = argv.indexOf('--output');
const output = oi >= 0 ? argv[oi + 1] : null;

const RULES = [
  { id: 'spreeflo-api-key-v2', re: /(?<![0-9A-Za-z_])sfk_[0-9A-Za-z]{36}(?![0-9A-Za-z_])/g, ok: isValidV2 },
  { id: 'spreeflo-api-key-v1', re: /(?<![0-9A-Za-z_])[0-9a-f]{32}-sf(?:1[0-9]|2[0-4]|[1-9])(?![0-9A-Za-z_])/g, ok: () => true },
];
const findings = [];
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.isFile()) scanFile(p);
  }
};
function scanFile(p) {
  const buf = fs.readFileSync(p);
  if (buf.subarray(0, 8192).includes(0)) return;
  const text = buf.toString('latin1');
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (let m; (m = rule.re.exec(text));) {
      if (!rule.ok(m[0])) continue;
      let line = 1;
      for (let i = text.indexOf('\n'); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
      findings.push({ path: path.relative(root, p).split(path.sep).join('/'), line, column: m.index - text.lastIndexOf('\n', m.index - 1), rule: rule.id, last4: m[0].slice(-4) });
    }
  }
}
walk(root);
const report = JSON.stringify({ findings }, null, 2);
if (output) fs.writeFileSync(output, report); else process.stdout.write(report + '\n');
process.exit(findings.length ? 1 : 0);
