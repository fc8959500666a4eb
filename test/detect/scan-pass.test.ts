// The native pass (src/detect/scan-pass.wat) stands in for the outermost layer's searches:
// its findings are checked against their plain definitions, and the detector with it against
// the detector without it, on random and adversarial bytes (everything near the edges of its
// 16-byte vectors, 64-byte blocks and 24-byte sampling grid) and on the test fixtures.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Detector } from '../../src/detect/detector.js';
import { compileRule } from '../../src/detect/rules.js';
import { loadBuiltinRules } from '../../src/detect/rule-files.js';
import { ScanPass } from '../../src/detect/scan-pass.js';
import { findBase64Blocks, utf16Needle } from '../../src/detect/encodings.js';
import { FileScanner } from '../../src/scan/read-file.js';
import { compiledSource, OUT } from '../../scripts/wat.js';
import { makeV1Key, makeV2Key } from '../support/keys.js';

const rules = (await loadBuiltinRules()).map(compileRule);
const native = new Detector(rules, { nativeFrom: 0 });
const plain = new Detector(rules, { nativeFrom: Infinity });
const LITERALS = ['sfk_', '-sf', '\\u00'].map((s) => Buffer.from(s, 'latin1'));
/** Looked for from the first NUL on. */
const WITH_NUL = ['sfk_', '-sf'].map(utf16Needle);
const pass = ScanPass.for(LITERALS, WITH_NUL, 0)!;

/** SAMPLE_BYTE in encodings.ts: base64's standard alphabet and `\`. */
const SAMPLE = /[A-Za-z0-9+/\\]/;

/** nextSample's definition: the first p = from + k * 24 before length - 24 with bytes p..p+24 all sample bytes. */
function nextSample(buf: Buffer, from: number): number {
  for (let p = from; p < buf.length - 24; p += 24) {
    let i = p;
    while (i <= p + 24 && SAMPLE.test(String.fromCharCode(buf[i]!))) i++;
    if (i > p + 24) return p;
  }
  return -1;
}

function starts(buf: Buffer, literal: Buffer): number[] {
  const found: number[] = [];
  for (let i = buf.indexOf(literal); i !== -1; i = buf.indexOf(literal, i + 1)) found.push(i);
  return found;
}

function checkPass(buf: Buffer): void {
  const result = pass.run(buf);
  expect(result).not.toBeNull();
  expect(result!.nul).toBe(buf.indexOf(0));
  [...LITERALS, ...WITH_NUL].forEach((literal, k) => {
    const found: number[] = [];
    const finder = result!.finders[k]!;
    for (let i = finder.next(buf, 0); i !== -1; i = finder.next(buf, i + 1)) found.push(i);
    expect(found).toEqual(starts(buf, literal));
  });
  // From every offset, as findBase64Blocks may ask after a block (in order, then once more from the start).
  for (let from = 0; from <= buf.length; from++) expect(result!.samples.next(from)).toBe(nextSample(buf, from));
  expect(result!.samples.next(0)).toBe(nextSample(buf, 0));
}

function sameFindings(buf: Buffer, part?: { from: number; to: number; midway: boolean }): void {
  expect(native.scan(buf, part)).toEqual(plain.scan(buf, part));
}

/** Pieces that matter to the pass: its literals, their halves, NULs, base64, `\/`, `-_` and text. */
const piece = fc.oneof(
  fc.constantFrom('sfk_', '-sf', '\\u00', '\\u0041', '\\u004', '\\u00 4', '\\u005F', 'sf', 'k_', 'fk_', '-s', '\\u0', '\0', '\\/', '-', '_', ' ', '\n', '=', 'sfk_sfk_', '-sf-sf'),
  fc.constantFrom('s\0f\0k\0_', '-\0s\0f', 'k\0_', '-\0s', 's\0f\0k\0_\0', '\0-\0s\0f\0'),
  fc.stringMatching(/^[A-Za-z0-9+/]{1,60}$/),
  fc.stringMatching(/^[ -~]{1,20}$/),
  fc.uint8Array({ minLength: 1, maxLength: 20 }).map((b) => Buffer.from(b).toString('latin1')),
);
const bytes = fc.array(piece, { maxLength: 12 }).map((parts) => Buffer.from(parts.join(''), 'latin1'));

