// Bundles the CLI, the library API (src/index.ts, with its .d.ts), the pre-commit hook's call and the scan and history workers into dist/ with esbuild. Code splitting keeps
// the library's and the workers' shared code in chunks, each loaded only when used.
// Files are written to a temporary name and renamed, chunks before entry points,
// so a CLI started while a build runs (parallel test runs) never sees half a file.
import { build } from 'esbuild';
import ts from 'typescript';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { writeCompiled } from './wat.js';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// `--clean` (npm's prepare, so packages hold only this build) drops every old chunk;
// otherwise old chunks stay a while for CLI runs started before this build.
const STALE_AFTER_MS = process.argv.includes('--clean') ? 0 : 10 * 60 * 1000;

const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  write: false,
  // Native or heavy packages stay in node_modules and load only when needed.
  // yaml is only needed for config and user rule files, so it loads from node_modules on demand.
  external: ['sharp', 'tesseract.js', '@tesseract.js-data/eng', 'simple-git', 'playwright-core', 'yaml'],
  define: { __SPREEFLO_SCAN_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};
// The detector's native pass, from its WAT, before the bundles that embed it.
await writeCompiled();
const results = await Promise.all([
  build({
    ...shared,
    entryPoints: { index: 'src/index.ts', 'history-worker': 'src/sources/history-worker.ts' },
    outdir: 'dist',
    splitting: true,
    format: 'esm',
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  }),
  // The pre-commit hook's call (src/hook.ts): a small CommonJS file, loaded by bin/ with
  // require(), and the full scan it loads only when a commit needs one (src/hook-scan.ts).
  // Read and compiled at every commit: whitespace and syntax minified (names kept, for
  // stack traces and error names): 563 KB became 395 KB to read and parse.
  // bin/ runs the entry from a V8 code cache through node:vm, where Node 20 has no import():
  // the entry's (yaml, for rule files) become require().
  // The command line (src/cli.ts), every command in it, and the scan worker are one CommonJS
  // file each too: Node starts them sooner than the graphs of ES modules and chunks they were
  // (bench/README.md, "Start-up of the scan"). bin/ runs the CLI from a code cache as well;
  // pdf.js, an ES module, it imports through dist/import.cjs (src/formats/pdf.ts).
  ...[
    { entry: 'src/cli.ts', outfile: 'dist/cli.cjs', external: [], supported: { 'dynamic-import': false } },
    { entry: 'src/scan/worker.ts', outfile: 'dist/scan-worker.cjs', external: [], supported: {} },
    { entry: 'src/hook.ts', outfile: 'dist/hook.cjs', external: ['./hook-scan.cjs'], supported: { 'dynamic-import': false } },
    { entry: 'src/hook-scan.ts', outfile: 'dist/hook-scan.cjs', external: [], supported: {} },
  ].map(({ entry, outfile, external, supported }) =>
    build({
      ...shared,
      entryPoints: [entry],
      outfile,
      format: 'cjs',
      supported,
      external: [...shared.external, ...external],
      minifyWhitespace: true,
      minifySyntax: true,
      define: { ...shared.define, 'import.meta.url': '__importMetaUrl' },
      banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    }),
  ),
]);

/**
 * The library's types: dist/index.d.ts and the declarations it imports, each made from its
 * own source file alone (ts.transpileDeclaration: no type-checking, so exported functions
 * spell their types out). Only the files the public types reach are emitted.
 */
function declarations() {
  const files = [];
  const queue = ['src/index.ts'];
  for (const file of queue) {
    const { outputText, diagnostics } = ts.transpileDeclaration(readFileSync(join(root, file), 'utf8'), { fileName: file, reportDiagnostics: true });
    if (diagnostics.length) throw new Error(`${file}: ${diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`);
    files.push({ path: join(root, 'dist', relative('src', file).replace(/\.ts$/, '.d.ts')), contents: outputText });
    for (const [, spec] of outputText.matchAll(/from '(\.[^']+)\.js'/g)) {
      const next = join(dirname(file), `${spec}.ts`);
      if (!queue.includes(next)) queue.push(next);
    }
  }
  return files;
}

