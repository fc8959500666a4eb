#!/usr/bin/env node
// Generate the deterministic benchmark corpus (see bench/README.md).
//   node bench/gen-corpus.js [--out DIR] [--mb N] [--seed S] [--force]
import path from 'node:path';
import { parseArgs } from './lib/args.js';
import { CORPUS_DIR, ensureCorpus, generate, filesRoot, manifestPath } from './lib/corpus.js';

let args;
try {
  args = parseArgs(process.argv.slice(2), {
    out: { default: CORPUS_DIR },
    mb: { type: 'number', default: 120 },
    seed: { default: '1' },
    force: { type: 'boolean', default: false },
  });
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
if (args.help) {
  console.log('usage: node bench/gen-corpus.js [--out DIR] [--mb N] [--seed S] [--force]\n' +
    '  --out DIR  output directory (default $TMPDIR/spreeflo-bench-corpus); the tree is DIR/files, the manifest DIR/manifest.json\n' +
    '  --mb N     approximate corpus size in MB (10^6 bytes), default 120\n' +
    '  --seed S   PRNG seed, default 1\n' +
    '  --force    regenerate even when the manifest already has these parameters');
  process.exit(0);
}
const out = path.resolve(args.out);
const log = (m) => console.log(m);
const m = args.force ? generate({ out, mb: args.mb, seed: args.seed, log }) : ensureCorpus({ out, mb: args.mb, seed: args.seed, log });
console.log(`corpus: ${filesRoot(out)}\nmanifest: ${manifestPath(out)} (${m.keys.length} planted keys, ${m.decoys.length} decoys)`);