describe('the native pass', () => {
  it('is compiled from the committed WAT (run node scripts/wat.js after changing it)', async () => {
    expect(readFileSync(OUT, 'utf8')).toBe(await compiledSource());
  });

  it('finds NULs, literals and sample points as their definitions, for every length up to 100', () => {
    for (let len = 0; len <= 100; len++) {
      checkPass(Buffer.alloc(len, 'A'));
      checkPass(Buffer.alloc(len, 0));
      checkPass(Buffer.from('sfk_'.repeat(len).slice(0, len), 'latin1'));
      checkPass(Buffer.from('ab\\/'.repeat(len).slice(0, len), 'latin1'));
    }
  });

  it('finds each literal, NUL and base64 run at every offset near its vectors and grid', () => {
    for (const what of ['sfk_', '-sf', '\\u00', '\0', 's\0f\0k\0_', '-\0s\0f', '-\0s\0f\0\0-\0s\0f', 'A'.repeat(25), 'A'.repeat(24), 'Ab+/\\'.repeat(6)]) {
      for (let at = 0; at < 200; at++) {
        for (const filler of [' ', '-']) {
          const buf = Buffer.from(filler.repeat(at) + what + filler.repeat(7), 'latin1');
          checkPass(buf);
          checkPass(buf.subarray(0, at + what.length));
        }
      }
    }
  });

  it('agrees with the definitions on random bytes', () => {
    fc.assert(fc.property(bytes, (buf) => checkPass(buf)), { numRuns: 2000 });
  });

  it('gives the chunk back to JavaScript when its list of hits fills', () => {
    expect(pass.run(Buffer.from('-sf'.repeat(1 << 16), 'latin1'))).toBeNull();
  });

  it('keeps a chunk of escapes, one every 4 bytes, in its list', () => {
    checkPass(Buffer.from('\\u00'.repeat(1 << 14), 'latin1'));
    checkPass(Buffer.from('\\u0041\\u00'.repeat(1 << 12), 'latin1'));
  });
});

describe('base64 blocks from the native pass', () => {
  /** Runs long enough to be measured from the pass's run, broken by what ends or continues one. */
  const run = fc.stringMatching(/^[A-Za-z0-9+/]{40,300}$/);
  const joint = fc.constantFrom('\\/', '\\', '\\n', '-', '_', '=', '==', '\n', '\r\n  ', ' ', '.', '\0');
  const runs = fc.array(fc.oneof(run, joint, piece), { maxLength: 12 }).map((parts) => Buffer.from(parts.join(''), 'latin1'));

  function sameBlocks(buf: Buffer): void {
    expect(findBase64Blocks(buf, 0, pass.run(buf)!.samples)).toEqual(findBase64Blocks(buf, 0));
  }

  it('are the blocks found without it, with every run measured the same', () => {
    fc.assert(fc.property(runs, sameBlocks), { numRuns: 2000 });
  });

  it('are the blocks found without it where a `\\` falls anywhere in or next to a long run', () => {
    const body = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MjQyNDI0MjQyNDI0MjQyNDI0MjQyNDI0MjQyNDI0MjQyNDI0MjQyNDI0MjQy';
    for (const mark of ['\\/', '\\', '-', '_', '\n']) {
      for (let at = 0; at <= body.length; at++) {
        sameBlocks(Buffer.from(`x ${body.slice(0, at)}${mark}${body.slice(at)} y`, 'latin1'));
        sameBlocks(Buffer.from(`${body.slice(0, at)}${mark}${body.slice(at)}`, 'latin1'));
      }
    }
  });
});