/**
 * The hook's entry and the CLI begin with an id of their content, which keys their V8 code
 * caches (bin/spreeflo-scan.js): V8 would take a cache made for another build of the same length.
 */
function withId(file) {
  const name = /^(hook|cli)\.cjs$/.exec(basename(file.path))?.[1];
  if (!name) return file;
  const id = createHash('sha256').update(file.contents).digest('hex').slice(0, 16);
  return { path: file.path, contents: `// spreeflo-scan ${name} ${id}\n${file.text}` };
}

/** What the CLI imports ES modules through: a module Node compiles itself has import(). */
const importer = { path: join(root, 'dist', 'import.cjs'), contents: 'module.exports = (href) => import(href);\n' };

const outputs = [...results.flatMap((r) => r.outputFiles).map(withId), importer, ...declarations()]
  .sort((a, b) => Number(!a.path.includes('/chunks/')) - Number(!b.path.includes('/chunks/')));
for (const file of outputs) {
  mkdirSync(dirname(file.path), { recursive: true });
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}

// pdf.js, copied into dist/pdfjs/ so users install neither pdfjs-dist (a devDependency) nor the
// native @napi-rs/canvas it pulls in (74 MB together; src/formats/pdf.ts never renders). Only what
// reading needs: the legacy (Node) build and its worker, already bundled and minified with their
// Apache-2.0 notice, the CMaps (text in CID fonts), standard fonts (text in fonts a PDF does not
// embed) and the wasm picture decoders (JPX, JBIG2), with pdf.js's LICENSE beside them.
const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const pdfjsFiles = [
  ['legacy/build/pdf.min.mjs', 'pdf.min.mjs'],
  ['legacy/build/pdf.worker.min.mjs', 'pdf.worker.min.mjs'],
  ['LICENSE', 'LICENSE'],
  ...['cmaps', 'standard_fonts', 'wasm'].flatMap((dir) =>
    readdirSync(join(pdfjsRoot, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(relative(pdfjsRoot, e.parentPath), e.name))
      .map((rel) => [rel, rel]),
  ),
];
// A clean build starts the folder afresh, so a package never ships a file an older pdf.js had.
if (STALE_AFTER_MS === 0) rmSync(join(root, 'dist', 'pdfjs'), { recursive: true, force: true });
for (const [from, to] of pdfjsFiles) {
  const target = join(root, 'dist', 'pdfjs', to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(pdfjsRoot, from), `${target}.${process.pid}.tmp`);
  renameSync(`${target}.${process.pid}.tmp`, target);
}

// The built-in rules, parsed and checked once here, so start-up needs no YAML parser.
// The parser is the scanner's own (src/detect/rule-files.ts), bundled for the occasion.
const parser = await build({
  absWorkingDir: root,
  entryPoints: ['src/detect/rule-files.ts'],
  bundle: true,
  packages: 'external',
  format: 'esm',
  platform: 'node',
  write: false,
  logLevel: 'warning',
});
const parserFile = join(root, 'dist', `.rule-files.${process.pid}.mjs`);
writeFileSync(parserFile, parser.outputFiles[0].contents);
try {
  const { loadRuleDir } = await import(parserFile);
  const rules = await loadRuleDir(join(root, 'rules'));
  const target = join(root, 'dist', 'rules.json');
  const portable = rules.map((r) => ({ ...r, file: relative(root, r.file) }));
  writeFileSync(`${target}.${process.pid}.tmp`, JSON.stringify(portable));
  renameSync(`${target}.${process.pid}.tmp`, target);
} finally {
  rmSync(parserFile, { force: true });
}

// Code caches of the hook's entry and the CLI (written by their runs), and any a killed run left half
// written, go with the build they were made from.
for (const name of readdirSync(join(root, 'dist'))) if (/\.v8cache(?:\.\d+\.tmp)?$/.test(name)) rmSync(join(root, 'dist', name), { force: true });

// Old chunks go once no run could still be loading them.
const written = new Set(outputs.map((f) => basename(f.path)));
const chunkDir = join(root, 'dist', 'chunks');
for (const name of readdirSync(chunkDir)) {
  const path = join(chunkDir, name);
  if (!written.has(name) && Date.now() - statSync(path).mtimeMs >= STALE_AFTER_MS) rmSync(path, { force: true });
}