describe('the detector with the native pass', () => {
  const keys = [makeV1Key(), makeV2Key(), makeV2Key()];
  const forms = (key: string) => [
    key,
    Buffer.from(key).toString('base64'),
    Buffer.from(`export TOKEN=${key}`).toString('base64').replace(/.{1,20}/g, '$&\n'),
    Buffer.from(Buffer.from(key).toString('base64')).toString('base64'),
    Buffer.from(key).toString('hex'),
    key.replace(/[a-z0-9]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`),
    key.replace(/[A-Za-z0-9_]/g, (c) => `\\u00${c.charCodeAt(0).toString(16).toUpperCase()}`),
    JSON.stringify({ v: Buffer.from(`k=${key}`).toString('base64') }).replaceAll('/', '\\/'),
    Buffer.from(key, 'utf16le').toString('latin1'),
  ];

  it('finds what the detector without it finds, at every offset of every encoding of a key', () => {
    for (const key of keys) {
      for (const form of forms(key)) {
        for (let at = 0; at < 70; at++) {
          const buf = Buffer.from(`${'x'.repeat(at)}${form}\n# ${'y'.repeat(at % 7)}`, 'latin1');
          sameFindings(buf);
          sameFindings(buf, { from: 0, to: buf.length >> 1, midway: true });
        }
      }
    }
  });

  it('finds what the detector without it finds, on random mixes of keys and noise', () => {
    const withKeys = fc.array(fc.oneof(piece, fc.constantFrom(...keys.flatMap(forms))), { maxLength: 16 }).map((parts) => Buffer.from(parts.join(''), 'latin1'));
    fc.assert(
      fc.property(withKeys, (buf) => {
        sameFindings(buf);
        if (buf.length > 0) sameFindings(buf, { from: buf.length >> 2, to: buf.length, midway: true });
      }),
      { numRuns: 1000 },
    );
  });

  it('finds what the detector without it finds, in UTF-16 files and in files past its size', () => {
    sameFindings(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`a = "${keys[1]}"\n`, 'utf16le')]));
    sameFindings(Buffer.from(`a = "${keys[0]}"\n`, 'utf16le'));
    const big = Buffer.alloc(9 * 1024 * 1024, 'Ab+/');
    Buffer.from(` ${keys[1]} `).copy(big, 5_000_000);
    sameFindings(big);
  });

  it('falls back to the searches in JavaScript where the runtime has no WebAssembly (node --jitless)', () => {
    const texts = keys.flatMap(forms).map((form) => `${'x'.repeat(5000)} ${form}\n`);
    const script = join(mkdtempSync(join(tmpdir(), 'scan-pass-')), 'jitless.mts');
    const src = (file: string) => JSON.stringify(join(import.meta.dirname, '..', '..', 'src', 'detect', file));
    writeFileSync(
      script,
      `import { Detector } from ${src('detector.ts')};
import { compileRule } from ${src('rules.ts')};
import { loadBuiltinRules } from ${src('rule-files.ts')};
const detector = new Detector((await loadBuiltinRules()).map(compileRule), { nativeFrom: 0 });
const texts = ${JSON.stringify(texts)};
console.log(JSON.stringify({ wasm: typeof WebAssembly, found: texts.map((t) => detector.scan(Buffer.from(t, 'latin1'))) }));
`,
    );
    const out = execFileSync(process.execPath, ['--jitless', '--no-warnings', '--import', 'tsx', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const { wasm, found } = JSON.parse(out) as { wasm: string; found: unknown[] };
    expect(wasm).toBe('undefined');
    expect(found).toEqual(texts.map((t) => plain.scan(Buffer.from(t, 'latin1'))));
    expect(found.flat().length).toBeGreaterThan(0);
  });

  it('finds what the detector without it finds in files read into its memory, whatever was scanned between', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scan-pass-files-'));
    const sizes = [0, 1, 1023, 1024, 5000, (1 << 20) - 1, 1 << 20, (3 << 20) + 17, (5 << 20) + 3, 9 << 20];
    const files = sizes.map((size, i) => {
      const data = Buffer.alloc(size, i % 2 ? 'lorem ipsum QUJDREVGR0hJSktMTU5PUFFSU1RVVldY\n' : 'x = 1;\n');
      for (const [j, form] of forms(keys[i % keys.length]!).entries()) Buffer.from(` ${form}\n`, 'latin1').copy(data, Math.floor((size * j) / 9));
      const path = join(dir, `f${i}`);
      writeFileSync(path, data);
      return path;
    });
    const limits = { maxFileSize: 1 << 30 };
    const withPass = new FileScanner(native, limits, { images: false });
    const withoutPass = new FileScanner(plain, limits, { images: false });
    // Sizes up and down: the reused buffer grows inside the pass's memory, and some files are read in chunks.
    let found = 0;
    for (const path of [...files, ...files.reverse()]) {
      const scan = withPass.scan(path);
      expect(scan).toEqual(withoutPass.scan(path));
      if (scan.ok) found += scan.candidates.length;
      native.scan(Buffer.from(`${'y'.repeat(2000)} ${keys[0]}`));
    }
    expect(found).toBeGreaterThan(50);
  });

  it('finds what the detector without it finds, in the test fixtures and the sources', () => {
    const root = join(import.meta.dirname, '..', '..');
    const files = execFileSync('git', ['ls-files', 'test', 'src', 'rules', 'docs'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files.length).toBeGreaterThan(100);
    let found = 0;
    for (const file of files) {
      const buf = readFileSync(join(root, file));
      const candidates = native.scan(buf);
      expect(candidates, file).toEqual(plain.scan(buf));
      found += candidates.length;
    }
    expect(found).toBeGreaterThan(0);
  });
});
